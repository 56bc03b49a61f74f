import { describe, expect, it } from 'vitest';
import { PERMANENT_CLOSE_CODES } from '../../shared/close-codes';
import en from '../../shared/i18n/en.json';
import et from '../../shared/i18n/et.json';
import fi from '../../shared/i18n/fi.json';
import sv from '../../shared/i18n/sv.json';
import { refusalMessage } from './refusals';

describe('why a link was refused', () => {
  it('every code the client stops at has its own words, in every language', () => {
    for (const code of PERMANENT_CLOSE_CODES) {
      const key = refusalMessage(code);
      expect(key).toBe(`refused.${code}`);
      for (const locale of [en, fi, sv, et] as Record<string, string>[]) expect(locale[key]).toBeTruthy();
    }
  });

  it('a code this client does not know reads as a damaged link', () => {
    expect(refusalMessage(4499)).toBe('refused.4402');
  });
});
