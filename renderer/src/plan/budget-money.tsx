/**
 * Money and shares as people read and type them: amounts in the workshop's currency (typed as
 * "24 000,00", the currency sign beside the field, read back by shared/money.ts) and percents in
 * the UI language. Used by the funding editor, the budget view and the plan's budget sections.
 */
import { useId, useMemo, useState } from 'react';
import { parseMoneyToCents, type MessageKey } from '../../../shared';
import { useLanguage, useT } from '../i18n';
import { useWorkshop } from '../use-workshop';
import './budget.css';

/** Formats integer cents in the workshop's currency and the UI language: "24 000,00 €". */
export function useMoney(): (cents: number) => string {
  const language = useLanguage();
  const currency = useWorkshop((w) => w.meta.currency);
  const format = useMemo(
    () => new Intl.NumberFormat(language, { style: 'currency', currency, maximumFractionDigits: 2 }),
    [language, currency],
  );
  return (cents) => format.format(cents / 100);
}

/**
 * Formats cents for an input field: digits grouped by no-break spaces and the UI language's
 * decimal mark, no currency sign ("24 000,00"), so that parseMoneyToCents reads it back whatever
 * the language (an English "24,000.00" would not read back).
 */
export function useMoneyInput(): { readonly format: (cents: number) => string; readonly sign: string } {
  const language = useLanguage();
  const currency = useWorkshop((w) => w.meta.currency);
  return useMemo(() => {
    const number = new Intl.NumberFormat(language, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    const money = new Intl.NumberFormat(language, { style: 'currency', currency });
    const sign = money.formatToParts(0).find((p) => p.type === 'currency')?.value ?? currency;
    return {
      sign,
      format: (cents: number) =>
        number
          .formatToParts(cents / 100)
          .map((p) =>
            p.type === 'group' ? '\u00a0' : p.type === 'decimal' ? (p.value === '.' ? '.' : ',') : p.value,
          )
          .join(''),
    };
  }, [language, currency]);
}

/**
 * Formats a share (0–100) in the UI language: "80 %", "76,2 %"; with `digits`, always that many
 * decimals ("34,0 %"), as a table's column of shares has them.
 */
export function usePercent(digits?: number): (percent: number) => string {
  const language = useLanguage();
  const format = useMemo(
    () =>
      new Intl.NumberFormat(language, {
        style: 'percent',
        minimumFractionDigits: digits ?? 0,
        maximumFractionDigits: digits ?? 1,
      }),
    [language, digits],
  );
  return (percent) => format.format(percent / 100);
}

/**
 * An amount field: saves on blur and on Enter, Escape restores the saved amount. What cannot be
 * read as money, or what `onSave` refuses (it returns why), is said under the field, which keeps
 * the typed text. With `optional`, an emptied field saves null.
 */
export function MoneyField({
  cents,
  label,
  onSave,
  readOnly = false,
  optional = false,
  id,
}: {
  cents: number | null;
  label: string;
  onSave: (cents: number | null) => MessageKey | null;
  readOnly?: boolean;
  optional?: boolean;
  id?: string;
}) {
  const t = useT();
  const { format, sign } = useMoneyInput();
  const errorId = useId();
  const shown = cents === null ? '' : format(cents);
  const [text, setText] = useState(shown);
  const [problem, setProblem] = useState<MessageKey | null>(null);
  // Another person's change shows at once unless this one is mid-edit with a refused value.
  const [saved, setSaved] = useState(shown);
  if (saved !== shown) {
    setSaved(shown);
    if (!problem) setText(shown);
  }
  const save = (): void => {
    if (readOnly || text === shown) return setProblem(null);
    if (optional && text.trim() === '') return setProblem(onSave(null));
    const value = parseMoneyToCents(text);
    if (value === null) return setProblem('actions.badMoney');
    const refused = onSave(value);
    setProblem(refused);
    // Shown as the app writes amounts ("6000" becomes "6 000,00").
    if (!refused) setText(format(value));
  };
  return (
    <span className="money-field">
      <span className="money-input">
        <input
          id={id}
          type="text"
          inputMode="decimal"
          value={text}
          aria-label={label}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? errorId : undefined}
          readOnly={readOnly}
          onChange={(e) => setText(e.target.value)}
          onBlur={save}
          onKeyDown={(event) => {
            if (event.key === 'Enter') {
              event.preventDefault();
              save();
            } else if (event.key === 'Escape' && (text !== shown || problem)) {
              // Escape undoes the edit; a second one (nothing to undo) may close a dialog.
              event.preventDefault();
              event.stopPropagation();
              setText(shown);
              setProblem(null);
            }
          }}
        />
        <span className="money-sign" aria-hidden="true">
          {sign}
        </span>
      </span>
      {problem && (
        <span id={errorId} className="field-error" role="alert">
          {t('actions.notSaved', { problem: t(problem) })}
        </span>
      )}
    </span>
  );
}
