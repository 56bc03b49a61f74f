import { describe, expect, it } from 'vitest';
import { translate, type MessageKey } from '../../../shared';
import { ApiRefusal, failureReason } from './failure-reason';

const finnish = (key: MessageKey, params?: Record<string, string | number>): string =>
  translate('fi', key, params);

describe('failureReason', () => {
  it('says a refusal with a known code in the language of the page, with the values the server sent', () => {
    const refusal = new ApiRefusal(429, {
      error: 'This workshop has had 1000 links made in the last 90 days, the most it may have: …',
      code: 'link-cap',
      fields: { max: 1000 },
    });
    expect(failureReason(refusal, finnish)).toBe(
      'tälle työpajalle on tehty viimeisen 90 päivän aikana 1000 linkkiä, eikä enempää voi tehdä. Jaa aiemmin tekemäsi linkki: yksi linkki käy monelle.',
    );
  });

  it('falls back to the server’s own words for a code it does not know', () => {
    const refusal = new ApiRefusal(403, { error: 'A rule of a newer server.', code: null, fields: {} });
    expect(failureReason(refusal, finnish)).toBe('A rule of a newer server.');
  });

  it('says that the server cannot be reached when no answer came', () => {
    expect(failureReason(new TypeError('Failed to fetch'), finnish)).toBe(
      'palvelimeen ei saada yhteyttä. Tarkista verkkoyhteys ja yritä uudelleen.',
    );
  });
});
