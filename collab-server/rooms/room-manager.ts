/**
 * Loads, persists and unloads rooms. A room is fully loaded from storage before anyone joins it;
 * its updates are written in batches within `flushMs`; the update log is compacted; a room with
 * nobody in it unloads after a grace period. A storage error is logged and kept for /healthz.
 */
import * as Y from 'yjs';
import { readMeta } from '../../shared/model/read';
import type { DecodedUpdate } from '../../shared/policy/changes';
import type { Logger } from '../log';
import type { Metrics } from '../http/metrics';
import { VersionHistory, type HistoryOptions } from './history';
import { integratedState } from './held-updates';
import { Room, type Peer, type Verdict } from './room';
import type { DocumentStorage } from '../storage/level-storage';
import { workshopRecord } from '../storage/room-record';
import { FencedError } from '../cluster/contracts';
import { RoomElsewhereError } from '../cluster/ownership';
import { CLOSE } from '../wire/protocol';
import { workshopRoomOf } from './personal-rooms';

/** Origin of updates applied from storage (they are not written back). */
const FROM_STORAGE = Symbol('from-storage');

export type RoomManagerOptions = {
  readonly storage: DocumentStorage;
  readonly metrics: Metrics;
  readonly log: Logger;
  readonly maxAwarenessBytes: number;
  /** Largest document a room holds (a change beyond is refused); the shared default if absent. */
  readonly maxDocumentBytes?: number;
  /** Longest time a change waits before its durable write. */
  readonly flushMs?: number;
  /** How long an empty room stays loaded. */
  readonly unloadGraceMs?: number;
  /** Compact a room's log after this many stored batches. */
  readonly compactAfter?: number;
  /** The version history's clock, interval and retention. */
  readonly history?: HistoryOptions;
  /**
   * Bytes of changes held in memory, over all rooms, while they wait to be stored; at this bound
   * (reached only while storage fails) changes are refused with 1013 until some are stored.
   */
  readonly maxUnstoredBytes?: number;
  /**
   * Judges each peer's update before its room applies it (the role policy, rooms/facilitation.ts):
   * why it is refused, null to accept it, or what the server writes with it. Without it every
   * update is accepted (viewers' aside).
   */
  readonly check?: (room: Room, peer: Peer, update: Uint8Array, decoded: DecodedUpdate) => Verdict;
  /** A room was loaded (its stored state is in): for what follows its changes (rooms/facilitation.ts). */
  readonly onLoaded?: (room: Room) => void;
  /**
   * In a cluster (cluster/ownership.ts): a room is claimed (its lease taken) before it is loaded
   * or created, and released once it is stored and unloaded; `claim` throws when another node
   * serves the room. `lost` says that a room is no longer this node's (see {@link RoomManager.evict}).
   */
  readonly ownership?: RoomOwnership;
};

/** How a room manager takes and gives up rooms in a cluster (cluster/ownership.ts). */
export type RoomOwnership = {
  claim(room: string): Promise<void>;
  release(room: string): Promise<void>;
  lost(room: string): void;
  /** Whether this node holds `room` still (false once its lease was lost). */
  holds(room: string): boolean;
};

/** Default of {@link RoomManagerOptions.maxUnstoredBytes}: four of the largest workshops. */
export const DEFAULT_MAX_UNSTORED_BYTES = 64 * 1024 * 1024;

/** Origin of updates replayed from a recovery file (they are stored like any change). */
const RECOVERED = Symbol('recovered');

function bytesOf(updates: readonly Uint8Array[]): number {
  return updates.reduce((sum, update) => sum + update.byteLength, 0);
}

type Managed = {
  readonly room: Room;
  pending: Uint8Array[];
  pendingSince: number;
  /**
   * The number `pending` will have as a batch. Batches are stored one at a time, in order, so a
   * stored batch covers every change the room held when its last update arrived.
   */
  batch: number;
  flushTimer: NodeJS.Timeout | null;
  unloadTimer: NodeJS.Timeout | null;
  /** Batches stored since the last compaction. */
  stored: number;
  /** Storage work for this room runs one at a time, in order. */
  queue: Promise<void>;
  /** Another node serves the room now: nothing more of it is written here. */
  evicted: boolean;
};

/** A room asked for while it is being deleted (RoomManager.remove): it is gone for good. */
export class RoomRemovedError extends Error {
  constructor(readonly room: string) {
    super('the workshop is being deleted');
    this.name = 'RoomRemovedError';
  }
}

