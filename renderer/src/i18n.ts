/** Translation for components: the workshop's language inside a workshop, the browser's elsewhere. */
import { createContext, useContext } from 'react';
import { LANGUAGES, translate, type Language, type MessageKey } from '../../shared';

export const LanguageContext = createContext<Language>(browserLanguage());

/** The browser's preferred language if Talkoo speaks it, else English. */
export function browserLanguage(): Language {
  const preferred = (navigator.languages ?? [navigator.language]).map((l) => l.slice(0, 2));
  return (preferred.find((l) => (LANGUAGES as readonly string[]).includes(l)) as Language) ?? 'en';
}

/** A translate function bound to the current language. */
export function useT(): (key: MessageKey, params?: Record<string, string | number>) => string {
  const language = useContext(LanguageContext);
  return (key, params) => translate(language, key, params);
}

/** The current language (for `lang` attributes and number formats). */
export function useLanguage(): Language {
  return useContext(LanguageContext);
}
