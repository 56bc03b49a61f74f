/**
 * Read models: the workshop document as plain readonly objects. Every value is parsed with a
 * default, so a malformed or unknown value from the network never reaches (or crashes) a view.
 */
import * as Y from 'yjs';
import type { ActionId, BoardId, LaneId, NoteId, ParticipantId, RoundId, ThemeId } from '../ids';
import {
  bool,
  byOrder,
  childMap,
  entries,
  finite,
  int,
  num,
  oneOf,
  optionalStr,
  plainObject,
  str,
  strList,
} from './fields';
import { readActionObjectives, readFundingLines } from './action-keys';
import { planIds, readPlan } from './plan-read';
import { roots } from './roots';
import { readTallies, revealedTotals } from './votes';
import {
  ACTION_STATUSES,
  BOARD_KINDS,
  DEFAULT_RULES,
  LANGUAGES,
  LEGACY_LINE,
  MONTH_PATTERN,
  NOTE_COLOURS,
  PHASES,
  ROLES,
  SCHEMA_VERSION,
  type Action,
  type Board,
  type Facilitation,
  type Lane,
  type Meta,
  type Note,
  type Participant,
  type Progress,
  type ReadOnlyReason,
  type RestoreNotice,
  type Rules,
  type Spotlight,
  type Summon,
  type Theme,
  type Timer,
  type TimerState,
  type Workshop,
} from './schema';

/** The workshop's meta fields. */
export function readMeta(doc: Y.Doc): Meta {
  const meta = roots(doc).meta;
  return {
    schemaVersion: int(meta, 'schemaVersion', 0),
    title: str(meta, 'title'),
    language: oneOf(meta, 'language', LANGUAGES, 'en'),
    currency: str(meta, 'currency', 'EUR') || 'EUR',
    created: str(meta, 'created'),
  };
}

/** Meta key of the last restore. Wire format: never rename. */
export const LAST_RESTORE_KEY = 'lastRestore';

/** Longest name a restore notice keeps (a longer one is cut). */
const MAX_RESTORE_NAME = 80;

/**
 * The last restore of an earlier version in place, or null when there was none or what is stored
 * is not one (anyone connected can write the document: nothing here is trusted).
 */
export function readRestoreNotice(doc: Y.Doc): RestoreNotice | null {
  const value: unknown = roots(doc).meta.get(LAST_RESTORE_KEY);
  if (typeof value !== 'object' || value === null || value instanceof Y.AbstractType) return null;
  const { id, by, versionTime, at } = value as Record<string, unknown>;
  if (typeof id !== 'string' || !id || id.length > 64) return null;
  if (typeof versionTime !== 'number' || !Number.isFinite(versionTime)) return null;
  if (typeof at !== 'number' || !Number.isFinite(at)) return null;
  const name = typeof by === 'string' ? by.trim().slice(0, MAX_RESTORE_NAME) : '';
  return { id, by: name, versionTime, at };
}

/** Why this document cannot be edited by this version of Talkoo, or null when it can. */
export function readOnlyReason(doc: Y.Doc): ReadOnlyReason | null {
  const version = int(roots(doc).meta, 'schemaVersion', 0);
  return version > SCHEMA_VERSION ? { kind: 'newer-schema', version } : null;
}

function readLanes(board: Y.Map<unknown>): Lane[] {
  const lanes = childMap(board, 'lanes');
  if (!lanes) return [];
  return entries(lanes)
    .map(([id, lane]) => ({ id: id as LaneId, title: str(lane, 'title'), order: num(lane, 'order') }))
    .sort(byOrder);
}

/** All boards, in order. */
export function readBoards(doc: Y.Doc): Board[] {
  return entries(roots(doc).boards)
    .map(([id, board]) => ({
      id: id as BoardId,
      kind: oneOf(board, 'kind', BOARD_KINDS, 'needs'),
      title: str(board, 'title'),
      order: num(board, 'order'),
      lanes: readLanes(board),
      municipalities: strList(board, 'municipalities'),
    }))
    .sort(byOrder);
}

