/**
 * Small fields the plan's sections share: a text or number field that saves when it loses focus
 * or on Enter, restores the saved value on Escape, and shows why a value was refused next to
 * itself (never a crash, never a silent loss).
 */
import { useId, useState, type ReactNode } from 'react';
import type { Action, MessageKey } from '../../../shared';
import { useT } from '../i18n';
import { useConnection } from '../use-workshop';

import { nameProblem, tryWrite } from './plan-rules';

// Kept here for the sections that import them from this module.
export { nameProblem, parseCount, tryWrite } from './plan-rules';

/** What every section of the plan dialog gets: whether this person may change the plan's lists and settings. */
export type PlanSectionProps = {
  readonly editable: boolean;
  /** Closes the dialog (a section that leads to the board: "show on the board"). */
  readonly close?: () => void;
};

/** What a plan control in an action's row gets (its work package, its objectives). */
export type ActionFieldProps = {
  readonly action: Action;
  /** The control's accessible name. */
  readonly label: string;
  /** Why this person may not change the action now; null when they may. */
  readonly fixed: string | null;
};

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

/**
 * Deleting from one of the plan's lists: the deletion is one undo step of its own, and a notice
 * in the section says what was deleted and offers Undo, with the focus on it (the app's toasts
 * sit under the dialog's backdrop, out of reach). Render `notice` at the top of the section.
 */
export function useDeletion(): { remove: (name: string, write: () => void) => void; notice: ReactNode } {
  const t = useT();
  const { undo } = useConnection();
  const [deleted, setDeleted] = useState<string | null>(null);
  const remove = (name: string, write: () => void): void => {
    undo.stopCapturing();
    write();
    undo.stopCapturing();
    setDeleted(name);
  };
  const notice = (
    // Always in the page, so that a screen reader hears the notice.
    <div className={deleted === null ? 'plan-deleted-slot' : 'plan-deleted-slot plan-deleted'} role="status">
      {deleted !== null && (
        <>
          <span>{t('plan.deleted', { name: deleted })}</span>
          <button
            type="button"
            className="secondary-button"
            // The deleted row's button went with it: the focus comes here, not to the page.
            autoFocus
            onClick={() => {
              undo.undo();
              setDeleted(null);
            }}
          >
            {t('toast.undo')}
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label={t('toast.dismiss')}
            onClick={() => setDeleted(null)}
          >
            ×
          </button>
        </>
      )}
    </div>
  );
  return { remove, notice };
}

/** An entry's buttons in one of the plan's lists: move it up, move it down, delete it. */
export function EntryButtons({
  name,
  index,
  count,
  move,
  onDelete,
}: {
  /** The entry's name, for the buttons' accessible names. */
  name: string;
  index: number;
  count: number;
  move: (index: number) => void;
  onDelete: () => void;
}) {
  const t = useT();
  return (
    <span className="plan-item-buttons">
      <button
        type="button"
        className="icon-button"
        aria-label={t('plan.moveUp', { name })}
        disabled={index === 0}
        onClick={() => move(index - 1)}
      >
        ↑
      </button>
      <button
        type="button"
        className="icon-button"
        aria-label={t('plan.moveDown', { name })}
        disabled={index === count - 1}
        onClick={() => move(index + 1)}
      >
        ↓
      </button>
      <button
        type="button"
        className="button-link danger"
        aria-label={t('plan.delete', { name })}
        onClick={onDelete}
      >
        {t('plan.deleteShort')}
      </button>
    </span>
  );
}

/**
 * The form under one of the plan's lists that adds an entry by its name: the name is checked
 * against the others' (`names`) and by the model (`add` may throw InvalidValueError); a refusal
 * is shown under the field, which keeps what was typed. `children` are further fields before the
 * button (their state is the caller's; `onAdded` clears it).
 */
export function AddByName({
  id,
  label,
  submit,
  names,
  add,
  onAdded,
  wide = false,
  children,
}: {
  /** The name field's element id. */
  id: string;
  label: MessageKey;
  submit: MessageKey;
  names: readonly string[];
  add: (name: string) => void;
  onAdded?: () => void;
  wide?: boolean;
  children?: ReactNode;
}) {
  const t = useT();
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<MessageKey | null>(null);
  return (
    <form
      className="plan-add"
      onSubmit={(event) => {
        event.preventDefault();
        const refused = nameProblem(name, names) ?? tryWrite(() => add(name));
        setProblem(refused);
        if (refused) return;
        setName('');
        onAdded?.();
      }}
    >
      <label htmlFor={id}>{t(label)}</label>
      <input
        id={id}
        className={wide ? 'plan-input plan-wide-input' : 'plan-input'}
        value={name}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? `${id}-error` : undefined}
        onChange={(e) => {
          setName(e.target.value);
          setProblem(null);
        }}
      />
      {children}
      <button type="submit" className="secondary-button">
        {t(submit)}
      </button>
      {problem && (
        <span id={`${id}-error`} className="plan-error" role="alert">
          {t(problem)}
        </span>
      )}
    </form>
  );
}
