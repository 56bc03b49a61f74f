/**
 * The report model: what an action-plan document says, decided once for every format. A pure
 * function of a workshop snapshot and the export options; each writer (DOCX, XLSX, HTML for PDF,
 * Markdown, CSV) only decides how its format shows it, and never reads the Y.Doc. Every number is
 * computed here, so the files can never disagree, and every text is already clean of control
 * characters (see sanitise.ts) and has its placeholder where a value is missing.
 */
import { translate, type MessageKey } from '../i18n';
import { monthRange } from '../money';
import {
  ACTION_STATUSES,
  LANGUAGES,
  type ActionStatus,
  type Language,
  type Note,
  type VoteTarget,
  type Workshop,
} from '../model/schema';
import { nameKey } from '../model/plan';
import { rankTally } from '../model/votes';
import {
  actionsInScope,
  totalsByPackage,
  totalsBySource,
  totalsByTheme,
  totalsByYear,
  type PlanScope,
} from '../model/plan-totals';
import { fail, ok, type ParseError, type Result } from '../result';
import { createFormatters, type Formatters } from './format';
import {
  fundingLines,
  reportBudgetCheck,
  reportCostSharing,
  reportHeat,
  reportMunicipalities,
  reportObjectives,
  reportPackages,
  scopeText,
  statusName,
  type PlanInputs,
  type ReportBudgetCheck,
  type ReportCostSharing,
  type ReportFundingLine,
  type ReportHeat,
  type ReportMunicipality,
  type ReportObjective,
  type ReportPackage,
  type ReportWheel,
} from './plan-model';
import { cleanText, oneLine } from './sanitise';

export type {
  ReportActionRef,
  ReportBudgetCheck,
  ReportCostSharing,
  ReportFundingLine,
  ReportHeat,
  ReportMunicipality,
  ReportObjective,
  ReportPackage,
  ReportWheel,
} from './plan-model';
export type { PlanScope } from '../model/plan-totals';

/** The sections a report can hold, in document order. Option values: never rename. */
export const REPORT_SECTIONS = [
  'summary',
  'municipalities',
  'needs',
  'themes',
  'voting',
  'actions',
  'packages',
  'objectives',
  'timeline',
  'budget',
  'trace',
] as const;
export type ReportSection = (typeof REPORT_SECTIONS)[number];

/** What the person exporting chose. */
export type ReportOptions = {
  /** The language of headings, labels, months and money; the workshop's own by default. */
  readonly language: Language;
  /** The sections to include; the title block is always there. */
  readonly sections: readonly ReportSection[];
  /** Show dot-vote counts on needs and themes. */
  readonly showVotes: boolean;
  /** Show who wrote each need (else needs are anonymous; never in an anonymous workshop). */
  readonly showAuthors: boolean;
  /** The report's date as `YYYY-MM-DD` (today, given by the caller so the model stays pure). */
  readonly date: string;
  /** What the export covers: one work package, one owner's actions, or (null) the whole plan. */
  readonly scope: PlanScope;
};

/** The options a new export starts from: every section, votes shown, authors anonymous. */
export function defaultReportOptions(workshop: Workshop, date: string): ReportOptions {
  return {
    language: workshop.meta.language,
    sections: REPORT_SECTIONS,
    showVotes: true,
    showAuthors: false,
    date,
    scope: null,
  };
}

/** One need as a report shows it. */
export type ReportNeed = {
  readonly id: string;
  /**
   * The need's number in the report, 1 to n in the order of the needs by stakeholder group, and
   * as the reference printed beside it and wherever it is cited (e.g. `T12`, `N12`).
   */
  readonly number: number;
  readonly ref: string;
  readonly text: string;
  /** The stakeholder group's name, or the "no group" label. */
  readonly stakeholder: string;
  /** The municipality, or '' when none is tagged. */
  readonly municipality: string;
  /** Revealed dot votes (0 when none). */
  readonly votes: number;
  /** The author's name, the "anonymous" label, or '' when authors are not shown. */
  readonly author: string;
  /** Title of the theme the need is in, or '' when it is in none. */
  readonly theme: string;
};

/** Needs of one stakeholder group or one municipality. */
export type ReportNeedGroup = {
  readonly name: string;
  readonly needs: readonly ReportNeed[];
  /** The needs' references joined, e.g. `T1, T4, T9`. */
  readonly refs: string;
};

/** A theme, ranked. */
export type ReportTheme = {
  readonly id: string;
  /** 1 for the most voted; themes with equal votes share no rank, they keep board order. */
  readonly rank: number;
  readonly title: string;
  /** The theme's own dots plus the dots of its needs. */
  readonly votes: number;
  readonly needs: readonly ReportNeed[];
};

