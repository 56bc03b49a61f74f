/**
 * Reading the plan's own lists and settings from the root map \`plan\` (shared/model/plan.ts
 * writes them). Every entry is a key of its own in the one root map (\`municipality:<id>\`,
 * \`package:<id>\`, ...), never an item of a nested map created on first use: two people who add
 * the first municipality at the same moment would otherwise each create the nested map and one of
 * the two maps, with what was added to it, would be lost. Key prefixes and field names are wire
 * format: never rename.
 */
import * as Y from 'yjs';
import { byOrder, int, num, oneOf, str } from './fields';
import { roots } from './roots';
import {
  ACTION_STATUSES,
  COST_SHARE_METHODS,
  MONTH_PATTERN,
  type ActionStatus,
  type BaselineIndicator,
  type Board,
  type CostSharing,
  type FundingSource,
  type Month,
  type Municipality,
  type Objective,
  type Organisation,
  type Plan,
  type RecurringItem,
  type WorkPackage,
} from './schema';

/** Key prefixes of the plan root's entries. Wire format: never rename. */
export const PLAN_PREFIX = {
  municipality: 'municipality:',
  organisation: 'organisation:',
  source: 'source:',
  package: 'package:',
  objective: 'objective:',
  recurring: 'recurring:',
  statusName: 'statusName:',
  share: 'share:',
} as const;
export type ListKind = 'municipality' | 'organisation' | 'source' | 'package' | 'objective' | 'recurring';

/** Longest name or title kept in the plan's lists; longer is refused. */
export const MAX_PLAN_NAME = 200;
/** Longest baseline text. */
export const MAX_BASELINE = 5_000;
/** Most baseline indicators per municipality. */
export const MAX_INDICATORS = 20;

/** Entries of the plan root with `prefix`, as [id, map], in key order. */
export function listed(plan: Y.Map<unknown>, prefix: string): [string, Y.Map<unknown>][] {
  const out: [string, Y.Map<unknown>][] = [];
  plan.forEach((value, key) => {
    if (key.startsWith(prefix) && value instanceof Y.Map && key.length > prefix.length)
      out.push([key.slice(prefix.length), value as Y.Map<unknown>]);
  });
  return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

export function readMonth(map: Y.Map<unknown>, key: string): Month | null {
  const value = str(map, key);
  return MONTH_PATTERN.test(value) ? value : null;
}

function readIndicators(map: Y.Map<unknown>): BaselineIndicator[] {
  const value: unknown = map.get('indicators');
  if (!Array.isArray(value)) return [];
  return value
    .filter(
      (entry): entry is { label: string; value: unknown } =>
        typeof entry === 'object' &&
        entry !== null &&
        typeof (entry as { label?: unknown }).label === 'string',
    )
    .slice(0, MAX_INDICATORS)
    .map((entry) => ({ label: entry.label, value: typeof entry.value === 'string' ? entry.value : '' }));
}

function readMonths(map: Y.Map<unknown>): number[] {
  const value: unknown = map.get('months');
  if (!Array.isArray(value)) return [];
  const months = value.filter((m): m is number => Number.isInteger(m) && m >= 1 && m <= 12);
  return [...new Set(months)].sort((a, b) => a - b);
}

/** Drops later entries whose name repeats an earlier one's (two people adding one name at once). */
function uniqueByName<T extends { name: string }>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = nameKey(item.name);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** How names are matched (funding sources, municipalities): trimmed, ignoring case. */
export function nameKey(name: string): string {
  return name.trim().toLocaleLowerCase();
}

/** The id a workshop from before the plan gives the municipality named at `index` of its boards' lists. */
export function legacyMunicipalityId(index: number): string {
  return `legacy-${index}`;
}

/** Municipalities named on boards (workshops from before the plan had only these). */
export function boardMunicipalities(boards: readonly Board[]): string[] {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const board of boards)
    for (const name of board.municipalities)
      if (name.trim() && !seen.has(nameKey(name))) {
        seen.add(nameKey(name));
        names.push(name.trim());
      }
  return names;
}

