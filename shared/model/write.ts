/**
 * Every change to a workshop document. Each function is one `doc.transact` with the local origin,
 * so per-user undo (Y.UndoManager tracking LOCAL_ORIGIN) undoes exactly what this user did.
 * Functions that act on an item return false, and change nothing, when the item does not exist
 * (another participant may have deleted it a moment ago).
 */
import * as Y from 'yjs';
import {
  newId,
  randomUuid,
  type ActionId,
  type BoardId,
  type LaneId,
  type NoteId,
  type ParticipantId,
  type RoundId,
  type ThemeId,
} from '../ids';
import { childMap, entries, num } from './fields';
import { parseProgress, readFacilitation, readOnlyReason } from './read';
import { readRounds } from './votes';
import { setSingleLine } from './action-keys';
import { InvalidValueError } from './errors';
import { roots, voteKey } from './roots';
import {
  MONTH_PATTERN,
  SCHEMA_VERSION,
  type ActionStatus,
  type BoardKind,
  type Language,
  type Month,
  type NoteColour,
  type Phase,
  type Progress,
  type Role,
  type Rules,
  type Spotlight,
  type VoteTarget,
} from './schema';
import { recordClientIfChanged } from './client-record';
import { replaceText } from './text';

/** Origin of this user's own transactions: what their UndoManager tracks. */
export const LOCAL_ORIGIN: unique symbol = Symbol('talkoo-local');

/** Thrown when writing to a document this version cannot edit (written by a newer schema). */
export class ReadOnlyDocumentError extends Error {
  constructor(version: number) {
    super(
      `This workshop was saved by a newer version of Talkoo (schema ${version}); it opens read-only here.`,
    );
    this.name = 'ReadOnlyDocumentError';
  }
}

/** Runs `fn` as one local transaction (what undo tracks); throws for a read-only document. */
export function transact<T>(doc: Y.Doc, fn: () => T): T {
  const reason = readOnlyReason(doc);
  if (reason) throw new ReadOnlyDocumentError(reason.version);
  let result!: T;
  doc.transact((transaction) => {
    result = fn();
    // The first change of this client carries who makes it (client-record.ts).
    recordClientIfChanged(doc, transaction);
  }, LOCAL_ORIGIN);
  return result;
}

function item(collection: Y.Map<unknown>, id: string): Y.Map<unknown> | undefined {
  const value = collection.get(id);
  return value instanceof Y.Map ? (value as Y.Map<unknown>) : undefined;
}

/** One more than the highest `field` (default `order`) in a collection: appends at the end. */
function nextOrder(
  collection: Y.Map<unknown>,
  filter?: (m: Y.Map<unknown>) => boolean,
  field = 'order',
): number {
  let max = -1;
  for (const [, m] of entries(collection)) {
    if (!filter || filter(m)) max = Math.max(max, num(m, field, -1));
  }
  return max + 1;
}

function setFields(map: Y.Map<unknown>, fields: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined && map.get(key) !== value) map.set(key, value);
  }
}

// ---- Workshop and boards --------------------------------------------------------------------

/** What a new workshop starts with. */
export type NewWorkshop = {
  readonly title: string;
  readonly language: Language;
  readonly currency?: string;
  /** Titles of the three boards, in the workshop's language. */
  readonly boardTitles: Readonly<Record<BoardKind, string>>;
  /** Creation time, ISO; defaults to now. */
  readonly created?: string;
};

/** Deterministic ids of the template boards: applying the template twice writes the same keys. */
export const TEMPLATE_BOARD_IDS: Readonly<Record<BoardKind, BoardId>> = {
  needs: 'board-needs' as BoardId,
  themes: 'board-themes' as BoardId,
  actions: 'board-actions' as BoardId,
};

/**
 * Writes a new workshop's meta and its three boards (needs → themes → actions). Call once, when
 * the workshop is created: never because a synced document looked empty.
 */
