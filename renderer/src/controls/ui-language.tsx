/**
 * The person's own UI language: `UiLanguage` gives its subtree the language this person chose on
 * this device (or `fallback` before they choose) and marks the page with it; `LanguagePicker` is
 * the visible choice; `LanguageOptions` the languages of any language select.
 */
import { useEffect, type ReactNode } from 'react';
import { LANGUAGES, translate, type Language } from '../../../shared';
import {
  browserLanguage,
  chooseLanguage,
  LanguageContext,
  useChosenLanguage,
  useLanguage,
  useT,
} from '../i18n';
import { announce } from './announcer';

export function UiLanguage({ fallback, children }: { fallback: Language; children: ReactNode }) {
  const language = useChosenLanguage() ?? fallback;
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  return <LanguageContext.Provider value={language}>{children}</LanguageContext.Provider>;
}

/**
 * For what is mounted once over every screen (the file flow's dialogs, About): the person's UI
 * language, or the browser's. Leaves the page's `lang` to the screen, which knows the workshop's.
 */
export function OverlayLanguage({ children }: { children: ReactNode }) {
  const language = useChosenLanguage() ?? browserLanguage();
  return <LanguageContext.Provider value={language}>{children}</LanguageContext.Provider>;
}

export function LanguagePicker() {
  const t = useT();
  const language = useLanguage();
  return (
    <label className="language-picker">
      <span className="visually-hidden">{t('ui.language')}</span>
      <select
        value={language}
        onChange={(e) => {
          const chosen = e.target.value as Language;
          chooseLanguage(chosen);
          announce(translate(chosen, 'ui.languageChosen', { name: ownName(chosen) }));
        }}
      >
        <LanguageOptions />
      </select>
    </label>
  );
}

/** A language's name in that language ('suomi', 'svenska'). */
function ownName(language: Language): string {
  return translate(language, `language.${language}`);
}

/**
 * The options of a language select (this picker, the export's report language): each language
 * named in itself, so a reader finds their own whatever language is shown now.
 */
export function LanguageOptions() {
  return LANGUAGES.map((l) => (
    <option key={l} value={l} lang={l}>
      {ownName(l)}
    </option>
  ));
}
