/**
 * The plan's figures, computed from the read model: budget totals by funding source, theme, year
 * and work package, the budget against the plan's ceiling or range, cost sharing among the
 * municipalities, work package summaries, and needs and actions per municipality. Pure; every
 * total is in integer cents and every breakdown adds up to the plan's total to the cent.
 */
import { monthRange } from '../money';
import { apportion } from '../money';
import { nameKey } from './plan-read';
import type { Action, Municipality, Workshop, WorkPackage } from './schema';

export type Share = {
  readonly cents: number;
  /** Of the total, 0–100 (0 when the total is 0). */ readonly percent: number;
};

function share(cents: number, total: number): Share {
  return { cents, percent: total > 0 ? (cents * 100) / total : 0 };
}

function sum(actions: readonly Action[]): number {
  return actions.reduce((s, a) => s + a.budgetCents, 0);
}

/** Funding by source: each source once (names matched ignoring case), largest first; '' is "no source named". */
export function totalsBySource(actions: readonly Action[]): (Share & { readonly source: string })[] {
  const total = sum(actions);
  const bySource = new Map<string, { source: string; cents: number }>();
  for (const action of actions)
    for (const line of action.split) {
      const key = nameKey(line.source);
      const row = bySource.get(key) ?? { source: line.source.trim(), cents: 0 };
      row.cents += line.cents;
      bySource.set(key, row);
    }
  return [...bySource.values()]
    .map((row) => ({ source: row.source, ...share(row.cents, total) }))
    .sort((a, b) => b.cents - a.cents || a.source.localeCompare(b.source));
}

/**
 * Budget by theme: an action linked to several themes counts for each an equal part (to the cent),
 * so the rows add up to the plan's total; `themeId` null is the actions with no theme. In theme order.
 */
export function totalsByTheme(
  workshop: Workshop,
  actions: readonly Action[] = workshop.actions,
): (Share & { readonly themeId: string | null })[] {
  const total = sum(actions);
  const byTheme = new Map<string | null, number>();
  for (const action of actions) {
    const themes = action.themeIds.length ? action.themeIds : [null];
    apportion(
      action.budgetCents,
      themes.map(() => 1),
    ).forEach((cents, i) => {
      const id = themes[i] ?? null;
      byTheme.set(id, (byTheme.get(id) ?? 0) + cents);
    });
  }
  const order = new Map<string | null, number>(workshop.themes.map((t, i) => [t.id, i]));
  return [...byTheme.entries()]
    .map(([themeId, cents]) => ({ themeId, ...share(cents, total) }))
    .sort((a, b) => (order.get(a.themeId) ?? Infinity) - (order.get(b.themeId) ?? Infinity));
}

/**
 * Budget by year: an action's budget is spread evenly over the months of its schedule (to the
 * cent), so one running from September to August counts in both years; `year` null is the
 * actions with no schedule. By year, then the unscheduled.
 */
export function totalsByYear(actions: readonly Action[]): (Share & { readonly year: number | null })[] {
  const total = sum(actions);
  const byYear = new Map<number | null, number>();
  for (const action of actions) {
    const start = action.start ?? action.end;
    const end = action.end ?? action.start;
    const months = start && end && end >= start ? monthRange(start, end) : [];
    if (months.length === 0) {
      byYear.set(null, (byYear.get(null) ?? 0) + action.budgetCents);
      continue;
    }
    apportion(
      action.budgetCents,
      months.map(() => 1),
    ).forEach((cents, i) => {
      const year = Number((months[i] ?? '').slice(0, 4));
      byYear.set(year, (byYear.get(year) ?? 0) + cents);
    });
  }
  return [...byYear.entries()]
    .map(([year, cents]) => ({ year, ...share(cents, total) }))
    .sort((a, b) => (a.year ?? Infinity) - (b.year ?? Infinity));
}

export type PackageSummary = {
  readonly package: WorkPackage;
  readonly actions: readonly Action[];
  /** Its actions' budgets summed. */
  readonly budgetCents: number;
  /** Its own period when it has one (a start, an end or both), else its actions' earliest start and latest end. */
  readonly start: string | null;
  readonly end: string | null;
};