export function createWorkshop(doc: Y.Doc, input: NewWorkshop): void {
  transact(doc, () => {
    const { meta, boards } = roots(doc);
    setFields(meta, {
      schemaVersion: SCHEMA_VERSION,
      title: input.title,
      language: input.language,
      currency: input.currency ?? 'EUR',
      created: input.created ?? new Date().toISOString(),
    });
    (['needs', 'themes', 'actions'] as const).forEach((kind, order) => {
      const board = new Y.Map<unknown>();
      boards.set(TEMPLATE_BOARD_IDS[kind], board);
      board.set('kind', kind);
      board.set('title', input.boardTitles[kind]);
      board.set('order', order);
      board.set('lanes', new Y.Map<unknown>());
      board.set('municipalities', []);
    });
    // The rounds map exists from the start: if the first openVoteRound created it, two replicas
    // opening a first round concurrently would each set a new map under the same key, and the
    // losing map would take its round (and the tally of its votes) with it. Found by
    // convergence.test.ts.
    roots(doc).facilitation.set('rounds', new Y.Map<unknown>());
    // The same holds for the map of locked boards: two facilitators locking two boards at once
    // must both keep their lock.
    roots(doc).facilitation.set('lockedBoards', new Y.Map<unknown>());
  });
}

/** Renames the workshop. */
export function setWorkshopTitle(doc: Y.Doc, title: string): void {
  transact(doc, () => roots(doc).meta.set('title', title));
}

/** Sets the workshop's language and currency. */
export function setWorkshopLocale(doc: Y.Doc, language: Language, currency: string): void {
  transact(doc, () => setFields(roots(doc).meta, { language, currency }));
}

/** Sets the municipality tags offered on a board's notes. */
export function setMunicipalities(doc: Y.Doc, boardId: BoardId, names: readonly string[]): boolean {
  return transact(doc, () => {
    const board = item(roots(doc).boards, boardId);
    if (!board) return false;
    board.set('municipalities', [...names]);
    return true;
  });
}

// ---- Lanes ----------------------------------------------------------------------------------

function lanesOf(doc: Y.Doc, boardId: BoardId): Y.Map<unknown> | undefined {
  const board = item(roots(doc).boards, boardId);
  if (!board) return undefined;
  const existing = childMap(board, 'lanes');
  if (existing) return existing;
  const lanes = new Y.Map<unknown>();
  board.set('lanes', lanes);
  return lanes;
}

/** Adds a stakeholder lane at the end of a board; returns its id, or null without the board. */
export function addLane(
  doc: Y.Doc,
  boardId: BoardId,
  title: string,
  id: LaneId = newId<'LaneId'>(),
): LaneId | null {
  return transact(doc, () => {
    const lanes = lanesOf(doc, boardId);
    if (!lanes) return null;
    const lane = new Y.Map<unknown>();
    const order = nextOrder(lanes);
    lanes.set(id, lane);
    lane.set('title', title);
    lane.set('order', order);
    return id;
  });
}

/** Renames a lane. */
export function renameLane(doc: Y.Doc, boardId: BoardId, laneId: LaneId, title: string): boolean {
  return transact(doc, () => {
    const lane = item(lanesOf(doc, boardId) ?? new Y.Map(), laneId);
    if (!lane) return false;
    lane.set('title', title);
    return true;
  });
}

/**
 * Moves a lane to position `index` among the board's lanes. Orders are renumbered, so two
 * concurrent moves of different lanes both take effect and every replica agrees on the result.
 */
export function moveLane(doc: Y.Doc, boardId: BoardId, laneId: LaneId, index: number): boolean {
  return transact(doc, () => {
    const lanes = lanesOf(doc, boardId);
    if (!lanes || !item(lanes, laneId)) return false;
    const ordered = entries(lanes)
      .map(([id, lane]) => ({ id, lane, order: num(lane, 'order') }))
      .sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : 1));
    const from = ordered.findIndex((l) => l.id === laneId);
    const [moved] = ordered.splice(from, 1);
    if (!moved) return false;
    ordered.splice(Math.max(0, Math.min(index, ordered.length)), 0, moved);
    ordered.forEach((l, order) => {
      if (num(l.lane, 'order') !== order) l.lane.set('order', order);
    });
    return true;
  });
}

/** Deletes a lane. Its notes stay, and read as "no lane" (undo brings the lane back). */
export function deleteLane(doc: Y.Doc, boardId: BoardId, laneId: LaneId): boolean {
  return transact(doc, () => {
    const lanes = lanesOf(doc, boardId);
    if (!lanes || !item(lanes, laneId)) return false;
    lanes.delete(laneId);
    return true;
  });
}

// ---- Notes ----------------------------------------------------------------------------------

