/**
 * The plan's total against its budget and the cost sharing's total against the municipal share,
 * each said in words (and colour, never colour alone): the Budget view and the plan's sections
 * show them.
 */
import type { BudgetCheck } from '../../../shared/model/plan-totals';
import { useT } from '../i18n';
import { useMoney } from './budget-money';

/** The plan's total against its budget, said in words: "Under the budget by 413 000,00 €". */
export function BudgetStanding({ check }: { check: BudgetCheck }) {
  const t = useT();
  const money = useMoney();
  const { totalCents, minCents: min, maxCents: max, standing } = check;
  const budget =
    min !== null && max !== null
      ? t('budget.range', { min: money(min), max: money(max) })
      : max !== null
        ? t('budget.ceiling', { max: money(max) })
        : min !== null
          ? t('budget.minimum', { min: money(min) })
          : null;
  const verdict =
    standing === 'under'
      ? t('budget.under', { amount: money((min ?? 0) - totalCents) })
      : standing === 'over'
        ? t('budget.over', { amount: money(totalCents - (max ?? 0)) })
        : standing === 'within'
          ? max === null
            ? t('budget.within')
            : t('budget.withinLeft', { amount: money(max - totalCents) })
          : t('budget.notSet');
  // The bar's scale: the ceiling (or the total, if over) is its right end.
  const end = Math.max(max ?? min ?? totalCents, totalCents, 1);
  const at = (cents: number): string => `${Math.min(100, (cents * 100) / end)}%`;
  return (
    <div className={`budget-standing standing-${standing ?? 'none'}`} role="status">
      <div className="budget-figures">
        <span className="budget-total">{t('budget.planTotal', { total: money(totalCents) })}</span>
        {budget && <span className="muted">{budget}</span>}
        <strong className="budget-verdict">{verdict}</strong>
      </div>
      {standing !== null && (
        <div className="budget-bar" aria-hidden="true">
          {min !== null && (
            <span
              className="budget-bar-range"
              style={{ left: at(min), width: `calc(${at(max ?? end)} - ${at(min)})` }}
            />
          )}
          <span className="budget-bar-fill" style={{ width: at(totalCents) }} />
          {max !== null && <span className="budget-bar-ceiling" style={{ left: at(max) }} />}
        </div>
      )}
    </div>
  );
}

/** Whether the municipalities' amounts make the municipal share, and by how much they miss it. */
export function CostShareCheck({ differenceCents }: { differenceCents: number }) {
  const t = useT();
  const money = useMoney();
  return (
    <p className={`cost-share-check ${differenceCents === 0 ? 'ok' : 'off'}`} role="status">
      {differenceCents === 0
        ? `✓ ${t('costShare.matches')}`
        : differenceCents < 0
          ? `! ${t('costShare.short', { amount: money(-differenceCents) })}`
          : `! ${t('costShare.overBy', { amount: money(differenceCents) })}`}
    </p>
  );
}
