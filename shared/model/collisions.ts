/**
 * Offline edits that collide. A short field (an action's owner, a note's colour ...) is one value
 * in a Y.Map: when two people set it while apart, Yjs keeps one value, the same everywhere, and
 * decides by client id, not by time. Nobody would know their value was dropped; this module tells.
 *
 * How a collision is seen: a map key's values form a list in which each new value names, as its
 * origin, the value its writer saw (Yjs `typeMapSet`); the list's last value is the key's value.
 * When a transaction from elsewhere replaces a key's value, the value it replaced was either seen
 * by the writer of the new one (somewhere down the new value's chain of origins: an ordinary
 * edit) or not (the two were written apart: a collision). Only the replica that held the value
 * that lost sees it replaced, so the loser is told and the winner is not.
 *
 * Who wrote a value: Yjs names only the writing client (a random number per session). Each
 * client records, once, who it is (the root {@link CLIENTS_ROOT}: client id → the writer's
 * participant id, or their anonymous tag in an anonymous workshop; the server checks it and,
 * where it names the wrong writer, writes it as it must read), so the record travels with the
 * workshop through the server and in files.
 */
import * as Y from 'yjs';
import { ACTION_PREFIX, isLineValue } from './action-keys';
import { CLIENTS_ROOT } from './client-record';
import { transact } from './write';

export { CLIENTS_ROOT, recordClientOnEdit } from './client-record';

/** The roots whose items' short fields can collide. */
export type CollisionRoot = 'notes' | 'themes' | 'actions';

/**
 * The fields that hold one short value each (last writer wins) and are worth telling about.
 * Not positions and orders (two people moving a note is no loss), nor texts (Y.Text keeps both
 * sides' words). Field names are wire format (shared/model/schema.ts).
 */
export const COLLIDING_FIELDS: Readonly<Record<CollisionRoot, readonly string[]>> = {
  notes: ['laneId', 'municipality', 'colour', 'themeId'],
  themes: ['colour', 'title'],
  actions: [
    'owner',
    'status',
    'start',
    'end',
    'budgetCents',
    'funding',
    'workPackageId',
    'indicator',
    'partners',
  ],
};

/** Key prefixes of fields that can collide too: each of an action's funding lines is one value. */
const COLLIDING_PREFIXES: Readonly<Record<CollisionRoot, readonly string[]>> = {
  notes: [],
  themes: [],
  actions: [ACTION_PREFIX.line],
};

/** Whether `key` of an item of `root` holds one short value that can collide. */
export function canCollide(root: CollisionRoot, key: string): boolean {
  return COLLIDING_FIELDS[root].includes(key) || COLLIDING_PREFIXES[root].some((p) => key.startsWith(p));
}

/** A value of one field replaced by a value written without seeing it. */
export type Collision = {
  readonly root: CollisionRoot;
  /** The item's id (a note, theme or action). */
  readonly id: string;
  readonly field: string;
  /** The value that was replaced (a string, a number or a list of strings). */
  readonly lost: unknown;
  /** The value kept. */
  readonly won: unknown;
  /** Who wrote the value that was replaced, as their client's record says; null when it says nothing. */
  readonly loser: string | null;
  /** Who wrote the value kept, likewise. */
  readonly winner: string | null;
  /** The clients that wrote them (an anonymous tag in a record is per client: see {@link recordClientOnEdit}). */
  readonly loserClient: number;
  readonly winnerClient: number;
};

/** Longest chain of earlier values followed back (a field edited thousands of times): beyond it, no collision. */
const MAX_CHAIN = 10_000;

function clients(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(CLIENTS_ROOT);
}

/** Who writes with client `client` in `doc`, as recorded; null when unrecorded. */
export function writerOf(doc: Y.Doc, client: number): string | null {
  const who = clients(doc).get(String(client));
  return typeof who === 'string' && who !== '' ? who : null;
}

/** The value an item holds, when it is a plain one (not a nested map, list or text). */
function plainValue(item: Y.Item): { value: unknown } | null {
  const content = item.content;
  if (!(
    content instanceof Y.ContentAny ||
    content instanceof Y.ContentJSON ||
    content instanceof Y.ContentString
  ))
    return null;
  const values = content.getContent() as unknown[];
  return { value: values[values.length - 1] };
}