/** An action with every field ready to show (placeholders where missing). */
export type ReportAction = {
  readonly id: string;
  /** 1-based position in the plan. */
  readonly number: number;
  readonly title: string;
  readonly description: string;
  /** Linked themes' titles; empty when the action has none. */
  readonly themes: readonly string[];
  /** Theme titles joined, or the "no theme" label. */
  readonly themesText: string;
  readonly owner: string;
  /** True when `owner` is the placeholder. */
  readonly ownerMissing: boolean;
  readonly partners: readonly string[];
  /** Partners joined, or the placeholder. */
  readonly partnersText: string;
  /** `YYYY-MM` or null. */
  readonly start: string | null;
  readonly end: string | null;
  /** Start and end as month names, e.g. `maaliskuu 2026 – joulukuu 2026`, or the "no dates" label. */
  readonly periodText: string;
  readonly budgetCents: number;
  /** The budget as money, e.g. `12 000,50 €`. */
  readonly budgetText: string;
  /** The funding sources joined, or the "no funding source" label. */
  readonly funding: string;
  /** The budget split over funding sources (empty when the action has no budget and no source). */
  readonly split: readonly ReportFundingLine[];
  /**
   * The split as one text, a line per source, e.g. `OKM: 40 000,00 € (80 %)`; the funding
   * label alone for a one-source action, or the "no funding source" label.
   */
  readonly splitText: string;
  /** Its work package's title, or '' when it is in none. */
  readonly workPackage: string;
  /**
   * Its funding per source of {@link Report.fundingSources}, in cents, in that order (0 where
   * the source pays nothing of it): the split as spreadsheet columns.
   */
  readonly bySource: readonly number[];
  /** The titles of the strategy objectives it serves. */
  readonly objectives: readonly string[];
  /** The objectives joined, or '' when none. */
  readonly objectivesText: string;
  readonly indicator: string;
  readonly status: ActionStatus;
  readonly statusText: string;
};

/** One place in a voting round's result. */
export type ReportRoundResult = {
  /** 1 for the most dots; items with equal dots share a rank (1, 1, 3). */
  readonly rank: number;
  /** The need's text or the theme's title. */
  readonly text: string;
  /** The need's reference in the report (e.g. `N12`), or '' for a theme. */
  readonly ref: string;
  /** The item as the result cites it: the reference, if any, then the text. */
  readonly itemText: string;
  readonly count: number;
};

/** A voting round that was revealed, with its ranked result. Open rounds stay secret. */
export type ReportRound = {
  /** The round's number among all rounds, as the app names it. */
  readonly number: number;
  /** E.g. `Round 2: Needs`. */
  readonly title: string;
  readonly target: VoteTarget;
  readonly dotsPerPersonText: string;
  readonly maxPerItemText: string;
  readonly totalDots: number;
  readonly results: readonly ReportRoundResult[];
};

/** One column of the timeline: a month or a quarter. */
export type TimelineColumn = {
  /** `YYYY-MM` of the column's first month. */
  readonly month: string;
  /** The column's label, e.g. `maalis` or `Q1`. */
  readonly label: string;
  readonly year: number;
};

/** One row of the timeline. */
export type TimelineRow = {
  readonly actionId: string;
  readonly title: string;
  /** Per column: true where the action runs in (part of) that column. */
  readonly cells: readonly boolean[];
  /** True when the action has no dates (no cell is marked). */
  readonly undated: boolean;
};

export type ReportTimeline = {
  readonly scale: 'month' | 'quarter';
  readonly columns: readonly TimelineColumn[];
  /** Years over the columns, in order, each with how many columns it spans. */
  readonly years: readonly { readonly year: number; readonly span: number }[];
  readonly rows: readonly TimelineRow[];
};

/** One line of a budget table. */
export type BudgetLine = {
  readonly label: string;
  readonly cents: number;
  readonly text: string;
  /** Share of the grand total, 0..1 (0 when the total is 0). */
  readonly share: number;
  readonly shareText: string;
};

export type ReportBudget = {
  /** By funding source over every action's split, largest first; lines name no source last. */
  readonly byFunding: readonly BudgetLine[];
  /** By theme, an action of several themes in equal parts (to the cent); "no theme" last. */
  readonly byTheme: readonly BudgetLine[];
  /** By year, each action spread evenly over its months; undated actions last, under "no dates". */
  readonly byYear: readonly BudgetLine[];
  /** By work package, in package order, then "no work package"; empty when the plan has none. */
  readonly byPackage: readonly BudgetLine[];
  readonly totalCents: number;
  readonly totalText: string;
  /** The total against the plan's ceiling or range; null without one (or in a scoped export). */
  readonly check: ReportBudgetCheck | null;
  /** The municipal share split among the municipalities; null when nobody shares it. */
  readonly costSharing: ReportCostSharing | null;
};

/** One action traced to its themes and their needs. */
export type TraceEntry = {
  readonly actionId: string;
  readonly number: number;
  readonly title: string;
  /**
   * The action's themes, each with its needs and their references joined (`T1, T4, T9`). The
   * appendix cites needs by reference: listing their texts under every action repeats each need
   * once per action of its theme (43,000 lines for a plan of 500 actions and 2,000 needs).
   */
  readonly themes: readonly {
    readonly title: string;
    readonly needs: readonly ReportNeed[];
    readonly needRefs: string;
  }[];
};

/** Every label a writer needs, already in the report's language. */
export type ReportLabels = Readonly<Record<ReportLabelKey, string>>;

