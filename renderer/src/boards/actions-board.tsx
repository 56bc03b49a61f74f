/**
 * Action planning: the action table (every field edited in place; sort and filter by theme,
 * owner and status), budget totals per funding source and per theme in the workshop's currency,
 * and a timeline by month and quarter whose bars move and resize by drag or keyboard.
 */
import { memo, useCallback, useId, useMemo, useState } from 'react';
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
import { useLanguage, useT } from '../i18n';
import { refusalReason, useMay, usePolicyNow, usePolicySelect, type Policy } from '../policy';
import { LockBanner } from './lock-banner';
import { useToasts } from '../toasts';
import { sameItems, useConnection, useWorkshop } from '../use-workshop';
import { Timeline } from './timeline';

/** Formats integer cents in the workshop's currency and the UI language. */
export function useMoney(): (cents: number) => string {
  const language = useLanguage();
  const currency = useWorkshop((w) => w.meta.currency);
  const format = useMemo(
    () => new Intl.NumberFormat(language, { style: 'currency', currency, maximumFractionDigits: 2 }),
    [language, currency],
  );
  return (cents) => format.format(cents / 100);
}

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
  type = 'text',
  fixed = null,
}: {
  value: string;
  label: string;
  onSave: (value: string) => boolean | void;
  multiline?: boolean;
  type?: 'text' | 'month';
  /** Why this person may not change the field now; null when they may. */
  fixed?: string | null;
}) {
  const commit = (el: HTMLInputElement | HTMLTextAreaElement): void => {
    if (el.value === value || fixed !== null) return;
    if (onSave(el.value) === false) el.value = value;
  };
  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement | HTMLTextAreaElement>): void => {
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
    onBlur: (e: React.FocusEvent<HTMLInputElement | HTMLTextAreaElement>) => commit(e.currentTarget),
    onKeyDown,
  };
  return type === 'month' ? (
    <input key={value} type="month" {...common} />
  ) : (
    <textarea key={value} rows={1} {...common} />
  );
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

const ActionRow = memo(function ActionRow({ id }: { id: ActionId }) {
  const t = useT();
  const { doc, undo } = useConnection();
  const show = useToasts((s) => s.show);
  const money = useMoney();
  const save = useSave();
  const action = useWorkshop((w) => w.actions.find((a) => a.id === id));
  const rights = useActionRights(id);
  if (!action) return null;
  const fixed = rights.edit === null ? null : t(refusalReason(rights.edit));
  const title = action.title;
  const label = (field: MessageKey): string => t('actions.field', { field: t(field), title });
  return (
    <tr>
      <th scope="row" className="action-title">
        <Field
          value={title}
          fixed={fixed}
          label={label('actions.title')}
          onSave={(v) => void setActionTitle(doc, id, v.trim() || title)}
        />
        <Field
          value={action.description}
          fixed={fixed}
          label={label('actions.description')}
          multiline
          onSave={(v) => void setActionDescription(doc, id, v)}
        />
      </th>
      <td>
        <ThemePicker action={action} fixed={fixed} />
      </td>
      <td>
        <Field
          value={action.owner}
          fixed={fixed}
          label={label('actions.owner')}
          onSave={(owner) => save(id, { owner: owner.trim() })}
        />
      </td>
      <td>
        <Field
          value={action.partners.join(', ')}
          fixed={fixed}
          label={label('actions.partners')}
          onSave={(v) =>
            save(id, {
              partners: v
                .split(',')
                .map((p) => p.trim())
                .filter(Boolean),
            })
          }
        />
      </td>
      <td className="schedule">
        <Field
          type="month"
          value={action.start ?? ''}
          fixed={fixed}
          label={label('actions.start')}
          onSave={(start) => save(id, { start: start || null })}
        />
        <Field
          type="month"
          value={action.end ?? ''}
          fixed={fixed}
          label={label('actions.end')}
          onSave={(end) => save(id, { end: end || null })}
        />
      </td>
      <td className="number">
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
            save(id, { budgetCents: cents });
          }}
        />
      </td>
      <td>
        <Field
          value={action.funding}
          fixed={fixed}
          label={label('actions.funding')}
          onSave={(funding) => save(id, { funding: funding.trim() })}
        />
      </td>
      <td>
        <Field
          value={action.indicator}
          fixed={fixed}
          label={label('actions.indicator')}
          multiline
          onSave={(indicator) => save(id, { indicator: indicator.trim() })}
        />
      </td>
      <td>
        <select
          className={`status-select status-${action.status}`}
          aria-label={label('actions.status')}
          disabled={fixed !== null}
          title={fixed ?? undefined}
          value={action.status}
          onChange={(e) => save(id, { status: e.target.value as ActionStatus })}
        >
          {ACTION_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)}
            </option>
          ))}
        </select>
      </td>
      <td>
        {rights.remove && (
          <button
            type="button"
            className="icon-button danger"
            aria-label={t('actions.delete', { title })}
            onClick={() => {
              undo.stopCapturing();
              deleteAction(doc, id);
              show(t('actions.delete', { title }), () => undo.undo());
            }}
          >
            ×
          </button>
        )}
      </td>
    </tr>
  );
});

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

