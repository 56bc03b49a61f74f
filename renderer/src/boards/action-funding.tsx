/**
 * An action's budget split over funding sources, in the action table: the Funding cell (its
 * sources and their shares, a button that opens the editor) and the editor itself, in a row of
 * its own under the action's row, the table's full width. Each line is a source (one of the
 * plan's, or a new name) and an amount, its share of the total beside it; "Split by percent"
 * turns a total into lines at once (80 % / 20 %). Everyone who may edit the action may edit its
 * funding; the total is always the sum of the lines (shared/model/plan.ts).
 */
import { useEffect, useId, useRef, useState } from 'react';
import { create } from 'zustand';
import {
  InvalidValueError,
  parseMoneyToCents,
  type Action,
  type ActionId,
  type FundingLine,
  type MessageKey,
} from '../../../shared';
import {
  addFundingLine,
  nameKey,
  removeFundingLine,
  splitBudget,
  updateFundingLine,
} from '../../../shared/model/plan';
import { useT } from '../i18n';
import { MoneyField, useMoneyInput, usePercent } from '../plan/budget-money';
import { useToasts } from '../toasts';
import { sameItems, useConnection, useWorkshop } from '../use-workshop';

/** Which actions show their funding editor (UI state only). */
export const useFundingOpen = create<{
  readonly open: ReadonlySet<ActionId>;
  readonly toggle: (id: ActionId) => void;
}>((set) => ({
  open: new Set(),
  toggle: (id) =>
    set((s) => {
      const open = new Set(s.open);
      if (!open.delete(id)) open.add(id);
      return { open };
    }),
}));

const toggleId = (id: ActionId): string => `funding-toggle-${id}`;
const editorId = (id: ActionId): string => `funding-editor-${id}`;

/** Runs a write of the model; a value it refuses comes back as words, anything else is thrown on. */
function refusal(write: () => void): MessageKey | null {
  try {
    write();
    return null;
  } catch (error) {
    if (error instanceof InvalidValueError) return 'funding.invalid';
    throw error;
  }
}

/** The funding cell: the action's sources with their shares; opens and closes the editor. */
export function FundingCell({ action, label }: { action: Action; label: string }) {
  const t = useT();
  const percent = usePercent();
  const open = useFundingOpen((s) => s.open.has(action.id));
  const toggle = useFundingOpen((s) => s.toggle);
  const id = useId();
  const lines = action.split.filter((l) => l.source.trim() || l.cents > 0);
  return (
    <button
      type="button"
      id={toggleId(action.id)}
      className="funding-toggle"
      aria-expanded={open}
      aria-controls={open ? editorId(action.id) : undefined}
      aria-labelledby={`${id}-field ${id}-value`}
      onClick={() => toggle(action.id)}
    >
      <span id={`${id}-field`} className="visually-hidden">
        {label}
      </span>
      <span className="funding-chevron" aria-hidden="true">
        {open ? '▾' : '▸'}
      </span>
      <span id={`${id}-value`} className="funding-summary">
        {lines.length === 0 ? (
          <span className="muted">{t('actions.noFunding')}</span>
        ) : (
          lines.map((line) => (
            <span key={line.id} className="funding-summary-line">
              {line.source.trim() || t('actions.noFunding')}
              {lines.length > 1 && action.budgetCents > 0 && (
                <span className="muted"> {percent((line.cents * 100) / action.budgetCents)}</span>
              )}
            </span>
          ))
        )}
      </span>
    </button>
  );
}

/** The editor's row under the action's row, while it is open. */
export function FundingRow({
  action,
  fixed,
  colSpan,
}: {
  action: Action;
  fixed: string | null;
  colSpan: number;
}) {
  const open = useFundingOpen((s) => s.open.has(action.id));
  if (!open) return null;
  return (
    <tr className="funding-row">
      <td colSpan={colSpan}>
        <ActionFunding action={action} fixed={fixed} />
      </td>
    </tr>
  );
}

/** Names to offer for a line's source: the plan's sources, then any other name used on an action. */
function useSourceNames(): readonly string[] {
  return useWorkshop((w) => {
    const names = new Map<string, string>();
    for (const source of w.plan.sources) names.set(nameKey(source.name), source.name);
    for (const action of w.actions)
      for (const line of action.split)
        if (line.source.trim() && !names.has(nameKey(line.source)))
          names.set(nameKey(line.source), line.source.trim());
    return [...names.values()];
  }, sameItems);
}

