/**
 * Action planning: the action table (every field edited in place; sort and filter by theme,
 * owner and status), budget totals per funding source and per theme in the workshop's currency,
 * and a timeline by month and quarter whose bars move and resize by drag or keyboard.
 *
 * The table's columns are defined once, in COLUMNS (header, width, sort key and cell): a new
 * column is one entry there. Columns that hold names are wide enough for a long Finnish word
 * (kulttuuriministeriö, taksiyrittäjät) whole: Chromium has no Finnish or Estonian hyphenation,
 * so a narrower column broke names anywhere. Where the window is narrower than their sum (1280 px
 * is), the table scrolls sideways under a sticky first column, the action's title.
 */
import { memo, useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import {
  ACTION_STATUSES,
  addAction,
  deleteAction,
  InvalidValueError,
  linkActionTheme,
  parseMoneyToCents,
  randomUuid,
  setActionDescription,
  setActionTitle,
  unlinkActionTheme,
  updateAction,
  type Action,
  type ActionFields,
  type ActionId,
  type ActionStatus,
  type MessageKey,
  type ThemeId,
} from '../../../shared';
import type { RefusalCode } from '../../../shared/policy/policy';
import { MonthField } from '../controls/month-field';
import { useT, useTn } from '../i18n';
import { refusalReason, useMay, usePolicyNow, usePolicySelect, type Policy } from '../policy';
import { LockBanner } from './lock-banner';
import { CollisionRow } from './collision-notice';
import { FundingCell, FundingRow } from './action-funding';
import { BudgetView, PlanBudgetStanding } from '../plan/budget-view';
import { useMoney } from '../plan/budget-money';
import { useToasts } from '../toasts';
import { sameItems, useConnection, useWorkshop } from '../use-workshop';
import { PartnersPicker } from '../plan/partners-picker';
import { AnnualWheel } from '../plan/wheel';
import { ObjectivesPicker } from '../plan/objectives-section';
import { PackageSelect, usePackageSummaries, usePeriod } from '../plan/packages-section';
import { useStatusName } from '../plan/statuses-section';
import { Timeline } from './timeline';

/** Writes a short field, turning a refused value into a toast instead of a crash. */
function useSave(): (id: ActionId, fields: ActionFields) => void {
  const t = useT();
  const { doc } = useConnection();
  const show = useToasts((s) => s.show);
  return (id, fields) => {
    try {
      updateAction(doc, id, fields);
    } catch (error) {
      if (!(error instanceof InvalidValueError)) throw error;
      show(t('actions.notSaved', { problem: t('actions.badSchedule') }));
    }
  };
}

/**
 * A field that saves when it loses focus or on Enter (Shift+Enter breaks the line in multi-line
 * fields); Escape restores the saved value. Text fields grow with their content, never clip.
 */
function Field({
  value,
  label,
  onSave,
  multiline = false,
  fixed = null,
  inputRef,
}: {
  value: string;
  label: string;
  onSave: (value: string) => boolean | void;
  multiline?: boolean;
  /** Why this person may not change the field now; null when they may. */
  fixed?: string | null;
  inputRef?: React.Ref<HTMLTextAreaElement>;
}) {
  const commit = (el: HTMLTextAreaElement): void => {
    if (el.value === value || fixed !== null) return;
    if (onSave(el.value) === false) el.value = value;
  };
  const onKeyDown = (e: React.KeyboardEvent<HTMLTextAreaElement>): void => {
    if (e.key === 'Enter' && !(multiline && e.shiftKey)) {
      e.preventDefault();
      commit(e.currentTarget);
    }
    if (e.key === 'Escape') e.currentTarget.value = value;
  };
  const common = {
    'aria-label': label,
    defaultValue: value,
    className: 'cell-input',
    readOnly: fixed !== null,
    title: fixed ?? undefined,
    onBlur: (e: React.FocusEvent<HTMLTextAreaElement>) => commit(e.currentTarget),
    onKeyDown,
  };
  return <textarea key={value} ref={inputRef} rows={1} {...common} />;
}

function ThemePicker({ action, fixed }: { action: Action; fixed: string | null }) {
  const t = useT();
  const { doc } = useConnection();
  const themes = useWorkshop((w) => w.themes);
  const linked = new Set<string>(action.themeIds);
  const names = themes.filter((th) => linked.has(th.id)).map((th) => th.title);
  const id = useId();
  return (
    <details className="theme-picker">
      {/* Named by the field and the action, then what it shows: its name holds its visible text. */}
      <summary aria-labelledby={`${id}-field ${id}-value`}>
        <span id={`${id}-field`} className="visually-hidden">
          {t('actions.field', { field: t('actions.themes'), title: action.title })}
        </span>
        <span id={`${id}-value`}>
          {names.length ? (
            names.join(', ')
          ) : (
            <span className="warning" title={t('actions.needsTheme')}>
              {t('actions.noTheme')} · {t('actions.needsTheme')}
            </span>
          )}
        </span>
      </summary>
      <fieldset title={fixed ?? undefined}>
        <legend className="visually-hidden">{t('actions.themes')}</legend>
        {themes.map((theme) => {
          // Every action answers a theme: its last one is not taken away, only replaced.
          const last = names.length === 1 && linked.has(theme.id);
          return (
            <label key={theme.id} title={last ? t('actions.lastTheme') : undefined}>
              <input
                type="checkbox"
                checked={linked.has(theme.id)}
                disabled={last || fixed !== null}
                aria-describedby={last ? `last-theme-${action.id}` : undefined}
                onChange={(e) =>
                  e.target.checked
                    ? linkActionTheme(doc, action.id, theme.id)
                    : unlinkActionTheme(doc, action.id, theme.id)
                }
              />
              {theme.title}
              {last && (
                <span id={`last-theme-${action.id}`} className="visually-hidden">
                  {t('actions.lastTheme')}
                </span>
              )}
            </label>
          );
        })}
      </fieldset>
    </details>
  );
}

type ActionRights = { readonly edit: RefusalCode | null; readonly remove: boolean };

/** What this person may do to action `id` now: every field of an action is judged alike. */
function useActionRights(id: ActionId): ActionRights {
  const select = useCallback(
    (policy: Policy): ActionRights => ({
      edit: policy.refusal({ kind: 'edit', root: 'actions', id, field: 'title' }),
      remove: policy.may({ kind: 'delete', root: 'actions', id }),
    }),
    [id],
  );
  return usePolicySelect(select, (a, b) => a.edit === b.edit && a.remove === b.remove);
}

/** The action whose title takes the focus when its row appears: one just made here. */
let focusOnArrival: ActionId | null = null;

/**
 * Asks the action table to focus action `id`'s title, text selected, when its row appears (an
 * action just made, from the plan or from a theme), so its maker writes its title at once.
 */
export function focusActionTitle(id: ActionId): void {
  focusOnArrival = id;
}

type Schedule = { readonly start: string | null; readonly end: string | null };

/** The schedule cell: start and end month, an end before the start refused here, beside it. */
function ScheduleCell({ action, fixed, label }: { action: Action; fixed: string | null; label: FieldLabel }) {
  const t = useT();
  const { doc } = useConnection();
  // What this person wrote that was refused (and in which month), shown with the reason by that
  // month until it is mended.
  const [refused, setRefused] = useState<(Schedule & { at: keyof Schedule }) | null>(null);
  const shown: Schedule = refused ?? { start: action.start, end: action.end };
  const write = (next: Schedule, at: keyof Schedule): void => {
    // Only what changed is written (a concurrent edit of the other month is kept), so the order
    // is checked here too: the model checks it only when given both months.
    if (next.start && next.end && next.end < next.start) {
      setRefused({ ...next, at });
      return;
    }
    const fields: ActionFields = {
      ...(next.start !== action.start && { start: next.start }),
      ...(next.end !== action.end && { end: next.end }),
    };
    try {
      updateAction(doc, action.id, fields);
      setRefused(null);
    } catch (error) {
      if (!(error instanceof InvalidValueError)) throw error;
      setRefused({ ...next, at });
    }
  };
  const thisYear = new Date().getFullYear();
  const year = (month: string | null): number => (month ? Number(month.slice(0, 4)) : thisYear);
  const problem = refused ? t('actions.notSaved', { problem: t('actions.badSchedule') }) : null;
  return (
    <div className="schedule">
      <MonthField
        value={shown.start}
        label={label('actions.start')}
        fixed={fixed}
        defaultYear={year(shown.end)}
        error={refused?.at === 'start' ? problem : null}
        onChange={(start) => write({ ...shown, start }, 'start')}
      />
      <MonthField
        value={shown.end}
        label={label('actions.end')}
        fixed={fixed}
        defaultYear={year(shown.start)}
        error={refused?.at === 'end' ? problem : null}
        onChange={(end) => write({ ...shown, end }, 'end')}
      />
    </div>
  );
}

type FieldLabel = (field: MessageKey) => string;

/** What a column's cell is given: the action, what this person may do, and the row's tools. */
type CellContext = {
  readonly action: Action;
  readonly rights: ActionRights;
  /** Why this person may not edit the action now; null when they may. */
  readonly fixed: string | null;
  /** The accessible name of one of its fields ("Owner: Annual seminar"). */
  readonly label: FieldLabel;
};

/** One column of the action table: its header, its share of the width, and its cells. */
type Column = {
  readonly key: string;
  /** The header's text; null for a column named for screen readers only (`hiddenHeader`). */
  readonly header: MessageKey | null;
  readonly hiddenHeader?: (t: ReturnType<typeof useT>) => string;
  readonly sort?: SortKey;
  /** Its width at the table's narrowest (px): below their sum, the table scrolls sideways. */
  readonly width: number;
  readonly className?: string;
  readonly Cell: (props: CellContext) => ReactNode;
};

function TitleCell({ action, fixed, label }: CellContext) {
  const { doc } = useConnection();
  const titleRef = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (focusOnArrival !== action.id) return;
    focusOnArrival = null;
    titleRef.current?.focus();
    titleRef.current?.select();
  }, [action.id]);
  const title = action.title;
  return (
    <>
      <Field
        value={title}
        fixed={fixed}
        label={label('actions.title')}
        inputRef={titleRef}
        onSave={(v) => void setActionTitle(doc, action.id, v.trim() || title)}
      />
      <Field
        value={action.description}
        fixed={fixed}
        label={label('actions.description')}
        multiline
        onSave={(v) => void setActionDescription(doc, action.id, v)}
      />
    </>
  );
}