const LABEL_KEYS = {
  documentTitle: 'report.documentTitle',
  date: 'report.date',
  organiser: 'report.organiser',
  participants: 'report.participants',
  contents: 'report.contents',
  summary: 'report.summary',
  needCount: 'report.needCount',
  themeCount: 'report.themeCount',
  actionCount: 'report.actionCount',
  totalBudget: 'report.totalBudget',
  period: 'report.period',
  stakeholderCount: 'report.stakeholderCount',
  municipalityCount: 'report.municipalityCount',
  needs: 'report.needs',
  needsByMunicipality: 'report.needsByMunicipality',
  themes: 'report.themes',
  actions: 'report.actions',
  timeline: 'report.timeline',
  budget: 'report.budget',
  budgetByFunding: 'report.budgetByFunding',
  budgetByTheme: 'report.budgetByTheme',
  budgetByYear: 'report.budgetByYear',
  budgetThemeNote: 'report.budgetThemeNote',
  budgetYearNote: 'report.budgetYearNote',
  trace: 'report.trace',
  voting: 'report.voting',
  votingIntro: 'report.votingIntro',
  noRounds: 'report.noRounds',
  rank: 'report.rank',
  dots: 'report.dots',
  item: 'report.item',
  dotsPerPerson: 'report.dotsPerPerson',
  maxPerItem: 'report.maxPerItem',
  noLimit: 'report.noLimit',
  totalDots: 'report.totalDots',
  traceIntro: 'report.traceIntro',
  notSet: 'report.notSet',
  noDates: 'report.noDates',
  noNeeds: 'report.noNeeds',
  noThemes: 'report.noThemes',
  none: 'report.none',
  need: 'report.need',
  stakeholder: 'report.stakeholder',
  municipality: 'report.municipality',
  votes: 'report.votes',
  author: 'report.author',
  theme: 'report.theme',
  fundingSource: 'report.fundingSource',
  year: 'report.year',
  amount: 'report.amount',
  share: 'report.share',
  start: 'report.start',
  end: 'report.end',
  description: 'report.description',
  madeWith: 'report.madeWith',
  tocHint: 'report.tocHint',
  unsortedNeeds: 'report.unsortedNeeds',
  needRefs: 'report.needRefs',
  /** Column heading of an action's number in the plan. */
  number: 'report.number',
  population: 'report.population',
  baseline: 'report.baseline',
  indicatorName: 'report.indicator',
  value: 'report.value',
  needsHeat: 'report.needsHeat',
  packages: 'report.packages',
  package: 'report.package',
  noPackage: 'report.noPackage',
  packageActions: 'report.packageActions',
  objectives: 'report.objectives',
  objective: 'report.objective',
  area: 'report.area',
  servedBy: 'report.servedBy',
  actionObjectives: 'report.actionObjectives',
  noActions: 'report.noActions',
  budgetByPackage: 'report.budgetByPackage',
  budgetFrame: 'report.budgetFrame',
  budgetPlanned: 'report.budgetPlanned',
  budgetStanding: 'report.budgetStanding',
  costSharing: 'report.costSharing',
  costSharingMethod: 'report.costSharingMethod',
  municipalShare: 'report.municipalShare',
  costSharingTotal: 'report.costSharingTotal',
  costSharingDifference: 'report.costSharingDifference',
  municipalitiesSection: 'report.municipalities',
  anonymous: 'report.anonymous',
  noMunicipality: 'report.noMunicipality',
  themesNoVotes: 'report.themesNoVotes',
  action: 'actions.title',
  actionThemes: 'actions.themes',
  owner: 'actions.owner',
  partners: 'actions.partners',
  schedule: 'actions.schedule',
  actionBudget: 'actions.budget',
  funding: 'actions.funding',
  indicator: 'actions.indicator',
  status: 'actions.status',
  noTheme: 'actions.noTheme',
  noFunding: 'actions.noFunding',
  total: 'actions.total',
  noStakeholder: 'needs.unsorted',
} as const satisfies Record<string, MessageKey>;

export type ReportLabelKey = keyof typeof LABEL_KEYS;

/** The whole document, ready for any writer. */
export type Report = {
  readonly language: Language;
  /** ISO 4217 currency of every amount. */
  readonly currency: string;
  readonly labels: ReportLabels;
  /** The label of "page {page}" with the placeholder kept, for writers that number pages. */
  readonly pageLabel: string;
  /** The sections included, in document order. */
  readonly sections: readonly ReportSection[];
  /** The heading each section starts with (themes say "ranked by votes" only when votes show). */
  readonly sectionTitles: Readonly<Record<ReportSection, string>>;
  readonly showVotes: boolean;
  readonly showAuthors: boolean;
  /**
   * The document's title: the workshop's (or the document title when it has none), followed by
   * what a scoped export covers, e.g. `Elinvoimaa kulttuurista – Työpaketti: TP2 Koulut`.
   */
  readonly title: string;
  /** The workshop's title alone. */
  readonly workshopTitle: string;
  /** What the export covers (`Work package: …`, `Owner: …`), or null for the whole plan. */
  readonly scopeText: string | null;
  /** `YYYY-MM-DD` and as words, e.g. `6. joulukuuta 2026`. */
  readonly date: string;
  readonly dateText: string;
  /** Facilitators' names joined, or the placeholder. */
  readonly organiser: string;
  readonly participantCount: number;
  /** The count as text, or the placeholder when nobody is on the roster (an imported outline). */
  readonly participantsText: string;
  readonly summary: {
    readonly needCount: number;
    readonly themeCount: number;
    readonly actionCount: number;
    readonly stakeholderCount: number;
    readonly municipalityCount: number;
    readonly totalBudgetCents: number;
    readonly totalBudgetText: string;
    /** First start to last end as words, or the "no dates" label. */
    readonly periodText: string;
  };
  readonly needsByStakeholder: readonly ReportNeedGroup[];
  readonly needsByMunicipality: readonly ReportNeedGroup[];
  readonly themes: readonly ReportTheme[];
  /** Needs that are in no theme. */
  readonly unsortedNeeds: readonly ReportNeed[];
  readonly actions: readonly ReportAction[];
  readonly timeline: ReportTimeline;
  readonly budget: ReportBudget;
  readonly trace: readonly TraceEntry[];
  /**
   * Every funding source the actions name (matched ignoring case), as the budget by source lists
   * them: the columns of the split in the CSV and the spreadsheet.
   */
  readonly fundingSources: readonly string[];
  /** Work packages with their actions and summed budgets (the scope's own when scoped). */
  readonly packages: readonly ReportPackage[];
  /** Strategy objectives with the actions serving each. */
  readonly objectives: readonly ReportObjective[];
  /** Municipalities with their baselines. */
  readonly municipalities: readonly ReportMunicipality[];
  /** Needs per municipality and stakeholder group; null when no need names a municipality. */
  readonly heat: ReportHeat | null;
  /** True when some action has a work package: the action listings then show it. */
  readonly showPackages: boolean;
  /** True when some action serves an objective: the action listings then show them. */
  readonly showObjectives: boolean;
  /**
   * The annual wheel as a picture, shown with the timeline where present. The report model
   * leaves it null: the wheel's own module draws it and sets it (see {@link ReportWheel}).
   */
  readonly wheel: ReportWheel | null;
  /** Every revealed or closed voting round, in round order (empty when votes are not shown). */
  readonly rounds: readonly ReportRound[];
  /** Formatters of the report's language, for writers that format a number of their own. */
  readonly format: Formatters;
};