/** A new note's fields. */
export type NewNote = {
  readonly text: string;
  readonly laneId?: LaneId | null;
  readonly municipality?: string | null;
  readonly colour?: NoteColour;
  /** Who writes it: a participant id or an anonymous tag (shared/policy/policy.ts, authorFor). */
  readonly author?: string | null;
  readonly x?: number;
  readonly y?: number;
  readonly themeId?: ThemeId | null;
  readonly id?: NoteId;
  /** Position among all notes; appended at the end when absent. */
  readonly order?: number;
  /** Position inside its theme; the note's order when absent. */
  readonly themeOrder?: number;
};

/** A new note's map, built whole before it goes in: one integration instead of a dozen. */
function noteMap(boardId: BoardId, input: NewNote, order: number): Y.Map<unknown> {
  return new Y.Map<unknown>([
    ['text', new Y.Text(input.text)],
    ['boardId', boardId],
    ['laneId', input.laneId ?? ''],
    ['municipality', input.municipality ?? ''],
    ['colour', input.colour ?? 'yellow'],
    ['author', input.author ?? ''],
    ['x', input.x ?? 0],
    ['y', input.y ?? 0],
    ['themeId', input.themeId ?? ''],
    ['order', order],
    ['themeOrder', input.themeOrder ?? order],
  ]);
}

/** Adds a note to a board; returns its id, or null when the board does not exist. */
export function addNote(doc: Y.Doc, boardId: BoardId, input: NewNote): NoteId | null {
  return addNotes(doc, boardId, [input])[0] ?? null;
}

/** Adds several notes in one undo step (an import); returns their ids (none without the board). */
export function addNotes(doc: Y.Doc, boardId: BoardId, inputs: readonly NewNote[]): NoteId[] {
  return transact(doc, () => {
    const { boards, notes } = roots(doc);
    if (!item(boards, boardId)) return [];
    // The end of the list is found once, not once per note (an import can be thousands).
    const first = nextOrder(notes);
    return inputs.map((input, i) => {
      const id = input.id ?? newId<'NoteId'>();
      notes.set(id, noteMap(boardId, input, input.order ?? first + i));
      return id;
    });
  });
}

/**
 * Adds one note per non-empty line of `text` (a paste of many lines); returns their ids.
 * `authorFor` gives each new note's author from its id (an anonymous tag differs per note).
 */
export function addNotesFromLines(
  doc: Y.Doc,
  boardId: BoardId,
  text: string,
  input: Omit<NewNote, 'text' | 'id'> = {},
  authorFor?: (id: NoteId) => string,
): NoteId[] {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  return addNotes(
    doc,
    boardId,
    lines.map((line, i) => {
      const id = newId<'NoteId'>();
      return { ...input, text: line, y: (input.y ?? 0) + i, id, author: authorFor?.(id) ?? input.author };
    }),
  );
}

function withNote(doc: Y.Doc, noteId: NoteId, fn: (note: Y.Map<unknown>) => void): boolean {
  return transact(doc, () => {
    const note = item(roots(doc).notes, noteId);
    if (!note) return false;
    fn(note);
    return true;
  });
}

function textField(map: Y.Map<unknown>, key: string): Y.Text {
  const value = map.get(key);
  if (value instanceof Y.Text) return value;
  const text = new Y.Text(typeof value === 'string' ? value : '');
  map.set(key, text);
  return text;
}

/** Sets a note's text with a minimal edit, keeping others' concurrent words. */
export function setNoteText(doc: Y.Doc, noteId: NoteId, text: string): boolean {
  return withNote(doc, noteId, (note) => replaceText(textField(note, 'text'), text));
}

/** Sets a note's colour. */
export function setNoteColour(doc: Y.Doc, noteId: NoteId, colour: NoteColour): boolean {
  return withNote(doc, noteId, (note) => note.set('colour', colour));
}

/** Sets or clears a note's municipality tag. */
export function setNoteMunicipality(doc: Y.Doc, noteId: NoteId, municipality: string | null): boolean {
  return withNote(doc, noteId, (note) => note.set('municipality', municipality ?? ''));
}

/** Moves a note on its canvas. */
export function moveNote(doc: Y.Doc, noteId: NoteId, x: number, y: number): boolean {
  if (!Number.isFinite(x) || !Number.isFinite(y)) return false;
  return withNote(doc, noteId, (note) => setFields(note, { x, y }));
}

/** Moves notes to a lane (null: no lane). */
export function moveNotesToLane(doc: Y.Doc, noteIds: readonly NoteId[], laneId: LaneId | null): number {
  return transact(
    doc,
    () => noteIds.filter((id) => withNote(doc, id, (note) => note.set('laneId', laneId ?? ''))).length,
  );
}

