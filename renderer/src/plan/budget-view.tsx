/**
 * The plan's budget at a glance, the action board's Budget view: the plan's total against its
 * ceiling or range (under, within, over, in words and colour), the totals by funding source,
 * theme, year and work package, and the municipal share as the municipalities split it. Every
 * figure comes from shared/model/plan-totals.ts; this only shows them.
 */
import { useState, type ReactNode } from 'react';
import type { Action, Workshop } from '../../../shared';
import {
  budgetCheck,
  costSharing,
  totalsByPackage,
  totalsBySource,
  totalsByTheme,
  totalsByYear,
} from '../../../shared/model/plan-totals';
import { nameKey } from '../../../shared/model/plan';
import { useT } from '../i18n';
import { useMay } from '../policy';
import { useWorkshop } from '../use-workshop';
import { useMoney, usePercent } from './budget-money';
import { BudgetStanding, CostShareCheck } from './budget-standing';
import { PlanDialog } from './plan-dialog';
import './budget.css';

type Row = {
  readonly key: string;
  readonly name: ReactNode;
  readonly cents: number;
  readonly percent: number;
};

/** One table of totals: a name, an amount and a share per row, and the total. */
function TotalsTable({ caption, rows, total }: { caption: string; rows: readonly Row[]; total: number }) {
  const t = useT();
  const money = useMoney();
  const percent = usePercent(1);
  return (
    <table className="budget-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">
            <span className="visually-hidden">{caption}</span>
          </th>
          <th scope="col" className="number">
            {t('budget.amount')}
          </th>
          <th scope="col" className="number">
            {t('budget.share')}
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 ? (
          <tr>
            <td colSpan={3} className="muted">
              {t('budget.none')}
            </td>
          </tr>
        ) : (
          rows.map((row) => (
            <tr key={row.key}>
              <th scope="row">{row.name}</th>
              <td className="number">{money(row.cents)}</td>
              <td className="number">{percent(row.percent)}</td>
            </tr>
          ))
        )}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">{t('actions.total')}</th>
          <td className="number">{money(total)}</td>
          <td />
        </tr>
      </tfoot>
    </table>
  );
}

/** The rows of each table of totals, named in the UI language. */
function useTotals(workshop: Workshop, actions: readonly Action[]) {
  const t = useT();
  const municipal = new Set(workshop.plan.sources.filter((s) => s.municipal).map((s) => nameKey(s.name)));
  const themes = new Map(workshop.themes.map((th) => [th.id as string, th.title]));
  const packages = new Map(workshop.plan.packages.map((p) => [p.id, p.title]));
  return {
    bySource: totalsBySource(actions).map((r): Row => ({
      key: nameKey(r.source),
      cents: r.cents,
      percent: r.percent,
      name: (
        <>
          {r.source || t('actions.noFunding')}
          {municipal.has(nameKey(r.source)) && <span className="budget-tag">{t('budget.municipal')}</span>}
        </>
      ),
    })),
    byTheme: totalsByTheme(workshop, actions).map((r): Row => ({
      key: r.themeId ?? '',
      cents: r.cents,
      percent: r.percent,
      name: r.themeId === null ? t('actions.noTheme') : (themes.get(r.themeId) ?? ''),
    })),
    byYear: totalsByYear(actions).map((r): Row => ({
      key: String(r.year),
      cents: r.cents,
      percent: r.percent,
      name: r.year === null ? t('budget.noYear') : String(r.year),
    })),
    byPackage: totalsByPackage(workshop, actions).map((r): Row => ({
      key: r.packageId ?? '',
      cents: r.cents,
      percent: r.percent,
      name: r.packageId === null ? t('budget.noPackage') : packages.get(r.packageId) || t('budget.untitled'),
    })),
  };
}

/** The municipal share as the municipalities split it (edited in the plan's Cost sharing section). */
function CostSharingSummary({ workshop, onEdit }: { workshop: Workshop; onEdit: (() => void) | null }) {
  const t = useT();
  const money = useMoney();
  const percent = usePercent(1);
  const result = costSharing(workshop);
  if (result.shareCents === 0 && result.rows.length === 0) return null;
  return (
    <section className="budget-cost-sharing" aria-labelledby="budget-cost-sharing">
      <h3 id="budget-cost-sharing">{t('plan.tab.costSharing')}</h3>
      <p>{t('costShare.share', { amount: money(result.shareCents) })}</p>
      {result.rows.length > 0 ? (
        <>
          <table className="budget-table">
            <caption className="visually-hidden">{t('plan.tab.costSharing')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('costShare.municipality')}</th>
                <th scope="col" className="number">
                  {t('budget.amount')}
                </th>
                <th scope="col" className="number">
                  {t('budget.share')}
                </th>
              </tr>
            </thead>
            <tbody>
              {result.rows.map((r) => (
                <tr key={r.municipality.id}>
                  <th scope="row">{r.municipality.name}</th>
                  <td className="number">{money(r.cents)}</td>
                  <td className="number">{percent(r.percent)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <CostShareCheck differenceCents={result.differenceCents} />
        </>
      ) : (
        <p className="muted">{t('costShare.noMembers')}</p>
      )}
      {onEdit && (
        <button type="button" className="secondary-button" onClick={onEdit}>
          {t('budget.editCostSharing')}
        </button>
      )}
    </section>
  );
}

/** The plan's total against its budget, under the action table: only when a budget is set. */
export function PlanBudgetStanding() {
  const check = useWorkshop(budgetCheck, (a, b) => JSON.stringify(a) === JSON.stringify(b));
  return check.standing === null ? null : <BudgetStanding check={check} />;
}

/** The Budget view: `actions` are the ones the board's filters show. */
export function BudgetView({ actions }: { actions: readonly Action[] }) {
  const t = useT();
  const workshop = useWorkshop((w) => w);
  const mayEdit = useMay({ kind: 'facilitate' });
  const [section, setSection] = useState<string | null>(null);
  // Against the plan's budget: always the whole plan, whatever the filters show.
  const check = budgetCheck(workshop);
  const totals = useTotals(workshop, actions);
  const total = actions.reduce((s, a) => s + a.budgetCents, 0);
  const filtered = actions.length !== workshop.actions.length;
  return (
    <div className="budget-view">
      <div className="budget-top">
        <BudgetStanding check={check} />
        {mayEdit && (
          <button type="button" className="secondary-button" onClick={() => setSection('budget')}>
            {t('budget.edit')}
          </button>
        )}
      </div>
      {filtered && (
        <p className="muted">
          {t('budget.filtered', { count: actions.length, all: workshop.actions.length })}
        </p>
      )}
      <div className="budget-grid">
        <TotalsTable caption={t('budget.bySource')} rows={totals.bySource} total={total} />
        <TotalsTable caption={t('budget.byTheme')} rows={totals.byTheme} total={total} />
        <TotalsTable caption={t('budget.byYear')} rows={totals.byYear} total={total} />
        <TotalsTable caption={t('budget.byPackage')} rows={totals.byPackage} total={total} />
      </div>
      <CostSharingSummary workshop={workshop} onEdit={mayEdit ? () => setSection('costSharing') : null} />
      {section && <PlanDialog initialSection={section} onClose={() => setSection(null)} />}
    </div>
  );
}
