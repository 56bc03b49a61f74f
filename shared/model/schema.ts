/**
 * The shape of a workshop document: Yjs root names, field names and the plain read-model types.
 * Root and field names are wire format stored in every workshop file and room: never rename.
 */
import type { ActionId, BoardId, LaneId, NoteId, ParticipantId, RoundId, ThemeId } from '../ids';

/** The schema this code writes. A document with a higher version opens read-only. */
export const SCHEMA_VERSION = 1;

/** Yjs root map names. Wire format: never rename. */
export const ROOT = {
  meta: 'meta',
  boards: 'boards',
  notes: 'notes',
  themes: 'themes',
  actions: 'actions',
  votes: 'votes',
  participants: 'participants',
  facilitation: 'facilitation',
  /** The plan's own lists and settings (shared/model/plan.ts); the facilitator's. */
  plan: 'plan',
} as const;

/** Languages the UI and exports speak. */
export const LANGUAGES = ['fi', 'sv', 'et', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const BOARD_KINDS = ['needs', 'themes', 'actions'] as const;
export type BoardKind = (typeof BOARD_KINDS)[number];

/** Note colours; each has a measured contrast of at least 10:1 with the note text colour. */
export const NOTE_COLOURS = ['yellow', 'orange', 'pink', 'green', 'blue', 'purple', 'grey'] as const;
export type NoteColour = (typeof NOTE_COLOURS)[number];

/**
 * How an idea becomes an action, in order: a proposal, planned, piloted, ongoing, done. The
 * facilitator may rename each (plan key `statusName:<status>`). Wire format: never rename.
 */
export const ACTION_STATUSES = ['proposal', 'planned', 'pilot', 'ongoing', 'done'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export const ROLES = ['facilitator', 'participant', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const VOTE_TARGETS = ['notes', 'themes'] as const;
export type VoteTarget = (typeof VOTE_TARGETS)[number];

export const ROUND_STATES = ['open', 'revealed', 'closed'] as const;
export type RoundState = (typeof ROUND_STATES)[number];

/** The workshop's phase, set by the facilitator (facilitation key `phase`). Wire format: never rename. */
export const PHASES = ['needs', 'themes', 'actions'] as const;
export type Phase = (typeof PHASES)[number];

/** A month as `YYYY-MM`. */
export type Month = string;
export const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

export type Meta = {
  readonly schemaVersion: number;
  readonly title: string;
  readonly language: Language;
  /** ISO 4217 code, e.g. EUR or SEK. */
  readonly currency: string;
  /** ISO timestamp of creation. */
  readonly created: string;
};

/**
 * The last time an earlier version was restored in place, as the server wrote it in the same
 * transaction as the restore (meta key `lastRestore`, a plain object; wire format: never rename),
 * so that everyone in the workshop, and whoever opens it soon after, can be told.
 */
export type RestoreNotice = {
  /** Unique per restore: a screen tells of each restore once. */
  readonly id: string;
  /** Who restored it, as the server knew them; '' when it knew no name. */
  readonly by: string;
  /** When the restored version was kept, epoch milliseconds. */
  readonly versionTime: number;
  /** When it was restored, epoch milliseconds. */
  readonly at: number;
};

export type Lane = { readonly id: LaneId; readonly title: string; readonly order: number };

export type Board = {
  readonly id: BoardId;
  readonly kind: BoardKind;
  readonly title: string;
  readonly order: number;
  /** Stakeholder lanes (needs boards), in order. */
  readonly lanes: readonly Lane[];
  /** Municipality tags offered on this board's notes. */
  readonly municipalities: readonly string[];
};

export type Note = {
  readonly id: NoteId;
  readonly boardId: BoardId;
  /** Null when the note has no lane or its lane was deleted. */
  readonly laneId: LaneId | null;
  readonly text: string;
  readonly municipality: string | null;
  readonly colour: NoteColour;
  readonly author: ParticipantId | null;
  readonly x: number;
  readonly y: number;
  /** Null ("unsorted") when in no theme or when its theme no longer exists. */
  readonly themeId: ThemeId | null;
  /** Order among all notes (creation order unless rearranged). */
  readonly order: number;
  /** Order inside its theme. */
  readonly themeOrder: number;
};

export type Theme = {
  readonly id: ThemeId;
  readonly title: string;
  /** Who created it: a participant id or an anonymous tag; null when unknown. */
  readonly author: string | null;
  readonly colour: NoteColour;
  readonly x: number;
  readonly y: number;
  readonly order: number;
  /** Notes in this theme, each at most once, by theme order. */
  readonly noteIds: readonly NoteId[];
};

export type Action = {
  readonly id: ActionId;
  readonly title: string;
  readonly description: string;
  /** Linked themes that still exist, in link order. Empty reads as "no theme". */
  readonly themeIds: readonly ThemeId[];
  readonly owner: string;
  readonly partners: readonly string[];
  readonly start: Month | null;
  readonly end: Month | null;
  /**
   * Money is integer cents, never a float. The sum of `split` when the action has one (to the
   * cent, whatever was edited concurrently), else the one budget an older workshop stored.
   */
  readonly budgetCents: number;
  /** The funding sources' names, comma-separated, when split; else the one funding text. */
  readonly funding: string;
  /**
   * The budget split over funding sources, by order. An action of an older workshop, with one
   * budget and one funding text, reads as one line with id {@link LEGACY_LINE}; empty when it has
   * neither budget nor funding.
   */
  readonly split: readonly FundingLine[];
  /** Its work package, or null when none (or when the package was deleted). */
  readonly workPackageId: string | null;
  /** The strategy objectives it serves that still exist, in the order they were named. */
  readonly objectiveIds: readonly string[];
  readonly indicator: string;
  readonly status: ActionStatus;
  readonly order: number;
  /** Who created it: a participant id or an anonymous tag; null when unknown. */
  readonly author: string | null;
};

/** One funding source's part of an action's budget. */
export type FundingLine = {
  readonly id: string;
  /** The source's name as written (matched to the plan's sources by name, ignoring case). */
  readonly source: string;
  readonly cents: number;
  readonly order: number;
};

/** The id an older action's one budget and funding text read as. Wire format: never rename. */
export const LEGACY_LINE = 'legacy';

/** A municipality of the workshop, with its short baseline (lähtökohta-analyysi). */
export type Municipality = {
  readonly id: string;
  readonly name: string;
  readonly order: number;
  /** Inhabitants, for cost sharing by population; null when not given. */
  readonly population: number | null;
  /** The baseline in words. */
  readonly baseline: string;
  /** A few baseline indicators, e.g. { label: 'Culture spending €/inhabitant', value: '41' }. */
  readonly indicators: readonly BaselineIndicator[];
};

export type BaselineIndicator = { readonly label: string; readonly value: string };

/** A named entry of one of the plan's simple lists (partner organisations). */
export type Organisation = { readonly id: string; readonly name: string; readonly order: number };

/** A funding source the plan knows (actions may also name others). */
export type FundingSource = {
  readonly id: string;
  readonly name: string;
  /** Part of the municipal share that cost sharing splits among the municipalities. */
  readonly municipal: boolean;
  readonly order: number;
};

/** A work package: actions grouped, with an owner and a period; its budget is its actions' sum. */
export type WorkPackage = {
  readonly id: string;
  readonly title: string;
  readonly owner: string;
  readonly start: Month | null;
  readonly end: Month | null;
  readonly order: number;
};

/** An objective of the regional strategy the workshop serves. */
export type Objective = {
  readonly id: string;
  readonly title: string;
  /** The strategy area it belongs to, e.g. "Wellbeing"; '' when none. */
  readonly area: string;
  readonly order: number;
};

/** Something that happens every year in the same months (a festival each October). */
export type RecurringItem = {
  readonly id: string;
  readonly title: string;
  /** Months of the year, 1–12, ascending, at least one. */
  readonly months: readonly number[];
  readonly owner: string;
  readonly order: number;
};

/** How the municipal share is split among the municipalities that share it. */
export const COST_SHARE_METHODS = ['amount', 'population', 'equal'] as const;
export type CostShareMethod = (typeof COST_SHARE_METHODS)[number];

export type CostSharing = {
  readonly method: CostShareMethod;
  /** The municipalities that share the costs, in the municipality list's order, each with the amount set for it (method `amount`). */
  readonly members: readonly { readonly municipalityId: string; readonly cents: number }[];
};

/** The plan's own lists and settings (root `plan`). */
export type Plan = {
  /** The workshop's municipalities; a workshop from before lists its boards' municipalities. */
  readonly municipalities: readonly Municipality[];
  readonly organisations: readonly Organisation[];
  readonly sources: readonly FundingSource[];
  readonly packages: readonly WorkPackage[];
  readonly objectives: readonly Objective[];
  readonly recurring: readonly RecurringItem[];
  /** The facilitator's names for statuses; a status without one uses the locale's. */
  readonly statusNames: Readonly<Partial<Record<ActionStatus, string>>>;
  /** The plan's budget: a ceiling (min null) or a range; null when not set. */
  readonly budgetMinCents: number | null;
  readonly budgetMaxCents: number | null;
  readonly costSharing: CostSharing;
  /** The month the annual wheel starts at, 1–12 (8 for a school year). */
  readonly wheelStart: number;
};

export type Participant = {
  readonly id: ParticipantId;
  readonly name: string;
  readonly colour: string;
  readonly role: Role;
};

export type VoteRound = {
  readonly id: RoundId;
  readonly target: VoteTarget;
  /** Dots each participant may place in all; 0 means no limit. */
  readonly dotsPerPerson: number;
  /** Dots one participant may place on one item; 0 means no limit. */
  readonly maxPerItem: number;
  readonly state: RoundState;
  readonly order: number;
  /** When it was last revealed, epoch milliseconds; null when never. */
  readonly revealedAt: number | null;
};

/**
 * The countdown. Running: `endsAt` is set. Paused: `remainingMs` is set and `endsAt` is not.
 * Stopped: neither. Times are epoch milliseconds on the server's clock.
 */
export type Timer = {
  /** When a running timer ends; null when paused or stopped. */
  readonly endsAt: number | null;
  readonly durationMs: number;
  /** What a paused timer has left; null when running or stopped. */
  readonly remainingMs: number | null;
};

/** What a timer shows at one moment (`ended`: it ran out and nobody stopped it yet). */
export type TimerState = {
  readonly state: 'stopped' | 'running' | 'paused' | 'ended';
  readonly remainingMs: number;
};

/** "Bring everyone here": clients react once to each new id (facilitation key `summon`). */
export type Summon = {
  readonly id: string;
  readonly boardId: BoardId;
  /** The facilitator's name as the writer gave it. */
  readonly by: string;
  readonly at: number;
};

/** What everyone's attention is drawn to (facilitation key `spotlight`). */
export type Spotlight = {
  readonly kind: 'note' | 'theme';
  readonly id: string;
  readonly at: number;
};

/**
 * The facilitator's narrowing of what participants may do (facilitation key `rules`, a plain
 * object; field names are wire format: never rename). True allows.
 */
export type Rules = {
  /** Edit, move and delete notes, themes and actions that others wrote. */
  readonly editOthers: boolean;
  readonly addThemes: boolean;
  readonly addActions: boolean;
};

/** Everything allowed: what a workshop without rules reads as. */
export const DEFAULT_RULES: Rules = { editOthers: true, addThemes: true, addActions: true };

/** One person's progress as the server counts it: drafts written and dots placed per round. */
export type Progress = {
  readonly drafts: number;
  readonly dots: Readonly<Record<RoundId, number>>;
};

export type Facilitation = {
  readonly timer: Timer;
  /** Play a sound when the timer ends. */
  readonly timerSound: boolean;
  readonly phase: Phase;
  readonly privateWriting: boolean;
  /** The whole workshop is locked for participants. */
  readonly locked: boolean;
  /** Boards locked for participants, by id. */
  readonly lockedBoards: readonly BoardId[];
  readonly activeRoundId: RoundId | null;
  readonly followParticipantId: ParticipantId | null;
  /** The last "bring everyone here", or null. */
  readonly summon: Summon | null;
  /** Null also when its note or theme no longer exists. */
  readonly spotlight: Spotlight | null;
  readonly rules: Rules;
  /** Authors are hidden from participants. */
  readonly anonymous: boolean;
  readonly progress: Readonly<Record<ParticipantId, Progress>>;
};

/** Dots one participant has placed on one target, after limits. */
export type VoteEntry = {
  readonly participant: ParticipantId;
  readonly target: string;
  readonly count: number;
};

/** A round's result. */
export type Tally = {
  readonly round: VoteRound;
  /** Effective entries (limits applied), by participant then target. */
  readonly entries: readonly VoteEntry[];
  /** Total dots per target, highest first, ties by target id. */
  readonly ranking: readonly { readonly target: string; readonly count: number }[];
};

/** Why a document cannot be edited here, if it cannot. */
export type ReadOnlyReason = { readonly kind: 'newer-schema'; readonly version: number };

/** The whole workshop as plain readonly data. */
export type Workshop = {
  readonly meta: Meta;
  readonly readOnly: ReadOnlyReason | null;
  readonly boards: readonly Board[];
  readonly notes: readonly Note[];
  readonly themes: readonly Theme[];
  readonly actions: readonly Action[];
  readonly participants: readonly Participant[];
  readonly rounds: readonly VoteRound[];
  /** Each round's result with limits applied, in round order (the UI hides others' dots until revealed). */
  readonly tallies: readonly Tally[];
  /** Dots per note and per theme over every revealed or closed round (open rounds stay hidden). */
  readonly revealedVotes: {
    readonly notes: Readonly<Record<string, number>>;
    readonly themes: Readonly<Record<string, number>>;
  };
  readonly facilitation: Facilitation;
  readonly plan: Plan;
  /** The last restore of an earlier version in place, or null when there was none. */
  readonly lastRestore: RestoreNotice | null;
};