export class RoomManager {
  private readonly loaded = new Map<string, Managed>();
  private readonly loading = new Map<string, Promise<Managed>>();
  private readonly unloading = new Map<string, Promise<void>>();
  /** Rooms being deleted: they cannot be loaded meanwhile. */
  private readonly removing = new Set<string>();
  /** Rooms being created, each with its creation (see create). */
  private readonly creating = new Map<string, Promise<boolean>>();
  private readonly flushMs: number;
  private readonly unloadGraceMs: number;
  private readonly compactAfter: number;
  /**
   * The last storage failure, until durability is proven again: a later write succeeded (on a
   * reopened store, see storage/level-storage.ts) and no room holds changes that failed.
   */
  storageError: string | null = null;
  /** Proves the store sound again after a fault that nothing retries (see {@link proveLater}). */
  private prover: NodeJS.Timeout | null = null;
  /** Rooms holding changes whose write failed. */
  private readonly failing = new Set<string>();
  /** Bytes of changes not stored yet, over all rooms. */
  private unstoredBytes = 0;
  /** What rooms forced out of memory (closeAll) held unstored, merged per room. */
  private readonly leftover = new Map<string, Uint8Array>();
  /** Versions of every room (rooms/history.ts). */
  readonly history: VersionHistory;

  constructor(private readonly options: RoomManagerOptions) {
    this.flushMs = options.flushMs ?? 50;
    this.unloadGraceMs = options.unloadGraceMs ?? 10_000;
    this.compactAfter = options.compactAfter ?? 100;
    this.history = new VersionHistory(options.storage, options.log, options.history);
  }

  /** Rooms in memory. */
  get size(): number {
    return this.loaded.size;
  }

  /** Bytes of changes waiting to be stored, over all rooms. */
  get unstored(): number {
    return this.unstoredBytes;
  }

  /** Connections over all loaded rooms. */
  get connections(): number {
    let n = 0;
    for (const m of this.loaded.values()) n += m.room.size;
    return n;
  }

  /** A loaded room, if it is in memory now. */
  peek(name: string): Room | undefined {
    return this.loaded.get(name)?.room;
  }

  /**
   * The room, loaded completely from storage first if needed. Cancels a pending unload. Throws
   * {@link RoomRemovedError} while the room (or the workshop a person's own document is of) is
   * being deleted.
   */
  async acquire(name: string): Promise<Room> {
    if (this.removing.has(name) || [...this.removing].some((r) => name.startsWith(`${r}~me~`)))
      throw new RoomRemovedError(name);
    const unloading = this.unloading.get(name);
    if (unloading) await unloading;
    const existing = this.loaded.get(name);
    if (existing) {
      this.cancelUnload(existing);
      return existing.room;
    }
    let loading = this.loading.get(name);
    if (!loading) {
      loading = this.load(name).finally(() => this.loading.delete(name));
      this.loading.set(name, loading);
    }
    const managed = await loading;
    this.cancelUnload(managed);
    return managed.room;
  }

  /**
   * Creates a stored room holding `doc`'s state unless the room exists; true when it was created.
   * Template content is written here, once, at creation.
   */
  async create(name: string, doc: Y.Doc): Promise<boolean> {
    const { storage } = this.options;
    // Two creations of one name at once (a file added twice): the second must not append its
    // state to the first's room before finding the record there. It waits for the first, and is
    // refused only if the first made the room: a first that failed leaves the name free.
    for (let first = this.creating.get(name); first; first = this.creating.get(name)) {
      if (await first.catch(() => false)) return false;
    }
    const creating = this.holding(name, async (): Promise<boolean> => {
      if (await storage.exists(name)) return false;
      // The state goes in before the room record, so a listed room always has its content.
      await storage.append(name, [integratedState(doc)]);
      return storage.create(name, workshopRecord(doc));
    });
    this.creating.set(name, creating);
    try {
      return await creating;
    } finally {
      this.creating.delete(name);
    }
  }

  /**
   * Deletes a stored room: its peers are closed with `code` first, what they changed is stored
   * (so nothing is left half-written), then everything of it goes in one atomic write. While it
   * is being deleted nobody can load it. False when there was no such room.
   */
  async remove(name: string, code: number, reason: string): Promise<boolean> {
    this.removing.add(name);
    // People's own documents of the room go with it.
    const own = `${name}~me~`;
    const rooms = (): string[] => [...this.loaded.keys()].filter((n) => n === name || n.startsWith(own));
    // Before anything waits: whoever is in it hears why at once, before any other close.
    for (const other of rooms()) this.loaded.get(other)?.room.closeAll(code, reason);
    try {
      await this.loading.get(name)?.catch(() => undefined);
      for (const other of rooms()) {
        this.loaded.get(other)?.room.closeAll(code, reason);
        await this.unload(other, true);
      }
      await this.unloading.get(name);
      this.leftover.delete(name);
      return await this.holding(name, () => this.options.storage.remove(name));
    } finally {
      this.removing.delete(name);
    }
  }

