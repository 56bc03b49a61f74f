/**
 * The plan's recurring yearly items (a festival every October, a network meeting each quarter):
 * add, edit and delete each one's title, months and owner. The facilitator edits them (they are
 * the plan's, session state); everyone else reads them. `RecurringSection` is the list itself,
 * shaped as a plan section; `RecurringDialog` shows it from the annual wheel.
 */
import { useEffect, useId, useRef, useState } from 'react';
import type { MessageKey, RecurringItem } from '../../../shared';
import { addRecurring, deleteRecurring, updateRecurring } from '../../../shared/model/plan';
import { DialogFooter, Modal } from '../controls/modal';
import { useMonthNames, useT } from '../i18n';
import { sameItems, useConnection, useWorkshop } from '../use-workshop';
import { SavingField, tryWrite, useDeletion } from './plan-fields';
import './plan.css';

const ALL_MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

/** Every third month from `first`: the quarter's meeting. */
function quarterly(first: number): number[] {
  return [0, 3, 6, 9].map((k) => ((first - 1 + k) % 12) + 1).sort((a, b) => a - b);
}

/** Twelve month toggles and the quick choices "each quarter" and "every month". */
function MonthsField({
  months,
  name,
  start,
  onChange,
}: {
  months: readonly number[];
  /** The item's title, for the toggles' names ("October: Festival"). */
  name: string;
  /** The wheel's first month: where "each quarter" starts when no month is chosen yet. */
  start: number;
  onChange: (months: number[]) => void;
}) {
  const t = useT();
  const short = useMonthNames('short');
  const long = useMonthNames('long');
  const chosen = new Set(months);
  return (
    <fieldset className="recurring-months">
      <legend className="visually-hidden">{t('recurring.months', { title: name })}</legend>
      <div className="recurring-month-grid">
        {ALL_MONTHS.map((m) => (
          <label key={m} className="recurring-month" title={long[m - 1]}>
            <input
              type="checkbox"
              checked={chosen.has(m)}
              aria-label={t('recurring.month', { month: long[m - 1] ?? '', title: name })}
              onChange={(e) =>
                onChange(e.target.checked ? [...months, m] : months.filter((other) => other !== m))
              }
            />
            <span aria-hidden="true">{short[m - 1]}</span>
          </label>
        ))}
      </div>
      <div className="recurring-quick">
        <button type="button" className="button-link" onClick={() => onChange(quarterly(months[0] ?? start))}>
          {t('recurring.eachQuarter')}
        </button>
        <button type="button" className="button-link" onClick={() => onChange(ALL_MONTHS)}>
          {t('recurring.everyMonth')}
        </button>
      </div>
    </fieldset>
  );
}

function RecurringRow({
  item,
  editable,
  start,
  focus,
  remove,
}: {
  item: RecurringItem;
  editable: boolean;
  start: number;
  focus: boolean;
  /** Deletes with the section's notice that offers Undo (useDeletion). */
  remove: (name: string, write: () => void) => void;
}) {
  const t = useT();
  const { doc } = useConnection();
  const long = useMonthNames('long');
  const row = useRef<HTMLLIElement>(null);
  const [problem, setProblem] = useState<MessageKey | null>(null);
  useEffect(() => {
    if (focus) row.current?.querySelector<HTMLElement>('input, button')?.focus();
  }, [focus]);
  if (!editable)
    return (
      <li className="plan-item">
        <span className="plan-name">{item.title}</span>{' '}
        <span className="muted">
          {item.months.map((m) => long[m - 1]).join(', ')}
          {item.owner && ` · ${item.owner}`}
        </span>
      </li>
    );
  return (
    <li ref={row} className="plan-item recurring-item">
      <div className="plan-item-row">
        <SavingField
          value={item.title}
          label={t('recurring.titleOf', { title: item.title })}
          onSave={(title) =>
            title.trim() ? tryWrite(() => updateRecurring(doc, item.id, { title })) : 'plan.error.empty'
          }
        />
        <span className="recurring-owner">
          <span aria-hidden="true">{t('recurring.owner')}</span>
          <SavingField
            value={item.owner}
            label={t('recurring.ownerOf', { title: item.title })}
            onSave={(owner) => tryWrite(() => updateRecurring(doc, item.id, { owner }))}
          />
        </span>
        <button
          type="button"
          className="button-link danger"
          aria-label={t('plan.delete', { name: item.title })}
          onClick={() => remove(item.title, () => deleteRecurring(doc, item.id))}
        >
          {t('plan.deleteShort')}
        </button>
      </div>
      <MonthsField
        months={item.months}
        name={item.title}
        start={start}
        onChange={(months) => {
          // A recurring item keeps at least one month: the last one is not taken away.
          if (months.length === 0) return setProblem('recurring.needsMonth');
          setProblem(tryWrite(() => updateRecurring(doc, item.id, { months })));
        }}
      />
      {problem && (
        <span className="plan-error" role="alert">
          {t(problem)}
        </span>
      )}
    </li>
  );
}