/** The plan as plain data. `boards` supplies the municipalities of a workshop from before the plan. */
export function readPlan(doc: Y.Doc, boards: readonly Board[]): Plan {
  const plan = roots(doc).plan;
  const stored = uniqueByName(
    listed(plan, PLAN_PREFIX.municipality)
      .map(([id, m]): Municipality => ({
        id,
        name: str(m, 'name').trim(),
        order: num(m, 'order'),
        population: populationOf(m),
        baseline: str(m, 'baseline'),
        indicators: readIndicators(m),
      }))
      .filter((m) => m.name !== '')
      .sort(byOrder),
  );
  const municipalities = hasMunicipalityList(plan)
    ? stored
    : boardMunicipalities(boards).map((name, i): Municipality => ({
        id: legacyMunicipalityId(i),
        name,
        order: i,
        population: null,
        baseline: '',
        indicators: [],
      }));
  const named = (kind: ListKind) =>
    listed(plan, PLAN_PREFIX[kind]).map(([id, m]) => ({ id, map: m, order: num(m, 'order') }));
  const organisations = uniqueByName(
    named('organisation')
      .map(({ id, map, order }): Organisation => ({ id, name: str(map, 'name').trim(), order }))
      .filter((o) => o.name !== '')
      .sort(byOrder),
  );
  const sources = uniqueByName(
    named('source')
      .map(({ id, map, order }): FundingSource => ({
        id,
        name: str(map, 'name').trim(),
        municipal: map.get('municipal') === true,
        order,
      }))
      .filter((s) => s.name !== '')
      .sort(byOrder),
  );
  const packages = named('package')
    .map(({ id, map, order }): WorkPackage => ({
      id,
      title: str(map, 'title'),
      owner: str(map, 'owner'),
      start: readMonth(map, 'start'),
      end: readMonth(map, 'end'),
      order,
    }))
    .sort(byOrder);
  const objectives = named('objective')
    .map(({ id, map, order }): Objective => ({ id, title: str(map, 'title'), area: str(map, 'area'), order }))
    .sort(byOrder);
  const recurring = named('recurring')
    .map(({ id, map, order }): RecurringItem => ({
      id,
      title: str(map, 'title'),
      months: readMonths(map),
      owner: str(map, 'owner'),
      order,
    }))
    .filter((r) => r.months.length > 0)
    .sort(byOrder);
  const statusNames: Partial<Record<ActionStatus, string>> = {};
  for (const status of ACTION_STATUSES) {
    const name = plan.get(PLAN_PREFIX.statusName + status);
    if (typeof name === 'string' && name.trim()) statusNames[status] = name.trim();
  }
  return {
    municipalities,
    organisations,
    sources,
    packages,
    objectives,
    recurring,
    statusNames,
    budgetMinCents: centsOrNull(plan.get('budgetMinCents')),
    budgetMaxCents: centsOrNull(plan.get('budgetMaxCents')),
    costSharing: readCostSharing(plan, municipalities),
    wheelStart: Math.min(12, Math.max(1, int(plan, 'wheelStart', 1))),
  };
}

function populationOf(map: Y.Map<unknown>): number | null {
  const value = map.get('population');
  return Number.isSafeInteger(value) && (value as number) >= 0 ? (value as number) : null;
}

function centsOrNull(value: unknown): number | null {
  return Number.isSafeInteger(value) && (value as number) >= 0 ? (value as number) : null;
}

/** Whether the workshop has its own municipality list (else its boards' lists are read). */
export function hasMunicipalityList(plan: Y.Map<unknown>): boolean {
  return plan.get('municipalityList') === true;
}

function readCostSharing(plan: Y.Map<unknown>, municipalities: readonly Municipality[]): CostSharing {
  const members = municipalities.flatMap((m) => {
    const value = plan.get(PLAN_PREFIX.share + m.id);
    return Number.isSafeInteger(value) && (value as number) >= 0
      ? [{ municipalityId: m.id, cents: value as number }]
      : [];
  });
  return { method: oneOf(plan, 'costShareMethod', COST_SHARE_METHODS, 'amount'), members };
}

/** Ids of the objectives and work packages that exist now. */
export function planIds(doc: Y.Doc): { objectives: Set<string>; packages: Set<string> } {
  const plan = roots(doc).plan;
  return {
    objectives: new Set(listed(plan, PLAN_PREFIX.objective).map(([id]) => id)),
    packages: new Set(listed(plan, PLAN_PREFIX.package).map(([id]) => id)),
  };
}
