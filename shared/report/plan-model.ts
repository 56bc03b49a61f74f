/**
 * The plan's parts of the report model: each action's funding split, work packages, strategy
 * objectives, municipalities with their baselines, the needs heat table, the budget against the
 * plan's ceiling or range, and the cost sharing among the municipalities. Pure, like model.ts:
 * every figure comes from shared/model/plan-totals.ts (the same numbers the app shows), computed
 * over the actions the export covers, and every text is ready to show.
 */
import { translate } from '../i18n';
import { nameKey } from '../model/plan';
import { budgetCheck, costSharing, needsHeat, packageSummaries, type PlanScope } from '../model/plan-totals';
import type { Action, ActionStatus, Language, Workshop } from '../model/schema';
import type { Formatters } from './format';
import { cleanText, oneLine } from './sanitise';

/** One funding source's part of an action's budget, as shown. */
export type ReportFundingLine = {
  /** The source as written, or the "no funding source" label. */
  readonly source: string;
  readonly cents: number;
  readonly text: string;
  /** Of the action's budget, 0..1 (0 when the budget is 0). */
  readonly share: number;
  readonly shareText: string;
};

/** An action as the plan's listings cite it: its number in the plan and its title. */
export type ReportActionRef = { readonly number: number; readonly title: string };

/** A work package with its actions and the budget summed from them. */
export type ReportPackage = {
  readonly id: string;
  readonly title: string;
  /** The owner, or the placeholder. */
  readonly owner: string;
  readonly ownerMissing: boolean;
  /** Its own period, else its actions' first start to last end, as words; or the "no dates" label. */
  readonly periodText: string;
  readonly budgetCents: number;
  readonly budgetText: string;
  readonly actions: readonly ReportActionRef[];
};

/** A strategy objective with the actions (of the export) that serve it. */
export type ReportObjective = {
  readonly id: string;
  readonly title: string;
  /** The strategy area, or '' when none. */
  readonly area: string;
  readonly actions: readonly ReportActionRef[];
};

/** A municipality with its baseline (lähtökohta-analyysi). */
export type ReportMunicipality = {
  readonly name: string;
  /** Inhabitants as a count, or '' when not given. */
  readonly populationText: string;
  /** The baseline in words, '' when none. */
  readonly baseline: string;
  readonly indicators: readonly { readonly label: string; readonly value: string }[];
};

/** Needs per municipality (rows) and stakeholder group (columns). */
export type ReportHeat = {
  /** Column heads: the stakeholder groups, then the "no group" label where needs have none. */
  readonly groups: readonly string[];
  /** Rows by municipality, then the "no municipality" row where needs are untagged. */
  readonly rows: readonly {
    readonly municipality: string;
    readonly counts: readonly number[];
    readonly total: number;
  }[];
  /** Needs per group over all rows. */
  readonly groupTotals: readonly number[];
  readonly total: number;
  /** The largest cell, for shading (0 when every cell is 0). */
  readonly max: number;
};

/** The plan's total against its ceiling or range. */
export type ReportBudgetCheck = {
  /** E.g. `475 000,00 € – 525 000,00 €` or `Enintään 525 000,00 €`. */
  readonly frameText: string;
  readonly totalText: string;
  readonly standing: 'under' | 'within' | 'over';
  /** E.g. `Within the budget` or `12 000,00 € over the budget`. */
  readonly standingText: string;
};

/** The municipal share split among the municipalities that share it. */
export type ReportCostSharing = {
  /** How it is split, e.g. `By population`. */
  readonly methodText: string;
  readonly shareCents: number;
  readonly shareText: string;
  readonly rows: readonly {
    readonly municipality: string;
    readonly cents: number;
    readonly text: string;
    /** Of the rows' total, 0..1. */
    readonly share: number;
    readonly shareText: string;
  }[];
  readonly totalCents: number;
  readonly totalText: string;
  /** The rows' total less the share; 0 when they match. */
  readonly differenceCents: number;
  readonly differenceText: string;
  /** A note that some municipalities have no population (their share is 0), or ''. */
  readonly note: string;
};

/**
 * The annual wheel as an image, for the writers that show it (null until the wheel is drawn into
 * the report: shared/report leaves this slot for it). `svg` is a standalone SVG document.
 */
export type ReportWheel = {
  readonly svg: string;
  /** PNG bytes of the same picture, for writers that take no SVG (DOCX), or null. */
  readonly png: Uint8Array | null;
  readonly width: number;
  readonly height: number;
  /** The picture in words, for screen readers and as the image's description. */
  readonly alt: string;
};

