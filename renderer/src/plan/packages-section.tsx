/**
 * The plan's work packages: the facilitator adds, renames, reorders and deletes them and gives
 * each an owner and a period; each shows its budget, the sum of its actions' budgets
 * (packageSummaries), and how many actions it has. Actions are put in a package from the action
 * table. `usePeriod` says a period in words, for the table's and the timeline's package rows.
 */
import { useMemo, useState } from 'react';
import { InvalidValueError, type Month, type Workshop } from '../../../shared';
import {
  addWorkPackage,
  deleteWorkPackage,
  movePlanEntry,
  setActionPackage,
  updateWorkPackage,
} from '../../../shared/model/plan';
import { packageSummaries, type PackageSummary } from '../../../shared/model/plan-totals';
import { MonthField } from '../controls/month-field';
import { useLanguage, useT, useTn } from '../i18n';
import { sameItems, useConnection, useWorkshop } from '../use-workshop';
import { useMoney } from './budget-money';
import {
  AddByName,
  EntryButtons,
  nameProblem,
  SavingField,
  tryWrite,
  useDeletion,
  type ActionFieldProps,
} from './plan-fields';
import './packages.css';

/** Says a period (`YYYY-MM` months, either may be missing) in the UI language: "3/2026 – 8/2027". */
export function usePeriod(): (start: string | null, end: string | null) => string {
  const t = useT();
  const language = useLanguage();
  const format = useMemo(
    () => new Intl.DateTimeFormat(language, { month: 'short', year: 'numeric', timeZone: 'UTC' }),
    [language],
  );
  const month = (m: string): string =>
    format.format(Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5)) - 1, 1));
  return (start, end) => {
    if (!start && !end) return t('packages.noPeriod');
    if (start && end) return start === end ? month(start) : `${month(start)} – ${month(end)}`;
    return start ? `${month(start)} –` : `– ${month(end ?? '')}`;
  };
}

/** Each work package with its actions, budget and period, kept as long as nothing in them changes. */
export function usePackageSummaries(): PackageSummary[] {
  const workshop = useWorkshop((w: Workshop) => w);
  return useMemo(() => packageSummaries(workshop), [workshop]);
}

export function PackagesSection({ editable }: { readonly editable: boolean }) {
  const t = useT();
  const summaries = usePackageSummaries();
  const { remove, notice } = useDeletion();
  return (
    <div className="plan-section">
      {notice}
      <p className="muted">{t('packages.help')}</p>
      {summaries.length === 0 ? (
        <p className="plan-empty">{t('packages.empty')}</p>
      ) : (
        <ol className="plan-list" aria-label={t('plan.tab.packages')}>
          <li className="plan-list-head package-item" aria-hidden="true">
            <span>{t('packages.titleHead')}</span>
            <span>{t('packages.ownerHead')}</span>
            <span>{t('packages.periodHead')}</span>
            <span className="number">{t('packages.budgetHead')}</span>
          </li>
          {summaries.map((summary, i) => (
            <PackageItem
              key={summary.package.id}
              summary={summary}
              others={summaries.filter((s) => s !== summary).map((s) => s.package.title)}
              index={i}
              count={summaries.length}
              editable={editable}
              remove={remove}
            />
          ))}
        </ol>
      )}
      {editable && <AddPackage titles={summaries.map((s) => s.package.title)} />}
    </div>
  );
}

type Period = { readonly start: Month | null; readonly end: Month | null };