/** The funding editor of one action. */
export function ActionFunding({ action, fixed }: { action: Action; fixed: string | null }) {
  const t = useT();
  const { doc } = useConnection();
  const money = useMoneyInput();
  const toggle = useFundingOpen((s) => s.toggle);
  const sources = useSourceNames();
  const listId = useId();
  const headingId = useId();
  const [splitting, setSplitting] = useState(false);
  const [problem, setProblem] = useState<MessageKey | null>(null);
  // A line just added here: its source field takes the focus when it appears.
  const [added, setAdded] = useState<string | null>(null);
  const editable = fixed === null;
  const lines = action.split;

  return (
    <section
      id={editorId(action.id)}
      className="funding-editor"
      role="group"
      aria-label={t('funding.editor', { title: action.title })}
    >
      <div className="funding-head">
        <h3 id={headingId}>{t('funding.heading')}</h3>
        <span className="funding-total">
          {t('funding.total', { total: `${money.format(action.budgetCents)} ${money.sign}` })}
        </span>
        <span className="spacer" />
        <button
          type="button"
          className="button-link"
          onClick={() => {
            toggle(action.id);
            document.getElementById(toggleId(action.id))?.focus();
          }}
        >
          {t('funding.close')}
        </button>
      </div>
      {fixed !== null && <p className="muted">{fixed}</p>}
      <datalist id={listId}>
        {sources.map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
      {lines.length === 0 ? (
        <p className="muted">{t('funding.empty')}</p>
      ) : (
        <table className="funding-lines" aria-labelledby={headingId}>
          <thead>
            <tr>
              <th scope="col">{t('funding.sourceHeader')}</th>
              <th scope="col" className="number">
                {t('funding.amountHeader')}
              </th>
              <th scope="col" className="number">
                {t('funding.shareHeader')}
              </th>
              <th scope="col">
                <span className="visually-hidden">{t('funding.removeHeader')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {lines.map((line, i) => (
              <LineRow
                key={line.id}
                action={action}
                line={line}
                n={i + 1}
                editable={editable}
                listId={listId}
                focus={added === line.id}
              />
            ))}
          </tbody>
        </table>
      )}
      {editable && (
        <div className="funding-tools">
          <button
            type="button"
            className="secondary-button"
            onClick={() => {
              let id: string | null = null;
              setProblem(refusal(() => (id = addFundingLine(doc, action.id, { source: '', cents: 0 }))));
              setAdded(id);
            }}
          >
            + {t('funding.addLine')}
          </button>
          <button
            type="button"
            className="secondary-button"
            aria-expanded={splitting}
            onClick={() => setSplitting((s) => !s)}
          >
            {t('funding.splitByPercent')}
          </button>
          {problem && (
            <span className="field-error" role="alert">
              {t('actions.notSaved', { problem: t(problem) })}
            </span>
          )}
        </div>
      )}
      {editable && splitting && (
        <SplitByPercent action={action} listId={listId} onDone={() => setSplitting(false)} />
      )}
    </section>
  );
}

function LineRow({
  action,
  line,
  n,
  editable,
  listId,
  focus,
}: {
  action: Action;
  line: FundingLine;
  n: number;
  editable: boolean;
  listId: string;
  focus: boolean;
}) {
  const t = useT();
  const { doc, undo } = useConnection();
  const percent = usePercent();
  const show = useToasts((s) => s.show);
  const sourceRef = useRef<HTMLInputElement>(null);
  const [problem, setProblem] = useState<MessageKey | null>(null);
  useEffect(() => {
    if (focus) sourceRef.current?.focus();
  }, [focus]);
  const saveSource = (el: HTMLInputElement): void => {
    if (el.value.trim() === line.source) return;
    const refused = refusal(() => updateFundingLine(doc, action.id, line.id, { source: el.value }));
    setProblem(refused);
    if (refused) el.value = line.source;
  };
  const share = action.budgetCents > 0 ? (line.cents * 100) / action.budgetCents : 0;
  return (
    <tr>
      <td>
        <input
          ref={sourceRef}
          key={line.source}
          className="funding-source"
          list={listId}
          defaultValue={line.source}
          aria-label={t('funding.source', { n })}
          placeholder={t('funding.sourcePlaceholder')}
          readOnly={!editable}
          onBlur={(e) => saveSource(e.currentTarget)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              saveSource(e.currentTarget);
            } else if (e.key === 'Escape') e.currentTarget.value = line.source;
          }}
        />
        {problem && (
          <span className="field-error" role="alert">
            {t('actions.notSaved', { problem: t(problem) })}
          </span>
        )}
      </td>
      <td className="number">
        <MoneyField
          cents={line.cents}
          label={t('funding.amount', { n })}
          readOnly={!editable}
          onSave={(cents) => refusal(() => updateFundingLine(doc, action.id, line.id, { cents: cents ?? 0 }))}
        />
      </td>
      <td className="number funding-share" data-testid="funding-share">
        {percent(share)}
      </td>
      <td>
        {editable && (
          <button
            type="button"
            className="icon-button danger"
            aria-label={t('funding.remove', { n, source: line.source || t('actions.noFunding') })}
            onClick={() => {
              undo.stopCapturing();
              removeFundingLine(doc, action.id, line.id);
              undo.stopCapturing();
              show(t('funding.removed', { source: line.source || t('actions.noFunding') }), () =>
                undo.undo(),
              );
            }}
          >
            ×
          </button>
        )}
      </td>
    </tr>
  );
}

type Part = { readonly key: number; readonly source: string; readonly percent: string };

