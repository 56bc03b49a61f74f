/** The four locales and message lookup with `{name}` placeholders. */
import type { Language } from '../model/schema';
import { en, type MessageKey, type Messages } from './en';
import { et } from './et';
import { fi } from './fi';
import { sv } from './sv';

export type { MessageKey, Messages } from './en';

/** Every locale's messages, by language code. */
export const LOCALES: Readonly<Record<Language, Messages>> = { en, fi, sv, et };

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