/**
 * Places notes in a lane (null: no lane) at vertical position `y` (the sort key within the lane),
 * keeping their relative order: what a drag between lanes does, in one undo step.
 */
export function placeNotes(doc: Y.Doc, noteIds: readonly NoteId[], laneId: LaneId | null, y: number): number {
  if (!Number.isFinite(y)) return 0;
  return transact(
    doc,
    () =>
      noteIds.filter((id, i) =>
        withNote(doc, id, (note) => setFields(note, { laneId: laneId ?? '', y: y + i / 1000 })),
      ).length,
  );
}

/**
 * Puts a note into a theme (null: back to unsorted). A note holds one theme id, so concurrent
 * moves to different themes end in exactly one of them. Returns false when the note or the
 * theme does not exist.
 */
export function moveNoteToTheme(
  doc: Y.Doc,
  noteId: NoteId,
  themeId: ThemeId | null,
  themeOrder?: number,
): boolean {
  return transact(doc, () => {
    const { notes, themes } = roots(doc);
    const note = item(notes, noteId);
    if (!note || (themeId !== null && !item(themes, themeId))) return false;
    // Only write a changed theme id: rewriting the same one (a reorder inside the theme) would
    // win over a concurrent merge of that theme and leave the note unsorted instead of following
    // the merge (found by convergence.test.ts).
    if (note.get('themeId') !== (themeId ?? '')) note.set('themeId', themeId ?? '');
    if (themeId !== null) {
      const order =
        themeOrder ?? nextOrder(notes, (n) => n.get('themeId') === themeId && n !== note, 'themeOrder');
      note.set('themeOrder', order);
    }
    return true;
  });
}

/**
 * Moves several notes into a theme (null: unsorted) in one undo step, in the given order from
 * theme order `start` on. Notes that do not exist are skipped; returns how many moved.
 */
export function moveNotesToTheme(
  doc: Y.Doc,
  noteIds: readonly NoteId[],
  themeId: ThemeId | null,
  start?: number,
): number {
  return transact(
    doc,
    () =>
      noteIds.filter((id, i) =>
        moveNoteToTheme(doc, id, themeId, start === undefined ? undefined : start + i / 1000),
      ).length,
  );
}

/** Deletes notes (undoable by their author). */
export function deleteNotes(doc: Y.Doc, noteIds: readonly NoteId[]): number {
  return transact(doc, () => {
    const { notes } = roots(doc);
    let deleted = 0;
    for (const id of noteIds) {
      if (!item(notes, id)) continue;
      notes.delete(id);
      deleted++;
    }
    return deleted;
  });
}

// ---- Themes ---------------------------------------------------------------------------------

/** A new theme's fields. */
export type NewTheme = {
  readonly title: string;
  readonly colour?: NoteColour;
  readonly x?: number;
  readonly y?: number;
  readonly id?: ThemeId;
  /** Who creates it: a participant id or an anonymous tag. */
  readonly author?: string;
  /** Position among the themes; appended at the end when absent. */
  readonly order?: number;
};

/** Creates a theme; returns its id. */
export function createTheme(doc: Y.Doc, input: NewTheme): ThemeId {
  return transact(doc, () => {
    const { themes } = roots(doc);
    const id = input.id ?? newId<'ThemeId'>();
    const theme = new Y.Map<unknown>();
    const order = input.order ?? nextOrder(themes);
    themes.set(id, theme);
    theme.set('title', new Y.Text(input.title));
    theme.set('colour', input.colour ?? 'blue');
    theme.set('x', input.x ?? 0);
    theme.set('y', input.y ?? 0);
    theme.set('order', order);
    theme.set('author', input.author ?? '');
    return id;
  });
}

function withTheme(doc: Y.Doc, themeId: ThemeId, fn: (theme: Y.Map<unknown>) => void): boolean {
  return transact(doc, () => {
    const theme = item(roots(doc).themes, themeId);
    if (!theme) return false;
    fn(theme);
    return true;
  });
}

/** Renames a theme with a minimal text edit. */
export function renameTheme(doc: Y.Doc, themeId: ThemeId, title: string): boolean {
  return withTheme(doc, themeId, (theme) => replaceText(textField(theme, 'title'), title));
}

/** Recolours a theme. */
export function recolourTheme(doc: Y.Doc, themeId: ThemeId, colour: NoteColour): boolean {
  return withTheme(doc, themeId, (theme) => theme.set('colour', colour));
}

