/**
 * Numbers, money, dates and months in a report's language, through `Intl`, so that a Finnish
 * plan says `12 000,50 €` and `maaliskuu 2026` and an English one `€12,000.50` and `March 2026`.
 */
import type { Language } from '../model/schema';

/** The `Intl` locale of each language Talkoo speaks. */
export const INTL_LOCALES: Readonly<Record<Language, string>> = {
  fi: 'fi-FI',
  sv: 'sv-SE',
  et: 'et-EE',
  en: 'en-GB',
};

/** Formatters for one language and currency; build once per report, they are costly to make. */
export type Formatters = {
  /** Integer cents as money with the currency sign, e.g. `12 000,50 €`. */
  readonly money: (cents: number) => string;
  /** Integer cents as a plain number with two decimals and no sign, e.g. `12 000,50`. */
  readonly amount: (cents: number) => string;
  /** A whole number, grouped, e.g. `1 234`. */
  readonly count: (value: number) => string;
  /** A share 0..1 as a percentage, e.g. `80 %`. */
  readonly percent: (share: number) => string;
  /** `YYYY-MM` as a month and year, e.g. `maaliskuu 2026`. */
  readonly month: (month: string) => string;
  /** `YYYY-MM` as a short month name without the year, e.g. `maalis`. */
  readonly monthShort: (month: string) => string;
  /** `YYYY-MM-DD` as a long date, e.g. `6. joulukuuta 2026`. */
  readonly date: (isoDate: string) => string;
};

/** Creates the formatters of `language` for money in `currency` (ISO 4217; EUR when unknown). */
export function createFormatters(language: Language, currency: string): Formatters {
  const locale = INTL_LOCALES[language];
  let moneyFormat: Intl.NumberFormat;
  try {
    moneyFormat = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: 2 });
  } catch {
    moneyFormat = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: 'EUR',
      minimumFractionDigits: 2,
    });
  }
  const amountFormat = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const countFormat = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const percentFormat = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  const monthFormat = new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' });
  const monthShortFormat = new Intl.DateTimeFormat(locale, { month: 'short', timeZone: 'UTC' });
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' });
  const monthDate = (month: string): Date => new Date(`${month}-01T00:00:00Z`);
  return {
    money: (cents) => moneyFormat.format(cents / 100),
    amount: (cents) => amountFormat.format(cents / 100),
    count: (value) => countFormat.format(value),
    percent: (share) => percentFormat.format(share),
    month: (month) => monthFormat.format(monthDate(month)),
    monthShort: (month) => monthShortFormat.format(monthDate(month)).replace(/\.$/, ''),
    date: (isoDate) => dateFormat.format(new Date(`${isoDate.slice(0, 10)}T00:00:00Z`)),
  };
}