function TextCell({
  action,
  fixed,
  label,
  field,
}: CellContext & { field: 'owner' | 'funding' | 'indicator' }) {
  const save = useSave();
  return (
    <Field
      value={action[field]}
      fixed={fixed}
      label={label(`actions.${field}`)}
      multiline={field === 'indicator'}
      onSave={(v) => save(action.id, { [field]: v.trim() })}
    />
  );
}

function PartnersCell({ action, fixed, label }: CellContext) {
  const save = useSave();
  return (
    <PartnersPicker
      partners={action.partners}
      fixed={fixed}
      label={label('actions.partners')}
      onChange={(partners) => save(action.id, { partners })}
    />
  );
}

function BudgetCell({ action, fixed, label }: CellContext) {
  const t = useT();
  const money = useMoney();
  const save = useSave();
  const show = useToasts((s) => s.show);
  // Split over several sources, the total is their sum: it changes in the funding editor.
  if (action.split.length > 1)
    return (
      <span className="budget-split-total" title={t('funding.splitShort', { count: action.split.length })}>
        {money(action.budgetCents)}
      </span>
    );
  return (
    <Field
      value={money(action.budgetCents)}
      fixed={fixed}
      label={label('actions.budget')}
      onSave={(v) => {
        const cents = parseMoneyToCents(v);
        if (cents === null) {
          show(t('actions.notSaved', { problem: t('actions.badMoney') }));
          return false;
        }
        save(action.id, { budgetCents: cents });
      }}
    />
  );
}