/** Timelines longer than this many months are shown by quarter. */
const MONTHS_BEFORE_QUARTERS = 18;

function labelsOf(language: Language): ReportLabels {
  return Object.fromEntries(
    Object.entries(LABEL_KEYS).map(([name, key]) => [name, translate(language, key)]),
  ) as ReportLabels;
}

/**
 * How a report cites `needs`: their references in number order, a run of three or more as a
 * range, e.g. `T1–T5, T9, T11, T12` in Finnish.
 */
export function citeNeeds(needs: readonly Pick<ReportNeed, 'number'>[], language: Language): string {
  const numbers = [...new Set(needs.map((n) => n.number))].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < numbers.length;) {
    let j = i;
    while (j + 1 < numbers.length && numbers[j + 1] === (numbers[j] ?? 0) + 1) j++;
    const first = numbers[i] ?? 0;
    const last = numbers[j] ?? 0;
    if (j - i >= 2) parts.push(`${needRef(first, language)}–${needRef(last, language)}`);
    else for (let k = i; k <= j; k++) parts.push(needRef(numbers[k] ?? 0, language));
    i = j + 1;
  }
  return parts.join(', ');
}

/** A need's reference in `language`, e.g. `T12`. */
function needRef(number: number, language: Language): string {
  return translate(language, 'report.needRef', { number });
}

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

function budgetLines(
  totals: ReadonlyMap<string, number>,
  grandTotal: number,
  format: Formatters,
): BudgetLine[] {
  return [...totals].map(([label, cents]) => {
    const share = grandTotal > 0 ? cents / grandTotal : 0;
    return { label, cents, text: format.money(cents), share, shareText: format.percent(share) };
  });
}

function addTo(totals: Map<string, number>, key: string, cents: number): void {
  totals.set(key, (totals.get(key) ?? 0) + cents);
}

function buildTimeline(
  actions: readonly ReportAction[],
  language: Language,
  format: Formatters,
): ReportTimeline {
  const dated = actions.filter((a) => a.start !== null && a.end !== null && a.start <= a.end);
  if (dated.length === 0) {
    return {
      scale: 'month',
      columns: [],
      years: [],
      rows: actions.map((a) => ({ actionId: a.id, title: a.title, cells: [], undated: true })),
    };
  }
  const first = dated.map((a) => a.start ?? '').sort()[0] ?? '';
  const last =
    dated
      .map((a) => a.end ?? '')
      .sort()
      .at(-1) ?? first;
  const months = monthRange(first, last);
  const scale = months.length > MONTHS_BEFORE_QUARTERS ? 'quarter' : 'month';
  // Each month's column index; quarters gather three months.
  const columnOf = new Map<string, number>();
  const columns: TimelineColumn[] = [];
  for (const month of months) {
    const year = Number(month.slice(0, 4));
    const monthNumber = Number(month.slice(5, 7));
    if (scale === 'month') {
      columns.push({ month, label: format.monthShort(month), year });
    } else if (columns.length === 0 || (monthNumber - 1) % 3 === 0) {
      const quarter = Math.ceil(monthNumber / 3);
      columns.push({
        month,
        label: translate(language, 'timeline.quarter', { quarter, year: '' }).trim(),
        year,
      });
    }
    columnOf.set(month, columns.length - 1);
  }
  const years: { year: number; span: number }[] = [];
  for (const column of columns) {
    const current = years.at(-1);
    if (current?.year === column.year) current.span++;
    else years.push({ year: column.year, span: 1 });
  }
  const rows = actions.map((a): TimelineRow => {
    const cells = columns.map(() => false);
    const runs = a.start !== null && a.end !== null && a.start <= a.end;
    if (runs) {
      for (const month of monthRange(a.start ?? '', a.end ?? '')) {
        const index = columnOf.get(month);
        if (index !== undefined) cells[index] = true;
      }
    }
    return { actionId: a.id, title: a.title, cells, undated: !runs };
  });
  return { scale, columns, years, rows };
}

