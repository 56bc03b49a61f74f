/**
 * The workshop outline: a neutral JSON form of a workshop (needs, themes, actions) used as the
 * template format and for example workshops. See docs in README.md ("Workshop outline format").
 * parseOutline checks untrusted input field by field; importOutline writes a parsed outline into
 * a new document; exportOutline reads any workshop back into an outline.
 */
import type * as Y from 'yjs';
import {
  isValidId,
  type ActionId,
  type LaneId,
  type NoteId,
  type ParticipantId,
  type RoundId,
  type ThemeId,
} from '../ids';
import { LOCALES } from '../i18n';
import { readWorkshop } from '../model/read';
import {
  addFundingLine,
  addFundingSource,
  addMunicipality,
  addObjective,
  addOrganisation,
  addRecurring,
  addWorkPackage,
  alignAction,
  isSingleBudget,
  MAX_BASELINE,
  MAX_FUNDING_LINES,
  MAX_INDICATORS,
  nameKey,
  setActionPackage,
  setCostShare,
  setCostShareMethod,
  setPlanBudget,
  setStatusName,
  setWheelStart,
} from '../model/plan';
import {
  ACTION_STATUSES,
  COST_SHARE_METHODS,
  LANGUAGES,
  MONTH_PATTERN,
  NOTE_COLOURS,
  type Action,
  type ActionStatus,
  type BaselineIndicator,
  type CostShareMethod,
  type Language,
  type Municipality,
  type Workshop,
} from '../model/schema';
import { totalVotes } from '../model/votes';
import {
  addAction,
  addLane,
  addNote,
  createTheme,
  createWorkshop,
  LOCAL_ORIGIN,
  moveNoteToTheme,
  openVoteRound,
  setMunicipalities,
  setRoundState,
  setVote,
  TEMPLATE_BOARD_IDS,
} from '../model/write';
import { fail, ok, type ParseError, type Result } from '../result';

export type OutlineNeed = {
  readonly id: string;
  readonly text: string;
  readonly stakeholder: string;
  readonly municipality?: string;
  readonly votes?: number;
};

export type OutlineTheme = { readonly id: string; readonly title: string; readonly needs: readonly string[] };

export type OutlineAction = {
  readonly id: string;
  readonly title: string;
  readonly description?: string;
  readonly themes: readonly string[];
  readonly owner: string;
  readonly partners: readonly string[];
  readonly start: string;
  readonly end: string;
  readonly budgetEur: number;
  readonly funding: string;
  /** The budget split over funding sources; when given, `budgetEur` is its sum. */
  readonly fundingSplit?: readonly OutlineFundingLine[];
  /** The id of its work package. */
  readonly workPackage?: string;
  /** Ids of the strategy objectives it serves. */
  readonly objectives?: readonly string[];
  readonly indicator: string;
  readonly status: ActionStatus;
};

export type OutlineFundingLine = { readonly source: string; readonly amountEur: number };

/** A municipality: its name, or its name with population and baseline. */
export type OutlineMunicipality =
  | string
  | {
      readonly name: string;
      readonly population?: number;
      readonly baseline?: string;
      readonly indicators?: readonly BaselineIndicator[];
    };

export type OutlineWorkPackage = {
  readonly id: string;
  readonly title: string;
  readonly owner?: string;
  readonly start?: string;
  readonly end?: string;
};

export type OutlineObjective = { readonly id: string; readonly title: string; readonly area?: string };

export type OutlineRecurring = {
  readonly id: string;
  readonly title: string;
  readonly months: readonly number[];
  readonly owner?: string;
};

export type OutlineCostSharing = {
  readonly method: CostShareMethod;
  /** The municipalities that share the municipal share, each by name (with its amount for `amount`). */
  readonly municipalities: readonly { readonly name: string; readonly amountEur?: number }[];
};

/** A workshop outline (the template and example format). */
export type Outline = {
  readonly title: string;
  readonly language: Language;
  readonly stakeholders: readonly string[];
  readonly municipalities?: readonly OutlineMunicipality[];
  readonly needs: readonly OutlineNeed[];
  readonly themes: readonly OutlineTheme[];
  readonly actions: readonly OutlineAction[];
  // The plan (all optional; an outline without them is a workshop without a plan).
  readonly organisations?: readonly string[];
  readonly fundingSources?: readonly { readonly name: string; readonly municipal?: boolean }[];
  /** The plan's budget: a ceiling (`maxEur`) or a range. */
  readonly budget?: { readonly minEur?: number; readonly maxEur?: number };
  readonly workPackages?: readonly OutlineWorkPackage[];
  readonly objectives?: readonly OutlineObjective[];
  readonly statusNames?: Readonly<Partial<Record<ActionStatus, string>>>;
  readonly costSharing?: OutlineCostSharing;
  readonly recurring?: readonly OutlineRecurring[];
  /** The annual wheel's first month, 1–12. */
  readonly wheelStart?: number;
};

