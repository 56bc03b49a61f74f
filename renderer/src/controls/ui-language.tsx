/**
 * The person's own UI language: `UiLanguage` gives its subtree the language this person chose on
 * this device (or `fallback` before they choose) and marks the page with it; `LanguagePicker` is
 * the visible choice.
 */
import { useEffect, type ReactNode } from 'react';
import { LANGUAGES, translate, type Language } from '../../../shared';
import { chooseLanguage, LanguageContext, useChosenLanguage, useLanguage, useT } from '../i18n';
import { announce } from './announcer';

export function UiLanguage({ fallback, children }: { fallback: Language; children: ReactNode }) {
  const language = useChosenLanguage() ?? fallback;
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
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
          announce(translate(chosen, 'ui.languageChosen', { name: translate(chosen, `language.${chosen}`) }));
        }}
      >
        {LANGUAGES.map((l) => (
          // Each language is named in itself, so a reader finds their own whatever is shown now.
          <option key={l} value={l} lang={l}>
            {translate(l, `language.${l}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