/** A status by the facilitator's name for it, or the locale's. */
export function statusName(workshop: Workshop, status: ActionStatus, language: Language): string {
  const renamed = oneLine(workshop.plan.statusNames[status] ?? '').trim();
  return renamed || translate(language, `status.${status}`);
}

/** What the export covers, in words (`Work package: WP2 …`), or null for the whole plan. */
export function scopeText(workshop: Workshop, scope: PlanScope, language: Language): string | null {
  if (scope === null) return null;
  if (scope.kind === 'owner')
    return translate(language, 'report.scopeOwner', { owner: oneLine(scope.owner).trim() });
  const pkg = workshop.plan.packages.find((p) => p.id === scope.packageId);
  return translate(language, 'report.scopePackage', {
    title: oneLine(pkg?.title ?? '').trim() || translate(language, 'report.notSet'),
  });
}

/** The funding lines of `action` as shown, shares of its budget. */
export function fundingLines(action: Action, language: Language, format: Formatters): ReportFundingLine[] {
  return action.split.map((line) => {
    const share = action.budgetCents > 0 ? line.cents / action.budgetCents : 0;
    return {
      source: oneLine(line.source).trim() || translate(language, 'actions.noFunding'),
      cents: line.cents,
      text: format.money(line.cents),
      share,
      shareText: format.percent(share),
    };
  });
}

/** A period as words, either end possibly missing. */
export function periodText(
  start: string | null,
  end: string | null,
  format: Formatters,
  language: Language,
): string {
  const notSet = translate(language, 'report.notSet');
  if (start === null && end === null) return translate(language, 'report.noDates');
  return `${start ? format.month(start) : notSet} – ${end ? format.month(end) : notSet}`;
}

/** The inputs the plan's parts are computed from. */
export type PlanInputs = {
  /** The workshop as the export sees it: its actions and needs already limited to the scope. */
  readonly workshop: Workshop;
  readonly scope: PlanScope;
  readonly language: Language;
  readonly format: Formatters;
  /** Each included action's number in the report, by id. */
  readonly numbers: ReadonlyMap<string, number>;
  /** Each included action's title as the report shows it, by id. */
  readonly titles: ReadonlyMap<string, string>;
};

function refsOf(actions: readonly Action[], inputs: PlanInputs): ReportActionRef[] {
  return actions.flatMap((a) => {
    const number = inputs.numbers.get(a.id);
    return number === undefined ? [] : [{ number, title: inputs.titles.get(a.id) ?? '' }];
  });
}

/** The work packages the export shows: all of the whole plan's; a scoped export's own. */
export function reportPackages(inputs: PlanInputs): ReportPackage[] {
  const { workshop, scope, language, format } = inputs;
  const notSet = translate(language, 'report.notSet');
  return packageSummaries(workshop)
    .filter((s) =>
      scope === null
        ? true
        : scope.kind === 'package'
          ? s.package.id === scope.packageId
          : s.actions.length > 0,
    )
    .map((s) => {
      const owner = oneLine(s.package.owner).trim();
      return {
        id: s.package.id,
        title: oneLine(s.package.title).trim() || notSet,
        owner: owner || notSet,
        ownerMissing: owner === '',
        periodText: periodText(s.start, s.end, format, language),
        budgetCents: s.budgetCents,
        budgetText: format.money(s.budgetCents),
        actions: refsOf(s.actions, inputs),
      };
    });
}

/** The strategy objectives: all of the whole plan's; those the included actions serve in a scoped export. */
export function reportObjectives(inputs: PlanInputs): ReportObjective[] {
  const { workshop, scope, language } = inputs;
  const notSet = translate(language, 'report.notSet');
  return workshop.plan.objectives
    .map((o) => ({
      id: o.id,
      title: oneLine(o.title).trim() || notSet,
      area: oneLine(o.area).trim(),
      actions: refsOf(
        workshop.actions.filter((a) => a.objectiveIds.includes(o.id)),
        inputs,
      ),
    }))
    .filter((o) => scope === null || o.actions.length > 0);
}

/**
 * The municipalities with a baseline (text, indicators or population). A scoped export shows
 * those its actions name (owner or partner) or its needs are tagged with.
 */