function StatusCell({ action, fixed, label }: CellContext) {
  const statusName = useStatusName();
  const save = useSave();
  return (
    <select
      className={`status-select status-${action.status}`}
      aria-label={label('actions.status')}
      disabled={fixed !== null}
      title={fixed ?? undefined}
      value={action.status}
      onChange={(e) => save(action.id, { status: e.target.value as ActionStatus })}
    >
      {ACTION_STATUSES.map((s) => (
        <option key={s} value={s}>
          {statusName(s)}
        </option>
      ))}
    </select>
  );
}

/** The work package an action is in and the strategy objectives it serves. */
function PlanCell({ action, fixed, label }: CellContext) {
  return (
    <div className="plan-cell">
      <PackageSelect action={action} fixed={fixed} label={label('actions.package')} />
      <ObjectivesPicker action={action} fixed={fixed} label={label('actions.objectives')} />
    </div>
  );
}

function DeleteCell({ action, rights }: CellContext) {
  const t = useT();
  const { doc, undo } = useConnection();
  const show = useToasts((s) => s.show);
  if (!rights.remove) return null;
  const title = action.title;
  return (
    <button
      type="button"
      className="icon-button danger"
      aria-label={t('actions.delete', { title })}
      onClick={() => {
        undo.stopCapturing();
        deleteAction(doc, action.id);
        show(t('actions.delete', { title }), () => undo.undo());
      }}
    >
      ×
    </button>
  );
}

