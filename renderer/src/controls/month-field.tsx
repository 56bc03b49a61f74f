/**
 * A month (`YYYY-MM`) as two plain controls in the UI's language: a list of the twelve month
 * names (Intl, so "maaliskuu" in Finnish, "märts" in Estonian) with "Not set" first, and the year
 * beside it once a month is chosen. Both are native controls, so the keyboard works as everywhere
 * else; the pair is a group named by what the month is for. `error` marks the field invalid and
 * says why, beside it.
 */
import { useId, useState } from 'react';
import { useMonthNames, useT } from '../i18n';

/** Years a month field accepts; a year outside them is put back as it was. */
const FIRST_YEAR = 1900;
const LAST_YEAR = 2200;

export function MonthField({
  value,
  label,
  onChange,
  defaultYear,
  error = null,
  fixed = null,
}: {
  /** `YYYY-MM`, or null when not set. */
  value: string | null;
  /** What the month is for ("Start: Annual seminar"): the group's accessible name. */
  label: string;
  /** Called with the new month, or null when emptied. */
  onChange: (value: string | null) => void;
  /** The year given to a month chosen while the field was empty. */
  defaultYear: number;
  /** Why the shown value was not accepted; null when it was. */
  error?: string | null;
  /** Why this person may not change the field now; null when they may. */
  fixed?: string | null;
}) {
  const t = useT();
  const id = useId();
  const names = useMonthNames('long');
  const [year, month] = value ? value.split('-').map(Number) : [null, null];
  // The year as typed, until it is committed by Enter or leaving the box.
  const [typed, setTyped] = useState<string | null>(null);
  const write = (y: number, m: number): void => onChange(`${y}-${String(m).padStart(2, '0')}`);
  const commitYear = (): void => {
    if (typed === null) return;
    setTyped(null);
    const y = Number(typed);
    if (month && Number.isInteger(y) && y >= FIRST_YEAR && y <= LAST_YEAR && y !== year) write(y, month);
  };
  const errorId = `${id}-error`;
  const common = {
    disabled: fixed !== null,
    title: fixed ?? undefined,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? errorId : undefined,
  } as const;
  return (
    <span role="group" aria-label={label} className="month-field">
      <select
        {...common}
        aria-label={t('month.month')}
        className="month-field-month"
        value={month ?? ''}
        onChange={(e) => {
          const m = Number(e.target.value);
          if (!m) onChange(null);
          else write(year ?? defaultYear, m);
        }}
      >
        <option value="">{t('month.notSet')}</option>
        {names.map((name, i) => (
          <option key={i} value={i + 1}>
            {name}
          </option>
        ))}
      </select>
      {year !== null && (
        <input
          {...common}
          type="number"
          inputMode="numeric"
          aria-label={t('month.year')}
          className="month-field-year"
          min={FIRST_YEAR}
          max={LAST_YEAR}
          value={typed ?? String(year)}
          onChange={(e) => setTyped(e.target.value)}
          onBlur={commitYear}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              commitYear();
            }
            if (e.key === 'Escape') setTyped(null);
          }}
        />
      )}
      {error && (
        <span id={errorId} role="alert" className="field-error">
          {error}
        </span>
      )}
    </span>
  );
}
