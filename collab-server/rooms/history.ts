/**
 * The version history of rooms: a room's full state is stored as a version every `activeEveryMs`
 * while changes happen, when it unloads after changes, when it opens without any version yet, and
 * before a restore; each version names everyone who was connected since the previous one. After
 * each new version the retention policy drops what it no longer keeps. The room manager tells this
 * module what happens in a room; the HTTP API lists, reads and restores versions through it.
 */
import { randomBytes } from 'node:crypto';
import * as Y from 'yjs';
import { restoreVersion } from '../../shared/model/restore';
import type { RestoreNotice } from '../../shared/model/schema';
import type { Logger } from '../log';
import type { VersionInfo, VersionPerson, VersionStorage, VersionTrigger } from '../storage/level-storage';
import { DEFAULT_RETENTION, versionsToDrop, type RetentionPolicy } from './retention';
import type { Peer, Room } from './room';

/** Origin of the transaction that restores a version in place. */
export const RESTORE_ORIGIN = Symbol('restore-version');

/** How the history is kept; every field has a default. */
export type HistoryOptions = {
  /** The clock, milliseconds since the epoch (tests move it). */
  readonly now?: () => number;
  /** While changes happen, a version at most this often (10 minutes). */
  readonly activeEveryMs?: number;
  readonly retention?: Partial<RetentionPolicy>;
  /**
   * People who left since the last version that the next one names at most (everyone still
   * connected is named besides). 200 by default.
   */
  readonly maxPresent?: number;
};

/** Default of {@link HistoryOptions.maxPresent}. */
export const DEFAULT_MAX_PRESENT = 200;

/** What the history tracks of one loaded room. */
type Tracked = {
  /** Changed since the last version. */
  changed: boolean;
  /** Everyone connected now, as each last showed their name. */
  readonly people: Map<Peer, VersionPerson>;
  /**
   * Who left since the last version, once per name and role, at most `maxPresent`: a connection
   * that has gone is not kept (a link reopened under ever new names would grow this forever).
   * Made when someone first leaves: a server keeps hundreds of rooms loaded, most of them quiet.
   */
  left: Map<string, VersionPerson> | null;
  timer: NodeJS.Timeout | null;
  /** Version writes of this room run one at a time, in order. */
  queue: Promise<unknown>;
};

/** The queue of a room with no version write under way (one for all of them). */
const IDLE: Promise<unknown> = Promise.resolve();

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

const ROLE_ORDER: Readonly<Record<VersionPerson['role'], number>> = {
  facilitator: 0,
  participant: 1,
  viewer: 2,
};

/**
 * Each name and role once, a nameless entry only if no one of its role has a name; facilitators
 * first, then participants, then viewers, each by name, so a version reads the same whoever left
 * first.
 */
function unique(people: readonly VersionPerson[]): VersionPerson[] {
  const seen = new Map<string, VersionPerson>();
  for (const person of people) seen.set(`${person.role}\u0000${person.name}`, person);
  return [...seen.values()]
    .filter((p) => p.name || ![...seen.values()].some((other) => other.role === p.role && other.name))
    .sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || a.name.localeCompare(b.name));
}

export class VersionHistory {
  private readonly tracked = new Map<Room, Tracked>();
  readonly now: () => number;
  private readonly activeEveryMs: number;
  private readonly retention: RetentionPolicy;
  private readonly maxPresent: number;

  constructor(
    private readonly storage: VersionStorage,
    private readonly log: Logger,
    options: HistoryOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    // setTimeout fires at once for anything longer than 2^31 - 1 ms (24.8 days).
    this.activeEveryMs = Math.min(options.activeEveryMs ?? 10 * 60_000, 2 ** 31 - 1);
    this.retention = { ...DEFAULT_RETENTION, ...options.retention };
    this.maxPresent = options.maxPresent ?? DEFAULT_MAX_PRESENT;
  }

  /** A room was loaded: it gets a first version if it has none (the state it opened with). */
  opened(room: Room): void {
    const tracked = this.of(room);
    // An empty document (a room nobody created yet) has nothing to keep.
    if (Y.encodeStateVector(room.doc).byteLength <= 1) return;
    const state = Y.encodeStateAsUpdate(room.doc);
    tracked.queue = tracked.queue.then(async () => {
      try {
        if ((await this.storage.listVersions(room.name)).length > 0) return;
        await this.write(room.name, 'opened', state, []);
      } catch (error) {
        this.failed(room.name, error);
      }
    });
  }

  /** The room's document changed: a version follows within `activeEveryMs`. */
  changed(room: Room): void {
    const tracked = this.of(room);
    tracked.changed = true;
    tracked.timer ??= setTimeout(() => {
      tracked.timer = null;
      void this.take(room, 'active');
    }, this.activeEveryMs);
  }

  /**
   * Someone joined or showed a name (their presence changed): they are present for the next
   * version.
   */
  saw(room: Room, peer: Peer): void {
    if (!room.has(peer)) return;
    const person = room.personOf(peer);
    const people = this.of(room).people;
    if (person.name || !people.get(peer)?.name) people.set(peer, person);
  }

  /** Someone is leaving (still connected): the next version names them, the peer is forgotten. */
  left(room: Room, peer: Peer): void {
    this.saw(room, peer);
    const tracked = this.of(room);
    const person = tracked.people.get(peer);
    tracked.people.delete(peer);
    if (!person) return;
    const key = `${person.role}\u0000${person.name}`;
    const left = (tracked.left ??= new Map<string, VersionPerson>());
    if (left.has(key) || left.size < this.maxPresent) left.set(key, person);
  }