/** Theme ids that exist now. */
function existingThemeIds(doc: Y.Doc): Set<string> {
  return new Set(entries(roots(doc).themes).map(([id]) => id));
}

/** Lane ids that exist now, per board. */
function existingLaneIds(boards: readonly Board[]): Map<string, Set<string>> {
  return new Map(boards.map((board) => [board.id, new Set(board.lanes.map((lane) => lane.id))]));
}

/** All notes, in order. A note whose theme or lane is gone reads as unsorted / without lane. */
export function readNotes(
  doc: Y.Doc,
  themes: Set<string> = existingThemeIds(doc),
  lanes: Map<string, Set<string>> = existingLaneIds(readBoards(doc)),
): Note[] {
  return entries(roots(doc).notes)
    .map(([id, note]): Note => {
      const boardId = str(note, 'boardId') as BoardId;
      const laneId = optionalStr(note, 'laneId');
      const themeId = optionalStr(note, 'themeId');
      return {
        id: id as NoteId,
        boardId,
        laneId: laneId !== null && lanes.get(boardId)?.has(laneId) ? (laneId as LaneId) : null,
        text: str(note, 'text'),
        municipality: optionalStr(note, 'municipality'),
        colour: oneOf(note, 'colour', NOTE_COLOURS, 'yellow'),
        author: optionalStr(note, 'author') as ParticipantId | null,
        x: num(note, 'x'),
        y: num(note, 'y'),
        themeId: themeId !== null && themes.has(themeId) ? (themeId as ThemeId) : null,
        order: num(note, 'order'),
        themeOrder: num(note, 'themeOrder'),
      };
    })
    .sort(byOrder);
}

/** All themes, in order, each listing its notes once, by theme order. */
export function readThemes(doc: Y.Doc, notes: readonly Note[] = readNotes(doc)): Theme[] {
  const members = new Map<string, Note[]>();
  for (const note of notes) {
    if (note.themeId === null) continue;
    const list = members.get(note.themeId) ?? [];
    list.push(note);
    members.set(note.themeId, list);
  }
  return entries(roots(doc).themes)
    .map(([id, theme]): Theme => ({
      id: id as ThemeId,
      title: str(theme, 'title'),
      author: optionalStr(theme, 'author'),
      colour: oneOf(theme, 'colour', NOTE_COLOURS, 'blue'),
      x: num(theme, 'x'),
      y: num(theme, 'y'),
      order: num(theme, 'order'),
      noteIds: (members.get(id) ?? [])
        .slice()
        .sort((a, b) => a.themeOrder - b.themeOrder || byOrder(a, b))
        .map((note) => note.id),
    }))
    .sort(byOrder);
}

function readMonth(map: Y.Map<unknown>, key: string): string | null {
  const value = str(map, key);
  return MONTH_PATTERN.test(value) ? value : null;
}

/**
 * All actions, in order; links to deleted themes, objectives and work packages are left out (the
 * action reads as "no theme", "no package").
 */
