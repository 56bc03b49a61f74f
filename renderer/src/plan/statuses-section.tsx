/**
 * The statuses an action moves through (proposal → planned → pilot → ongoing → done), as this
 * workshop names them: the facilitator renames each; an empty name shows the default name in each
 * person's UI language. `useStatusName` is how every screen shows a status.
 */
import { ACTION_STATUSES, type ActionStatus } from '../../../shared';
import { setStatusName } from '../../../shared/model/plan';
import { useT } from '../i18n';
import { useConnection, useWorkshop } from '../use-workshop';
import { tryWrite, SavingField } from './plan-fields';
import './packages.css';

/** A status's name here: the plan's own name for it, else the default in the UI language. */
export function useStatusName(): (status: ActionStatus) => string {
  const t = useT();
  const names = useWorkshop((w) => w.plan.statusNames);
  return (status) => names[status] ?? t(`status.${status}`);
}

export function StatusesSection({ editable }: { readonly editable: boolean }) {
  const t = useT();
  const { doc } = useConnection();
  const statusName = useStatusName();
  const names = useWorkshop((w) => w.plan.statusNames);
  return (
    <div className="plan-section">
      <p className="muted">{t('statuses.help')}</p>
      <ol className="plan-list status-steps" aria-label={t('plan.tab.statuses')}>
        <li className="plan-list-head status-step" aria-hidden="true">
          <span />
          <span>{t('statuses.defaultHead')}</span>
          <span>{t('statuses.nameHead')}</span>
        </li>
        {ACTION_STATUSES.map((status, i) => (
          <li key={status} className="plan-item status-step">
            <span className="muted">{t('statuses.step', { n: i + 1, count: ACTION_STATUSES.length })}</span>
            <span className={`status status-${status}`}>{t(`status.${status}`)}</span>
            {editable ? (
              <SavingField
                value={names[status] ?? ''}
                label={t('statuses.name', { status: t(`status.${status}`) })}
                onSave={(name) => tryWrite(() => setStatusName(doc, status, name || null))}
              />
            ) : (
              <span className="plan-name">{statusName(status)}</span>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}