/** Moves a theme on the clustering canvas. */
export function moveTheme(doc: Y.Doc, themeId: ThemeId, x: number, y: number): boolean {
  if (!Number.isFinite(x) || !Number.isFinite(y)) return false;
  return withTheme(doc, themeId, (theme) => setFields(theme, { x, y }));
}

/**
 * Deletes a theme. Its notes return to unsorted (never deleted); actions keep the stale link,
 * which reads as "no theme" and comes back to life if the deletion is undone.
 */
export function deleteTheme(doc: Y.Doc, themeId: ThemeId): boolean {
  return transact(doc, () => {
    const { notes, themes } = roots(doc);
    if (!item(themes, themeId)) return false;
    for (const [, note] of entries(notes)) {
      if (note.get('themeId') === themeId) note.set('themeId', '');
    }
    themes.delete(themeId);
    return true;
  });
}

/** Merges `sourceId` into `targetId`: its notes and action links move over, then it goes. */
export function mergeThemes(doc: Y.Doc, sourceId: ThemeId, targetId: ThemeId): boolean {
  if (sourceId === targetId) return false;
  return transact(doc, () => {
    const { notes, themes, actions } = roots(doc);
    if (!item(themes, sourceId) || !item(themes, targetId)) return false;
    let order = nextOrder(notes, (n) => n.get('themeId') === targetId, 'themeOrder');
    for (const [, note] of entries(notes)) {
      if (note.get('themeId') !== sourceId) continue;
      note.set('themeId', targetId);
      note.set('themeOrder', order++);
    }
    for (const [, action] of entries(actions)) {
      const links = childMap(action, 'themeIds');
      const linkOrder = links?.get(sourceId);
      if (!links || linkOrder === undefined) continue;
      links.delete(sourceId);
      if (!links.has(targetId)) links.set(targetId, linkOrder);
    }
    themes.delete(sourceId);
    return true;
  });
}

// ---- Actions --------------------------------------------------------------------------------

/** An action's short fields (last writer wins on each). */
export type ActionFields = {
  readonly owner?: string;
  readonly partners?: readonly string[];
  readonly start?: Month | null;
  readonly end?: Month | null;
  readonly budgetCents?: number;
  readonly funding?: string;
  readonly indicator?: string;
  readonly status?: ActionStatus;
};

/** A new action. */
export type NewAction = ActionFields & {
  readonly title: string;
  readonly description?: string;
  readonly themeIds?: readonly ThemeId[];
  readonly id?: ActionId;
  /** Who creates it: a participant id or an anonymous tag. */
  readonly author?: string;
  /** Position in the plan; appended at the end when absent. */
  readonly order?: number;
};

export { InvalidValueError } from './errors';

function checkActionFields(fields: ActionFields): void {
  const { budgetCents, start, end } = fields;
  if (budgetCents !== undefined && (!Number.isSafeInteger(budgetCents) || budgetCents < 0)) {
    throw new InvalidValueError(
      'budgetCents',
      `must be a whole, non-negative number of cents, not ${budgetCents}`,
    );
  }
  for (const [name, month] of [
    ['start', start],
    ['end', end],
  ] as const) {
    if (month && !/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) {
      throw new InvalidValueError(name, `must be a month as YYYY-MM, not "${month}"`);
    }
  }
  if (start && end && end < start) {
    throw new InvalidValueError('end', `${end} is before the start ${start}`);
  }
}

function writeActionFields(action: Y.Map<unknown>, fields: ActionFields): void {
  // An action whose budget is split over funding lines keeps its budget in them.
  const single = setSingleLine(action, fields.budgetCents, fields.funding);
  setFields(action, {
    owner: fields.owner,
    funding: single ? undefined : fields.funding,
    indicator: fields.indicator,
    status: fields.status,
    budgetCents: single ? undefined : fields.budgetCents,
    start: fields.start === null ? '' : fields.start,
    end: fields.end === null ? '' : fields.end,
  });
  if (fields.partners !== undefined) action.set('partners', [...fields.partners]);
}