export function readActions(
  doc: Y.Doc,
  themes: Set<string> = existingThemeIds(doc),
  plan: { objectives: Set<string>; packages: Set<string> } = planIds(doc),
): Action[] {
  return entries(roots(doc).actions)
    .map(([id, action]): Action => {
      const links = childMap(action, 'themeIds');
      const themeIds = links
        ? [...links.entries()]
            .filter(([themeId]) => themes.has(themeId))
            .map(([themeId, order]) => ({
              id: themeId,
              order: typeof order === 'number' && Number.isFinite(order) ? order : 0,
            }))
            .sort(byOrder)
            .map((link) => link.id as ThemeId)
        : [];
      const split = readFundingLines(action);
      const packageId = str(action, 'workPackageId');
      return {
        id: id as ActionId,
        title: str(action, 'title'),
        description: str(action, 'description'),
        themeIds,
        owner: str(action, 'owner'),
        partners: strList(action, 'partners'),
        start: readMonth(action, 'start'),
        end: readMonth(action, 'end'),
        budgetCents: split.reduce((sum, line) => sum + line.cents, 0),
        funding:
          split.length === 1 && split[0]?.id === LEGACY_LINE
            ? split[0].source
            : split
                .map((line) => line.source.trim())
                .filter(Boolean)
                .join(', '),
        split,
        workPackageId: plan.packages.has(packageId) ? packageId : null,
        objectiveIds: readActionObjectives(action, plan.objectives),
        indicator: str(action, 'indicator'),
        status: oneOf(action, 'status', ACTION_STATUSES, 'planned'),
        order: num(action, 'order'),
        author: optionalStr(action, 'author'),
      };
    })
    .sort(byOrder);
}

/** The roster, by name. */
export function readParticipants(doc: Y.Doc): Participant[] {
  return entries(roots(doc).participants)
    .map(([id, p]) => ({
      id: id as ParticipantId,
      name: str(p, 'name'),
      colour: str(p, 'colour', '#57606A'),
      role: oneOf(p, 'role', ROLES, 'participant'),
    }))
    .sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1));
}

function readTimer(f: Y.Map<unknown>): Timer {
  const timer = childMap(f, 'timer');
  if (!timer) return { endsAt: null, durationMs: 0, remainingMs: null };
  const endsAt = num(timer, 'endsAt', NaN);
  const remaining = num(timer, 'remainingMs', NaN);
  const running = Number.isFinite(endsAt);
  return {
    endsAt: running ? endsAt : null,
    durationMs: Math.max(0, num(timer, 'durationMs')),
    // A running timer wins over a pause written concurrently on another replica.
    remainingMs: !running && Number.isFinite(remaining) ? Math.max(0, remaining) : null,
  };
}

/** What `timer` shows at `now` (epoch ms on the server's clock, as the timer was written). */
export function timerState(timer: Timer, now: number): TimerState {
  if (timer.endsAt !== null) {
    const remainingMs = Math.max(0, timer.endsAt - now);
    return { state: remainingMs > 0 ? 'running' : 'ended', remainingMs };
  }
  if (timer.remainingMs !== null) return { state: 'paused', remainingMs: timer.remainingMs };
  return { state: 'stopped', remainingMs: 0 };
}

function readLockedBoards(f: Y.Map<unknown>): BoardId[] {
  const locked = childMap(f, 'lockedBoards');
  if (!locked) return [];
  return [...locked.entries()]
    .filter(([, on]) => on === true)
    .map(([id]) => id as BoardId)
    .sort();
}

function readSummon(f: Y.Map<unknown>): Summon | null {
  const value = plainObject(f, 'summon');
  if (!value) return null;
  const { id, boardId, by, at } = value;
  const time = finite(at);
  if (typeof id !== 'string' || !id || typeof boardId !== 'string' || time === undefined) return null;
  return { id, boardId: boardId as BoardId, by: typeof by === 'string' ? by : '', at: time };
}

function readSpotlight(doc: Y.Doc, f: Y.Map<unknown>): Spotlight | null {
  const value = plainObject(f, 'spotlight');
  if (!value) return null;
  const { kind, id, at } = value;
  const time = finite(at);
  if ((kind !== 'note' && kind !== 'theme') || typeof id !== 'string' || time === undefined) return null;
  const collection = kind === 'note' ? roots(doc).notes : roots(doc).themes;
  return collection.get(id) instanceof Y.Map ? { kind, id, at: time } : null;
}

function readRules(f: Y.Map<unknown>): Rules {
  const value = plainObject(f, 'rules') ?? {};
  const flag = (key: keyof Rules): boolean => {
    const v = value[key];
    return typeof v === 'boolean' ? v : DEFAULT_RULES[key];
  };
  return { editOthers: flag('editOthers'), addThemes: flag('addThemes'), addActions: flag('addActions') };
}