/** Largest outline file accepted, in characters. */
export const MAX_OUTLINE_CHARS = 5_000_000;
const MAX_TEXT = 5_000;
const MAX_SHORT = 500;
/** At most this many problems are reported at once. */
const MAX_ERRORS = 20;

class Checker {
  readonly errors: ParseError[] = [];
  problem(path: string, message: string): void {
    if (this.errors.length < MAX_ERRORS) this.errors.push({ path, message });
  }
  record(value: unknown, path: string): Record<string, unknown> | null {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
    this.problem(path, `must be an object, not ${describe(value)}`);
    return null;
  }
  list(value: unknown, path: string): unknown[] {
    if (Array.isArray(value)) return value;
    this.problem(path, `must be a list, not ${describe(value)}`);
    return [];
  }
  text(value: unknown, path: string, max: number, required = true): string {
    if (typeof value !== 'string') {
      this.problem(path, `must be text, not ${describe(value)}`);
      return '';
    }
    if (required && value.trim() === '') this.problem(path, 'must not be empty');
    if (value.length > max)
      this.problem(path, `is ${value.length} characters long; at most ${max} are allowed`);
    return value;
  }
  id(value: unknown, path: string, seen: Set<string>): string {
    if (!isValidId(value)) {
      this.problem(path, `must be an id of 1–64 letters, digits or _ . : - (got ${describe(value)})`);
      return '';
    }
    if (seen.has(value)) this.problem(path, `"${value}" is used twice`);
    seen.add(value);
    return value;
  }
  month(value: unknown, path: string): string {
    if (typeof value !== 'string' || !MONTH_PATTERN.test(value)) {
      this.problem(path, `must be a month as YYYY-MM, not ${describe(value)}`);
      return '';
    }
    return value;
  }
  strings(value: unknown, path: string): string[] {
    return this.list(value, path).map((item, i) => this.text(item, `${path}[${i}]`, MAX_SHORT));
  }
  /** An amount in euros with at most cents, as integer cents (0 after a problem). */
  euros(value: unknown, path: string): number {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      this.problem(path, `must be a number of 0 or more, not ${describe(value)}`);
      return 0;
    }
    if (Math.abs(Math.round(value * 100) - value * 100) > 1e-6) {
      this.problem(path, `${value} has fractions of a cent`);
      return 0;
    }
    if (!Number.isSafeInteger(Math.round(value * 100))) {
      this.problem(path, `${value} is too large`);
      return 0;
    }
    return Math.round(value * 100);
  }
  /** Names listed once each (matched ignoring case). */
  names(value: unknown, path: string): string[] {
    const seen = new Set<string>();
    return this.list(value, path).map((item, i) => {
      const name = this.text(item, `${path}[${i}]`, MAX_SHORT);
      if (seen.has(nameKey(name))) this.problem(`${path}[${i}]`, `"${name}" is listed twice`);
      seen.add(nameKey(name));
      return name;
    });
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${value}`;
  return typeof value;
}

function oneOf<T extends string>(c: Checker, value: unknown, path: string, allowed: readonly T[]): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  c.problem(path, `must be one of ${allowed.join(', ')}, not ${describe(value)}`);
  return allowed[0] as T;
}

/** Parses an outline from untrusted JSON text. Errors name each field and its problem. */
export function parseOutlineText(text: string): Result<Outline, ParseError[]> {
  if (text.length > MAX_OUTLINE_CHARS) {
    return fail([
      {
        path: '',
        message: `The file is too large (${text.length} characters; at most ${MAX_OUTLINE_CHARS}).`,
      },
    ]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return fail([{ path: '', message: `The file is not valid JSON: ${(error as Error).message}` }]);
  }
  return parseOutline(json);
}

/** Parses an outline from an untrusted value. Nothing is written anywhere. */
export function parseOutline(input: unknown): Result<Outline, ParseError[]> {
  const c = new Checker();
  const root = c.record(input, '(outline)');
  if (!root) return fail(c.errors);

  const title = c.text(root.title, 'title', MAX_SHORT);
  const language = oneOf(c, root.language, 'language', LANGUAGES);
  const stakeholders = c.strings(root.stakeholders, 'stakeholders');
  const stakeholderSet = new Set<string>();
  stakeholders.forEach((s, i) => {
    if (stakeholderSet.has(s)) c.problem(`stakeholders[${i}]`, `"${s}" is listed twice`);
    stakeholderSet.add(s);
  });
  const municipalities =
    root.municipalities === undefined
      ? undefined
      : c
          .list(root.municipalities, 'municipalities')
          .map((raw, i) => parseMunicipality(c, raw, `municipalities[${i}]`));
  const seenMunicipalities = new Set<string>();
  (municipalities ?? []).forEach((m, i) => {
    const key = nameKey(typeof m === 'string' ? m : m.name);
    if (seenMunicipalities.has(key)) c.problem(`municipalities[${i}]`, 'is listed twice');
    seenMunicipalities.add(key);
  });
  // Ids the actions may refer to (the lists themselves are checked with the rest of the plan).
  const idsOf = (value: unknown): Set<string> =>
    new Set(
      (Array.isArray(value) ? value : [])
        .map((item: unknown) =>
          typeof item === 'object' && item !== null ? (item as { id?: unknown }).id : undefined,
        )
        .filter((id): id is string => isValidId(id)),
    );
  const packageIds = idsOf(root.workPackages);
  const objectiveIds = idsOf(root.objectives);

  const needIds = new Set<string>();
  const needs = c.list(root.needs, 'needs').map((raw, i): OutlineNeed => {
    const path = `needs[${i}]`;
    const need = c.record(raw, path) ?? {};
    const id = c.id(need.id, `${path}.id`, needIds);
    const text = c.text(need.text, `${path}.text`, MAX_TEXT);
    const stakeholder = c.text(need.stakeholder, `${path}.stakeholder`, MAX_SHORT, false);
    if (stakeholder !== '' && !stakeholderSet.has(stakeholder)) {
      c.problem(`${path}.stakeholder`, `"${stakeholder}" is not one of the stakeholders`);
    }
    const out: { -readonly [K in keyof OutlineNeed]: OutlineNeed[K] } = { id, text, stakeholder };
    if (need.municipality !== undefined) {
      out.municipality = c.text(need.municipality, `${path}.municipality`, MAX_SHORT);
    }
    if (need.votes !== undefined) {
      if (!Number.isSafeInteger(need.votes) || (need.votes as number) < 0) {
        c.problem(`${path}.votes`, `must be a whole number of 0 or more, not ${describe(need.votes)}`);
      } else {
        out.votes = need.votes as number;
      }
    }
    return out;
  });

  const themeIds = new Set<string>();
  const themeOfNeed = new Map<string, string>();
  const themes = c.list(root.themes, 'themes').map((raw, i): OutlineTheme => {
    const path = `themes[${i}]`;
    const theme = c.record(raw, path) ?? {};
    const id = c.id(theme.id, `${path}.id`, themeIds);
    const members = c.list(theme.needs, `${path}.needs`).map((needId, j) => {
      const needPath = `${path}.needs[${j}]`;
      if (typeof needId !== 'string' || !needIds.has(needId)) {
        c.problem(needPath, `${describe(needId)} is not the id of a need`);
        return '';
      }
      const other = themeOfNeed.get(needId);
      if (other !== undefined)
        c.problem(needPath, `need "${needId}" is already in theme "${other}"; a need belongs to one theme`);
      themeOfNeed.set(needId, id);
      return needId;
    });
    return { id, title: c.text(theme.title, `${path}.title`, MAX_SHORT), needs: members };
  });

  const actionIds = new Set<string>();
  const actions = c.list(root.actions, 'actions').map((raw, i): OutlineAction => {
    const path = `actions[${i}]`;
    const a = c.record(raw, path) ?? {};
    const id = c.id(a.id, `${path}.id`, actionIds);
    const linked = c.list(a.themes, `${path}.themes`).map((themeId, j) => {
      if (typeof themeId !== 'string' || !themeIds.has(themeId)) {
        c.problem(`${path}.themes[${j}]`, `${describe(themeId)} is not the id of a theme`);
        return '';
      }
      return themeId;
    });
    const start = c.month(a.start, `${path}.start`);
    const end = c.month(a.end, `${path}.end`);
    if (start && end && end < start) c.problem(`${path}.end`, `${end} is before the start ${start}`);
    const budget = a.budgetEur;
    const budgetCents = c.euros(budget, `${path}.budgetEur`);
    const out: { -readonly [K in keyof OutlineAction]: OutlineAction[K] } = {
      id,
      title: c.text(a.title, `${path}.title`, MAX_SHORT),
      themes: linked,
      owner: c.text(a.owner, `${path}.owner`, MAX_SHORT, false),
      partners: c.strings(a.partners, `${path}.partners`),
      start,
      end,
      budgetEur: typeof budget === 'number' ? budget : 0,
      funding: c.text(a.funding, `${path}.funding`, MAX_SHORT, false),
      indicator: c.text(a.indicator, `${path}.indicator`, MAX_TEXT, false),
      status: oneOf(c, a.status, `${path}.status`, ACTION_STATUSES),
    };
    if (a.description !== undefined) {
      out.description = c.text(a.description, `${path}.description`, MAX_TEXT, false);
    }
    if (a.fundingSplit !== undefined) {
      const lines = c.list(a.fundingSplit, `${path}.fundingSplit`);
      if (lines.length > MAX_FUNDING_LINES)
        c.problem(
          `${path}.fundingSplit`,
          `has ${lines.length} lines; at most ${MAX_FUNDING_LINES} are allowed`,
        );
      let sum = 0;
      out.fundingSplit = lines.map((raw, j) => {
        const linePath = `${path}.fundingSplit[${j}]`;
        const line = c.record(raw, linePath) ?? {};
        const cents = c.euros(line.amountEur, `${linePath}.amountEur`);
        sum += cents;
        return {
          source: c.text(line.source, `${linePath}.source`, MAX_SHORT, false),
          amountEur: typeof line.amountEur === 'number' ? line.amountEur : 0,
        };
      });
      if (sum !== budgetCents)
        c.problem(`${path}.budgetEur`, `${describe(budget)} is not the sum of fundingSplit (${sum / 100})`);
    }
    if (a.workPackage !== undefined) {
      if (typeof a.workPackage !== 'string' || !packageIds.has(a.workPackage))
        c.problem(`${path}.workPackage`, `${describe(a.workPackage)} is not the id of a work package`);
      else out.workPackage = a.workPackage;
    }
    if (a.objectives !== undefined)
      out.objectives = c.list(a.objectives, `${path}.objectives`).map((objectiveId, j) => {
        if (typeof objectiveId !== 'string' || !objectiveIds.has(objectiveId)) {
          c.problem(`${path}.objectives[${j}]`, `${describe(objectiveId)} is not the id of an objective`);
          return '';
        }
        return objectiveId;
      });
    return out;
  });

  const plan = parsePlan(c, root, municipalities ?? []);
  if (c.errors.length) return fail(c.errors);
  const outline: Outline = { title, language, stakeholders, needs, themes, actions };
  return ok({ ...outline, ...(municipalities === undefined ? {} : { municipalities }), ...plan });
}

type PlanPart = Omit<
  Outline,
  'title' | 'language' | 'stakeholders' | 'municipalities' | 'needs' | 'themes' | 'actions'
>;

function parseMunicipality(c: Checker, raw: unknown, path: string): OutlineMunicipality {
  if (typeof raw === 'string') return c.text(raw, path, MAX_SHORT);
  const m = c.record(raw, path) ?? {};
  const out: {
    -readonly [K in keyof Exclude<OutlineMunicipality, string>]: Exclude<OutlineMunicipality, string>[K];
  } = {
    name: c.text(m.name, `${path}.name`, MAX_SHORT),
  };
  if (m.population !== undefined) {
    if (!Number.isSafeInteger(m.population) || (m.population as number) < 0)
      c.problem(`${path}.population`, `must be a whole number of 0 or more, not ${describe(m.population)}`);
    else out.population = m.population as number;
  }
  if (m.baseline !== undefined) out.baseline = c.text(m.baseline, `${path}.baseline`, MAX_BASELINE, false);
  if (m.indicators !== undefined) {
    const list = c.list(m.indicators, `${path}.indicators`);
    if (list.length > MAX_INDICATORS)
      c.problem(`${path}.indicators`, `are ${list.length}; at most ${MAX_INDICATORS} are allowed`);
    out.indicators = list.map((rawIndicator, i) => {
      const indicator = c.record(rawIndicator, `${path}.indicators[${i}]`) ?? {};
      return {
        label: c.text(indicator.label, `${path}.indicators[${i}].label`, MAX_SHORT),
        value: c.text(indicator.value, `${path}.indicators[${i}].value`, MAX_SHORT, false),
      };
    });
  }
  return out;
}

/** The plan's optional parts of an outline (the action fields that refer to them are checked with the actions). */
function parsePlan(
  c: Checker,
  root: Record<string, unknown>,
  municipalities: readonly OutlineMunicipality[],
): PlanPart {
  const out: { -readonly [K in keyof PlanPart]: PlanPart[K] } = {};
  if (root.organisations !== undefined) out.organisations = c.names(root.organisations, 'organisations');
  if (root.fundingSources !== undefined) {
    const seen = new Set<string>();
    out.fundingSources = c.list(root.fundingSources, 'fundingSources').map((raw, i) => {
      const path = `fundingSources[${i}]`;
      const source = c.record(raw, path) ?? {};
      const name = c.text(source.name, `${path}.name`, MAX_SHORT);
      if (seen.has(nameKey(name))) c.problem(`${path}.name`, `"${name}" is listed twice`);
      seen.add(nameKey(name));
      if (source.municipal !== undefined && typeof source.municipal !== 'boolean')
        c.problem(`${path}.municipal`, `must be true or false, not ${describe(source.municipal)}`);
      return source.municipal === true ? { name, municipal: true } : { name };
    });
  }
  if (root.budget !== undefined) {
    const budget = c.record(root.budget, 'budget') ?? {};
    const range: { minEur?: number; maxEur?: number } = {};
    if (budget.minEur !== undefined) {
      c.euros(budget.minEur, 'budget.minEur');
      range.minEur = budget.minEur as number;
    }
    if (budget.maxEur !== undefined) {
      c.euros(budget.maxEur, 'budget.maxEur');
      range.maxEur = budget.maxEur as number;
    }
    if (range.minEur !== undefined && range.maxEur !== undefined && range.maxEur < range.minEur)
      c.problem('budget.maxEur', `${range.maxEur} is below the range's start ${range.minEur}`);
    out.budget = range;
  }
  if (root.workPackages !== undefined) {
    const ids = new Set<string>();
    out.workPackages = c.list(root.workPackages, 'workPackages').map((raw, i) => {
      const path = `workPackages[${i}]`;
      const p = c.record(raw, path) ?? {};
      const pkg: { -readonly [K in keyof OutlineWorkPackage]: OutlineWorkPackage[K] } = {
        id: c.id(p.id, `${path}.id`, ids),
        title: c.text(p.title, `${path}.title`, MAX_SHORT),
      };
      if (p.owner !== undefined) pkg.owner = c.text(p.owner, `${path}.owner`, MAX_SHORT, false);
      if (p.start !== undefined) pkg.start = c.month(p.start, `${path}.start`);
      if (p.end !== undefined) pkg.end = c.month(p.end, `${path}.end`);
      if (pkg.start && pkg.end && pkg.end < pkg.start)
        c.problem(`${path}.end`, `${pkg.end} is before the start ${pkg.start}`);
      return pkg;
    });
  }
  if (root.objectives !== undefined) {
    const ids = new Set<string>();
    out.objectives = c.list(root.objectives, 'objectives').map((raw, i) => {
      const path = `objectives[${i}]`;
      const o = c.record(raw, path) ?? {};
      const objective: { -readonly [K in keyof OutlineObjective]: OutlineObjective[K] } = {
        id: c.id(o.id, `${path}.id`, ids),
        title: c.text(o.title, `${path}.title`, MAX_SHORT),
      };
      if (o.area !== undefined) objective.area = c.text(o.area, `${path}.area`, MAX_SHORT, false);
      return objective;
    });
  }
  if (root.statusNames !== undefined) {
    const names = c.record(root.statusNames, 'statusNames') ?? {};
    const statusNames: Partial<Record<ActionStatus, string>> = {};
    for (const [key, value] of Object.entries(names)) {
      if (!(ACTION_STATUSES as readonly string[]).includes(key))
        c.problem(`statusNames.${key}`, `is not a status (${ACTION_STATUSES.join(', ')})`);
      else statusNames[key as ActionStatus] = c.text(value, `statusNames.${key}`, MAX_SHORT);
    }
    out.statusNames = statusNames;
  }
  if (root.costSharing !== undefined) {
    const sharing = c.record(root.costSharing, 'costSharing') ?? {};
    const method = oneOf(c, sharing.method, 'costSharing.method', COST_SHARE_METHODS);
    const known = new Set(municipalities.map((m) => nameKey(typeof m === 'string' ? m : m.name)));
    const seen = new Set<string>();
    const members = c.list(sharing.municipalities, 'costSharing.municipalities').map((raw, i) => {
      const path = `costSharing.municipalities[${i}]`;
      const m = c.record(raw, path) ?? {};
      const name = c.text(m.name, `${path}.name`, MAX_SHORT);
      if (name && !known.has(nameKey(name)))
        c.problem(`${path}.name`, `"${name}" is not one of the municipalities`);
      if (seen.has(nameKey(name))) c.problem(`${path}.name`, `"${name}" is listed twice`);
      seen.add(nameKey(name));
      if (m.amountEur === undefined) return { name };
      c.euros(m.amountEur, `${path}.amountEur`);
      return { name, amountEur: m.amountEur as number };
    });
    out.costSharing = { method, municipalities: members };
  }
  if (root.recurring !== undefined) {
    const ids = new Set<string>();
    out.recurring = c.list(root.recurring, 'recurring').map((raw, i) => {
      const path = `recurring[${i}]`;
      const r = c.record(raw, path) ?? {};
      const months = c.list(r.months, `${path}.months`);
      if (months.length === 0) c.problem(`${path}.months`, 'must name at least one month');
      months.forEach((m, j) => {
        if (!Number.isInteger(m) || (m as number) < 1 || (m as number) > 12)
          c.problem(`${path}.months[${j}]`, `must be a month 1–12, not ${describe(m)}`);
      });
      const item: { -readonly [K in keyof OutlineRecurring]: OutlineRecurring[K] } = {
        id: c.id(r.id, `${path}.id`, ids),
        title: c.text(r.title, `${path}.title`, MAX_SHORT),
        months: months as number[],
      };
      if (r.owner !== undefined) item.owner = c.text(r.owner, `${path}.owner`, MAX_SHORT, false);
      return item;
    });
  }
  if (root.wheelStart !== undefined) {
    if (
      !Number.isInteger(root.wheelStart) ||
      (root.wheelStart as number) < 1 ||
      (root.wheelStart as number) > 12
    )
      c.problem('wheelStart', `must be a month 1–12, not ${describe(root.wheelStart)}`);
    else out.wheelStart = root.wheelStart as number;
  }
  return out;
}