export function reportMunicipalities(inputs: PlanInputs): ReportMunicipality[] {
  const { workshop, scope, format } = inputs;
  const named = new Set<string>();
  for (const a of workshop.actions) for (const p of [a.owner, ...a.partners]) named.add(nameKey(p));
  for (const n of workshop.notes) if (n.municipality) named.add(nameKey(n.municipality));
  return workshop.plan.municipalities
    .filter((m) => m.baseline.trim() !== '' || m.indicators.length > 0 || m.population !== null)
    .filter((m) => scope === null || named.has(nameKey(m.name)))
    .map((m) => ({
      name: oneLine(m.name).trim(),
      populationText: m.population === null ? '' : format.count(m.population),
      baseline: cleanText(m.baseline).trim(),
      indicators: m.indicators.map((i) => ({
        label: oneLine(i.label).trim(),
        value: oneLine(i.value).trim(),
      })),
    }));
}

/** The needs heat table, or null when no need is tagged with a municipality. */
export function reportHeat(inputs: PlanInputs): ReportHeat | null {
  const { workshop, language } = inputs;
  const heat = needsHeat(workshop);
  const rows = heat.rows.filter((r) => r.total > 0);
  if (!rows.some((r) => r.municipality !== '')) return null;
  // Groups without a need here (a lane left empty, or outside a scoped export) get no column.
  const columns = heat.groups.map((_, i) => i).filter((i) => rows.some((r) => (r.counts[i] ?? 0) > 0));
  const groupTotals = columns.map((i) => rows.reduce((s, r) => s + (r.counts[i] ?? 0), 0));
  return {
    groups: columns.map((i) => oneLine(heat.groups[i] ?? '').trim() || translate(language, 'needs.unsorted')),
    rows: rows.map((r) => ({
      municipality: oneLine(r.municipality).trim() || translate(language, 'report.noMunicipality'),
      counts: columns.map((i) => r.counts[i] ?? 0),
      total: r.total,
    })),
    groupTotals,
    total: groupTotals.reduce((s, c) => s + c, 0),
    max: heat.max,
  };
}

/** The plan's total against its budget; null without one, and for a scoped export (the frame is the whole plan's). */
export function reportBudgetCheck(inputs: PlanInputs): ReportBudgetCheck | null {
  const { workshop, scope, language, format } = inputs;
  if (scope !== null) return null;
  const check = budgetCheck(workshop);
  if (check.standing === null) return null;
  const max = check.maxCents === null ? null : format.money(check.maxCents);
  const min = check.minCents === null ? null : format.money(check.minCents);
  const frameText =
    min !== null && max !== null
      ? translate(language, 'report.budgetRange', { min, max })
      : max !== null
        ? translate(language, 'report.budgetCeiling', { max })
        : `≥ ${min ?? ''}`;
  const standingText =
    check.standing === 'within'
      ? translate(language, 'report.budgetWithin')
      : check.standing === 'over'
        ? translate(language, 'report.budgetOver', {
            amount: format.money(check.totalCents - (check.maxCents ?? 0)),
          })
        : translate(language, 'report.budgetUnder', {
            amount: format.money((check.minCents ?? 0) - check.totalCents),
          });
  return { frameText, totalText: format.money(check.totalCents), standing: check.standing, standingText };
}

/**
 * The cost sharing table, or null when no municipality shares the costs. A scoped export splits
 * its own municipal share, and only by a key (population, equal parts): amounts agreed for the
 * whole plan say nothing of one work package's.
 */
export function reportCostSharing(inputs: PlanInputs): ReportCostSharing | null {
  const { workshop, scope, language, format } = inputs;
  const method = workshop.plan.costSharing.method;
  if (scope !== null && method === 'amount') return null;
  const result = costSharing(workshop);
  if (result.rows.length === 0) return null;
  const missing = result.missingPopulation.map((m) => oneLine(m.name).trim());
  return {
    methodText: translate(language, `report.costSharing.${method}`),
    shareCents: result.shareCents,
    shareText: format.money(result.shareCents),
    rows: result.rows.map((r) => ({
      municipality: oneLine(r.municipality.name).trim(),
      cents: r.cents,
      text: format.money(r.cents),
      share: r.percent / 100,
      shareText: format.percent(r.percent / 100),
    })),
    totalCents: result.totalCents,
    totalText: format.money(result.totalCents),
    differenceCents: result.differenceCents,
    differenceText: format.money(result.differenceCents),
    note: missing.length
      ? translate(language, 'report.populationMissing', { names: missing.join(', ') })
      : '',
  };
}
