/**
 * Translation for components. The UI speaks the language the person chose on this device (kept
 * across workshops and reloads); until they choose, the workshop's language inside a workshop and
 * the browser's elsewhere. What the workshop itself says (its notes, its exports) keeps the
 * workshop's language: that is the document's, not the reader's.
 */
import { createContext, useContext, useMemo, useSyncExternalStore } from 'react';
import {
  LANGUAGES,
  translate,
  translatePlural,
  type Language,
  type MessageKey,
  type PluralKey,
} from '../../shared';
import { recall, remember } from './storage';

export const LanguageContext = createContext<Language>(browserLanguage());

/** The browser's preferred language if Talkoo speaks it, else English. */
export function browserLanguage(): Language {
  const preferred = (navigator.languages ?? [navigator.language]).map((l) => l.slice(0, 2));
  return (preferred.find((l) => (LANGUAGES as readonly string[]).includes(l)) as Language) ?? 'en';
}

/** Where the person's choice of UI language is kept on this device. Never rename. */
const CHOSEN_KEY = 'talkoo.uiLanguage';
const listeners = new Set<() => void>();

function readChosen(): Language | null {
  const stored = recall(CHOSEN_KEY);
  return (LANGUAGES as readonly (string | null)[]).includes(stored) ? (stored as Language) : null;
}

/** Keeps `language` as this person's UI language on this device; every screen follows at once. */
export function chooseLanguage(language: Language): void {
  remember(CHOSEN_KEY, language);
  for (const listener of listeners) listener();
}

/** The UI language this person chose on this device, or null before they choose. */
export function useChosenLanguage(): Language | null {
  return useSyncExternalStore((onChange) => {
    listeners.add(onChange);
    // Another window of this app on the same device chose a language.
    const onStorage = (event: StorageEvent): void => {
      if (event.key === CHOSEN_KEY) onChange();
    };
    window.addEventListener('storage', onStorage);
    return () => {
      listeners.delete(onChange);
      window.removeEventListener('storage', onStorage);
    };
  }, readChosen);
}

/** A translate function bound to the current language. */
export function useT(): (key: MessageKey, params?: Record<string, string | number>) => string {
  const language = useContext(LanguageContext);
  return (key, params) => translate(language, key, params);
}

/** A plural-aware translate function bound to the current language: `tn('needs.votes', 2)`. */
export function useTn(): (key: PluralKey, count: number, params?: Record<string, string | number>) => string {
  const language = useContext(LanguageContext);
  return (key, count, params) => translatePlural(language, key, count, params);
}

/** The workshop's own language, in which its content is written; undefined outside a workshop. */
export const DocumentLanguageContext = createContext<Language | undefined>(undefined);

/** The workshop's language, for `lang` on what the workshop says (note texts, its title). */
export function useDocumentLanguage(): Language | undefined {
  return useContext(DocumentLanguageContext);
}

/** The current language (for `lang` attributes and number formats). */
export function useLanguage(): Language {
  return useContext(LanguageContext);
}

/** The twelve months' names in the UI language, January first ("short" ones without a closing point). */
export function useMonthNames(style: 'long' | 'short' = 'long'): readonly string[] {
  const language = useLanguage();
  return useMemo(() => {
    const format = new Intl.DateTimeFormat(language, { month: style, timeZone: 'UTC' });
    return Array.from({ length: 12 }, (_, i) => format.format(Date.UTC(2000, i, 1)).replace(/\.$/, ''));
  }, [language, style]);
}