/** The participant that holds votes carried in from an outline. */
export const OUTLINE_VOTER = 'outline' as ParticipantId;
/** The revealed round that holds votes carried in from an outline. */
export const OUTLINE_ROUND = 'outline-votes' as RoundId;

/** Lane id of the n-th stakeholder of an imported outline (deterministic). */
function laneId(index: number): LaneId {
  return `lane-${index + 1}` as LaneId;
}

/**
 * Writes `outline` into `doc`, which must be a new, empty workshop. Ids come from the outline,
 * so importing the same outline on two replicas writes the same keys rather than duplicates.
 * Everything is written in one transaction.
 */
export function importOutline(doc: Y.Doc, outline: Outline, created?: string): void {
  const boardKeys = ['needs', 'themes', 'actions'] as const;
  const messages = LOCALES[outline.language];
  doc.transact(() => {
    createWorkshop(doc, {
      title: outline.title,
      language: outline.language,
      currency: 'EUR',
      created,
      boardTitles: Object.fromEntries(boardKeys.map((k) => [k, messages[`board.${k}`]])) as Record<
        (typeof boardKeys)[number],
        string
      >,
    });
    const board = TEMPLATE_BOARD_IDS.needs;
    const lanes = new Map<string, LaneId>();
    outline.stakeholders.forEach((title, i) => {
      addLane(doc, board, title, laneId(i));
      lanes.set(title, laneId(i));
    });
    const municipalityIds = new Map<string, string>();
    (outline.municipalities ?? []).forEach((m, i) => {
      const { name, ...fields } = typeof m === 'string' ? { name: m } : m;
      municipalityIds.set(nameKey(name), addMunicipality(doc, name, fields, `municipality-${i + 1}`));
    });
    // Also on the board, as versions from before the plan read them.
    setMunicipalities(
      doc,
      board,
      (outline.municipalities ?? []).map((m) => (typeof m === 'string' ? m : m.name)),
    );
    importPlan(doc, outline, municipalityIds);
    const perLane = new Map<string, number>();
    outline.needs.forEach((need) => {
      const lane = lanes.get(need.stakeholder) ?? null;
      const laneIndex =
        lane === null ? outline.stakeholders.length : outline.stakeholders.indexOf(need.stakeholder);
      const row = perLane.get(need.stakeholder) ?? 0;
      perLane.set(need.stakeholder, row + 1);
      addNote(doc, board, {
        id: need.id as NoteId,
        text: need.text,
        laneId: lane,
        municipality: need.municipality ?? null,
        colour: NOTE_COLOURS[laneIndex % NOTE_COLOURS.length],
        x: laneIndex * 280,
        y: row * 140,
      });
    });
    outline.themes.forEach((theme, i) => {
      const id = createTheme(doc, {
        id: theme.id as ThemeId,
        title: theme.title,
        // Themes differ by colour, as the app gives new ones (never the only cue: they have titles).
        colour: NOTE_COLOURS[i % NOTE_COLOURS.length],
        x: (i % 4) * 320,
        y: Math.floor(i / 4) * 420,
      });
      theme.needs.forEach((needId, j) => moveNoteToTheme(doc, needId as NoteId, id, j));
    });
    outline.actions.forEach((action) => {
      addAction(doc, {
        id: action.id as ActionId,
        title: action.title,
        description: action.description ?? '',
        themeIds: action.themes as ThemeId[],
        owner: action.owner,
        partners: action.partners,
        start: action.start,
        end: action.end,
        // A split budget is written as its lines (which sum to budgetEur, as parsing checked).
        budgetCents: action.fundingSplit ? 0 : Math.round(action.budgetEur * 100),
        funding: action.fundingSplit ? '' : action.funding,
        indicator: action.indicator,
        status: action.status,
      });
      importActionPlan(doc, action);
    });
    const voted = outline.needs.filter((need) => need.votes !== undefined);
    if (voted.length) {
      openVoteRound(doc, { id: OUTLINE_ROUND, target: 'notes', dotsPerPerson: 0 });
      voted.forEach((need) => setVote(doc, OUTLINE_ROUND, OUTLINE_VOTER, need.id, need.votes ?? 0));
      setRoundState(doc, OUTLINE_ROUND, 'revealed');
      doc.getMap('facilitation').delete('activeRoundId');
    }
  }, LOCAL_ORIGIN);
}