/**
 * Builds the report of `workshop` with `options`. Pure: the same snapshot and options always give
 * the same report. Needs are the notes of needs boards; votes are revealed dots only.
 */
export function buildReport(full: Workshop, options: ReportOptions): Report {
  const language = options.language;
  const labels = labelsOf(language);
  const format = createFormatters(language, full.meta.currency);
  const scope = options.scope;
  const workshop = scopedWorkshop(withLiveThemeLinks(full), scope);
  const notSet = labels.notSet;
  // An anonymous workshop names no author, whatever the export asks for.
  const showAuthors = options.showAuthors && !workshop.facilitation.anonymous;

  const needsBoards = workshop.boards.filter((b) => b.kind === 'needs');
  const needsBoardIds = new Set<string>(needsBoards.map((b) => b.id));
  const lanes = needsBoards.flatMap((b) => b.lanes);
  const laneTitle = new Map<string, string>(lanes.map((l) => [l.id, oneLine(l.title) || notSet]));
  const themeTitle = new Map<string, string>(workshop.themes.map((t) => [t.id, oneLine(t.title) || notSet]));
  const names = new Map<string, string>(workshop.participants.map((p) => [p.id, oneLine(p.name)]));
  const noteVotes = workshop.revealedVotes.notes;
  const themeVotes = workshop.revealedVotes.themes;

  // Needs are numbered once: theme by theme in ranked order, each theme's needs in its own order,
  // then the needs in no theme by stakeholder group. A theme's needs are then a run of numbers,
  // which the themes section lists in order and the appendix cites as a range (T1–T14).
  const needNotes = workshop.notes.filter((n) => needsBoardIds.has(n.boardId));
  const needNoteById = new Map<string, Note>(needNotes.map((n) => [n.id, n]));
  const rankedThemes = workshop.themes
    .map((theme) => {
      const members = theme.noteIds.flatMap((id) => needNoteById.get(id) ?? []);
      const votes = (themeVotes[theme.id] ?? 0) + sum(members.map((n) => noteVotes[n.id] ?? 0));
      return { theme, members, votes };
    })
    .sort((a, b) => b.votes - a.votes || a.theme.order - b.theme.order);
  const laneIndex = new Map<string, number>(lanes.map((l, i) => [l.id, i]));
  const laneRank = (note: Note): number =>
    note.laneId === null ? lanes.length : (laneIndex.get(note.laneId) ?? lanes.length);
  const themed = new Set<string>(rankedThemes.flatMap((t) => t.members.map((n) => n.id)));
  const unthemed = needNotes.filter((n) => !themed.has(n.id)).sort((a, b) => laneRank(a) - laneRank(b));
  const toNeed = (note: Note, number: number): ReportNeed => ({
    id: note.id,
    number,
    ref: needRef(number, language),
    text: cleanText(note.text).trim() || notSet,
    stakeholder:
      note.laneId === null ? labels.noStakeholder : (laneTitle.get(note.laneId) ?? labels.noStakeholder),
    municipality: note.municipality === null ? '' : oneLine(note.municipality),
    votes: noteVotes[note.id] ?? 0,
    author: showAuthors
      ? (note.author !== null ? names.get(note.author) : undefined) || labels.anonymous
      : '',
    theme: note.themeId === null ? '' : (themeTitle.get(note.themeId) ?? ''),
  });
  // Every need once, by number.
  const needs = [...rankedThemes.flatMap((t) => t.members), ...unthemed].map((note, i) =>
    toNeed(note, i + 1),
  );
  const needById = new Map(needs.map((n) => [n.id, n]));
  const group = (name: string, members: readonly ReportNeed[]): ReportNeedGroup => ({
    name,
    needs: members,
    refs: citeNeeds(members, language),
  });

  // Needs by stakeholder group: lanes in board order, then needs without a group; by number.
  const byLane = new Map<string, ReportNeed[]>(lanes.map((l) => [l.id, []]));
  const noLane: ReportNeed[] = [];
  for (const need of needs) {
    const laneId = needNoteById.get(need.id)?.laneId ?? null;
    const list = laneId === null ? undefined : byLane.get(laneId);
    (list ?? noLane).push(need);
  }
  // A scoped export lists the stakeholder groups that have needs behind its actions.
  const needsByStakeholder: ReportNeedGroup[] = lanes
    .filter((l) => scope === null || (byLane.get(l.id)?.length ?? 0) > 0)
    .map((l) => group(laneTitle.get(l.id) ?? notSet, byLane.get(l.id) ?? []));
  if (noLane.length) needsByStakeholder.push(group(labels.noStakeholder, noLane));

  // Needs by municipality: the boards' list order first, then others by name, untagged last.
  const municipalityOrder = [...new Set(needsBoards.flatMap((b) => b.municipalities.map(oneLine)))];
  const byMunicipality = new Map<string, ReportNeed[]>();
  for (const need of needs) {
    if (need.municipality === '') continue;
    const list = byMunicipality.get(need.municipality) ?? [];
    list.push(need);
    byMunicipality.set(need.municipality, list);
  }
  const municipalityNames = [
    ...municipalityOrder.filter((m) => byMunicipality.has(m)),
    ...[...byMunicipality.keys()]
      .filter((m) => !municipalityOrder.includes(m))
      .sort((a, b) => a.localeCompare(b, language)),
  ];
  const needsByMunicipality: ReportNeedGroup[] = municipalityNames.map((name) =>
    group(name, byMunicipality.get(name) ?? []),
  );
  const untagged = needs.filter((n) => n.municipality === '');
  if (untagged.length && needsByMunicipality.length)
    needsByMunicipality.push(group(labels.noMunicipality, untagged));

  // Themes ranked by votes (own dots plus their needs' dots); equal votes keep board order.
  const themes: ReportTheme[] = rankedThemes.map(({ theme, members, votes }, i) => ({
    id: theme.id,
    rank: i + 1,
    title: themeTitle.get(theme.id) ?? notSet,
    votes,
    needs: members.flatMap((note) => needById.get(note.id) ?? []),
  }));
  // Each theme as the appendix cites it, once, however many actions answer it.
  const traced = new Map(
    themes.map((t) => [t.id, { title: t.title, needs: t.needs, needRefs: citeNeeds(t.needs, language) }]),
  );
  const unsortedNeeds = needs.filter((n) => n.theme === '');

  // Actions, in plan order, every field ready to show.
  const packageTitle = new Map<string, string>(
    workshop.plan.packages.map((p) => [p.id, oneLine(p.title).trim() || notSet]),
  );
  const objectiveTitle = new Map<string, string>(
    workshop.plan.objectives.map((o) => [o.id, oneLine(o.title).trim() || notSet]),
  );
  // The funding sources as the budget by source lists them, largest first; an action's split is
  // also given per source, in this order.
  const sourceTotals = totalsBySource(workshop.actions);
  const sourceIndex = new Map(sourceTotals.map((line, i) => [nameKey(line.source), i]));
  const actions: ReportAction[] = workshop.actions.map((a, i) => {
    const split = fundingLines(a, language, format);
    const bySource = sourceTotals.map(() => 0);
    for (const line of a.split) {
      const index = sourceIndex.get(nameKey(line.source));
      if (index !== undefined) bySource[index] = (bySource[index] ?? 0) + line.cents;
    }
    const objectives = a.objectiveIds.flatMap((id) => objectiveTitle.get(id) ?? []);
    const status: ActionStatus = ACTION_STATUSES.includes(a.status) ? a.status : 'planned';
    // A link to a theme that is gone (a snapshot not read by readWorkshop, or a concurrent
    // delete) reads as no theme, as readActions does, never as an untitled theme.
    const titles = a.themeIds.flatMap((id) => {
      const title = themeTitle.get(id);
      return title === undefined ? [] : [title];
    });
    const partners = a.partners.map(oneLine).filter(Boolean);
    const owner = oneLine(a.owner).trim();
    const dated = a.start !== null && a.end !== null;
    return {
      id: a.id,
      number: i + 1,
      title: oneLine(a.title).trim() || notSet,
      description: cleanText(a.description).trim(),
      themes: titles,
      themesText: titles.length ? titles.join(', ') : labels.noTheme,
      owner: owner || notSet,
      ownerMissing: owner === '',
      partners,
      partnersText: partners.length ? partners.join(', ') : notSet,
      start: a.start,
      end: a.end,
      periodText: dated
        ? `${format.month(a.start ?? '')} – ${format.month(a.end ?? '')}`
        : a.start !== null
          ? `${format.month(a.start)} – ${notSet}`
          : a.end !== null
            ? `${notSet} – ${format.month(a.end)}`
            : labels.noDates,
      budgetCents: a.budgetCents,
      budgetText: format.money(a.budgetCents),
      funding: oneLine(a.funding).trim() || labels.noFunding,
      split,
      splitText:
        split.length > 1
          ? split.map((line) => `${line.source}: ${line.text} (${line.shareText})`).join('\n')
          : (split[0]?.source ?? labels.noFunding),
      bySource,
      workPackage: a.workPackageId === null ? '' : (packageTitle.get(a.workPackageId) ?? ''),
      objectives,
      objectivesText: objectives.join(', '),
      indicator: cleanText(a.indicator).trim() || notSet,
      status,
      statusText: statusName(full, status, language),
    };
  });

  const planInputs: PlanInputs = {
    workshop,
    scope,
    language,
    format,
    numbers: new Map(actions.map((a) => [a.id, a.number])),
    titles: new Map(actions.map((a) => [a.id, a.title])),
  };

  // Budget totals, each computed once, by the same functions as the app's (plan-totals.ts).
  const totalCents = sum(actions.map((a) => a.budgetCents));
  const byFunding = new Map<string, number>();
  const byTheme = new Map<string, number>();
  const byYear = new Map<string, number>();
  const byPackage = new Map<string, number>();
  for (const line of sourceTotals)
    addTo(byFunding, oneLine(line.source).trim() || labels.noFunding, line.cents);
  // Every theme of the plan has its row, one that no action answers too.
  for (const t of workshop.themes) byTheme.set(themeTitle.get(t.id) ?? notSet, 0);
  for (const line of totalsByTheme(workshop))
    addTo(
      byTheme,
      line.themeId === null ? labels.noTheme : (themeTitle.get(line.themeId) ?? notSet),
      line.cents,
    );
  for (const line of totalsByYear(workshop.actions))
    addTo(byYear, line.year === null ? labels.noDates : String(line.year), line.cents);
  const packages = reportPackages(planInputs);
  if (workshop.plan.packages.length) {
    const shown = new Map(packages.map((p) => [p.id, p.title]));
    for (const line of totalsByPackage(workshop)) {
      if (line.packageId === null) addTo(byPackage, labels.noPackage, line.cents);
      else {
        const title = shown.get(line.packageId);
        if (title !== undefined) addTo(byPackage, title, line.cents);
      }
    }
  }
  const objectives = reportObjectives(planInputs);
  const municipalities = reportMunicipalities(planInputs);
  const heat = reportHeat(planInputs);
  // Without votes there is no voting history to show; a plan without work packages, objectives
  // or municipalities' baselines has no section for them.
  const sections = REPORT_SECTIONS.filter(
    (s) =>
      options.sections.includes(s) &&
      (s !== 'voting' || options.showVotes) &&
      (s !== 'packages' || packages.length > 0) &&
      (s !== 'objectives' || objectives.length > 0) &&
      (s !== 'municipalities' || municipalities.length > 0 || heat !== null),
  );

  const starts = actions.flatMap((a) => (a.start ? [a.start] : [])).sort();
  const ends = actions.flatMap((a) => (a.end ? [a.end] : [])).sort();
  const firstMonth = starts[0];
  const lastMonth = ends.at(-1);

  const workshopTitle = oneLine(workshop.meta.title).trim() || labels.documentTitle;
  const coverage = scopeText(full, scope, language);
  const participantCount = workshop.participants.filter((p) => p.role !== 'viewer').length;
  const facilitators = workshop.participants
    .filter((p) => p.role === 'facilitator')
    .map((p) => oneLine(p.name))
    .filter(Boolean);

  return {
    language,
    currency: workshop.meta.currency,
    labels,
    pageLabel: translate(language, 'report.page'),
    sections,
    sectionTitles: {
      summary: labels.summary,
      municipalities: labels.municipalitiesSection,
      needs: labels.needs,
      themes: options.showVotes ? labels.themes : labels.themesNoVotes,
      voting: labels.voting,
      actions: labels.actions,
      packages: labels.packages,
      objectives: labels.objectives,
      timeline: labels.timeline,
      budget: labels.budget,
      trace: labels.trace,
    },
    showVotes: options.showVotes,
    showAuthors,
    title: coverage === null ? workshopTitle : `${workshopTitle} – ${coverage}`,
    workshopTitle,
    scopeText: coverage,
    date: options.date,
    dateText: format.date(options.date),
    organiser: facilitators.length ? facilitators.join(', ') : notSet,
    participantCount,
    participantsText: participantCount > 0 ? format.count(participantCount) : notSet,
    summary: {
      needCount: needs.length,
      themeCount: themes.length,
      actionCount: actions.length,
      stakeholderCount: lanes.length,
      municipalityCount: municipalityNames.length,
      totalBudgetCents: totalCents,
      totalBudgetText: format.money(totalCents),
      periodText:
        firstMonth && lastMonth ? `${format.month(firstMonth)} – ${format.month(lastMonth)}` : labels.noDates,
    },
    needsByStakeholder,
    needsByMunicipality,
    themes,
    unsortedNeeds,
    actions,
    timeline: buildTimeline(actions, language, format),
    budget: {
      byFunding: budgetLines(byFunding, totalCents, format),
      byTheme: budgetLines(byTheme, totalCents, format),
      byYear: budgetLines(byYear, totalCents, format),
      byPackage: budgetLines(byPackage, totalCents, format),
      totalCents,
      totalText: format.money(totalCents),
      check: reportBudgetCheck(planInputs),
      costSharing: reportCostSharing(planInputs),
    },
    trace: actions.map((a) => ({
      actionId: a.id,
      number: a.number,
      title: a.title,
      themes: (workshop.actions[a.number - 1]?.themeIds ?? []).flatMap((id) => traced.get(id) ?? []),
    })),
    fundingSources: sourceTotals.map((line) => oneLine(line.source).trim() || labels.noFunding),
    packages,
    objectives,
    municipalities,
    heat,
    showPackages: actions.some((a) => a.workPackage !== ''),
    showObjectives: actions.some((a) => a.objectives.length > 0),
    wheel: null,
    rounds: options.showVotes ? reportRounds(workshop, language, labels, needById, themeTitle, format) : [],
    format,
  };
}