function PackageItem({
  summary,
  others,
  index,
  count,
  editable,
  remove,
}: {
  summary: PackageSummary;
  others: readonly string[];
  index: number;
  count: number;
  editable: boolean;
  /** Deletes with the section's notice that offers Undo (useDeletion). */
  remove: (name: string, write: () => void) => void;
}) {
  const t = useT();
  const tn = useTn();
  const money = useMoney();
  const period = usePeriod();
  const { doc } = useConnection();
  const pkg = summary.package;
  // A period refused (its end before its start), shown with the reason until it is mended.
  const [refused, setRefused] = useState<(Period & { at: keyof Period }) | null>(null);
  const shown: Period = refused ?? { start: pkg.start, end: pkg.end };
  const writePeriod = (next: Period, at: keyof Period): void => {
    try {
      if (next.start && next.end && next.end < next.start) throw new InvalidValueError('end', 'before start');
      updateWorkPackage(doc, pkg.id, next);
      setRefused(null);
    } catch (error) {
      if (!(error instanceof InvalidValueError)) throw error;
      setRefused({ ...next, at });
    }
  };
  const thisYear = new Date().getFullYear();
  const year = (month: string | null): number => (month ? Number(month.slice(0, 4)) : thisYear);
  const problem = refused ? t('packages.badPeriod') : null;
  const budget = (
    <span className="number package-budget">
      <span>{money(summary.budgetCents)}</span>{' '}
      <span className="muted">{tn('packages.actions', summary.actions.length)}</span>
    </span>
  );
  if (!editable)
    return (
      <li className="plan-item package-item">
        <span className="plan-name">{pkg.title}</span>
        <span>{pkg.owner}</span>
        <span>{period(pkg.start, pkg.end)}</span>
        {budget}
      </li>
    );
  return (
    <li className="plan-item package-item">
      <SavingField
        value={pkg.title}
        label={t('packages.title', { name: pkg.title })}
        onSave={(title) =>
          nameProblem(title, others) ?? tryWrite(() => updateWorkPackage(doc, pkg.id, { title }))
        }
      />
      <SavingField
        value={pkg.owner}
        label={t('packages.owner', { name: pkg.title })}
        onSave={(owner) => tryWrite(() => updateWorkPackage(doc, pkg.id, { owner }))}
      />
      <span className="package-period">
        {/* The head names the period once above a line of its own: each row says it beside it. */}
        <span className="package-period-label" aria-hidden="true">
          {t('packages.periodHead')}
        </span>
        <MonthField
          value={shown.start}
          label={t('packages.start', { name: pkg.title })}
          defaultYear={year(shown.end ?? summary.start)}
          error={refused?.at === 'start' ? problem : null}
          onChange={(start) => writePeriod({ ...shown, start }, 'start')}
        />
        <MonthField
          value={shown.end}
          label={t('packages.end', { name: pkg.title })}
          defaultYear={year(shown.start ?? summary.end)}
          error={refused?.at === 'end' ? problem : null}
          onChange={(end) => writePeriod({ ...shown, end }, 'end')}
        />
      </span>
      {budget}
      <EntryButtons
        name={pkg.title}
        index={index}
        count={count}
        move={(to) => movePlanEntry(doc, 'package', pkg.id, to)}
        onDelete={() => remove(pkg.title, () => deleteWorkPackage(doc, pkg.id))}
      />
    </li>
  );
}

function AddPackage({ titles }: { titles: readonly string[] }) {
  const { doc } = useConnection();
  return (
    <AddByName
      id="plan-new-package"
      label="packages.new"
      submit="packages.add"
      names={titles}
      add={(title) => addWorkPackage(doc, { title })}
    />
  );
}

/** The work package an action is in, chosen from the plan's packages ("No work package" first). */
export function PackageSelect({ action, label, fixed }: ActionFieldProps) {
  const t = useT();
  const { doc } = useConnection();
  const packages = useWorkshop((w) => w.plan.packages, sameItems);
  if (packages.length === 0) return null;
  return (
    <select
      className="package-select"
      aria-label={label}
      disabled={fixed !== null}
      // The whole title where the column cuts it short, unless why it is fixed says more.
      title={fixed ?? packages.find((p) => p.id === action.workPackageId)?.title}
      value={action.workPackageId ?? ''}
      onChange={(e) => setActionPackage(doc, action.id, e.target.value || null)}
    >
      <option value="">{t('packages.none')}</option>
      {packages.map((p) => (
        <option key={p.id} value={p.id}>
          {p.title}
        </option>
      ))}
    </select>
  );
}