/** Each work package with its actions, budget and period, in order. */
export function packageSummaries(workshop: Workshop): PackageSummary[] {
  return workshop.plan.packages.map((pkg) => {
    const actions = workshop.actions.filter((a) => a.workPackageId === pkg.id);
    const starts = actions
      .map((a) => a.start)
      .filter((m): m is string => m !== null)
      .sort();
    const own = pkg.start !== null || pkg.end !== null;
    const ends = actions
      .map((a) => a.end ?? a.start)
      .filter((m): m is string => m !== null)
      .sort();
    return {
      package: pkg,
      actions,
      budgetCents: sum(actions),
      // Its own period when it has one (never half its own, half its actions').
      start: own ? pkg.start : (starts[0] ?? null),
      end: own ? pkg.end : (ends[ends.length - 1] ?? null),
    };
  });
}

/** Budget by work package, in package order, then the actions in no package (`packageId` null). */
export function totalsByPackage(
  workshop: Workshop,
  actions: readonly Action[] = workshop.actions,
): (Share & { readonly packageId: string | null })[] {
  const total = sum(actions);
  const rows = workshop.plan.packages.map((pkg): Share & { packageId: string | null } => ({
    packageId: pkg.id,
    ...share(sum(actions.filter((a) => a.workPackageId === pkg.id)), total),
  }));
  const loose = actions.filter((a) => a.workPackageId === null);
  if (loose.length) rows.push({ packageId: null, ...share(sum(loose), total) });
  return rows;
}

export type BudgetCheck = {
  readonly totalCents: number;
  readonly minCents: number | null;
  readonly maxCents: number | null;
  /** Against the plan's budget: below its range, within it, over it; null when no budget is set. */
  readonly standing: 'under' | 'within' | 'over' | null;
  /** What is left up to the ceiling (negative when over); null without a ceiling. */
  readonly leftCents: number | null;
};

/** The plan's total against its ceiling or range. */
export function budgetCheck(workshop: Workshop, actions: readonly Action[] = workshop.actions): BudgetCheck {
  const totalCents = sum(actions);
  const { budgetMinCents: min, budgetMaxCents: max } = workshop.plan;
  const standing =
    min === null && max === null
      ? null
      : max !== null && totalCents > max
        ? 'over'
        : min !== null && totalCents < min
          ? 'under'
          : 'within';
  return {
    totalCents,
    minCents: min,
    maxCents: max,
    standing,
    leftCents: max === null ? null : max - totalCents,
  };
}

/** The plan's municipal share: the funding lines whose source the plan marks municipal. */
export function municipalShare(workshop: Workshop, actions: readonly Action[] = workshop.actions): number {
  const municipal = new Set(workshop.plan.sources.filter((s) => s.municipal).map((s) => nameKey(s.name)));
  let cents = 0;
  for (const action of actions)
    for (const line of action.split) if (municipal.has(nameKey(line.source))) cents += line.cents;
  return cents;
}

export type CostShareRow = Share & { readonly municipality: Municipality };

export type CostSharingResult = {
  /** The municipal share to be split. */
  readonly shareCents: number;
  readonly rows: readonly CostShareRow[];
  /** The rows' sum. */
  readonly totalCents: number;
  /** The rows' sum less the share: 0 when they match (always, unless the method is `amount`). */
  readonly differenceCents: number;
  /** Method `population` with a member whose population is not given: its row is 0. */
  readonly missingPopulation: readonly Municipality[];
};

/**
 * The municipal share split among the municipalities that share it: as amounts set for each, by
 * population, or equally; computed splits are exact to the cent (largest remainders).
 */
export function costSharing(
  workshop: Workshop,
  actions: readonly Action[] = workshop.actions,
): CostSharingResult {
  const { costSharing: sharing, municipalities } = workshop.plan;
  const shareCents = municipalShare(workshop, actions);
  const byId = new Map(municipalities.map((m) => [m.id, m]));
  const members = sharing.members.flatMap((m) => {
    const municipality = byId.get(m.municipalityId);
    return municipality ? [{ municipality, cents: m.cents }] : [];
  });
  const amounts =
    sharing.method === 'amount'
      ? members.map((m) => m.cents)
      : apportion(
          shareCents,
          members.map((m) => (sharing.method === 'population' ? (m.municipality.population ?? 0) : 1)),
        );
  // By population with no population given at all: nobody's share is known.
  const unknown = sharing.method === 'population' && members.every((m) => !m.municipality.population);
  const cents = unknown ? members.map(() => 0) : amounts;
  const totalCents = cents.reduce((s, c) => s + c, 0);
  return {
    shareCents,
    rows: members.map((m, i) => ({ municipality: m.municipality, ...share(cents[i] ?? 0, totalCents) })),
    totalCents,
    differenceCents: totalCents - shareCents,
    missingPopulation:
      sharing.method === 'population'
        ? members.filter((m) => m.municipality.population === null).map((m) => m.municipality)
        : [],
  };
}

