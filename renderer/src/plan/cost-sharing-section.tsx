/**
 * Cost sharing (the network's kustannusjakotaulukko): the plan's municipal share, the funding
 * lines whose source is marked municipal, split among the municipalities that share it, as
 * amounts set for each, by population, or equally. Amounts must make the share: the difference
 * is said in words until they do. Computed splits are exact to the cent (plan-totals.ts).
 */
import { useId } from 'react';
import { COST_SHARE_METHODS, type CostShareMethod, type MessageKey } from '../../../shared';
import { setCostShare, setCostShareMethod } from '../../../shared/model/plan';
import { costSharing } from '../../../shared/model/plan-totals';
import { useLanguage, useT } from '../i18n';
import { useConnection, useWorkshop } from '../use-workshop';
import { MoneyField, useMoney, usePercent } from './budget-money';
import { CostShareCheck } from './budget-standing';
import { tryWrite } from './plan-fields';
import './budget.css';

const METHOD_LABELS: Readonly<Record<CostShareMethod, MessageKey>> = {
  amount: 'costShare.method.amount',
  population: 'costShare.method.population',
  equal: 'costShare.method.equal',
};

export function CostSharingSection({ editable }: { readonly editable: boolean }) {
  const t = useT();
  const { doc, undo } = useConnection();
  const language = useLanguage();
  const money = useMoney();
  const percent = usePercent();
  const name = useId();
  const workshop = useWorkshop((w) => w);
  const { municipalities, sources, costSharing: sharing } = workshop.plan;
  const result = costSharing(workshop);
  const municipal = sources.filter((s) => s.municipal).map((s) => s.name);
  const members = new Map(sharing.members.map((m) => [m.municipalityId, m.cents]));
  const population = new Intl.NumberFormat(language);
  return (
    <div className="plan-section cost-sharing-section">
      <p className="muted">{t('costShare.help')}</p>
      <p className="cost-share-total">
        <strong>{t('costShare.share', { amount: money(result.shareCents) })}</strong>{' '}
        {municipal.length > 0 ? (
          <span className="muted">{t('costShare.from', { sources: municipal.join(', ') })}</span>
        ) : (
          <span className="warning">{t('costShare.noMunicipal')}</span>
        )}
      </p>
      <fieldset className="plan-choice" disabled={!editable}>
        <legend>{t('costShare.method')}</legend>
        {COST_SHARE_METHODS.map((method) => (
          <label key={method} className="check-label">
            <input
              type="radio"
              name={name}
              checked={sharing.method === method}
              onChange={() => setCostShareMethod(doc, method)}
            />
            {t(METHOD_LABELS[method])}
          </label>
        ))}
      </fieldset>
      {municipalities.length === 0 ? (
        <p className="plan-empty">{t('costShare.noMunicipalities')}</p>
      ) : (
        <fieldset className="cost-share-members" disabled={!editable}>
          <legend>{t('costShare.members')}</legend>
          {municipalities.map((m) => (
            <label key={m.id} className="check-label">
              <input
                type="checkbox"
                checked={members.has(m.id)}
                onChange={(e) => setCostShare(doc, m.id, e.target.checked ? 0 : null)}
              />
              {m.name}
            </label>
          ))}
        </fieldset>
      )}
      {result.rows.length === 0 ? (
        <p className="muted">{t('costShare.noMembers')}</p>
      ) : (
        <>
          <table className="budget-table cost-share-table">
            <caption className="visually-hidden">{t('plan.tab.costSharing')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('costShare.municipality')}</th>
                {sharing.method === 'population' && (
                  <th scope="col" className="number">
                    {t('costShare.population')}
                  </th>
                )}
                <th scope="col" className="number">
                  {t('budget.amount')}
                </th>
                <th scope="col" className="number">
                  {t('budget.share')}
                </th>
              </tr>
            </thead>
            <tbody>
              {result.rows.map((row) => (
                <tr key={row.municipality.id}>
                  <th scope="row">{row.municipality.name}</th>
                  {sharing.method === 'population' && (
                    <td className="number">
                      {row.municipality.population === null
                        ? '–'
                        : population.format(row.municipality.population)}
                    </td>
                  )}
                  <td className="number">
                    {sharing.method === 'amount' && editable ? (
                      <MoneyField
                        cents={members.get(row.municipality.id) ?? 0}
                        label={t('costShare.amountOf', { name: row.municipality.name })}
                        onSave={(cents) => tryWrite(() => setCostShare(doc, row.municipality.id, cents ?? 0))}
                      />
                    ) : (
                      money(row.cents)
                    )}
                  </td>
                  <td className="number">{percent(row.percent)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t('costShare.together')}</th>
                {sharing.method === 'population' && <td />}
                <td className="number">{money(result.totalCents)}</td>
                <td className="number">{result.totalCents > 0 ? percent(100) : ''}</td>
              </tr>
            </tfoot>
          </table>
          {result.missingPopulation.length > 0 && (
            <p className="warning">
              {t('costShare.missingPopulation', {
                names: result.missingPopulation.map((m) => m.name).join(', '),
              })}
            </p>
          )}
          <CostShareCheck differenceCents={result.differenceCents} />
          {editable && sharing.method !== 'amount' && (
            <p className="cost-share-keep">
              <button
                type="button"
                className="secondary-button"
                aria-describedby={`${name}-keep`}
                onClick={() => {
                  undo.stopCapturing();
                  // The figures shown, written as each municipality's amount, then the method.
                  for (const row of result.rows) setCostShare(doc, row.municipality.id, row.cents);
                  setCostShareMethod(doc, 'amount');
                }}
              >
                {t('costShare.useAsAmounts')}
              </button>{' '}
              <span id={`${name}-keep`} className="muted">
                {t('costShare.useAsAmountsHelp')}
              </span>
            </p>
          )}
        </>
      )}
    </div>
  );
}
