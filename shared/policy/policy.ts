/**
 * Who may change what in a workshop: one set of rules that the server applies to every update
 * before it is applied, relayed or stored (collab-server/README.md, "Who may change what"), and
 * that the UI asks before it offers a control, so that a button nobody may press is not shown.
 *
 * - Facilitators are trusted with everything (scripts and integrations rely on it).
 * - Viewers change nothing.
 * - Participants add notes, themes and actions; change the text, lane, theme, place, colour and
 *   municipality of any note and the fields of any theme or action (with an action's funding
 *   lines, work package and strategy objectives); delete only what they wrote;
 *   and write their own roster entry. Session state (meta, boards and lanes, the plan's lists and
 *   settings: municipalities, work packages, objectives, cost sharing ...; facilitation: phase,
 *   timer, lock, rounds, rules; votes; roster roles) is the facilitator's. The facilitator can
 *   narrow this (rules: no editing others' items, no new themes, no new actions), lock the whole
 *   workshop or one board, and run a private writing round, during which participants' new notes
 *   go to their personal documents, not the workshop.
 *
 * Everything here is pure: the document is read through a {@link WorkshopView}.
 */
import type { Role } from '../model/schema';
import { anonymousTag, isAnonymousTag } from '../model/authorship';
import { ACTION_PREFIX, isLineValue, MAX_ACTION_OBJECTIVES, MAX_FUNDING_LINES } from '../model/action-keys';
import { LEGACY_LINE } from '../model/schema';
import { CLIENTS_ROOT } from '../model/collisions';
import { ANY_POSITION, type Change, type UpdateChanges } from './changes';

/** Why a change is refused. Wire format (sent to clients, mapped to messages): never rename. */
export const REFUSALS = [
  'viewer',
  'session-state',
  'not-yours',
  'fixed-field',
  'locked',
  'board-locked',
  'private-writing',
  'narrowed',
  'not-your-identity',
  'unknown-change',
  'round-closed',
  'vote-limit',
  'personal-full',
  'invalid-value',
  'too-many',
] as const;
export type RefusalCode = (typeof REFUSALS)[number];

export type Refused = { readonly code: RefusalCode; readonly path: string };

/** Who is changing: their token's role and the identity the server knows them by. */
export type Subject = {
  readonly role: Role;
  /** Their personal identity's id (null for a viewer, who has none). */
  readonly id: string | null;
  /** Their anonymous-authorship secret (shared/model/authorship.ts). */
  readonly authorKey: string | null;
  /**
   * The Yjs client ids whose first change the server had from them (in an earlier update): theirs
   * to record (shared/model/collisions.ts) though the room holds their changes already.
   */
  readonly started?: ReadonlySet<number>;
};

/** What the facilitator allows participants beyond the minimum. All true by default. */
export type Rules = {
  /** Change notes, themes and actions that others wrote. */
  readonly editOthers: boolean;
  readonly addThemes: boolean;
  readonly addActions: boolean;
};

export type EntityRoot = 'notes' | 'themes' | 'actions';

/** The workshop as the policy needs to see it, before the change. */
export type WorkshopView = {
  readonly locked: boolean;
  readonly privateWriting: boolean;
  readonly anonymous: boolean;
  readonly rules: Rules;
  /** Whether board `id` is locked. */
  boardLocked(id: string): boolean;
  /** Whether some board of `kind` is locked. */
  kindLocked(kind: 'needs' | 'themes' | 'actions'): boolean;
  /** The author written on an existing item ('' when none), or undefined when there is no such item. */
  authorOf(root: EntityRoot, id: string): string | undefined;
  /** The board a note is on, or undefined when there is no such note. */
  boardOf(noteId: string): string | undefined;
  /** The keys of an existing action that start with `prefix` (its funding lines, its objectives). */
  actionKeys(actionId: string, prefix: string): readonly string[];
  /** The record of who writes with client `key` (shared/model/collisions.ts), or undefined when there is none. */
  clientRecord(key: string): unknown;
};