/** The action table's columns, left to right. The first is the row's header, kept in sight. */
const COLUMNS: readonly Column[] = [
  {
    key: 'title',
    header: 'actions.title',
    sort: 'title',
    width: 204,
    className: 'action-title',
    Cell: TitleCell,
  },
  {
    key: 'themes',
    header: 'actions.themes',
    width: 136,
    Cell: ({ action, fixed }) => <ThemePicker action={action} fixed={fixed} />,
  },
  { key: 'plan', header: 'actions.planColumn', width: 150, Cell: PlanCell },
  {
    key: 'owner',
    header: 'actions.owner',
    sort: 'owner',
    width: 124,
    Cell: (c) => <TextCell {...c} field="owner" />,
  },
  { key: 'partners', header: 'actions.partners', width: 150, Cell: PartnersCell },
  { key: 'schedule', header: 'actions.schedule', sort: 'start', width: 176, Cell: ScheduleCell },
  {
    key: 'budget',
    header: 'actions.budget',
    sort: 'budgetCents',
    width: 112,
    className: 'number',
    Cell: BudgetCell,
  },
  {
    key: 'funding',
    header: 'actions.funding',
    width: 160,
    Cell: ({ action, label }) => <FundingCell action={action} label={label('actions.funding')} />,
  },
  {
    key: 'indicator',
    header: 'actions.indicator',
    width: 136,
    Cell: (c) => <TextCell {...c} field="indicator" />,
  },
  { key: 'status', header: 'actions.status', sort: 'status', width: 116, Cell: StatusCell },
  {
    key: 'delete',
    header: null,
    hiddenHeader: (t) => t('actions.delete', { title: '' }),
    width: 36,
    className: 'row-actions',
    Cell: DeleteCell,
  },
];

/** The table's narrowest width: below it, it scrolls sideways. */
const TABLE_MIN_WIDTH = COLUMNS.reduce((sum, c) => sum + c.width, 0);

const ActionRow = memo(function ActionRow({ id }: { id: ActionId }) {
  const t = useT();
  const action = useWorkshop((w) => w.actions.find((a) => a.id === id));
  const rights = useActionRights(id);
  if (!action) return null;
  const fixed = rights.edit === null ? null : t(refusalReason(rights.edit));
  const label: FieldLabel = (field) => t('actions.field', { field: t(field), title: action.title });
  const context: CellContext = { action, rights, fixed, label };
  return (
    <>
      <tr>
        {COLUMNS.map(({ key, className, Cell }, i) =>
          i === 0 ? (
            <th key={key} scope="row" className={className}>
              <Cell {...context} />
            </th>
          ) : (
            <td key={key} className={className}>
              <Cell {...context} />
            </td>
          ),
        )}
      </tr>
      <FundingRow action={action} fixed={fixed} colSpan={COLUMNS.length} />
      <CollisionRow id={action.id} colSpan={COLUMNS.length} />
    </>
  );
});

/**
 * The table's rows grouped by work package, in the plan's order: a header row per package (its
 * title, owner, period and budget, the sum of all its actions), then its actions as shown
 * (filtered and sorted); the actions in no package last.
 */