  /** Call when a peer left: an empty room unloads after the grace period. */
  release(name: string): void {
    const managed = this.loaded.get(name);
    // One being unloaded (the server closing, say) is not unloaded again alongside.
    if (!managed || managed.room.size > 0 || managed.unloadTimer || this.unloading.has(name)) return;
    managed.unloadTimer = setTimeout(() => void this.unload(name), this.unloadGraceMs);
  }

  /**
   * Stores a loaded room's pending changes now; throws, saying why, when they could not be
   * stored (they are kept, and tried again, as any room's changes are).
   */
  async storeNow(name: string): Promise<void> {
    const managed = this.loaded.get(name);
    if (!managed) return;
    await this.flush(managed);
    if (this.failing.has(name))
      throw new Error(this.storageError ?? `changes to ${name} could not be stored`);
  }

  /** Writes every pending change now and waits for it. */
  async flushAll(): Promise<void> {
    await Promise.all([...this.loaded.values()].map((m) => this.flush(m)));
  }

  /**
   * Closes all peers with `code`, stores everything it can and forgets all rooms. Resolves with
   * what could not be stored: each such room's changes as one update (empty when all is stored).
   */
  async closeAll(code: number, reason: string): Promise<Map<string, Uint8Array>> {
    for (const managed of this.loaded.values()) {
      this.cancelUnload(managed);
      managed.room.closeAll(code, reason);
    }
    await Promise.allSettled([...this.loading.values()]);
    await Promise.all([...this.loaded.keys()].map((name) => this.unload(name, true)));
    if (this.prover) clearTimeout(this.prover);
    this.prover = null;
    const unstored = new Map(this.leftover);
    this.leftover.clear();
    return unstored;
  }

  /**
   * Replays changes that an earlier run could not store (its recovery file) into their rooms,
   * before anyone joins, and stores them; true when all of them are stored now. Rooms that could
   * not store them keep them in memory, as after any failed write.
   */
  async recover(changes: ReadonlyMap<string, readonly Uint8Array[]>): Promise<boolean> {
    let elsewhere = false;
    for (const [name, updates] of changes) {
      let room: Room;
      try {
        room = await this.acquire(name);
      } catch (error) {
        if (!(error instanceof RoomElsewhereError)) throw error;
        // Another node of the cluster serves the room now: its changes wait for a later start.
        this.options.log('warn', 'recovered changes wait: another node serves the room', { room: name });
        elsewhere = true;
        continue;
      }
      for (const update of updates) room.apply(update, RECOVERED);
      this.release(name);
    }
    await this.flushAll();
    return !elsewhere && [...changes.keys()].every((name) => !this.failing.has(name));
  }

  /** Runs `work` holding `name` (its lease, in a cluster). */
  private async holding<T>(name: string, work: () => Promise<T>): Promise<T> {
    const { ownership } = this.options;
    if (!ownership) return work();
    await ownership.claim(name);
    try {
      return await work();
    } finally {
      // A loaded room holds a use of its own: the lease stays while it is loaded.
      await ownership.release(name);
    }
  }

