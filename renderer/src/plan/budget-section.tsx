/**
 * The plan's budget: none, a ceiling, or a range such as 475 000 – 525 000 €, with the plan's
 * total shown against it as it stands.
 */
import { useId, useState } from 'react';
import type { MessageKey } from '../../../shared';
import { setPlanBudget } from '../../../shared/model/plan';
import { budgetCheck } from '../../../shared/model/plan-totals';
import { useT } from '../i18n';
import { useConnection, useWorkshop } from '../use-workshop';
import { MoneyField } from './budget-money';
import { BudgetStanding } from './budget-standing';
import { tryWrite } from './plan-fields';
import './budget.css';

type Kind = 'none' | 'ceiling' | 'range';

export function BudgetSection({ editable }: { readonly editable: boolean }) {
  const t = useT();
  const { doc } = useConnection();
  const min = useWorkshop((w) => w.plan.budgetMinCents);
  const max = useWorkshop((w) => w.plan.budgetMaxCents);
  const check = useWorkshop(budgetCheck, (a, b) => JSON.stringify(a) === JSON.stringify(b));
  const stored: Kind = min !== null ? 'range' : max !== null ? 'ceiling' : 'none';
  // What this person chose: a range stays chosen while its amounts are still being written.
  const [chosen, setChosen] = useState<Kind | null>(null);
  const kind = chosen ?? stored;
  const name = useId();
  const write = (nextMin: number | null, nextMax: number | null): MessageKey | null => {
    if (nextMin !== null && nextMax !== null && nextMax < nextMin) return 'budgetPlan.maxBelowMin';
    return tryWrite(() => setPlanBudget(doc, nextMin, nextMax));
  };
  const kinds: readonly [Kind, MessageKey][] = [
    ['none', 'budgetPlan.none'],
    ['ceiling', 'budgetPlan.ceilingKind'],
    ['range', 'budgetPlan.range'],
  ];
  return (
    <div className="plan-section budget-section">
      <p className="muted">{t('budgetPlan.help')}</p>
      <fieldset className="plan-choice" disabled={!editable}>
        <legend>{t('budgetPlan.kind')}</legend>
        {kinds.map(([value, label]) => (
          <label key={value} className="check-label">
            <input
              type="radio"
              name={name}
              value={value}
              checked={kind === value}
              onChange={() => {
                setChosen(value);
                if (value === 'none') write(null, null);
                if (value === 'ceiling' && min !== null) write(null, max);
              }}
            />
            {t(label)}
          </label>
        ))}
      </fieldset>
      {kind !== 'none' && (
        <div className="budget-amounts">
          {kind === 'range' && (
            <span className="budget-amount-label" aria-hidden="true">
              {t('budgetPlan.min')}
            </span>
          )}
          {kind === 'range' && (
            <MoneyField
              cents={min}
              optional
              readOnly={!editable}
              label={t('budgetPlan.min')}
              onSave={(cents) => write(cents, max)}
            />
          )}
          <span className="budget-amount-label" aria-hidden="true">
            {t(kind === 'range' ? 'budgetPlan.max' : 'budgetPlan.ceiling')}
          </span>
          <MoneyField
            cents={max}
            optional
            readOnly={!editable}
            label={t(kind === 'range' ? 'budgetPlan.max' : 'budgetPlan.ceiling')}
            onSave={(cents) => write(kind === 'range' ? min : null, cents)}
          />
        </div>
      )}
      <BudgetStanding check={check} />
    </div>
  );
}