function PackageGroups({ actions }: { actions: readonly Action[] }) {
  const t = useT();
  const tn = useTn();
  const money = useMoney();
  const period = usePeriod();
  const summaries = usePackageSummaries();
  const loose = actions.filter((a) => !summaries.some((s) => s.package.id === a.workPackageId));
  const header = (key: string, title: string, details: readonly string[]) => (
    <tr key={key} className="package-group">
      <th scope="rowgroup" colSpan={COLUMNS.length}>
        <span className="package-group-title">{title}</span>
        {details.map((d, i) => (
          <span key={i} className="package-group-detail">
            {d}
          </span>
        ))}
      </th>
    </tr>
  );
  return (
    <>
      {summaries.map(({ package: pkg, budgetCents, start, end, actions: all }) => (
        <tbody key={pkg.id}>
          {header(pkg.id, pkg.title, [
            ...(pkg.owner ? [t('packages.ownerIs', { owner: pkg.owner })] : []),
            period(start, end),
            t('packages.budgetIs', { amount: money(budgetCents) }),
            tn('packages.actions', all.length),
          ])}
          {actions
            .filter((a) => a.workPackageId === pkg.id)
            .map((a) => (
              <ActionRow key={a.id} id={a.id} />
            ))}
        </tbody>
      ))}
      {loose.length > 0 && (
        <tbody>
          {header('none', t('packages.none'), [
            t('packages.budgetIs', { amount: money(loose.reduce((sum, a) => sum + a.budgetCents, 0)) }),
            tn('packages.actions', loose.length),
          ])}
          {loose.map((a) => (
            <ActionRow key={a.id} id={a.id} />
          ))}
        </tbody>
      )}
    </>
  );
}

type SortKey = 'order' | 'title' | 'owner' | 'start' | 'budgetCents' | 'status';

function sortActions(actions: readonly Action[], key: SortKey, descending: boolean): Action[] {
  const sorted = [...actions].sort((a, b) => {
    const x = a[key] ?? '';
    const y = b[key] ?? '';
    const cmp = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return cmp || a.order - b.order;
  });
  return descending ? sorted.reverse() : sorted;
}

/** The action board's views, as its tabs name them. */
const VIEW_LABELS = {
  table: 'actions.viewTable',
  timeline: 'actions.viewTimeline',
  wheel: 'actions.viewWheel',
  budget: 'actions.viewBudget',
} as const satisfies Record<string, MessageKey>;