/**
 * `workshop` with each action's links to themes that are gone dropped (a snapshot not read by
 * readWorkshop, or a concurrent delete): such a link reads as no theme, as readActions does, in
 * the listings and in the totals by theme alike.
 */
function withLiveThemeLinks(workshop: Workshop): Workshop {
  const live = new Set<string>(workshop.themes.map((t) => t.id));
  if (workshop.actions.every((a) => a.themeIds.every((id) => live.has(id)))) return workshop;
  return {
    ...workshop,
    actions: workshop.actions.map((a) => ({ ...a, themeIds: a.themeIds.filter((id) => live.has(id)) })),
  };
}

/**
 * The workshop as an export limited to `scope` sees it: the actions in scope, the themes they
 * answer, the needs in those themes (notes of other boards stay), and the voting rounds' results
 * among those needs and themes. The whole workshop when `scope` is null.
 */
function scopedWorkshop(workshop: Workshop, scope: PlanScope): Workshop {
  if (scope === null) return workshop;
  const actions = actionsInScope(workshop, scope);
  const themeIds = new Set<string>(actions.flatMap((a) => a.themeIds));
  const themes = workshop.themes.filter((t) => themeIds.has(t.id));
  const noteIds = new Set<string>(themes.flatMap((t) => t.noteIds));
  const needsBoardIds = new Set<string>(workshop.boards.filter((b) => b.kind === 'needs').map((b) => b.id));
  return {
    ...workshop,
    actions,
    themes,
    notes: workshop.notes.filter((n) => !needsBoardIds.has(n.boardId) || noteIds.has(n.id)),
    tallies: workshop.tallies.map((tally) => ({
      ...tally,
      ranking: tally.ranking.filter((r) =>
        (tally.round.target === 'notes' ? noteIds : themeIds).has(r.target),
      ),
    })),
  };
}

