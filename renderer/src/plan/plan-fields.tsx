/**
 * Small fields the plan's sections share: a text or number field that saves when it loses focus
 * or on Enter, restores the saved value on Escape, and shows why a value was refused next to
 * itself (never a crash, never a silent loss).
 */
import { useId, useState } from 'react';
import { InvalidValueError, type MessageKey } from '../../../shared';
import { nameKey } from '../../../shared/model/plan';
import { useT } from '../i18n';

/**
 * Why `name` cannot be a new name in a list that holds `others` (names of the other entries),
 * or null when it can: the model refuses these too, this says it in words.
 */
export function nameProblem(name: string, others: readonly string[]): MessageKey | null {
  if (!name.trim()) return 'plan.error.empty';
  if (others.some((o) => nameKey(o) === nameKey(name))) return 'plan.error.taken';
  return null;
}

/**
 * Runs a plan write; a value the model refuses (InvalidValueError) comes back as words for the
 * field, anything else is a bug and is thrown on.
 */
export function tryWrite(write: () => void): MessageKey | null {
  try {
    write();
    return null;
  } catch (error) {
    if (error instanceof InvalidValueError) return 'plan.error.invalid';
    throw error;
  }
}

/**
 * A text field that saves on blur and on Enter; Escape restores the saved value. `onSave` returns
 * why the value was refused (shown under the field, and the field keeps the typed value) or null.
 */
export function SavingField({
  value,
  label,
  onSave,
  multiline = false,
  inputMode,
  className,
  autoFocus = false,
}: {
  value: string;
  label: string;
  onSave: (value: string) => MessageKey | null;
  multiline?: boolean;
  inputMode?: 'numeric' | 'text';
  className?: string;
  /** Takes the focus when drawn, with its text selected (a row just added). */
  autoFocus?: boolean;
}) {
  const t = useT();
  const errorId = useId();
  const [text, setText] = useState(value);
  const [problem, setProblem] = useState<MessageKey | null>(null);
  // Another person's change shows at once, unless this field holds a refused value being fixed.
  const [shown, setShown] = useState(value);
  if (shown !== value && !problem) {
    setShown(value);
    setText(value);
  }
  const save = (): void => {
    if (text === value) return setProblem(null);
    setProblem(onSave(text));
  };
  const common = {
    value: text,
    'aria-label': label,
    'aria-invalid': problem ? true : undefined,
    'aria-describedby': problem ? errorId : undefined,
    className: className ?? 'plan-input',
    onBlur: save,
    autoFocus,
    onFocus: autoFocus
      ? (event: React.FocusEvent<HTMLInputElement | HTMLTextAreaElement>) => event.currentTarget.select()
      : undefined,
  };
  const onKeyDown = (event: React.KeyboardEvent<HTMLInputElement | HTMLTextAreaElement>): void => {
    if (event.key === 'Escape' && (text !== value || problem)) {
      // Escape undoes the edit; a second Escape (nothing to undo) closes the dialog.
      event.preventDefault();
      setText(value);
      setProblem(null);
    } else if (event.key === 'Enter' && !(multiline && event.shiftKey)) {
      if (multiline) return;
      event.preventDefault();
      save();
    }
  };
  return (
    <span className="plan-field">
      {multiline ? (
        <textarea {...common} rows={4} onChange={(e) => setText(e.target.value)} onKeyDown={onKeyDown} />
      ) : (
        <input
          {...common}
          type="text"
          inputMode={inputMode}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
        />
      )}
      {problem && (
        <span id={errorId} className="plan-error" role="alert">
          {t(problem)}
        </span>
      )}
    </span>
  );
}

/** A whole, non-negative number from what a person typed ("12 345", "12345"), or null for none; NaN when not a number. */
export function parseCount(text: string): number | null {
  const compact = text.replace(/[\s\u00a0\u202f.,']/g, '');
  if (!compact) return null;
  return /^\d+$/.test(compact) ? Number(compact) : Number.NaN;
}