/** Adds an action at the end of the plan; returns its id. */
export function addAction(doc: Y.Doc, input: NewAction): ActionId {
  checkActionFields(input);
  return transact(doc, () => {
    const { actions } = roots(doc);
    const id = input.id ?? newId<'ActionId'>();
    const action = new Y.Map<unknown>();
    const order = input.order ?? nextOrder(actions);
    actions.set(id, action);
    action.set('title', new Y.Text(input.title));
    action.set('description', new Y.Text(input.description ?? ''));
    const links = new Y.Map<unknown>();
    action.set('themeIds', links);
    (input.themeIds ?? []).forEach((themeId, i) => links.set(themeId, i));
    action.set('order', order);
    action.set('author', input.author ?? '');
    writeActionFields(action, {
      owner: '',
      partners: [],
      start: null,
      end: null,
      budgetCents: 0,
      funding: '',
      indicator: '',
      status: 'planned',
      ...input,
    });
    return id;
  });
}

function withAction(doc: Y.Doc, actionId: ActionId, fn: (action: Y.Map<unknown>) => void): boolean {
  return transact(doc, () => {
    const action = item(roots(doc).actions, actionId);
    if (!action) return false;
    fn(action);
    return true;
  });
}

/** Updates an action's short fields. Throws InvalidValueError for impossible values. */
export function updateAction(doc: Y.Doc, actionId: ActionId, fields: ActionFields): boolean {
  checkActionFields(fields);
  return withAction(doc, actionId, (action) => {
    // One month given: checked against the other as stored, before anything is written.
    if (fields.start !== undefined || fields.end !== undefined)
      checkActionFields({
        start: fields.start === undefined ? storedMonth(action, 'start') : fields.start,
        end: fields.end === undefined ? storedMonth(action, 'end') : fields.end,
      });
    writeActionFields(action, fields);
  });
}

function storedMonth(action: Y.Map<unknown>, key: 'start' | 'end'): Month | null {
  const value = action.get(key);
  return typeof value === 'string' && MONTH_PATTERN.test(value) ? value : null;
}

/** Sets an action's title with a minimal text edit. */
export function setActionTitle(doc: Y.Doc, actionId: ActionId, title: string): boolean {
  return withAction(doc, actionId, (action) => replaceText(textField(action, 'title'), title));
}

/** Sets an action's description with a minimal text edit. */
export function setActionDescription(doc: Y.Doc, actionId: ActionId, text: string): boolean {
  return withAction(doc, actionId, (action) => replaceText(textField(action, 'description'), text));
}

function linksOf(action: Y.Map<unknown>): Y.Map<unknown> {
  const existing = childMap(action, 'themeIds');
  if (existing) return existing;
  const links = new Y.Map<unknown>();
  action.set('themeIds', links);
  return links;
}

/** Links an action to a theme (kept when someone else links another theme at the same time). */
export function linkActionTheme(doc: Y.Doc, actionId: ActionId, themeId: ThemeId): boolean {
  return transact(doc, () => {
    if (!item(roots(doc).themes, themeId)) return false;
    return withAction(doc, actionId, (action) => {
      const links = linksOf(action);
      if (links.has(themeId)) return;
      const orders = [...links.values()].filter((v): v is number => typeof v === 'number');
      links.set(themeId, orders.length ? Math.max(...orders) + 1 : 0);
    });
  });
}

/** Removes an action's link to a theme. */
export function unlinkActionTheme(doc: Y.Doc, actionId: ActionId, themeId: ThemeId): boolean {
  return withAction(doc, actionId, (action) => linksOf(action).delete(themeId));
}

/** Places an action between others by giving it an explicit order. */
export function setActionOrder(doc: Y.Doc, actionId: ActionId, order: number): boolean {
  if (!Number.isFinite(order)) return false;
  return withAction(doc, actionId, (action) => action.set('order', order));
}

/** Deletes an action. */
export function deleteAction(doc: Y.Doc, actionId: ActionId): boolean {
  return transact(doc, () => {
    const { actions } = roots(doc);
    if (!item(actions, actionId)) return false;
    actions.delete(actionId);
    return true;
  });
}

// ---- Participants and facilitation ------------------------------------------------------------

/** Adds or updates a participant in the roster. */
export function upsertParticipant(
  doc: Y.Doc,
  id: ParticipantId,
  fields: { readonly name: string; readonly colour: string; readonly role: Role },
): void {
  transact(doc, () => {
    const { participants } = roots(doc);
    let p = item(participants, id);
    if (!p) {
      p = new Y.Map<unknown>();
      participants.set(id, p);
    }
    setFields(p, fields);
  });
}

function facilitationMap(doc: Y.Doc, key: string): Y.Map<unknown> {
  const { facilitation } = roots(doc);
  const existing = childMap(facilitation, key);
  if (existing) return existing;
  const created = new Y.Map<unknown>();
  facilitation.set(key, created);
  return created;
}