/** Fields of a note that any participant may change (unless narrowed); others are fixed once written. */
const NOTE_FIELDS = new Set([
  'text',
  'laneId',
  'themeId',
  'x',
  'y',
  'order',
  'themeOrder',
  'municipality',
  'colour',
]);
const THEME_FIELDS = new Set(['title', 'colour', 'x', 'y', 'order']);
const ACTION_FIELDS = new Set([
  'title',
  'description',
  'themeIds',
  'owner',
  'partners',
  'start',
  'end',
  'budgetCents',
  'funding',
  'indicator',
  'status',
  'order',
  'workPackageId',
]);
/** Action fields that are families of keys: funding lines and named objectives (shared/model/plan.ts). */
const ACTION_FIELD_PREFIXES = [ACTION_PREFIX.line, ACTION_PREFIX.objective];
const FIELDS: Readonly<Record<EntityRoot, ReadonlySet<string>>> = {
  notes: NOTE_FIELDS,
  themes: THEME_FIELDS,
  actions: ACTION_FIELDS,
};
/** Whether participants may change `field` of an item of `root` (unless narrowed). */
function openField(root: EntityRoot, field: string): boolean {
  return (
    FIELDS[root].has(field) || (root === 'actions' && ACTION_FIELD_PREFIXES.some((p) => field.startsWith(p)))
  );
}
/** Roots that are the facilitator's alone (the plan's lists and settings are). */
const SESSION_ROOTS = new Set(['meta', 'boards', 'facilitation', 'votes', 'plan']);
const PARTICIPANT_FIELDS = new Set(['name', 'colour', 'role']);

/** What a person does, as the UI asks about it and the server judges it. */
export type Act =
  | { readonly kind: 'add'; readonly root: EntityRoot; readonly boardId?: string }
  | { readonly kind: 'edit'; readonly root: EntityRoot; readonly id: string; readonly field: string }
  | { readonly kind: 'delete'; readonly root: EntityRoot; readonly id: string }
  | { readonly kind: 'facilitate' };

/** Whether `author` (as written on item `id`) is `subject`, by id or by anonymous tag. */
export function isAuthor(subject: Subject, author: string | undefined, id: string): boolean {
  if (!author || !subject.id) return false;
  if (author === subject.id) return true;
  // The tag's HMAC is computed only for an author that is a tag.
  return (
    subject.authorKey !== null && isAnonymousTag(author) && author === anonymousTag(subject.authorKey, id)
  );
}

/** The author a subject must write on a new item `id`: its tag in an anonymous workshop, else its id. */
export function authorFor(subject: Subject, view: Pick<WorkshopView, 'anonymous'>, id: string): string {
  if (view.anonymous && subject.authorKey) return anonymousTag(subject.authorKey, id);
  return subject.id ?? '';
}

/** Which board kind locks a change to `root` (a note's own board locks it as well). */
function lockingKind(root: EntityRoot, field?: string): 'themes' | 'actions' | null {
  if (root === 'themes' || (root === 'notes' && (field === 'themeId' || field === 'themeOrder')))
    return 'themes';
  return root === 'actions' ? 'actions' : null;
}

/** Why `subject` may not do `act` in `view`, or null when it may. The UI and the server both ask this. */
export function refusalOf(subject: Subject, view: WorkshopView, act: Act): RefusalCode | null {
  if (subject.role === 'facilitator') return null;
  if (subject.role === 'viewer') return 'viewer';
  if (act.kind === 'facilitate') return 'session-state';
  if (view.locked) return 'locked';
  const field = act.kind === 'edit' ? act.field : undefined;
  const kind = lockingKind(act.root, field);
  if (kind && view.kindLocked(kind)) return 'board-locked';
  if (act.kind === 'add') {
    if (act.root === 'notes') {
      if (act.boardId !== undefined && view.boardLocked(act.boardId)) return 'board-locked';
      if (view.privateWriting) return 'private-writing';
    }
    if (act.root === 'themes' && !view.rules.addThemes) return 'narrowed';
    if (act.root === 'actions' && !view.rules.addActions) return 'narrowed';
    return null;
  }
  if (act.root === 'notes') {
    const board = view.boardOf(act.id);
    if (board !== undefined && view.boardLocked(board)) return 'board-locked';
  }
  const author = view.authorOf(act.root, act.id);
  // Changing an item that is gone (deleted meanwhile) changes nothing anyone sees.
  if (author === undefined) return null;
  if (act.kind === 'delete') return isAuthor(subject, author, act.id) ? null : 'not-yours';
  if (!openField(act.root, act.field)) return 'fixed-field';
  return view.rules.editOthers || isAuthor(subject, author, act.id) ? null : 'narrowed';
}

/** True when `subject` may do `act`: what the UI shows. */
export function may(subject: Subject, view: WorkshopView, act: Act): boolean {
  return refusalOf(subject, view, act) === null;
}

function isEntityRoot(root: string | undefined): root is EntityRoot {
  return root === 'notes' || root === 'themes' || root === 'actions';
}

/**
 * Judges an update's changes (changes.ts) for `subject`: the first change it may not make, or
 * null when it may make them all. An update is accepted or refused whole.
 */
