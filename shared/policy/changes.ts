/**
 * What a Yjs update would change in a document, read before it is applied: every item it
 * inserts and every item it deletes, each named by its path from a root ("notes", <note id>,
 * "text"). The server judges these paths by the role policy (policy.ts) and applies the update
 * only when all of them are allowed; nothing is applied to find out.
 *
 * An item's parent is written in the update only when it has no neighbour; otherwise it is its
 * neighbour's (Yjs integrates it there), so parents are resolved through origins, both into the
 * document and into the update's own new items. A change whose place cannot be found (it builds
 * on items the document does not have, or deletes items nobody has seen yet) is reported as
 * `unknown`: accepting it would let a client aim a change at items before they exist.
 */
import * as Y from 'yjs';

/** A position in an array or a text, as opposed to a map key. */
export const ANY_POSITION = '*';

/** One inserted or deleted item. */
export type Change = {
  readonly op: 'insert' | 'delete';
  /** Root name, then the map keys down to the item; ANY_POSITION for a place in an array or text. */
  readonly path: readonly string[];
  /** For an insert at a map key: the value (a nested type reads as TYPE_VALUE). */
  readonly value?: unknown;
  /**
   * For an insert: true when the same update deletes it again (an offline replica's changes
   * merged: a line added and removed), so that it is in the document only as a tombstone.
   */
  readonly deleted?: true;
  /** For an insert: the client id that wrote it (a client's record of who it is must be its own). */
  readonly client?: number;
};

/** The value of an inserted nested type (a map, array or text) in {@link Change.value}. */
export const TYPE_VALUE = Symbol('type');

export type UpdateChanges = {
  readonly changes: readonly Change[];
  /** True when some change could not be placed: a client must not send such an update. */
  readonly unknown: boolean;
  /**
   * Client ids new to the document that this update starts: their first change (clock 0) is in
   * it and the document holds nothing of them. Whoever sends it is the client's writer.
   */
  readonly newClients: readonly number[];
};

type Struct = Y.Item | Y.GC | Y.Skip;
/**
 * Where an item sits: its parent type's path and its key there (null in an array or text);
 * GONE when Yjs collects it on arrival (its parent or neighbour is collected), so it changes
 * nothing; null when unknown.
 */
const GONE = 'gone';
type Place = { readonly parent: readonly string[]; readonly key: string | null } | typeof GONE | null;

/** The struct of `structs` (sorted by clock, as Yjs keeps them) that holds `clock`, if any. */
function holding(structs: readonly Struct[] | undefined, clock: number): Struct | undefined {
  if (!structs || structs.length === 0) return undefined;
  let low = 0;
  let high = structs.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const struct = structs[mid]!;
    if (clock < struct.id.clock) high = mid - 1;
    else if (clock >= struct.id.clock + struct.length) low = mid + 1;
    else return struct;
  }
  return undefined;
}

/** Root names of a document by its root types, built once per document (and again when it gains a root). */
const rootNames = new WeakMap<Y.Doc, Map<unknown, string>>();

function rootName(doc: Y.Doc, type: unknown): string | null {
  let names = rootNames.get(doc);
  if (!names?.has(type)) {
    names = new Map<unknown, string>([...doc.share].map(([name, root]) => [root, name]));
    rootNames.set(doc, names);
  }
  return names.get(type) ?? null;
}

/** An update as Y.decodeUpdate reads it: its items and its deletions. */
export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;

/**
 * Lists the changes `update` would make to `doc`. Throws if the update cannot be decoded. A caller
 * that has decoded it already passes `decoded` (the server decodes each update once).
 */