// The timer map holds `durationMs`, and `endsAt` while running or `remainingMs` while paused
// (wire format: never rename). Every `now` is epoch ms on the server's clock: callers correct
// their own clock first, so that everyone's countdown shows the same time.

/** Starts a countdown of `durationMs` from `now`, replacing any running or paused one. */
export function startTimer(doc: Y.Doc, durationMs: number, now: number = Date.now()): void {
  const duration = Math.max(0, durationMs);
  transact(doc, () => {
    const timer = facilitationMap(doc, 'timer');
    setFields(timer, { durationMs: duration, endsAt: now + duration });
    timer.delete('remainingMs');
  });
}

/** Pauses a running countdown, keeping what is left; false when it is not running. */
export function pauseTimer(doc: Y.Doc, now: number): boolean {
  return transact(doc, () => {
    const { endsAt } = readFacilitation(doc).timer;
    if (endsAt === null) return false;
    const timer = facilitationMap(doc, 'timer');
    timer.set('remainingMs', Math.max(0, endsAt - now));
    timer.delete('endsAt');
    return true;
  });
}

/** Runs a paused countdown on from `now`; false when it is not paused. */
export function resumeTimer(doc: Y.Doc, now: number): boolean {
  return transact(doc, () => {
    const { endsAt, remainingMs } = readFacilitation(doc).timer;
    if (endsAt !== null || remainingMs === null) return false;
    const timer = facilitationMap(doc, 'timer');
    timer.set('endsAt', now + remainingMs);
    timer.delete('remainingMs');
    return true;
  });
}

/**
 * Adds `ms` to a running or paused countdown (and to its duration); a countdown that has already
 * ended gets `ms` from `now`. False when the timer is stopped.
 */
export function extendTimer(doc: Y.Doc, ms: number, now: number): boolean {
  if (!Number.isFinite(ms)) return false;
  return transact(doc, () => {
    const { endsAt, remainingMs, durationMs } = readFacilitation(doc).timer;
    const timer = facilitationMap(doc, 'timer');
    if (endsAt !== null) timer.set('endsAt', Math.max(endsAt, now) + ms);
    else if (remainingMs !== null) timer.set('remainingMs', Math.max(0, remainingMs + ms));
    else return false;
    timer.set('durationMs', Math.max(0, durationMs + ms));
    return true;
  });
}

/** Stops the countdown (running or paused). */
export function stopTimer(doc: Y.Doc): void {
  transact(doc, () => {
    const timer = facilitationMap(doc, 'timer');
    timer.delete('endsAt');
    timer.delete('remainingMs');
  });
}

/** Turns the sound at the end of the countdown on or off. */
export function setTimerSound(doc: Y.Doc, on: boolean): void {
  transact(doc, () => roots(doc).facilitation.set('timerSound', on));
}

/** Moves the workshop to a phase. */
export function setPhase(doc: Y.Doc, phase: Phase): void {
  transact(doc, () => roots(doc).facilitation.set('phase', phase));
}

/** Turns the private writing round on or off. */
export function setPrivateWriting(doc: Y.Doc, on: boolean): void {
  transact(doc, () => roots(doc).facilitation.set('privateWriting', on));
}

/** Locks or unlocks the board for participants. */
export function setLocked(doc: Y.Doc, on: boolean): void {
  transact(doc, () => roots(doc).facilitation.set('locked', on));
}

/** Asks everyone to follow a participant's view (null: stop). */
export function setFollow(doc: Y.Doc, participantId: ParticipantId | null): void {
  transact(doc, () => roots(doc).facilitation.set('followParticipantId', participantId ?? ''));
}

/** Locks or unlocks one board for participants. */
export function setBoardLocked(doc: Y.Doc, boardId: BoardId, on: boolean): void {
  transact(doc, () => {
    const locked = facilitationMap(doc, 'lockedBoards');
    if (on) locked.set(boardId, true);
    else locked.delete(boardId);
  });
}

/** Brings everyone to a board; returns the summon's id (each summon is told of once). */
export function summonEveryone(doc: Y.Doc, boardId: BoardId, by: string, now: number): string {
  const id = randomUuid();
  transact(doc, () => roots(doc).facilitation.set('summon', { id, boardId, by, at: now }));
  return id;
}