/** Keys of the parts of "Split by percent" (React's keys for a list whose items are removed). */
let nextPartKey = 0;
const part = (source: string, percent: string): Part => ({ key: nextPartKey++, source, percent });

/** A percent as typed ("80", "33,3", "20 %"), or NaN. */
function parsePercent(text: string): number {
  const cleaned = text.replace(/[\s\u00a0\u202f%]/g, '').replace(',', '.');
  return /^\d+(\.\d+)?$/.test(cleaned) ? Number(cleaned) : Number.NaN;
}

/** "Split by percent": a total and its parts, written as the action's lines at once. */
function SplitByPercent({ action, listId, onDone }: { action: Action; listId: string; onDone: () => void }) {
  const t = useT();
  const { doc } = useConnection();
  const money = useMoneyInput();
  const percent = usePercent();
  const [total, setTotal] = useState(() => money.format(action.budgetCents));
  const [parts, setParts] = useState<Part[]>(() => {
    const total = action.budgetCents;
    const lines = action.split.filter((l) => l.source.trim() || l.cents > 0);
    if (lines.length === 0 || total === 0) return [part(lines[0]?.source ?? '', '100')];
    return lines.map((l) => part(l.source, String(Math.round((l.cents * 10000) / total) / 100)));
  });
  const [problem, setProblem] = useState<MessageKey | null>(null);
  const cents = parseMoneyToCents(total);
  const shares = parts.map((p) => parsePercent(p.percent));
  const sum = shares.reduce((s, p) => s + p, 0);
  const whole = shares.every((p) => !Number.isNaN(p)) && Math.abs(sum - 100) < 1e-9;
  const edit = (key: number, change: Partial<Part>): void =>
    setParts((ps) => ps.map((p) => (p.key === key ? { ...p, ...change } : p)));

  return (
    // A form of its own: Enter in any of its fields splits, when the parts make 100 %.
    <form
      className="funding-split-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (cents === null || !whole) return;
        const refused = refusal(() =>
          splitBudget(
            doc,
            action.id,
            cents,
            parts.map((p, i) => ({ source: p.source, percent: shares[i] ?? 0 })),
          ),
        );
        setProblem(refused);
        if (!refused) onDone();
      }}
    >
      <fieldset className="funding-split">
        <legend>{t('funding.splitTitle')}</legend>
        <p className="muted">{t('funding.splitHelp')}</p>
        <label className="funding-split-total">
          <span>{t('funding.splitTotal')}</span>
          <span className="money-input">
            <input
              type="text"
              inputMode="decimal"
              value={total}
              aria-invalid={cents === null ? true : undefined}
              onChange={(e) => setTotal(e.target.value)}
            />
            <span className="money-sign" aria-hidden="true">
              {money.sign}
            </span>
          </span>
        </label>
        <ol className="funding-parts">
          {parts.map((p, i) => (
            <li key={p.key}>
              <input
                className="funding-source"
                list={listId}
                value={p.source}
                aria-label={t('funding.splitSource', { n: i + 1 })}
                placeholder={t('funding.sourcePlaceholder')}
                onChange={(e) => edit(p.key, { source: e.target.value })}
              />
              <span className="percent-input">
                <input
                  type="text"
                  inputMode="decimal"
                  value={p.percent}
                  aria-label={t('funding.splitPercent', { n: i + 1 })}
                  aria-invalid={Number.isNaN(shares[i]) ? true : undefined}
                  onChange={(e) => edit(p.key, { percent: e.target.value })}
                />
                <span aria-hidden="true">%</span>
              </span>
              {parts.length > 1 && (
                <button
                  type="button"
                  className="icon-button danger"
                  aria-label={t('funding.splitRemovePart', { n: i + 1 })}
                  onClick={() => setParts((ps) => ps.filter((x) => x.key !== p.key))}
                >
                  ×
                </button>
              )}
            </li>
          ))}
        </ol>
        <div className="funding-tools">
          <button
            type="button"
            className="secondary-button"
            onClick={() =>
              setParts((ps) => [...ps, part('', String(Math.max(0, Math.round((100 - sum) * 100) / 100)))])
            }
          >
            + {t('funding.splitAddPart')}
          </button>
          <span className={whole ? 'muted' : 'warning'} aria-live="polite">
            {t('funding.splitSum', { percent: Number.isNaN(sum) ? '–' : percent(sum) })}
            {!whole && ` · ${t('funding.splitMust100')}`}
          </span>
          <span className="spacer" />
          <button type="button" className="secondary-button" onClick={onDone}>
            {t('funding.splitCancel')}
          </button>
          <button type="submit" className="primary-button" disabled={!whole || cents === null}>
            {t('funding.splitApply')}
          </button>
        </div>
        {cents === null && (
          <span className="field-error">{t('actions.notSaved', { problem: t('actions.badMoney') })}</span>
        )}
        {problem && (
          <span className="field-error" role="alert">
            {t('actions.notSaved', { problem: t(problem) })}
          </span>
        )}
      </fieldset>
    </form>
  );
}