/**
 * The voting rounds' history: each round that has left the open state (its dots are in the
 * workshop), ranked with shared ranks as the app shows it. An open round's dots are secret: the
 * workshop does not hold them, and the report does not list the round.
 */
function reportRounds(
  workshop: Workshop,
  language: Language,
  labels: ReportLabels,
  needById: ReadonlyMap<string, ReportNeed>,
  themeTitle: ReadonlyMap<string, string>,
  format: Formatters,
): ReportRound[] {
  const noteText = new Map<string, string>(workshop.notes.map((n) => [n.id, cleanText(n.text).trim()]));
  return workshop.tallies.flatMap((tally, i): ReportRound[] => {
    const { round } = tally;
    if (round.state === 'open') return [];
    const target = translate(language, round.target === 'notes' ? 'vote.targetNotes' : 'vote.targetThemes');
    const results = rankTally(tally).map(({ target: id, count, rank }): ReportRoundResult => {
      const need = needById.get(id);
      const text =
        round.target === 'notes'
          ? need?.text || noteText.get(id) || labels.notSet
          : (themeTitle.get(id) ?? labels.notSet);
      const ref = round.target === 'notes' ? (need?.ref ?? '') : '';
      return { rank, text, ref, itemText: ref ? `${ref} ${text}` : text, count };
    });
    return [
      {
        number: i + 1,
        title: translate(language, 'vote.roundName', { number: i + 1, target }),
        target: round.target,
        dotsPerPersonText: round.dotsPerPerson ? format.count(round.dotsPerPerson) : labels.noLimit,
        maxPerItemText: round.maxPerItem ? format.count(round.maxPerItem) : labels.noLimit,
        totalDots: sum(results.map((r) => r.count)),
        results,
      },
    ];
  });
}

