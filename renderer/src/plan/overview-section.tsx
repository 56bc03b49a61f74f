/**
 * The municipalities at a glance, for the facilitator's question "who is in, and who is missing":
 * needs per municipality and stakeholder group as a heat table (a number in every cell, the
 * shading only a second cue) and the actions that name each municipality as owner or partner,
 * with the municipalities no action names yet.
 */
import { actionsPerMunicipality, needsHeat } from '../../../shared/model/plan-totals';
import { useLanguage, useT, useTn } from '../i18n';
import { useUi } from '../ui-store';
import { useWorkshop } from '../use-workshop';
import { useSetMunicipalityFilter } from './municipality-filter';
import type { PlanSectionProps } from './plan-fields';
import { shadeOf } from './plan-rules';

export function OverviewSection({ close }: PlanSectionProps) {
  const t = useT();
  const heat = useWorkshop(needsHeat);
  const counts = useWorkshop(actionsPerMunicipality);
  return (
    <div className="plan-section">
      <p className="muted">{t('overview.help')}</p>
      <NeedsHeat heat={heat} close={close} />
      <ActionsPerMunicipality rows={counts} />
    </div>
  );
}

function NeedsHeat({ heat, close }: { heat: ReturnType<typeof needsHeat>; close?: () => void }) {
  const t = useT();
  const setFilter = useSetMunicipalityFilter();
  // A row's name leads to the needs board, filtered by it ('' is the notes with no municipality).
  const show = (municipality: string): void => {
    setFilter(municipality);
    useUi.getState().showBoard('needs');
    close?.();
  };
  const language = useLanguage();
  const number = new Intl.NumberFormat(language);
  if (heat.rows.length === 0 || heat.groups.length === 0)
    return (
      <section className="overview-part" aria-labelledby="overview-heat-title">
        <h3 id="overview-heat-title">{t('overview.needsTitle')}</h3>
        <p className="plan-empty">{t('overview.noNeeds')}</p>
      </section>
    );
  const columnTotals = heat.groups.map((_, col) =>
    heat.rows.reduce((sum, r) => sum + (r.counts[col] ?? 0), 0),
  );
  const total = columnTotals.reduce((a, b) => a + b, 0);
  return (
    <section className="overview-part" aria-labelledby="overview-heat-title">
      <h3 id="overview-heat-title">{t('overview.needsTitle')}</h3>
      {/* Wide tables scroll inside their own box, never the dialog sideways. */}
      <div className="overview-scroll" role="region" aria-labelledby="overview-heat-title" tabIndex={0}>
        <table className="heat-table">
          <thead>
            <tr>
              <th scope="col">{t('plan.municipalities.nameHead')}</th>
              {heat.groups.map((group, i) => (
                <th key={i} scope="col">
                  {group || t('needs.unsorted')}
                </th>
              ))}
              <th scope="col" className="heat-total">
                {t('overview.total')}
              </th>
            </tr>
          </thead>
          <tbody>
            {heat.rows.map((row) => (
              <tr key={row.municipality}>
                <th scope="row">
                  <button
                    type="button"
                    className="button-link heat-show"
                    aria-label={
                      row.municipality
                        ? t('overview.showOnBoard', { name: row.municipality })
                        : t('overview.showUntagged')
                    }
                    onClick={() => show(row.municipality)}
                  >
                    {row.municipality || t('overview.noMunicipality')}
                  </button>
                </th>
                {row.counts.map((count, i) => (
                  <td
                    key={i}
                    className={count === 0 ? 'heat-zero' : undefined}
                    style={{ background: shadeOf(count, heat.max) }}
                  >
                    {number.format(count)}
                  </td>
                ))}
                <td className="heat-total">{number.format(row.total)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t('overview.total')}</th>
              {columnTotals.map((sum, i) => (
                <td key={i} className="heat-total">
                  {number.format(sum)}
                </td>
              ))}
              <td className="heat-total">{number.format(total)}</td>
            </tr>
          </tfoot>
        </table>
      </div>
      <p className="muted overview-legend">{t('overview.heatLegend')}</p>
    </section>
  );
}

function ActionsPerMunicipality({ rows }: { rows: ReturnType<typeof actionsPerMunicipality> }) {
  const t = useT();
  const tn = useTn();
  const missing = rows.filter((r) => r.actions.length === 0).map((r) => r.municipality.name);
  return (
    <section className="overview-part" aria-labelledby="overview-actions-title">
      <h3 id="overview-actions-title">{t('overview.actionsTitle')}</h3>
      {rows.length === 0 ? (
        <p className="plan-empty">{t('plan.municipalities.empty')}</p>
      ) : (
        <>
          {missing.length > 0 && (
            <p className="overview-gap">
              <strong>{tn('overview.withoutActions', missing.length)}</strong> {missing.join(', ')}
            </p>
          )}
          <table className="plan-table overview-actions">
            <thead>
              <tr>
                <th scope="col">{t('plan.municipalities.nameHead')}</th>
                <th scope="col">{t('overview.actionCount')}</th>
                <th scope="col">{t('overview.actionTitles')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ municipality, actions }) => (
                <tr key={municipality.id}>
                  <th scope="row">{municipality.name}</th>
                  <td className="overview-count">{actions.length}</td>
                  <td>
                    {actions.length === 0 ? (
                      <span className="muted">{t('overview.noActions')}</span>
                    ) : (
                      actions.map((a) => a.title || t('overview.untitled')).join(' · ')
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
