/**
 * Which rooms this node serves, in a cluster (#14): a room is served here only while this node
 * holds its lease (cluster/leases.ts) and its fencing token is the one PostgreSQL records
 * (storage/pg-storage.ts). Everything that reads or writes a room here (its loaded copy, an API
 * write to a stored room that is not loaded) holds a use of the room; the lease is taken at the
 * first use and given up at the last.
 *
 * A person's own document (`<room>~me~<id>`) goes with its workshop's lease, as its writes are
 * fenced by it.
 */
import type { ClusterNode, FencedStorage, Leases } from './contracts';
import { workshopRoomOf } from '../rooms/personal-rooms';
import type { DocumentStorage } from '../storage/level-storage';
import type { Logger } from '../log';

/** The room is served by another node (its url, when known), or about to be: serve it there. */
export class RoomElsewhereError extends Error {
  constructor(
    readonly room: string,
    readonly url: string | null,
  ) {
    super(`room ${room} is served by another node`);
    this.name = 'RoomElsewhereError';
  }
}

/** The workshop room whose lease covers `name` (a person's document goes with its workshop). */
export function leaseRoom(name: string): string {
  return workshopRoomOf(name);
}

/** Where a request for a room goes: served here, sent to another node, or nowhere now (retry). */
export type Route = { readonly serve: true } | { readonly proxy: string } | { readonly unavailable: true };

type Held = { uses: number; readonly ready: Promise<void> };

/** This node's rooms in a cluster. */
export class Ownership {
  private readonly held = new Map<string, Held>();
  /** Leases being given up, per room. */
  private readonly releasing = new Map<string, Promise<void>>();
  private drainingNow = false;

  constructor(
    readonly leases: Leases,
    private readonly storage: FencedStorage,
    private readonly self: ClusterNode,
    private readonly log: Logger,
  ) {}

  get node(): ClusterNode {
    return this.self;
  }

  get draining(): boolean {
    return this.drainingNow;
  }

  /** From now on this node takes no room that another live node could take. */
  drain(): void {
    this.drainingNow = true;
  }

  /** The rooms whose leases this node holds. */
  owns(): string[] {
    return this.leases
      .heldAll()
      .map((lease) => lease.room)
      .sort();
  }

  /**
   * Takes a use of `name`'s room: its lease, taken (and its token recorded in storage) at the
   * first use. Throws {@link RoomElsewhereError} when another node holds it, or takes it first.
   */
  async claim(name: string): Promise<void> {
    await this.use(leaseRoom(name));
  }

  /** Gives a use of `name`'s room back: the last one gives its lease up. */
  async release(name: string): Promise<void> {
    const room = leaseRoom(name);
    const entry = this.held.get(room);
    if (entry) await this.unuse(room, entry);
  }

  /** Whether this node holds `name`'s room (a use of it, its lease not lost). */
  holds(name: string): boolean {
    return this.held.has(leaseRoom(name));
  }

  /** `name`'s room is held for as long as `work` runs (a write of the HTTP API, say). */
  async during<T>(name: string, work: () => Promise<T>): Promise<T> {
    const room = leaseRoom(name);
    const entry = await this.use(room);
    try {
      return await work();
    } finally {
      await this.unuse(room, entry);
    }
  }

  private async use(room: string): Promise<Held> {
    let entry = this.held.get(room);
    if (entry) {
      entry.uses++;
    } else {
      entry = { uses: 1, ready: this.take(room) };
      this.held.set(room, entry);
    }
    try {
      await entry.ready;
      return entry;
    } catch (error) {
      if (--entry.uses === 0 && this.held.get(room) === entry) this.held.delete(room);
      throw error;
    }
  }

  private async unuse(room: string, entry: Held): Promise<void> {
    if (--entry.uses > 0 || this.held.get(room) !== entry) return;
    this.held.delete(room);
    const released = this.leases.release(room).catch((error: unknown) =>
      // Not released, it expires on its own.
      this.log('warn', 'lease not released', { room, error: (error as Error).message }),
    );
    this.releasing.set(room, released);
    await released;
    if (this.releasing.get(room) === released) this.releasing.delete(room);
  }

  /** The lease of `room` is gone (leases.ts said so, or storage refused a write): its uses are void. */
  lost(room: string): void {
    this.held.delete(room);
  }

  /**
   * Where a request for `name` goes. `proxied`: it came from another node already, and is never
   * sent on again (no loops): served here if this node may take the room, else refused for now.
   */
  async route(name: string, proxied: boolean, loaded: boolean): Promise<Route> {
    const room = leaseRoom(name);
    if (loaded || this.held.has(room)) return { serve: true };
    const holder = await this.leases.holder(room);
    if (holder && holder.node !== this.self.node)
      return proxied ? { unavailable: true } : { proxy: holder.url };
    if (this.drainingNow && !proxied) {
      const other = await this.otherNode();
      if (other) return { proxy: other.url };
    }
    return { serve: true };
  }

  /** A live node other than this one, or undefined when this one is alone. */
  private async otherNode(): Promise<ClusterNode | undefined> {
    const nodes = (await this.leases.nodes()).filter((node) => node.node !== this.self.node);
    return nodes[Math.floor(Math.random() * nodes.length)];
  }

  private async take(room: string): Promise<void> {
    // A release under way ends first: it would give up the lease this claim gets back.
    await this.releasing.get(room);
    if (this.drainingNow) {
      const other = await this.otherNode();
      if (other) throw new RoomElsewhereError(room, other.url);
    }
    const floor = await this.storage.fenceOf(room);
    const answer = await this.leases.claim(room, floor);
    if ('holder' in answer) throw new RoomElsewhereError(room, answer.holder.url);
    // Storage records this very token already (the lease was still this node's).
    if (answer.taken.fence === floor) return;
    // The token goes into storage before anything of the room is read: a write under an older
    // token has ended by then, and none can start.
    if (await this.storage.takeFence(room, answer.taken.fence)) return;
    await this.leases.release(room).catch(() => undefined);
    throw new RoomElsewhereError(room, null);
  }
}

/**
 * `storage`, whose writes of a room hold the room (its lease) while they write: the HTTP API
 * writes stored rooms that are not loaded (a rename, an archive mark, a deletion, a version).
 * A loaded room holds its room already, so its writes take no new lease.
 */
export function leasedStorage(storage: FencedStorage, ownership: Pick<Ownership, 'during'>): DocumentStorage {
  const held =
    <A extends unknown[], R>(write: (room: string, ...rest: A) => Promise<R>) =>
    (room: string, ...rest: A): Promise<R> =>
      ownership.during(room, () => write(room, ...rest));
  return {
    ...storage,
    load: (room) => storage.load(room),
    exists: (room) => storage.exists(room),
    list: () => storage.list(),
    probe: () => storage.probe(),
    release: (room) => storage.release(room),
    close: () => storage.close(),
    listVersions: (room) => storage.listVersions(room),
    loadVersion: (room, id) => storage.loadVersion(room, id),
    append: held((room, updates) => storage.append(room, updates)),
    compact: held((room, state) => storage.compact(room, state)),
    create: held((room, info) => storage.create(room, info)),
    describe: held((room, info) => storage.describe(room, info)),
    remove: held((room) => storage.remove(room)),
    putVersion: held((room, info, state) => storage.putVersion(room, info, state)),
    deleteVersions: held((room, ids) => storage.deleteVersions(room, ids)),
  };
}