export function judgeUpdate(subject: Subject, view: WorkshopView, update: UpdateChanges): Refused | null {
  if (subject.role === 'facilitator') return null;
  const first = update.changes[0];
  if (subject.role === 'viewer')
    return first || update.unknown ? { code: 'viewer', path: first?.path.join('/') ?? '' } : null;
  if (update.unknown) return { code: 'unknown-change', path: '' };
  // Items this update creates: their fields come with them and are judged with the creation.
  // Items it deletes: their fields go with them (Yjs deletes a map's content with it).
  const created = new Map<string, Map<string, unknown>>();
  const deleted = new Set<string>();
  for (const change of update.changes) {
    const [root, id, field] = change.path;
    if (change.op === 'delete' && change.path.length === 2) deleted.add(change.path.join('/'));
    if (change.op !== 'insert' || !isEntityRoot(root) || id === undefined || id === ANY_POSITION) continue;
    if (change.path.length === 2)
      created.set(`${root}/${id}`, created.get(`${root}/${id}`) ?? new Map<string, unknown>());
    else if (change.path.length === 3 && field !== undefined) {
      const fields = created.get(`${root}/${id}`) ?? new Map<string, unknown>();
      fields.set(field, change.value);
      created.set(`${root}/${id}`, fields);
    }
  }
  for (const change of update.changes) {
    if (
      change.op === 'delete' &&
      change.path.length > 2 &&
      deleted.has(`${change.path[0]}/${change.path[1]}`)
    )
      continue;
    const code = judgeChange(subject, view, change, created, update);
    if (code) return { code, path: change.path.join('/') };
  }
  return overfullAction(view, update);
}

/** How many keys of each family an action holds at most (the single budget's line is not counted). */
const ACTION_KEY_LIMITS = [
  { prefix: ACTION_PREFIX.line, max: MAX_FUNDING_LINES, except: ACTION_PREFIX.line + LEGACY_LINE },
  { prefix: ACTION_PREFIX.objective, max: MAX_ACTION_OBJECTIVES, except: null },
] as const;

/**
 * The first action this update would leave with more funding lines or objectives than it holds
 * ({@link ACTION_KEY_LIMITS}) and more than it had, counted as the action stands after it: its
 * keys kept, and those added. These keys are open to everyone who may edit the action, so without a bound one link
 * could give an action thousands.
 */
function overfullAction(view: WorkshopView, update: UpdateChanges): Refused | null {
  // An action this update creates or replaces keeps none of what was under its key.
  const replaced = new Set(
    update.changes
      .filter((c) => c.path.length === 2 && c.path[0] === 'actions' && c.path[1] !== undefined)
      .map((c) => c.path[1]!),
  );
  for (const { prefix, max, except } of ACTION_KEY_LIMITS) {
    const touched = new Map<string, { added: Map<string, string>; removed: Set<string> }>();
    for (const change of update.changes) {
      const [root, id, key] = change.path;
      if (root !== 'actions' || id === undefined || key === undefined || change.path.length !== 3) continue;
      if (!key.startsWith(prefix) || key === except) continue;
      const keys = touched.get(id) ?? { added: new Map<string, string>(), removed: new Set<string>() };
      touched.set(id, keys);
      if (change.op === 'delete') keys.removed.add(key);
      else if (!change.deleted) keys.added.set(key, change.path.join('/'));
    }
    for (const [id, { added, removed }] of touched) {
      const had = replaced.has(id) ? [] : view.actionKeys(id, prefix).filter((key) => key !== except);
      const after = had.filter((key) => !removed.has(key) && !added.has(key)).length + added.size;
      // Past the bound and growing: what a facilitator wrote beyond it does not hold others' edits back.
      if (after > max && after > had.length)
        return { code: 'too-many', path: [...added.values()].pop() ?? `actions/${id}` };
    }
  }
  return null;
}

/**
 * What an action's funding line or objective key may hold, whoever writes it: a line's value
 * ({@link isLineValue}), an objective's order (a number). Nothing below such a key.
 */
function actionKeyRefusal(change: Change): RefusalCode | null {
  const key = change.path[2] ?? '';
  const line = key.startsWith(ACTION_PREFIX.line);
  if (!line && !key.startsWith(ACTION_PREFIX.objective)) return null;
  if (change.path.length > 3) return 'invalid-value';
  if (change.op === 'delete' || change.deleted) return null;
  const valid = line
    ? isLineValue(key.slice(ACTION_PREFIX.line.length), change.value)
    : typeof change.value === 'number' && Number.isFinite(change.value);
  return valid ? null : 'invalid-value';
}