export function describeUpdate(
  doc: Y.Doc,
  update: Uint8Array,
  decoded: DecodedUpdate = Y.decodeUpdate(update),
): UpdateChanges {
  const { structs, ds } = decoded;
  const own = new Map<number, Struct[]>();
  for (const struct of structs) {
    const list = own.get(struct.id.client);
    if (list) list.push(struct);
    else own.set(struct.id.client, [struct]);
  }
  for (const list of own.values()) list.sort((a, b) => a.id.clock - b.id.clock);
  const stored = doc.store.clients as Map<number, Struct[]>;
  const places = new Map<Struct, Place>();
  let unknown = false;
  // A client's items continue its clock: an update that starts past what the document holds of a
  // client (after an update of it that was refused, or lost) cannot be integrated now. Yjs would
  // keep it aside unapplied, yet its sender would be told it was handled: refuse it instead.
  const newClients: number[] = [];
  for (const [client, list] of own) {
    const first = list.find((struct) => !(struct instanceof Y.Skip));
    const held = Y.getState(doc.store, client);
    if (first && first.id.clock > held) unknown = true;
    if (first?.id.clock === 0 && held === 0) newClients.push(client);
  }

  const find = (id: Y.ID): { struct: Struct; fromDoc: boolean } | null => {
    const inDoc = holding(stored.get(id.client), id.clock);
    if (inDoc) return { struct: inDoc, fromDoc: true };
    const inUpdate = holding(own.get(id.client), id.clock);
    return inUpdate ? { struct: inUpdate, fromDoc: false } : null;
  };

  /** The path of the nested type an item holds; null when it holds none or is unknown. */
  const typePath = (item: Y.Item, fromDoc: boolean): readonly string[] | typeof GONE | null => {
    if (!(item.content instanceof Y.ContentType)) return null;
    const place = fromDoc ? docPlace(item) : updatePlace(item);
    return place === GONE || place === null ? place : [...place.parent, place.key ?? ANY_POSITION];
  };
  const under = (parentPath: readonly string[] | typeof GONE | null, key: string | null): Place =>
    parentPath === GONE || parentPath === null ? parentPath : { parent: parentPath, key };

  /** Where an integrated item of the document sits. */
  const docPlace = (item: Y.Item): Place => {
    const cached = places.get(item);
    if (cached !== undefined) return cached;
    let place: Place = null;
    const parent = item.parent as Y.AbstractType<Y.YEvent<never>> | null;
    if (parent) {
      const holder = parent._item;
      place = under(
        holder ? typePath(holder, true) : [rootName(doc, parent) ?? ANY_POSITION],
        item.parentSub,
      );
    }
    places.set(item, place);
    return place;
  };

  /** Where an item with its parent written sits; undefined when it has none written. */
  const ownPlace = (item: Y.Item): Place | undefined => {
    const parent = item.parent as unknown;
    if (typeof parent === 'string') return { parent: [parent], key: item.parentSub };
    if (!(parent instanceof Y.ID)) return undefined;
    const found = find(parent);
    if (found?.struct instanceof Y.GC) return GONE;
    return found?.struct instanceof Y.Item
      ? under(typePath(found.struct, found.fromDoc), item.parentSub)
      : null;
  };

  /**
   * Where an item of the update would sit, from its parent or else from its neighbours. Followed
   * in a loop, not by recursion: text typed one character at a time offline is a chain of
   * thousands of items, each placed by the one before.
   */
  const updatePlace = (item: Y.Item): Place => {
    const chain: Y.Item[] = [];
    const inChain = new Set<Y.Item>();
    let at = item;
    let place: Place = null;
    for (;;) {
      const cached = places.get(at);
      if (cached !== undefined) {
        place = cached;
        break;
      }
      // A cycle of origins places nothing.
      if (inChain.has(at)) break;
      chain.push(at);
      inChain.add(at);
      // Marks the item while it is resolved: a cycle through its parent resolves to nothing.
      places.set(at, null);
      const own = ownPlace(at);
      if (own !== undefined) {
        place = own;
        break;
      }
      const neighbour = at.origin ?? at.rightOrigin;
      const found = neighbour ? find(neighbour) : null;
      // Next to collected content Yjs collects the item too: it changes nothing.
      if (found?.struct instanceof Y.GC) place = GONE;
      else if (found?.struct instanceof Y.Item && found.fromDoc) place = docPlace(found.struct);
      else if (found?.struct instanceof Y.Item) {
        at = found.struct;
        continue;
      }
      break;
    }
    for (const link of chain) places.set(link, place);
    return place;
  };

  /** The update's own deleted ranges per client, sorted by clock (a modified client may not sort them). */
  const ownDeletes = new Map<number, Range[]>();
  const deletedByUpdate = (id: Y.ID): boolean => {
    let ranges = ownDeletes.get(id.client);
    if (!ranges) {
      ranges = [...(ds.clients.get(id.client) ?? [])].sort((a, b) => a.clock - b.clock);
      ownDeletes.set(id.client, ranges);
    }
    return inRanges(ranges, id.clock);
  };

  const changes: Change[] = [];
  const placeChange = (
    op: Change['op'],
    place: Place,
    value?: unknown,
    deleted = false,
    client?: number,
  ): void => {
    if (place === GONE) return;
    if (!place) {
      unknown = true;
      return;
    }
    const path = [...place.parent, place.key ?? ANY_POSITION];
    changes.push({
      op,
      path,
      ...(value === undefined ? {} : { value }),
      ...(deleted ? { deleted } : {}),
      ...(client === undefined ? {} : { client }),
    });
  };

  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    // Already in the document (a repeat of what it holds): nothing new.
    if (holding(stored.get(struct.id.client), struct.id.clock + struct.length - 1)) continue;
    const place = updatePlace(struct);
    const atKey = place !== GONE && place?.key != null;
    const deleted = atKey && (struct.content instanceof Y.ContentDeleted || deletedByUpdate(struct.id));
    placeChange('insert', place, atKey ? valueOf(struct) : undefined, deleted, struct.id.client);
  }

  for (const [client, ranges] of ds.clients) {
    const inDoc = stored.get(client) ?? [];
    for (const { clock, len } of ranges) {
      const end = clock + len;
      let at = clock;
      while (at < end) {
        const struct = holding(inDoc, at);
        if (!struct) {
          // Not in the document: the update's own new items may be deleted at once; anything
          // else is unknown here.
          const mine = holding(own.get(client), at);
          if (!mine) {
            unknown = true;
            break;
          }
          at = mine.id.clock + mine.length;
          continue;
        }
        if (struct instanceof Y.Item && !struct.deleted) placeChange('delete', docPlace(struct));
        at = struct.id.clock + struct.length;
      }
    }
  }
  return { changes, unknown, newClients };
}

type Range = { readonly clock: number; readonly len: number };

/** Whether some range of `ranges` (sorted by clock) holds `clock`. */
function inRanges(ranges: readonly Range[], clock: number): boolean {
  let low = 0;
  let high = ranges.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const range = ranges[mid]!;
    if (clock < range.clock) high = mid - 1;
    else if (clock >= range.clock + range.len) low = mid + 1;
    else return true;
  }
  return false;
}

function valueOf(item: Y.Item): unknown {
  const content = item.content;
  if (content instanceof Y.ContentType) return TYPE_VALUE;
  if (content instanceof Y.ContentAny) return content.arr[0];
  if (content instanceof Y.ContentString) return content.str;
  if (content instanceof Y.ContentJSON) return content.arr[0];
  return TYPE_VALUE;
}
