import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LOCALES } from '.';

const LANGUAGES = ['en', 'fi', 'sv', 'et'] as const;

/** A locale file as translators leave it on disk, read without the compiler's help. */
const readLocale = (language: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`./${language}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;

/** The `{placeholders}` of a message, sorted. */
const placeholders = (text: string): string[] =>
  [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();

const english = readLocale('en');

describe('locale files', () => {
  it.each(LANGUAGES)('%s.json has exactly the English keys, in the English order', (language) => {
    expect(Object.keys(readLocale(language))).toEqual(Object.keys(english));
  });

  it.each(LANGUAGES)('%s.json has a non-empty text for every key', (language) => {
    const blank = Object.entries(readLocale(language))
      .filter(([, text]) => typeof text !== 'string' || text.trim() === '')
      .map(([key]) => key);
    expect(blank).toEqual([]);
  });

  it.each(LANGUAGES)('%s.json names the same {placeholders} as English in every message', (language) => {
    const messages = readLocale(language);
    const differing = Object.keys(english).filter(
      (key) => placeholders(String(messages[key])).join() !== placeholders(String(english[key])).join(),
    );
    expect(differing).toEqual([]);
  });

  it('are what the app looks messages up in', () => {
    for (const language of LANGUAGES) expect(LOCALES[language]).toEqual(readLocale(language));
  });
});
