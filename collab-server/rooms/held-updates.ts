/**
 * Updates that wait for what they build on, kept out of a room's document (#10, finding 3).
 *
 * Yjs keeps such an update in `doc.store.pendingStructs` / `pendingDs` until the missing part
 * arrives, and `Y.encodeStateAsUpdate` includes it: a joiner's sync step 2, a compaction and a
 * version would carry it to every client and to disk, and every client that synced once would
 * send it back on each reconnect. Here it is taken out of the document after every update, held
 * aside up to a bound per room, integrated once the document advances for a client it waits for,
 * and dropped beyond the bound. What a room's document holds is therefore only what is integrated.
 */
import * as Y from 'yjs';

/** Bytes of waiting updates one room holds aside; beyond them, new ones are dropped. */
export const MAX_HELD_UPDATE_BYTES = 1024 * 1024;

export class HeldUpdates {
  /** Everything held, merged into one update (Yjs's V2 encoding, as it keeps pending parts). */
  private held: Uint8Array | null = null;
  /**
   * Per client, a clock: once the document holds more of that client, try the held update again.
   * Made when something is held (most rooms never hold anything, and every loaded room has one).
   */
  private waitsFor: Map<number, number> | null = null;

  constructor(
    private readonly doc: Y.Doc,
    /** Called with the bytes of waiting updates that did not fit. */
    private readonly dropped: (bytes: number) => void,
    private readonly maxBytes = MAX_HELD_UPDATE_BYTES,
  ) {}

  /** Bytes merged or applied again since {@link takeWork}: what the sender of an update pays. */
  private work = 0;

  /** Bytes of work done since the last call (held updates merged, or applied again). */
  takeWork(): number {
    const work = this.work;
    this.work = 0;
    return work;
  }

  /** Bytes held now. */
  get bytes(): number {
    return this.held?.byteLength ?? 0;
  }

  /**
   * Call after every update applied to the document: moves what it left waiting out of the
   * document, and integrates what was held if the update brought something it waits for.
   * `origin` is the integrated part's origin (it came from someone other than the last sender).
   */
  settle(origin: unknown): void {
    this.takeFromDocument();
    if (!this.held || !this.ready()) return;
    const held = this.held;
    this.held = null;
    this.work += held.byteLength;
    this.waitsFor = null;
    // One pass integrates all it can (Yjs orders the structs of one update itself); the rest,
    // still waiting, is taken out again.
    Y.applyUpdateV2(this.doc, held, origin);
    this.takeFromDocument();
  }

  private ready(): boolean {
    for (const [client, clock] of this.waitsFor ?? [])
      if (clock < Y.getState(this.doc.store, client)) return true;
    return false;
  }

  private takeFromDocument(): void {
    const { store } = this.doc;
    const parts: Uint8Array[] = [];
    const waits = new Map<number, number>();
    if (store.pendingStructs) {
      parts.push(store.pendingStructs.update);
      for (const [client, clock] of store.pendingStructs.missing) waits.set(client, clock);
    }
    if (store.pendingDs) {
      parts.push(store.pendingDs);
      // Deletions of items not here yet: worth another try once the first of them has arrived
      // (not on every change of that client, which could make each keystroke re-apply it all).
      for (const [client, ranges] of Y.decodeUpdateV2(store.pendingDs).ds.clients)
        for (const { clock } of ranges) waits.set(client, Math.min(waits.get(client) ?? Infinity, clock));
    }
    store.pendingStructs = null;
    store.pendingDs = null;
    if (parts.length === 0) return;
    this.work += (this.held?.byteLength ?? 0) + parts.reduce((sum, part) => sum + part.byteLength, 0);
    const merged = Y.mergeUpdatesV2(this.held ? [this.held, ...parts] : parts);
    if (merged.byteLength > this.maxBytes) {
      this.dropped(parts.reduce((sum, part) => sum + part.byteLength, 0));
      return;
    }
    this.held = merged;
    const waitsFor = (this.waitsFor ??= new Map<number, number>());
    for (const [client, clock] of waits)
      waitsFor.set(client, Math.min(waitsFor.get(client) ?? Infinity, clock));
  }
}

/** `doc`'s state without the parts that wait for what they build on (what a room would hold). */
export function integratedState(doc: Y.Doc): Uint8Array {
  const { store } = doc;
  const { pendingStructs, pendingDs } = store;
  store.pendingStructs = null;
  store.pendingDs = null;
  try {
    return Y.encodeStateAsUpdate(doc);
  } finally {
    store.pendingStructs = pendingStructs;
    store.pendingDs = pendingDs;
  }
}
