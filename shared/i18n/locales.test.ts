import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LOCALES, translatePlural } from '.';

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

  it.each(LANGUAGES)('%s.json has both the _one and the _other form of every plural message', (language) => {
    const keys = Object.keys(readLocale(language));
    const plurals = new Set(
      keys.filter((key) => /_(one|other)$/.test(key)).map((key) => key.replace(/_\w+$/, '')),
    );
    const incomplete = [...plurals].filter(
      (base) => !keys.includes(`${base}_one`) || !keys.includes(`${base}_other`),
    );
    expect(plurals.size).toBeGreaterThan(0);
    expect(incomplete).toEqual([]);
  });

  it('are what the app looks messages up in', () => {
    for (const language of LANGUAGES) expect(LOCALES[language]).toEqual(readLocale(language));
  });
});

describe('plural messages', () => {
  it('take the form that the plural rules of the language choose for the count', () => {
    expect(translatePlural('fi', 'needs.votes', 1)).toBe('1 ääni');
    expect(translatePlural('fi', 'needs.votes', 2)).toBe('2 ääntä');
    expect(translatePlural('sv', 'needs.votes', 1)).toBe('1 röst');
    expect(translatePlural('et', 'needs.votes', 0)).toBe('0 häält');
    expect(translatePlural('en', 'needs.votes', 1)).toBe('1 vote');
    expect(translatePlural('en', 'needs.votes', 10)).toBe('10 votes');
  });

  it('fill the other placeholders too', () => {
    expect(translatePlural('en', 'connection.unsent', 1, { status: 'Online' })).toBe(
      'Online · 1 change not yet saved',
    );
    expect(translatePlural('en', 'vote.open', 1, { left: 0, total: 1 })).toBe(
      'Voting is open: 0 of 1 dot left',
    );
    expect(translatePlural('sv', 'connection.unsent', 3, { status: 'Online' })).toBe(
      'Online · 3 ändringar inte sparade än',
    );
  });
});