/** Writes the plan's lists and settings of `outline` (ids fixed, so two imports merge). */
function importPlan(doc: Y.Doc, outline: Outline, municipalityIds: ReadonlyMap<string, string>): void {
  (outline.organisations ?? []).forEach((name, i) => addOrganisation(doc, name, `organisation-${i + 1}`));
  (outline.fundingSources ?? []).forEach((s, i) =>
    addFundingSource(doc, s.name, s.municipal ?? false, `source-${i + 1}`),
  );
  const { budget } = outline;
  if (budget && (budget.minEur !== undefined || budget.maxEur !== undefined))
    setPlanBudget(
      doc,
      budget.minEur === undefined ? null : Math.round(budget.minEur * 100),
      budget.maxEur === undefined ? null : Math.round(budget.maxEur * 100),
    );
  for (const pkg of outline.workPackages ?? [])
    addWorkPackage(doc, { title: pkg.title, owner: pkg.owner, start: pkg.start, end: pkg.end }, pkg.id);
  for (const objective of outline.objectives ?? [])
    addObjective(doc, objective.title, objective.area, objective.id);
  for (const [status, name] of Object.entries(outline.statusNames ?? {}))
    setStatusName(doc, status as ActionStatus, name);
  if (outline.costSharing) {
    setCostShareMethod(doc, outline.costSharing.method);
    for (const member of outline.costSharing.municipalities) {
      const id = municipalityIds.get(nameKey(member.name));
      if (id) setCostShare(doc, id, Math.round((member.amountEur ?? 0) * 100));
    }
  }
  for (const item of outline.recurring ?? [])
    addRecurring(doc, { title: item.title, months: item.months, owner: item.owner }, item.id);
  if (outline.wheelStart !== undefined) setWheelStart(doc, outline.wheelStart);
}

