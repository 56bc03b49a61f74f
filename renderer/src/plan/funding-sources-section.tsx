/**
 * The plan's funding sources (a ministry's grant, the municipalities' own share, a foundation):
 * the names an action's budget is split over. A source marked municipal is the municipal share
 * that the Cost sharing section splits among the municipalities. Names already used on actions
 * but not in the list are offered for adding with one click.
 */
import { useState } from 'react';
import type { MessageKey } from '../../../shared';
import {
  addFundingSource,
  deleteFundingSource,
  nameKey,
  updateFundingSource,
} from '../../../shared/model/plan';
import { totalsBySource } from '../../../shared/model/plan-totals';
import { useT } from '../i18n';
import { useConnection, useWorkshop } from '../use-workshop';
import { useMoney } from './budget-money';
import { AddByName, nameProblem, SavingField, tryWrite, useDeletion } from './plan-fields';
import './budget.css';

export function FundingSourcesSection({ editable }: { readonly editable: boolean }) {
  const t = useT();
  const { doc } = useConnection();
  const money = useMoney();
  const { remove, notice } = useDeletion();
  const sources = useWorkshop((w) => w.plan.sources);
  const actions = useWorkshop((w) => w.actions);
  const used = new Map(totalsBySource(actions).map((r) => [nameKey(r.source), r]));
  const names = sources.map((s) => s.name);
  const listed = new Set(names.map(nameKey));
  const unlisted = [...used.values()].filter((r) => r.source && !listed.has(nameKey(r.source)));
  const [problem, setProblem] = useState<MessageKey | null>(null);
  return (
    <div className="plan-section">
      {notice}
      <p className="muted">{t('sources.help')}</p>
      {sources.length === 0 ? (
        <p className="plan-empty">{t('sources.empty')}</p>
      ) : (
        <ul className="plan-list" aria-label={t('plan.tab.sources')}>
          {sources.map((s) => {
            const inActions = used.get(nameKey(s.name))?.cents ?? 0;
            return (
              <li key={s.id} className="plan-item">
                <div className="plan-item-row source-row">
                  {editable ? (
                    <SavingField
                      value={s.name}
                      label={t('sources.name', { name: s.name })}
                      onSave={(name) =>
                        nameProblem(
                          name,
                          names.filter((n) => n !== s.name),
                        ) ?? tryWrite(() => updateFundingSource(doc, s.id, { name }))
                      }
                    />
                  ) : (
                    <span className="plan-name">{s.name}</span>
                  )}
                  <label className="check-label">
                    <input
                      type="checkbox"
                      checked={s.municipal}
                      disabled={!editable}
                      aria-label={t('sources.municipalOf', { name: s.name })}
                      onChange={(e) => updateFundingSource(doc, s.id, { municipal: e.target.checked })}
                    />
                    <span aria-hidden="true">{t('sources.municipal')}</span>
                  </label>
                  <span className="muted source-used">{t('sources.used', { amount: money(inActions) })}</span>
                  {editable && (
                    <button
                      type="button"
                      className="button-link danger"
                      aria-label={t('plan.delete', { name: s.name })}
                      onClick={() => remove(s.name, () => deleteFundingSource(doc, s.id))}
                    >
                      {t('plan.deleteShort')}
                    </button>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {unlisted.length > 0 && (
        <div className="plan-unlisted">
          <p>{t('sources.unlisted')}</p>
          <ul className="chips">
            {unlisted.map((r) => (
              <li key={nameKey(r.source)}>
                {editable ? (
                  <button
                    type="button"
                    className="secondary-button"
                    onClick={() => setProblem(tryWrite(() => addFundingSource(doc, r.source)))}
                  >
                    {t('sources.addUsed', { name: r.source })}
                  </button>
                ) : (
                  <span>{r.source}</span>
                )}{' '}
                <span className="muted">{money(r.cents)}</span>
              </li>
            ))}
          </ul>
          {problem && (
            <span className="plan-error" role="alert">
              {t(problem)}
            </span>
          )}
        </div>
      )}
      {editable && <AddSource names={names} />}
    </div>
  );
}

function AddSource({ names }: { names: readonly string[] }) {
  const t = useT();
  const { doc } = useConnection();
  const [municipal, setMunicipal] = useState(false);
  return (
    <AddByName
      id="plan-new-source"
      label="sources.new"
      submit="sources.add"
      names={names}
      add={(name) => addFundingSource(doc, name, municipal)}
      onAdded={() => setMunicipal(false)}
    >
      <label className="check-label">
        <input type="checkbox" checked={municipal} onChange={(e) => setMunicipal(e.target.checked)} />
        {t('sources.newMunicipal')}
      </label>
    </AddByName>
  );
}