/** A count: a non-negative integer (rounded down), or 0. */
function count(value: unknown): number {
  const n = finite(value);
  return n === undefined ? 0 : Math.max(0, Math.floor(n));
}

/** One person's progress from a stored value, or null when it is not one. */
export function parseProgress(value: unknown): Progress | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  if (value instanceof Y.AbstractType) return null;
  const { drafts, dots } = value as Record<string, unknown>;
  const perRound: Record<string, number> = {};
  if (typeof dots === 'object' && dots !== null && !Array.isArray(dots)) {
    for (const [round, n] of Object.entries(dots as Record<string, unknown>)) {
      if (finite(n) !== undefined) perRound[round] = count(n);
    }
  }
  return { drafts: count(drafts), dots: perRound };
}

function readProgress(f: Y.Map<unknown>): Record<ParticipantId, Progress> {
  const out: Record<string, Progress> = {};
  const progress = childMap(f, 'progress');
  if (!progress) return out;
  for (const [id, value] of [...progress.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const parsed = parseProgress(value);
    if (parsed) out[id] = parsed;
  }
  return out;
}

/** The facilitator's settings: timer, phase, locks, rounds, summon, spotlight, rules, progress. */
export function readFacilitation(doc: Y.Doc): Facilitation {
  const f = roots(doc).facilitation;
  return {
    timer: readTimer(f),
    timerSound: bool(f, 'timerSound'),
    phase: oneOf(f, 'phase', PHASES, 'needs'),
    privateWriting: bool(f, 'privateWriting'),
    locked: bool(f, 'locked'),
    lockedBoards: readLockedBoards(f),
    activeRoundId: optionalStr(f, 'activeRoundId') as RoundId | null,
    followParticipantId: optionalStr(f, 'followParticipantId') as ParticipantId | null,
    summon: readSummon(f),
    spotlight: readSpotlight(doc, f),
    rules: readRules(f),
    anonymous: bool(f, 'anonymous'),
    progress: readProgress(f),
  };
}

/** The whole workshop as plain data. */
export function readWorkshop(doc: Y.Doc): Workshop {
  const boards = readBoards(doc);
  const themeIds = existingThemeIds(doc);
  const notes = readNotes(doc, themeIds, existingLaneIds(boards));
  // Rounds and their tallies are read once; the revealed totals come from the same tallies.
  const tallies = readTallies(doc);
  const plan = readPlan(doc, boards);
  // Links to objectives and packages are checked against the plan just read (not read again).
  const planned = {
    objectives: new Set(plan.objectives.map((o) => o.id)),
    packages: new Set(plan.packages.map((p) => p.id)),
  };
  return {
    meta: readMeta(doc),
    readOnly: readOnlyReason(doc),
    boards,
    notes,
    themes: readThemes(doc, notes),
    actions: readActions(doc, themeIds, planned),
    participants: readParticipants(doc),
    rounds: tallies.map((t) => t.round),
    tallies,
    revealedVotes: {
      notes: Object.fromEntries(revealedTotals(tallies, 'notes')),
      themes: Object.fromEntries(revealedTotals(tallies, 'themes')),
    },
    facilitation: readFacilitation(doc),
    plan,
    lastRestore: readRestoreNotice(doc),
  };
}

/** The Y.Text behind a note's, theme's or action's text field, for live editors. */
export function liveText(
  doc: Y.Doc,
  root: 'notes' | 'themes' | 'actions',
  id: string,
  field: 'text' | 'title' | 'description',
): Y.Text | undefined {
  const item = roots(doc)[root].get(id);
  if (!(item instanceof Y.Map)) return undefined;
  const value = (item as Y.Map<unknown>).get(field);
  return value instanceof Y.Text ? value : undefined;
}