/** Whether the writer of `item` had seen `earlier`: it is on `item`'s chain of origins. */
function sawEarlier(doc: Y.Doc, item: Y.Item, earlier: Y.Item): boolean {
  const { client, clock } = earlier.id;
  let at: Y.Item = item;
  for (let step = 0; step < MAX_CHAIN; step++) {
    const origin = at.origin;
    if (!origin) return false;
    if (origin.client === client && origin.clock >= clock && origin.clock < clock + earlier.length)
      return true;
    const next = Y.getItem(doc.store, origin);
    if (!(next instanceof Y.Item)) return false;
    at = next;
  }
  // Too far back to tell: say nothing rather than something wrong.
  return true;
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/** The collision at `key` of the item map `target`, if this event replaced its value by one written apart. */
function collisionAt(
  doc: Y.Doc,
  event: Y.YEvent<Y.Map<unknown>>,
  root: CollisionRoot,
  id: string,
  key: string,
): Collision | null {
  const current = (event.target as unknown as { _map: Map<string, Y.Item> })._map.get(key);
  if (!current || current.deleted || !event.adds(current)) return null;
  // The value before this transaction: the first one to the left that it did not add.
  let displaced = current.left;
  while (displaced !== null && event.adds(displaced)) displaced = displaced.left;
  if (displaced === null || !event.deletes(displaced)) return null;
  const won = plainValue(current);
  const lost = plainValue(displaced);
  if (!won || !lost || sameValue(won.value, lost.value)) return null;
  if (sawEarlier(doc, current, displaced)) return null;
  return {
    root,
    id,
    field: key,
    lost: lost.value,
    won: won.value,
    loser: writerOf(doc, displaced.id.client),
    winner: writerOf(doc, current.id.client),
    loserClient: displaced.id.client,
    winnerClient: current.id.client,
  };
}

/**
 * Calls `listener` with the collisions of each transaction that came from elsewhere (another
 * replica's update, a merged file) and replaced a short field's value ({@link COLLIDING_FIELDS})
 * with one written without seeing it. Each replica that held the replaced value hears of it;
 * whose it was is the caller's to judge ({@link Collision.loser}). Returns a function that stops.
 */
export function observeCollisions(doc: Y.Doc, listener: (found: readonly Collision[]) => void): () => void {
  const stops = (['notes', 'themes', 'actions'] as const).map((root) => {
    const collection = doc.getMap<unknown>(root);
    const onChange = (events: Y.YEvent<Y.AbstractType<unknown>>[], transaction: Y.Transaction): void => {
      if (transaction.local) return;
      const found: Collision[] = [];
      for (const event of events) {
        const [id, ...below] = event.path;
        if (typeof id !== 'string' || below.length > 0 || !(event.target instanceof Y.Map)) continue;
        const mapEvent = event as Y.YEvent<Y.Map<unknown>>;
        const keys = (mapEvent as Y.YMapEvent<unknown>).keysChanged as Set<string>;
        for (const key of keys) {
          if (!canCollide(root, key)) continue;
          const collision = collisionAt(doc, mapEvent, root, id, key);
          if (collision) found.push(collision);
        }
      }
      if (found.length > 0) listener(found);
    };
    collection.observeDeep(onChange);
    return () => collection.unobserveDeep(onChange);
  });
  return () => stops.forEach((stop) => stop());
}

/** Whether `value` may be written back as the value of `key`. */
function isPlainField(key: string, value: unknown): boolean {
  if (key.startsWith(ACTION_PREFIX.line)) return isLineValue(key.slice(ACTION_PREFIX.line.length), value);
  if (typeof value === 'string') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/**
 * Writes the value that was lost again, as an ordinary local edit (undoable, sent to everyone).
 * False, and nothing written, when the item is gone or the collision is not one this module
 * reports.
 */
export function putBack(doc: Y.Doc, collision: Pick<Collision, 'root' | 'id' | 'field' | 'lost'>): boolean {
  const { root, id, field, lost } = collision;
  if (!(root in COLLIDING_FIELDS) || !canCollide(root, field) || !isPlainField(field, lost)) return false;
  const item = doc.getMap<unknown>(root).get(id);
  if (!(item instanceof Y.Map)) return false;
  const fields = item as Y.Map<unknown>;
  // A field that is a text here (a theme's title) is not one that can collide.
  if (fields.get(field) instanceof Y.AbstractType) return false;
  const value: unknown = Array.isArray(lost)
    ? [...(lost as string[])]
    : typeof lost === 'object' && lost
      ? { ...lost }
      : lost;
  transact(doc, () => fields.set(field, value));
  return true;
}