function Totals() {
  const t = useT();
  const money = useMoney();
  const actions = useWorkshop((w) => w.actions);
  const themes = useWorkshop((w) => w.themes);
  const byFunding = new Map<string, number>();
  const byTheme = new Map<string, number>();
  for (const a of actions) {
    const funding = a.funding || t('actions.noFunding');
    byFunding.set(funding, (byFunding.get(funding) ?? 0) + a.budgetCents);
    // An action linked to several themes counts in each of them.
    const keys = a.themeIds.length
      ? a.themeIds.map((id) => themes.find((th) => th.id === id)?.title ?? '')
      : [t('actions.noTheme')];
    for (const key of keys) byTheme.set(key, (byTheme.get(key) ?? 0) + a.budgetCents);
  }
  const table = (caption: string, rows: Map<string, number>) => (
    <table className="totals">
      <caption>{caption}</caption>
      <tbody>
        {[...rows].map(([name, cents]) => (
          <tr key={name}>
            <th scope="row">{name}</th>
            <td className="number">{money(cents)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <div className="totals-row">
      {table(t('actions.totalsByFunding'), byFunding)}
      {table(t('actions.totalsByTheme'), byTheme)}
    </div>
  );
}

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
  const [view, setView] = useState<'table' | 'timeline'>('table');
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({
    key: 'order',
    descending: false,
  });
  const [filter, setFilter] = useState({ theme: '', owner: '', status: '' });
  const mayAdd = useMay({ kind: 'add', root: 'actions' });
  const policyNow = usePolicyNow();

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

  const header = (key: SortKey, label: MessageKey, className?: string) => (
    <th
      scope="col"
      className={className}
      aria-sort={sort.key === key ? (sort.descending ? 'descending' : 'ascending') : undefined}
    >
      <button
        type="button"
        className="sort-button"
        aria-label={t('actions.sortBy', { field: t(label) })}
        onClick={() => setSort((s) => ({ key, descending: s.key === key ? !s.descending : false }))}
      >
        {t(label)}
      </button>
    </th>
  );

  return (
    <div className="actions-board">
      <div className="actions-toolbar">
        <div role="tablist" aria-label={t('actions.views')} className="segmented">
          {(['table', 'timeline'] as const).map((v) => (
            <button key={v} type="button" role="tab" aria-selected={view === v} onClick={() => setView(v)}>
              {t(v === 'table' ? 'actions.viewTable' : 'actions.viewTimeline')}
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
              {t(`status.${s}`)}
            </option>
          ))}
        </select>
        <span className="spacer" />
        {mayAdd && (
          <button
            type="button"
            className="primary-button"
            onClick={() => {
              const id = randomUuid() as ActionId;
              // Every action answers a theme: the one filtered on, else the first.
              addAction(doc, {
                id,
                author: policyNow().authorFor(id),
                title: t('actions.newTitle'),
                themeIds: filter.theme ? [filter.theme as ThemeId] : themes.slice(0, 1).map((th) => th.id),
              });
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
      ) : (
        <>
          <div className="table-scroll">
            <table className="actions-table" aria-label={t('board.actions')}>
              <thead>
                <tr>
                  {header('title', 'actions.title')}
                  <th scope="col">{t('actions.themes')}</th>
                  {header('owner', 'actions.owner')}
                  <th scope="col">{t('actions.partners')}</th>
                  {header('start', 'actions.schedule')}
                  {header('budgetCents', 'actions.budget', 'number')}
                  <th scope="col">{t('actions.funding')}</th>
                  <th scope="col">{t('actions.indicator')}</th>
                  {header('status', 'actions.status')}
                  <th scope="col">
                    <span className="visually-hidden">{t('actions.delete', { title: '' })}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {shown.map((a) => (
                  <ActionRow key={a.id} id={a.id} />
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row" colSpan={5}>
                    {t('actions.total')}
                  </th>
                  <td className="number">{money(total)}</td>
                  <td colSpan={4} />
                </tr>
              </tfoot>
            </table>
          </div>
          <Totals />
        </>
      )}
    </div>
  );
}