export type HeatTable = {
  /** Column heads: stakeholder groups (lane titles over all needs boards), then '' for no lane. */
  readonly groups: readonly string[];
  /** One row per municipality of the list (then notes tagged with names not in it, then untagged: ''). */
  readonly rows: readonly {
    readonly municipality: string;
    readonly counts: readonly number[];
    readonly total: number;
  }[];
  /** The largest count in a cell, for shading. */
  readonly max: number;
};

/** Needs per municipality and stakeholder group. */
export function needsHeat(workshop: Workshop): HeatTable {
  const needsBoards = new Map(workshop.boards.filter((b) => b.kind === 'needs').map((b) => [b.id, b]));
  const groups: string[] = [];
  const groupIndex = new Map<string, number>();
  for (const board of needsBoards.values())
    for (const lane of board.lanes)
      if (!groupIndex.has(nameKey(lane.title))) {
        groupIndex.set(nameKey(lane.title), groups.length);
        groups.push(lane.title.trim());
      }
  const hasLoose = workshop.notes.some((n) => needsBoards.has(n.boardId) && n.laneId === null);
  if (hasLoose) groups.push('');
  const names = workshop.plan.municipalities.map((m) => m.name);
  const rowIndex = new Map(names.map((n, i) => [nameKey(n), i]));
  const counts: number[][] = names.map(() => groups.map(() => 0));
  for (const note of workshop.notes) {
    const board = needsBoards.get(note.boardId);
    if (!board) continue;
    const name = note.municipality?.trim() ?? '';
    let row = rowIndex.get(nameKey(name));
    if (row === undefined) {
      row = counts.length;
      rowIndex.set(nameKey(name), row);
      names.push(name);
      counts.push(groups.map(() => 0));
    }
    const lane = note.laneId === null ? undefined : board.lanes.find((l) => l.id === note.laneId);
    const col = lane ? (groupIndex.get(nameKey(lane.title)) ?? 0) : groups.length - 1;
    const cells = counts[row];
    if (cells) cells[col] = (cells[col] ?? 0) + 1;
  }
  // Untagged needs last.
  const order = names
    .map((_, i) => i)
    .sort((a, b) => Number(names[a] === '') - Number(names[b] === '') || a - b);
  const rows = order.map((i) => {
    const cells = counts[i] ?? [];
    return { municipality: names[i] ?? '', counts: cells, total: cells.reduce((s, c) => s + c, 0) };
  });
  return { groups, rows, max: Math.max(0, ...rows.flatMap((r) => r.counts)) };
}

/** The actions that name each municipality of the list as a partner (or owner), in list order. */
export function actionsPerMunicipality(
  workshop: Workshop,
): { readonly municipality: Municipality; readonly actions: readonly Action[] }[] {
  return workshop.plan.municipalities.map((municipality) => {
    const key = nameKey(municipality.name);
    return {
      municipality,
      actions: workshop.actions.filter(
        (a) => nameKey(a.owner) === key || a.partners.some((p) => nameKey(p) === key),
      ),
    };
  });
}

/** What an export is limited to: one work package or one owner; null for the whole plan. */
export type PlanScope =
  | { readonly kind: 'package'; readonly packageId: string }
  | { readonly kind: 'owner'; readonly owner: string }
  | null;

/** The actions in `scope`, in plan order. */
export function actionsInScope(workshop: Workshop, scope: PlanScope): readonly Action[] {
  if (scope === null) return workshop.actions;
  if (scope.kind === 'package') return workshop.actions.filter((a) => a.workPackageId === scope.packageId);
  const owner = nameKey(scope.owner);
  return workshop.actions.filter((a) => nameKey(a.owner) === owner);
}
