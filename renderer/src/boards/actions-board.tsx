/** Action planning: the action table with themes, schedule, budget and status (read-only for now). */
import { memo } from 'react';
import type { ActionId } from '../../../shared';
import { useLanguage, useT } from '../i18n';
import { sameItems, useWorkshop } from '../use-workshop';

function useMoney(): (cents: number) => string {
  const language = useLanguage();
  const currency = useWorkshop((w) => w.meta.currency);
  const format = new Intl.NumberFormat(language, { style: 'currency', currency, maximumFractionDigits: 2 });
  return (cents) => format.format(cents / 100);
}

const ActionRow = memo(function ActionRow({ id }: { id: ActionId }) {
  const t = useT();
  const money = useMoney();
  const action = useWorkshop((w) => w.actions.find((a) => a.id === id));
  const themeTitles = useWorkshop(
    (w) => (action?.themeIds ?? []).map((tid) => w.themes.find((th) => th.id === tid)?.title ?? ''),
    sameItems,
  );
  if (!action) return null;
  return (
    <tr>
      <th scope="row" className="action-title">
        {action.title}
        {action.description && <p className="muted">{action.description}</p>}
      </th>
      <td>
        {themeTitles.length ? themeTitles.join(', ') : <span className="muted">{t('actions.noTheme')}</span>}
      </td>
      <td>{action.owner}</td>
      <td>{action.partners.join(', ')}</td>
      <td className="nowrap">
        {action.start ?? '…'} – {action.end ?? '…'}
      </td>
      <td className="number">{money(action.budgetCents)}</td>
      <td>{action.funding}</td>
      <td>{action.indicator}</td>
      <td>
        <span className={`status status-${action.status}`}>{t(`status.${action.status}`)}</span>
      </td>
    </tr>
  );
});

export function ActionsBoard() {
  const t = useT();
  const money = useMoney();
  const ids = useWorkshop((w) => w.actions.map((a) => a.id), sameItems);
  const total = useWorkshop((w) => w.actions.reduce((sum, a) => sum + a.budgetCents, 0));
  if (ids.length === 0) return <p className="empty">{t('actions.empty')}</p>;
  return (
    <div className="table-scroll">
      <table className="actions-table" aria-label={t('board.actions')}>
        <thead>
          <tr>
            <th scope="col">{t('actions.title')}</th>
            <th scope="col">{t('actions.themes')}</th>
            <th scope="col">{t('actions.owner')}</th>
            <th scope="col">{t('actions.partners')}</th>
            <th scope="col">{t('actions.schedule')}</th>
            <th scope="col" className="number">
              {t('actions.budget')}
            </th>
            <th scope="col">{t('actions.funding')}</th>
            <th scope="col">{t('actions.indicator')}</th>
            <th scope="col">{t('actions.status')}</th>
          </tr>
        </thead>
        <tbody>
          {ids.map((id) => (
            <ActionRow key={id} id={id} />
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={5}>
              {t('actions.total')}
            </th>
            <td className="number">{money(total)}</td>
            <td colSpan={3} />
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