  /** The room is unloading: its last changes become a version, then it is forgotten. */
  async unloaded(room: Room): Promise<void> {
    const tracked = this.tracked.get(room);
    if (!tracked) return;
    if (tracked.timer) clearTimeout(tracked.timer);
    tracked.timer = null;
    if (tracked.changed) await this.take(room, 'unload');
    else await tracked.queue;
    this.tracked.delete(room);
  }

  /**
   * The room left this server without its last changes (another node serves it now, and writes
   * its versions): it is forgotten, and nothing more is written of it.
   */
  dropped(room: Room): void {
    const tracked = this.tracked.get(room);
    if (tracked?.timer) clearTimeout(tracked.timer);
    this.tracked.delete(room);
  }

  /** Stores the room's state now as a version; resolves with it (undefined if it could not be stored). */
  take(room: Room, trigger: VersionTrigger): Promise<VersionInfo | undefined> {
    const tracked = this.of(room);
    if (tracked.timer) clearTimeout(tracked.timer);
    tracked.timer = null;
    const state = Y.encodeStateAsUpdate(room.doc);
    for (const peer of room.peerList()) this.saw(room, peer);
    const present = unique([...(tracked.left?.values() ?? []), ...tracked.people.values()]);
    tracked.changed = false;
    // Who is still here is present for the next version too.
    tracked.left = null;
    for (const peer of [...tracked.people.keys()]) if (!room.has(peer)) tracked.people.delete(peer);
    const done = tracked.queue.then(async () => {
      try {
        return await this.write(room.name, trigger, state, present);
      } catch (error) {
        // Nothing is lost: the next change (or the unload) tries again with everyone named.
        tracked.changed = true;
        this.failed(room.name, error);
        return undefined;
      }
    });
    tracked.queue = done;
    return done;
  }

  /** A room's versions, newest first. */
  async list(name: string): Promise<VersionInfo[]> {
    return (await this.storage.listVersions(name)).sort((a, b) => b.time - a.time || (a.id < b.id ? 1 : -1));
  }

  /** A version's state, or undefined when the room has no such version. */
  load(name: string, id: string): Promise<Uint8Array | undefined> {
    return this.storage.loadVersion(name, id);
  }

  /**
   * Writes version `id`'s content over the room's document in one forward transaction that every
   * connected client receives; the state before it is kept as a version first, so a restore can be
   * undone by restoring that one. The same transaction records who restored which version when
   * (`by`: the link the request was made with; its holder is named as they show themselves in the
   * room, else by the link's name), so everyone is told. Resolves with the version before and that
   * notice, or undefined for an unknown id.
   */
  async restore(
    room: Room,
    id: string,
    by: { readonly link: string; readonly name: string },
  ): Promise<{ before: VersionInfo; notice: RestoreNotice } | undefined> {
    const state = await this.storage.loadVersion(room.name, id);
    if (!state) return undefined;
    const info = (await this.storage.listVersions(room.name)).find((v) => v.id === id);
    if (!info) return undefined;
    let before: VersionInfo | undefined;
    // What changes while the state before is being stored is kept too: take it again (a few
    // times at most; each take is one disk write).
    for (let tries = 0; tries < 3; tries++) {
      const seen = Y.encodeStateVector(room.doc);
      before = await this.take(room, 'restore');
      if (!before) throw new Error('the current state could not be kept as a version');
      if (equalBytes(seen, Y.encodeStateVector(room.doc))) break;
    }
    if (!before) throw new Error('the current state could not be kept as a version');
    const asker = room.peerList().find((peer) => peer.link === by.link && peer.role === 'facilitator');
    const notice: RestoreNotice = {
      id: `${String(this.now())}-${randomBytes(6).toString('hex')}`,
      by: asker ? room.personOf(asker).name : by.name,
      versionTime: info.time,
      at: this.now(),
    };
    const version = new Y.Doc();
    Y.applyUpdate(version, state);
    restoreVersion(room.doc, version, notice, RESTORE_ORIGIN);
    version.destroy();
    return { before, notice };
  }

  private of(room: Room): Tracked {
    let tracked = this.tracked.get(room);
    if (!tracked) {
      tracked = { changed: false, people: new Map(), left: null, timer: null, queue: IDLE };
      this.tracked.set(room, tracked);
    }
    return tracked;
  }

  private async write(
    name: string,
    trigger: VersionTrigger,
    state: Uint8Array,
    present: readonly VersionPerson[],
  ): Promise<VersionInfo> {
    const time = this.now();
    const id = `${String(time).padStart(15, '0')}-${randomBytes(3).toString('hex')}`;
    const info: VersionInfo = { id, time, trigger, present, bytes: state.byteLength };
    await this.storage.putVersion(name, info, state);
    const dropped = versionsToDrop(await this.storage.listVersions(name), time, this.retention);
    await this.storage.deleteVersions(name, dropped);
    this.log('info', 'version stored', {
      room: name,
      trigger,
      bytes: state.byteLength,
      dropped: dropped.length,
    });
    return info;
  }

  private failed(room: string, error: unknown): void {
    this.log('error', 'version could not be stored', { room, error: (error as Error).message });
  }
}
