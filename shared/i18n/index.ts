/**
 * The four locales and message lookup with `{name}` placeholders. The messages live in JSON files
 * that translators edit with their usual tools; `en.json` is the reference: its keys are the
 * `MessageKey` union, and every other locale must have exactly those keys (checked here by the
 * compiler, and in `locales.test.ts` for empty values and placeholders). A message that counts
 * something has plural forms, `<key>_one` and `<key>_other` (the categories of `Intl.PluralRules`;
 * Finnish, Swedish, Estonian and English need only these two), read through `translatePlural`.
 */
import type { Language } from '../model/schema';
import en from './en.json';
import et from './et.json';
import fi from './fi.json';
import sv from './sv.json';

/** Every message key, as the literal union of the English file's keys. */
export type MessageKey = keyof typeof en;

/** One locale: a string for every key. */
export type Messages = Readonly<Record<MessageKey, string>>;

/** `Locale` itself when it has exactly the English keys, otherwise `never` (a compile error below). */
type ExactlyEnglishKeys<Locale> = [
  Exclude<keyof Locale, MessageKey>,
  Exclude<MessageKey, keyof Locale>,
] extends [never, never]
  ? Locale
  : never;

const exactly = <Locale extends Messages>(messages: ExactlyEnglishKeys<Locale>): Messages => messages;

/** Every locale's messages, by language code. */
export const LOCALES: Readonly<Record<Language, Messages>> = {
  en,
  fi: exactly(fi),
  sv: exactly(sv),
  et: exactly(et),
};

/** Looks up `key` in `language` and fills `{name}` placeholders from `params`. */
export function translate(
  language: Language,
  key: MessageKey,
  params: Readonly<Record<string, string | number>> = {},
): string {
  const template = LOCALES[language][key];
  return template.replace(/\{(\w+)\}/g, (match, name: string) =>
    name in params ? String(params[name]) : match,
  );
}

/** A message with plural forms: the key its `_one` and `_other` forms share. */
export type PluralKey = BaseOfOther<MessageKey>;

type BaseOfOther<Key> = Key extends `${infer Base}_other` ? Base : never;

/**
 * Looks up the form of plural message `key` that `language`'s plural rules choose for `count`
 * (`_other` when the locale has no form for that category), with `{count}` and `params` filled in.
 */
export function translatePlural(
  language: Language,
  key: PluralKey,
  count: number,
  params: Readonly<Record<string, string | number>> = {},
): string {
  const form = `${key}_${new Intl.PluralRules(language).select(count)}`;
  const messages: Readonly<Record<string, string>> = LOCALES[language];
  const chosen = (form in messages ? form : `${key}_other`) as MessageKey;
  return translate(language, chosen, { ...params, count });
}