  private async load(name: string): Promise<Managed> {
    const { ownership } = this.options;
    await ownership?.claim(name);
    let updates: Uint8Array[];
    try {
      updates = await this.options.storage.load(name);
    } catch (error) {
      await ownership?.release(name);
      throw error;
    }
    // The lease was lost while the room was read: another node serves it now.
    if (ownership && !ownership.holds(name)) throw new RoomElsewhereError(name, null);
    const room: Room = new Room(name, this.options, {
      onUpdate: (update, origin) => {
        if (origin !== FROM_STORAGE) this.enqueue(managed, update);
        if (origin !== FROM_STORAGE) this.history.changed(room);
      },
      onPeerJoined: (peer) => this.history.saw(room, peer),
      // A name typed into a shared link arrives in presence after the join, and is gone (a
      // departing client clears its presence) before the leave: follow it as it comes.
      onPresence: (peer) => this.history.saw(room, peer),
      onPeerLeaving: (peer) => this.history.left(room, peer),
      onViewerUpdateDropped: () => this.options.metrics.viewerUpdatesDropped++,
      check:
        this.options.check &&
        ((peer, update, decoded) => this.options.check?.(room, peer, update, decoded) ?? null),
      onRefused: (_peer, code) => this.options.metrics.refuse(code),
      onPeerClosed: (reason) => this.options.metrics.close(reason),
      acceptsChanges: () =>
        this.unstoredBytes < (this.options.maxUnstoredBytes ?? DEFAULT_MAX_UNSTORED_BYTES),
      onHeldDropped: (bytes) =>
        this.options.log('warn', 'updates dropped: what they build on never arrived', { room: name, bytes }),
      // With nothing pending, what the room holds is in the batches already taken for storing.
      batchNow: () => (managed.pending.length > 0 ? managed.batch : managed.batch - 1),
    });
    // Through the room: parts stored before they were held aside (older servers) stay out.
    if (updates.length) room.apply(Y.mergeUpdates(updates), FROM_STORAGE);
    const managed: Managed = {
      room,
      pending: [],
      pendingSince: 0,
      batch: 1,
      flushTimer: null,
      unloadTimer: null,
      stored: 0,
      queue: Promise.resolve(),
      evicted: false,
    };
    this.loaded.set(name, managed);
    this.history.opened(room);
    this.options.onLoaded?.(room);
    // A log of many small updates (from before a crash, say) is compacted once loaded.
    if (updates.length > this.compactAfter) this.compact(managed);
    return managed;
  }

  private enqueue(managed: Managed, update: Uint8Array): void {
    if (managed.pending.length === 0) managed.pendingSince = performance.now();
    managed.pending.push(update);
    this.unstoredBytes += update.byteLength;
    managed.flushTimer ??= setTimeout(() => void this.flush(managed), this.flushMs);
  }

  private flush(managed: Managed): Promise<void> {
    if (managed.flushTimer) clearTimeout(managed.flushTimer);
    managed.flushTimer = null;
    if (managed.pending.length === 0) return managed.queue;
    const batch = managed.pending;
    const since = managed.pendingSince;
    const number = managed.batch++;
    managed.pending = [];
    const name = managed.room.name;
    managed.queue = managed.queue.then(async () => {
      if (managed.evicted) return;
      try {
        await this.options.storage.append(name, batch);
        this.options.metrics.observeFlush((performance.now() - since) / 1000);
        this.unstoredBytes -= bytesOf(batch);
        this.failing.delete(name);
        if (this.failing.size === 0) this.storageError = null;
        managed.room.stored(number);
        if (++managed.stored >= this.compactAfter) this.compact(managed);
      } catch (error) {
        // Another node took the room: its clients resend these changes there (never acknowledged).
        if (error instanceof FencedError) return this.fenced(name);
        this.storageFailed('store', name, error);
        this.failing.add(name);
        // Keep the changes and try again (on a reopened store): nothing is dropped while the room
        // is loaded, and at shutdown they go to a recovery file.
        managed.pending = [...batch, ...managed.pending];
        managed.pendingSince = since;
        managed.room.postpone(number, managed.batch);
        managed.flushTimer ??= setTimeout(() => void this.flush(managed), 1000);
      }
    });
    return managed.queue;
  }

  private compact(managed: Managed): void {
    const name = managed.room.name;
    managed.queue = managed.queue.then(async () => {
      if (managed.evicted) return;
      try {
        await this.options.storage.compact(name, Y.encodeStateAsUpdate(managed.room.doc));
        managed.stored = 0;
      } catch (error) {
        if (error instanceof FencedError) return this.fenced(name);
        this.storageFailed('compact', name, error);
      }
    });
  }

  /**
   * Forgets `room` (a workshop, with its people's own documents) at once, writing nothing: another
   * node serves it now (this node lost its lease). Its peers are closed with CLOSE.roomMoved and
   * reconnect there; the changes not stored yet are dropped here, never acknowledged to the
   * clients that sent them, who hold them and send them again on their next connection.
   */
  evict(room: string): void {
    const names = [...this.loaded.keys()].filter((name) => workshopRoomOf(name) === room);
    for (const name of names) {
      const managed = this.loaded.get(name);
      if (!managed) continue;
      managed.evicted = true;
      this.cancelUnload(managed);
      if (managed.flushTimer) clearTimeout(managed.flushTimer);
      managed.flushTimer = null;
      this.unstoredBytes -= bytesOf(managed.pending);
      managed.pending = [];
      this.failing.delete(name);
      this.loaded.delete(name);
      this.history.dropped(managed.room);
      this.options.storage.release(name);
      this.options.log('warn', 'room moved to another node', { room: name });
      managed.room.closeAll(CLOSE.roomMoved, 'room moved to another node');
      managed.room.destroy();
    }
  }

