import { describe, expect, it } from 'vitest';
import { API_ERROR_CODES, readApiError } from './api-errors';
import { LOCALES, type MessageKey } from './i18n';

/** The `{placeholders}` of a message, sorted. */
const placeholders = (text: string): string[] =>
  [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();

describe('API error codes', () => {
  it.each(API_ERROR_CODES)('%s is said in every language, with the same values as in English', (code) => {
    const key = `api.error.${code}` as MessageKey;
    const english = LOCALES.en[key];
    for (const [language, messages] of Object.entries(LOCALES)) {
      const text = messages[key];
      expect(text.trim(), `${language} ${key}`).not.toBe('');
      expect(placeholders(text), `${language} ${key}`).toEqual(placeholders(english));
    }
  });

  it('are listed once each', () => {
    expect(new Set(API_ERROR_CODES).size).toBe(API_ERROR_CODES.length);
  });
});

describe('readApiError', () => {
  it('reads a known code, the English sentence and the values it mentions', () => {
    expect(readApiError({ error: 'This workshop has had 1000 links…', code: 'link-cap', max: 1000 })).toEqual(
      {
        error: 'This workshop has had 1000 links…',
        code: 'link-cap',
        fields: { max: 1000 },
      },
    );
  });

  it('keeps the sentence but no code when the code is unknown (a newer server) or missing (an older one)', () => {
    expect(readApiError({ error: 'Something new.', code: 'quota-of-the-future' })).toEqual({
      error: 'Something new.',
      code: null,
      fields: {},
    });
    expect(readApiError({ error: 'Old words.' })).toEqual({ error: 'Old words.', code: null, fields: {} });
  });

  it('reads anything else as no answer at all', () => {
    for (const body of [null, 'text', [1], { error: 5, code: ['link-cap'], max: { a: 1 } }]) {
      expect(readApiError(body)).toEqual({ error: null, code: null, fields: {} });
    }
  });
});