/** Writes an action's funding split, work package and objectives from the outline. */
function importActionPlan(doc: Y.Doc, action: OutlineAction): void {
  const id = action.id as ActionId;
  action.fundingSplit?.forEach((line, i) =>
    addFundingLine(doc, id, { source: line.source, cents: Math.round(line.amountEur * 100) }, `${i + 1}`),
  );
  if (action.workPackage !== undefined) setActionPackage(doc, id, action.workPackage);
  for (const objective of action.objectives ?? []) alignAction(doc, id, objective);
}

/** A funding split worth writing in an outline: anything but an older action's one budget. */
function outlineSplit(action: Action): OutlineFundingLine[] | undefined {
  const { split } = action;
  if (isSingleBudget(split)) return undefined;
  return split.map((line) => ({ source: line.source, amountEur: line.cents / 100 }));
}

/** The plan's parts of an outline, each only when the workshop has it. */
function exportPlan(w: Workshop): PlanPart {
  const { plan } = w;
  const out: { -readonly [K in keyof PlanPart]: PlanPart[K] } = {};
  if (plan.organisations.length) out.organisations = plan.organisations.map((o) => o.name);
  if (plan.sources.length)
    out.fundingSources = plan.sources.map((s) =>
      s.municipal ? { name: s.name, municipal: true } : { name: s.name },
    );
  if (plan.budgetMinCents !== null || plan.budgetMaxCents !== null)
    out.budget = {
      ...(plan.budgetMinCents === null ? {} : { minEur: plan.budgetMinCents / 100 }),
      ...(plan.budgetMaxCents === null ? {} : { maxEur: plan.budgetMaxCents / 100 }),
    };
  if (plan.packages.length)
    out.workPackages = plan.packages.map((p) => ({
      id: p.id,
      title: p.title,
      ...(p.owner ? { owner: p.owner } : {}),
      ...(p.start ? { start: p.start } : {}),
      ...(p.end ? { end: p.end } : {}),
    }));
  if (plan.objectives.length)
    out.objectives = plan.objectives.map((o) => ({
      id: o.id,
      title: o.title,
      ...(o.area ? { area: o.area } : {}),
    }));
  if (Object.keys(plan.statusNames).length) out.statusNames = { ...plan.statusNames };
  const sharing = plan.costSharing;
  if (sharing.members.length) {
    const names = new Map(plan.municipalities.map((m) => [m.id, m.name]));
    out.costSharing = {
      method: sharing.method,
      municipalities: sharing.members.map((m) => ({
        name: names.get(m.municipalityId) ?? '',
        ...(sharing.method === 'amount' ? { amountEur: m.cents / 100 } : {}),
      })),
    };
  }
  if (plan.recurring.length)
    out.recurring = plan.recurring.map((r) => ({
      id: r.id,
      title: r.title,
      months: [...r.months],
      ...(r.owner ? { owner: r.owner } : {}),
    }));
  if (plan.wheelStart !== 1) out.wheelStart = plan.wheelStart;
  return out;
}