function judgeChange(
  subject: Subject,
  view: WorkshopView,
  change: Change,
  created: ReadonlyMap<string, ReadonlyMap<string, unknown>>,
  update: UpdateChanges,
): RefusalCode | null {
  const [root, id, field] = change.path;
  if (root === undefined || id === undefined) return 'unknown-change';
  if (root === 'participants') return judgeRoster(subject, view, change);
  if (root === CLIENTS_ROOT) return judgeClientRecord(subject, view, change, update);
  if (SESSION_ROOTS.has(root)) return 'session-state';
  if (!isEntityRoot(root) || id === ANY_POSITION) return 'unknown-change';
  const fields = created.get(`${root}/${id}`);
  const existing = view.authorOf(root, id);
  if (change.path.length === 2) {
    if (change.op === 'delete') return refusalOf(subject, view, { kind: 'delete', root, id });
    // A new item at an existing key would replace someone's item: that is deleting it.
    if (existing !== undefined) return refusalOf(subject, view, { kind: 'delete', root, id });
    const boardId = fields?.get('boardId');
    const refused = refusalOf(subject, view, {
      kind: 'add',
      root,
      boardId: typeof boardId === 'string' ? boardId : undefined,
    });
    if (refused) return refused;
    if (root === 'notes' && typeof boardId !== 'string') return 'unknown-change';
    return fields?.get('author') === authorFor(subject, view, id) ? null : 'not-your-identity';
  }
  if (root === 'actions') {
    const refused = actionKeyRefusal(change);
    if (refused) return refused;
  }
  // Inside an item created by this same update: judged with its creation.
  if (fields !== undefined && existing === undefined) return null;
  if (field === undefined || field === ANY_POSITION) return 'unknown-change';
  return refusalOf(subject, view, { kind: 'edit', root, id, field });
}

/** A participant writes its own roster entry (name, colour, and its own role), nothing else. */
function judgeRoster(subject: Subject, view: WorkshopView, change: Change): RefusalCode | null {
  if (view.locked) return 'locked';
  const [, id, field] = change.path;
  if (id !== subject.id) return 'not-your-identity';
  if (change.path.length === 2) return change.op === 'insert' ? null : 'session-state';
  if (field === undefined || !PARTICIPANT_FIELDS.has(field)) return 'unknown-change';
  if (field === 'role' && change.op === 'insert' && change.value !== subject.role) return 'session-state';
  return null;
}

/**
 * A client's record of who writes with it (shared/model/collisions.ts) is written by that client
 * (its key is the id of the client that writes it) and only by the client's writer, as the server
 * knows them: whoever sent the client's first change (in this update, or earlier: `started`), or
 * whom its record names already (who may also write it again). Never removed. So nobody can have others' changes named as
 * theirs (a client id the room holds changes of from before records existed is nobody's to
 * claim) or theirs as another's. What the record says is not judged: the server writes it as it
 * must read ({@link clientRecordsToWrite}), so a record written offline under an identity or a
 * workshop setting that changed meanwhile loses nobody's edits.
 */
function judgeClientRecord(
  subject: Subject,
  view: WorkshopView,
  change: Change,
  update: UpdateChanges,
): RefusalCode | null {
  const [, key] = change.path;
  if (key === undefined || change.path.length !== 2) return 'not-your-identity';
  const record = view.clientRecord(key);
  const names = (): boolean => typeof record === 'string' && isAuthor(subject, record, key);
  if (change.op === 'delete') {
    // Only as its writer writes it again: the record it replaces goes.
    const again = update.changes.some(
      (c) => c.op === 'insert' && c.path.length === 2 && c.path[0] === CLIENTS_ROOT && c.path[1] === key,
    );
    return again && names() ? null : 'not-your-identity';
  }
  if (change.client === undefined || key !== String(change.client)) return 'not-your-identity';
  if (record !== undefined) return names() ? null : 'not-your-identity';
  return update.newClients.includes(change.client) || subject.started?.has(change.client) === true
    ? null
    : 'not-your-identity';
}

/**
 * The client records the server writes with an update of `subject`'s that {@link judgeUpdate}
 * accepted: each record it carries that does not read as the writer's items must (their id, or
 * their tag in an anonymous workshop), by key, as it must read. A record names a client's writer
 * as the server knows them now, whatever their client knew when it wrote it offline.
 */
export function clientRecordsToWrite(
  subject: Subject,
  view: WorkshopView,
  update: UpdateChanges,
): ReadonlyMap<string, string> {
  const writes = new Map<string, string>();
  if (subject.role !== 'participant' || !subject.id) return writes;
  for (const change of update.changes) {
    const [root, key] = change.path;
    if (root !== CLIENTS_ROOT || key === undefined || change.path.length !== 2 || change.op !== 'insert')
      continue;
    const must = authorFor(subject, view, key);
    if (change.value === must) writes.delete(key);
    else writes.set(key, must);
  }
  return writes;
}