/** Draws everyone's attention to a note or a theme (null: to nothing). */
export function setSpotlight(doc: Y.Doc, target: Pick<Spotlight, 'kind' | 'id'> | null, now: number): void {
  transact(doc, () => {
    const { facilitation } = roots(doc);
    if (target) facilitation.set('spotlight', { kind: target.kind, id: target.id, at: now });
    else facilitation.delete('spotlight');
  });
}

/** Narrows (or widens again) what participants may do; fields not given keep their value. */
export function setRules(doc: Y.Doc, rules: Partial<Rules>): void {
  transact(doc, () => {
    const current = readFacilitation(doc).rules;
    const next: Rules = {
      editOthers: rules.editOthers ?? current.editOthers,
      addThemes: rules.addThemes ?? current.addThemes,
      addActions: rules.addActions ?? current.addActions,
    };
    roots(doc).facilitation.set('rules', next);
  });
}

/** Hides (or shows again) who wrote what. */
export function setAnonymous(doc: Y.Doc, on: boolean): void {
  transact(doc, () => roots(doc).facilitation.set('anonymous', on));
}

function sameProgress(a: Progress, b: Progress): boolean {
  const rounds = Object.keys(a.dots);
  return (
    a.drafts === b.drafts &&
    rounds.length === Object.keys(b.dots).length &&
    rounds.every((round) => a.dots[round as RoundId] === b.dots[round as RoundId])
  );
}

/**
 * Records one person's progress (the server counts it from their personal document); writes
 * nothing, and returns false, when the stored progress is the same.
 */
export function writeProgress(doc: Y.Doc, participantId: ParticipantId, progress: Progress): boolean {
  return transact(doc, () => {
    const map = facilitationMap(doc, 'progress');
    const stored = parseProgress(map.get(participantId));
    if (stored && sameProgress(stored, progress)) return false;
    map.set(participantId, { drafts: progress.drafts, dots: { ...progress.dots } });
    return true;
  });
}

// ---- Voting ---------------------------------------------------------------------------------

/** Opens a dot-voting round and makes it the active one; returns its id. */
export function openVoteRound(
  doc: Y.Doc,
  input: {
    readonly target: VoteTarget;
    readonly dotsPerPerson: number;
    readonly maxPerItem?: number;
    readonly id?: RoundId;
  },
): RoundId {
  return transact(doc, () => {
    const rounds = facilitationMap(doc, 'rounds');
    const id = input.id ?? newId<'RoundId'>();
    const round = new Y.Map<unknown>();
    const order = nextOrder(rounds);
    rounds.set(id, round);
    setFields(round, {
      target: input.target,
      dotsPerPerson: Math.max(0, Math.trunc(input.dotsPerPerson)),
      maxPerItem: Math.max(0, Math.trunc(input.maxPerItem ?? 0)),
      state: 'open',
      order,
    });
    roots(doc).facilitation.set('activeRoundId', id);
    return id;
  });
}

/** Reveals a round's dots to everyone (at `now`, epoch ms), or closes it. */
export function setRoundState(
  doc: Y.Doc,
  roundId: RoundId,
  state: 'revealed' | 'closed',
  now: number = Date.now(),
): boolean {
  return transact(doc, () => {
    const round = item(facilitationMap(doc, 'rounds'), roundId);
    if (!round) return false;
    round.set('state', state);
    if (state === 'revealed') round.set('revealedAt', now);
    return true;
  });
}

/**
 * Sets one participant's dots on one target in an open round. Each participant writes only its
 * own keys, so votes never conflict between people; limits are applied when reading.
 */
export function setVote(
  doc: Y.Doc,
  roundId: RoundId,
  participantId: ParticipantId,
  targetId: string,
  count: number,
): boolean {
  return transact(doc, () => {
    const round = readRounds(doc).find((r) => r.id === roundId);
    if (!round || round.state !== 'open') return false;
    const key = voteKey(roundId, participantId, targetId);
    const dots = Math.max(0, Math.trunc(count));
    if (dots === 0) roots(doc).votes.delete(key);
    else roots(doc).votes.set(key, dots);
    return true;
  });
}

/** Adds (or with a negative delta removes) dots; returns the new stored count, or null. */
export function addVote(
  doc: Y.Doc,
  roundId: RoundId,
  participantId: ParticipantId,
  targetId: string,
  delta = 1,
): number | null {
  return transact(doc, () => {
    const current = roots(doc).votes.get(voteKey(roundId, participantId, targetId));
    const next = Math.max(0, (typeof current === 'number' ? current : 0) + delta);
    return setVote(doc, roundId, participantId, targetId, next) ? next : null;
  });
}