function AddRecurring({ start }: { start: number }) {
  const t = useT();
  const { doc } = useConnection();
  const id = useId();
  const [title, setTitle] = useState('');
  const [owner, setOwner] = useState('');
  const [months, setMonths] = useState<number[]>([]);
  const [problem, setProblem] = useState<MessageKey | null>(null);
  return (
    <form
      className="plan-add recurring-add"
      aria-label={t('recurring.new')}
      onSubmit={(event) => {
        event.preventDefault();
        const refused = !title.trim()
          ? 'plan.error.empty'
          : months.length === 0
            ? 'recurring.needsMonth'
            : tryWrite(() => addRecurring(doc, { title, months, owner }));
        setProblem(refused);
        if (refused) return;
        setTitle('');
        setOwner('');
        setMonths([]);
      }}
    >
      <label htmlFor={`${id}-title`}>{t('recurring.newTitle')}</label>
      <input
        id={`${id}-title`}
        className="plan-input"
        value={title}
        onChange={(e) => {
          setTitle(e.target.value);
          setProblem(null);
        }}
      />
      <label htmlFor={`${id}-owner`}>{t('recurring.owner')}</label>
      <input
        id={`${id}-owner`}
        className="plan-input"
        value={owner}
        onChange={(e) => setOwner(e.target.value)}
      />
      <MonthsField
        months={months}
        name={title || t('recurring.newTitle')}
        start={start}
        onChange={(next) => {
          setMonths([...new Set(next)].sort((a, b) => a - b));
          setProblem(null);
        }}
      />
      <button type="submit" className="secondary-button">
        {t('recurring.add')}
      </button>
      {problem && (
        <span className="plan-error" role="alert">
          {t(problem)}
        </span>
      )}
    </form>
  );
}

/** The recurring items, editable by whoever may change the plan. */
export function RecurringSection({
  editable,
  focusId = null,
}: {
  editable: boolean;
  focusId?: string | null;
}) {
  const t = useT();
  const items = useWorkshop((w) => w.plan.recurring, sameItems);
  const start = useWorkshop((w) => w.plan.wheelStart);
  const { remove, notice } = useDeletion();
  return (
    <div className="plan-section">
      {notice}
      <p className="muted">{t('recurring.help')}</p>
      {items.length === 0 ? (
        <p className="plan-empty">{t('recurring.empty')}</p>
      ) : (
        <ul className="plan-list" aria-label={t('recurring.title')}>
          {items.map((item) => (
            <RecurringRow
              key={item.id}
              item={item}
              editable={editable}
              start={start}
              focus={item.id === focusId}
              remove={remove}
            />
          ))}
        </ul>
      )}
      {editable && <AddRecurring start={start} />}
    </div>
  );
}

/** The recurring items in a dialog, `initial` (an item's id) in focus when given. */
export function RecurringDialog({
  initial,
  editable,
  onClose,
}: {
  initial: string | null;
  editable: boolean;
  onClose: () => void;
}) {
  const t = useT();
  return (
    <Modal titleId="recurring-dialog-title" title={t('recurring.title')} wide onClose={onClose}>
      <div className="recurring-body">
        <div className="recurring-scroll">
          {!editable && <p className="muted">{t('plan.readOnly')}</p>}
          <RecurringSection editable={editable} focusId={initial} />
        </div>
        <DialogFooter>
          <button type="button" className="secondary-button" onClick={onClose}>
            {t('plan.close')}
          </button>
        </DialogFooter>
      </div>
    </Modal>
  );
}