/** A municipality as an outline lists it: its name alone unless it has more. */
function outlineMunicipality(m: Municipality): OutlineMunicipality {
  if (m.population === null && !m.baseline && m.indicators.length === 0) return m.name;
  return {
    name: m.name,
    ...(m.population === null ? {} : { population: m.population }),
    ...(m.baseline ? { baseline: m.baseline } : {}),
    ...(m.indicators.length ? { indicators: m.indicators.map((i) => ({ ...i })) } : {}),
  };
}

/**
 * Reads a workshop back as an outline. Needs are the notes of needs boards; votes are the totals
 * of revealed rounds; budgets return to euros from integer cents.
 */
export function exportOutline(doc: Y.Doc): Outline {
  const w = readWorkshop(doc);
  const needsBoards = w.boards.filter((b) => b.kind === 'needs');
  const needsBoardIds = new Set<string>(needsBoards.map((b) => b.id));
  const laneTitles = new Map<string, string>(
    needsBoards.flatMap((b) => b.lanes.map((l) => [l.id, l.title] as const)),
  );
  const votes = totalVotes(doc, 'notes');
  const needs = w.notes
    .filter((note) => needsBoardIds.has(note.boardId))
    .map((note): OutlineNeed => {
      const need: { -readonly [K in keyof OutlineNeed]: OutlineNeed[K] } = {
        id: note.id,
        text: note.text,
        stakeholder: note.laneId === null ? '' : (laneTitles.get(note.laneId) ?? ''),
      };
      if (note.municipality !== null) need.municipality = note.municipality;
      const count = votes.get(note.id);
      if (count !== undefined) need.votes = count;
      return need;
    });
  const outline: Outline = {
    title: w.meta.title,
    language: w.meta.language,
    stakeholders: needsBoards.flatMap((b) => b.lanes.map((l) => l.title)),
    needs,
    themes: w.themes.map((t) => ({ id: t.id, title: t.title, needs: [...t.noteIds] })),
    actions: w.actions.map((a): OutlineAction => {
      const action: { -readonly [K in keyof OutlineAction]: OutlineAction[K] } = {
        id: a.id,
        title: a.title,
        themes: [...a.themeIds],
        owner: a.owner,
        partners: [...a.partners],
        start: a.start ?? '',
        end: a.end ?? '',
        budgetEur: a.budgetCents / 100,
        funding: a.funding,
        indicator: a.indicator,
        status: a.status,
      };
      if (a.description !== '') action.description = a.description;
      const split = outlineSplit(a);
      if (split) action.fundingSplit = split;
      if (a.workPackageId !== null) action.workPackage = a.workPackageId;
      if (a.objectiveIds.length) action.objectives = [...a.objectiveIds];
      return action;
    }),
  };
  const municipalities = w.plan.municipalities.map(outlineMunicipality);
  return { ...outline, ...(municipalities.length ? { municipalities } : {}), ...exportPlan(w) };
}