  /** Storage refused a write of `name`: another node holds its room's lease now. */
  private fenced(name: string): void {
    const room = workshopRoomOf(name);
    this.options.ownership?.lost(room);
    this.evict(room);
  }

  private storageFailed(operation: string, room: string, error: unknown): void {
    const message = `${operation} failed for room ${room}: ${(error as Error).message}`;
    this.storageError = message;
    this.options.metrics.storageErrors++;
    this.options.log('error', 'storage error', { operation, room, error: (error as Error).message });
    this.proveLater();
  }

  /**
   * While degraded, a small write every second until one succeeds, when no room holds changes
   * (their retries prove it otherwise). A fault in what nobody retries (a room's record, a
   * compaction as it unloads) left the server degraded for good, and a load balancer following
   * /readyz then sent it no one whose change could prove the disk sound again.
   */
  private proveLater(): void {
    this.prover ??= setTimeout(() => {
      this.prover = null;
      if (!this.storageError) return;
      if (this.failing.size > 0) return this.proveLater();
      const failures = this.options.metrics.storageErrors;
      this.options.storage.probe().then(
        () => {
          if (this.failing.size === 0 && this.options.metrics.storageErrors === failures)
            this.storageError = null;
        },
        () => this.proveLater(),
      );
    }, 1000);
    this.prover.unref();
  }

  private cancelUnload(managed: Managed): void {
    if (managed.unloadTimer) clearTimeout(managed.unloadTimer);
    managed.unloadTimer = null;
  }

  private unload(name: string, force = false): Promise<void> {
    const managed = this.loaded.get(name);
    if (!managed || (!force && managed.room.size > 0)) return Promise.resolve();
    this.cancelUnload(managed);
    const done = (async () => {
      await this.flush(managed);
      // At shutdown, a store that did not take the room's changes is asked nothing more (each
      // write to a store that does not answer waits its timeout): they go to the recovery file.
      const failed = force && this.failing.has(name);
      if (managed.stored > 0 && !failed) {
        this.compact(managed);
        await managed.queue;
      }
      // Evicted meanwhile: another node serves it, and this node holds nothing of it.
      if (managed.evicted) return;
      if (!failed) await this.describeStored(name, managed);
      if (managed.evicted) return;
      // Changes that could not be stored keep the room in memory, so they are not lost.
      if (managed.pending.length > 0 && !force) {
        managed.unloadTimer = setTimeout(() => void this.unload(name), this.unloadGraceMs);
        return;
      }
      // A retry under way ends first: a batch it could not store is pending again.
      for (let queue = managed.queue; ; queue = managed.queue) {
        if (managed.flushTimer) clearTimeout(managed.flushTimer);
        managed.flushTimer = null;
        await queue;
        if (managed.queue === queue) break;
      }
      if (managed.flushTimer) clearTimeout(managed.flushTimer);
      managed.flushTimer = null;
      if (managed.pending.length > 0) {
        this.leftover.set(name, Y.mergeUpdates(managed.pending));
        this.unstoredBytes -= bytesOf(managed.pending);
        this.failing.delete(name);
      }
      if (failed) this.history.dropped(managed.room);
      else await this.history.unloaded(managed.room);
      // Evicted meanwhile: another node serves it, and this node holds nothing of it.
      if (managed.evicted) return;
      this.loaded.delete(name);
      this.options.storage.release(name);
      managed.room.destroy();
      await this.options.ownership?.release(name);
    })().finally(() => this.unloading.delete(name));
    this.unloading.set(name, done);
    return done;
  }

  /** Writes the record of a loaded room (its title, language, counts) as it unloads. */
  private async describeStored(name: string, managed: Managed): Promise<void> {
    try {
      const meta = readMeta(managed.room.doc);
      if (meta.schemaVersion > 0) {
        const { created, title, language, counts } = workshopRecord(managed.room.doc);
        // A record keeps the date it was made with (a duplicate's is its own, not its original's).
        const dated = (await this.options.storage.exists(name)) ? {} : { created };
        await this.options.storage.describe(name, { ...dated, title, language, counts });
      }
    } catch (error) {
      if (error instanceof FencedError) return this.fenced(name);
      this.storageFailed('describe', name, error);
    }
  }
}