export function ActionsBoard() {
  const t = useT();
  const { doc } = useConnection();
  const money = useMoney();
  const actions = useWorkshop((w) => w.actions);
  const themes = useWorkshop((w) => w.themes);
  const owners = useWorkshop(
    (w) => [...new Set(w.actions.map((a) => a.owner).filter(Boolean))].sort(),
    sameItems,
  );
  const [view, setView] = useState<keyof typeof VIEW_LABELS>('table');
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({
    key: 'order',
    descending: false,
  });
  const [filter, setFilter] = useState({ theme: '', owner: '', status: '' });
  const mayAdd = useMay({ kind: 'add', root: 'actions' });
  const policyNow = usePolicyNow();
  const statusName = useStatusName();
  const hasPackages = useWorkshop((w) => w.plan.packages.length > 0);
  const [grouped, setGrouped] = useState(false);

  const shown = sortActions(
    actions.filter(
      (a) =>
        (!filter.theme || a.themeIds.some((id) => id === filter.theme)) &&
        (!filter.owner || a.owner === filter.owner) &&
        (!filter.status || a.status === filter.status),
    ),
    sort.key,
    sort.descending,
  );
  const total = shown.reduce((sum, a) => sum + a.budgetCents, 0);

  const header = ({ key, header: label, hiddenHeader, sort: by, className }: Column) => (
    <th
      key={key}
      scope="col"
      className={className}
      aria-sort={by && sort.key === by ? (sort.descending ? 'descending' : 'ascending') : undefined}
    >
      {label === null ? (
        <span className="visually-hidden">{hiddenHeader?.(t)}</span>
      ) : by ? (
        <button
          type="button"
          className="sort-button"
          aria-label={t('actions.sortBy', { field: t(label) })}
          onClick={() => setSort((s) => ({ key: by, descending: s.key === by ? !s.descending : false }))}
        >
          {t(label)}
        </button>
      ) : (
        t(label)
      )}
    </th>
  );
  const budgetColumn = COLUMNS.findIndex((c) => c.key === 'budget');

  return (
    <div className="actions-board">
      <div className="actions-toolbar">
        <div role="tablist" aria-label={t('actions.views')} className="segmented">
          {(['table', 'timeline', 'wheel', 'budget'] as const).map((v) => (
            <button key={v} type="button" role="tab" aria-selected={view === v} onClick={() => setView(v)}>
              {t(VIEW_LABELS[v])}
            </button>
          ))}
        </div>
        <select
          aria-label={t('actions.filterTheme')}
          value={filter.theme}
          onChange={(e) => setFilter({ ...filter, theme: e.target.value })}
        >
          <option value="">{`${t('actions.themes')}: ${t('actions.all')}`}</option>
          {themes.map((th) => (
            <option key={th.id} value={th.id}>
              {th.title}
            </option>
          ))}
        </select>
        <select
          aria-label={t('actions.filterOwner')}
          value={filter.owner}
          onChange={(e) => setFilter({ ...filter, owner: e.target.value })}
        >
          <option value="">{`${t('actions.owner')}: ${t('actions.all')}`}</option>
          {owners.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
        <select
          aria-label={t('actions.filterStatus')}
          value={filter.status}
          onChange={(e) => setFilter({ ...filter, status: e.target.value })}
        >
          <option value="">{`${t('actions.status')}: ${t('actions.all')}`}</option>
          {ACTION_STATUSES.map((s) => (
            <option key={s} value={s}>
              {statusName(s)}
            </option>
          ))}
        </select>
        {hasPackages && (
          <label className="check-label">
            <input type="checkbox" checked={grouped} onChange={(e) => setGrouped(e.target.checked)} />
            {t('actions.groupByPackage')}
          </label>
        )}
        <span className="spacer" />
        {mayAdd && (
          <button
            type="button"
            className="primary-button"
            onClick={() => {
              const id = randomUuid() as ActionId;
              // The theme filtered on, if any; else none: its maker links the themes it answers.
              addAction(doc, {
                id,
                author: policyNow().authorFor(id),
                title: t('actions.newTitle'),
                themeIds: filter.theme ? [filter.theme as ThemeId] : [],
              });
              // Shown at once, in the table: the filters it would not pass are let go.
              setFilter({ ...filter, owner: '', status: '' });
              setView('table');
              focusActionTitle(id);
            }}
          >
            + {t('actions.add')}
          </button>
        )}
      </div>
      <LockBanner act={{ kind: 'add', root: 'actions' }} />
      {actions.length === 0 ? (
        <p className="empty">{t('actions.empty')}</p>
      ) : view === 'timeline' ? (
        <Timeline actions={shown} />
      ) : view === 'wheel' ? (
        <AnnualWheel
          actions={shown}
          onOpenAction={(id) => {
            setView('table');
            focusActionTitle(id);
          }}
        />
      ) : view === 'budget' ? (
        <BudgetView actions={shown} />
      ) : (
        <>
          <div className="table-scroll">
            <table
              className="actions-table"
              aria-label={t('board.actions')}
              style={{ minWidth: TABLE_MIN_WIDTH }}
            >
              <colgroup>
                {COLUMNS.map((c) => (
                  <col key={c.key} style={{ width: c.width }} />
                ))}
              </colgroup>
              <thead>
                <tr>{COLUMNS.map(header)}</tr>
              </thead>
              {grouped && hasPackages ? (
                <PackageGroups actions={shown} />
              ) : (
                <tbody>
                  {shown.map((a) => (
                    <ActionRow key={a.id} id={a.id} />
                  ))}
                </tbody>
              )}
              <tfoot>
                <tr>
                  <th scope="row" colSpan={budgetColumn}>
                    {t('actions.total')}
                  </th>
                  <td className="number">{money(total)}</td>
                  <td colSpan={COLUMNS.length - budgetColumn - 1} />
                </tr>
              </tfoot>
            </table>
          </div>
          <PlanBudgetStanding />
        </>
      )}
    </div>
  );
}