/**
 * Parses export options from outside (IPC, the command line, a saved preference): a value or the
 * field that is wrong. Missing fields take the defaults of {@link defaultReportOptions}.
 */
export function parseReportOptions(
  input: unknown,
  defaults: ReportOptions,
): Result<ReportOptions, ParseError> {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return fail({ path: '', message: 'expected an object' });
  const raw = input as Record<string, unknown>;
  const language = raw['language'] ?? defaults.language;
  if (typeof language !== 'string' || !(LANGUAGES as readonly string[]).includes(language))
    return fail({ path: 'language', message: `must be one of ${LANGUAGES.join(', ')}` });
  const sections = raw['sections'] ?? defaults.sections;
  if (
    !Array.isArray(sections) ||
    !sections.every((s) => typeof s === 'string' && (REPORT_SECTIONS as readonly string[]).includes(s))
  )
    return fail({ path: 'sections', message: `must list sections of ${REPORT_SECTIONS.join(', ')}` });
  const flags: Record<'showVotes' | 'showAuthors', boolean> = {
    showVotes: defaults.showVotes,
    showAuthors: defaults.showAuthors,
  };
  for (const key of ['showVotes', 'showAuthors'] as const) {
    const value = raw[key];
    if (value === undefined) continue;
    if (typeof value !== 'boolean') return fail({ path: key, message: 'must be true or false' });
    flags[key] = value;
  }
  const date = raw['date'] ?? defaults.date;
  if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date))
    return fail({ path: 'date', message: 'must be a date as YYYY-MM-DD' });
  const scope = parseScope(raw['scope'] === undefined ? defaults.scope : raw['scope']);
  if (!scope.ok) return scope;
  return ok({
    language: language as Language,
    sections: sections as ReportSection[],
    ...flags,
    date,
    scope: scope.value,
  });
}

/** A scope from outside: null, `{ kind: 'package', packageId }` or `{ kind: 'owner', owner }`. */
function parseScope(input: unknown): Result<PlanScope, ParseError> {
  if (input === null) return ok(null);
  const wrong = fail({
    path: 'scope',
    message: 'must be null, { kind: "package", packageId } or { kind: "owner", owner }',
  });
  if (typeof input !== 'object' || Array.isArray(input)) return wrong;
  const raw = input as Record<string, unknown>;
  if (raw['kind'] === 'package' && typeof raw['packageId'] === 'string' && raw['packageId'] !== '')
    return ok({ kind: 'package', packageId: raw['packageId'] });
  if (raw['kind'] === 'owner' && typeof raw['owner'] === 'string' && raw['owner'].trim() !== '')
    return ok({ kind: 'owner', owner: raw['owner'] });
  return wrong;
}
