/**
 * Where room documents live. The interface is narrow (append updates, load, compact, list) so a
 * PostgreSQL or object-storage backend can replace LevelDB without touching rooms or the wire.
 * A write that fails (a full disk) is never followed by another on the same LevelDB handle: the
 * database is opened again first (see `write` below).
 */
import { ClassicLevel } from 'classic-level';

/** How much a workshop holds: notes on its needs boards, themes and actions. */
export type RoomCounts = { readonly needs: number; readonly themes: number; readonly actions: number };

/** What the server knows about a stored room without loading it. */
export type RoomInfo = {
  readonly created: string;
  readonly title: string;
  readonly language: string;
  /** As of the room's last unload (or its creation); absent in records of older servers. */
  readonly counts?: RoomCounts;
  /** When an organiser archived it; absent while it is not archived. */
  readonly archived?: string;
};
export type StoredRoomInfo = RoomInfo & { readonly room: string };

/** Persistent storage of room documents as Yjs updates. */
export type DocumentStorage = {
  /** Every stored update of `room`, oldest first; empty for an unknown room. */
  readonly load: (room: string) => Promise<Uint8Array[]>;
  /** Appends updates durably (fsync) in one atomic write. */
  readonly append: (room: string, updates: readonly Uint8Array[]) => Promise<void>;
  /** Replaces all of a room's updates by one that holds the same state, atomically. */
  readonly compact: (room: string, state: Uint8Array) => Promise<void>;
  /** Records a room as created (false if it already was); rooms are listed from these records. */
  readonly create: (room: string, info: RoomInfo) => Promise<boolean>;
  /**
   * Updates a room's record (its title, language and counts as of its last unload, its archive
   * mark): the fields given replace those stored, an `undefined` one removes it, others stay.
   */
  readonly describe: (room: string, info: Partial<RoomInfo>) => Promise<void>;
  /**
   * Deletes everything of a room in one atomic write: its record, updates and versions, and those
   * of its people's own documents. False when there was no such room.
   */
  readonly remove: (room: string) => Promise<boolean>;
  readonly exists: (room: string) => Promise<boolean>;
  readonly list: () => Promise<StoredRoomInfo[]>;
  /** The name of every document with stored updates: rooms and their people's documents. */
  readonly documents: () => Promise<string[]>;
  /**
   * One small durable write of its own: proves the store takes writes again after a fault when
   * nothing else is waiting to be written.
   */
  readonly probe: () => Promise<void>;
  /** Forgets what is cached about a room that left memory (called when it unloads). */
  readonly release: (room: string) => void;
  readonly close: () => Promise<void>;
} & VersionStorage;

/** Who was connected to a room while a version accrued (the name they showed, the role their link gave). */
export type VersionPerson = {
  readonly name: string;
  readonly role: 'facilitator' | 'participant' | 'viewer';
};

/**
 * Why a version was taken: changes while the room was active, the room unloading after changes,
 * the room opening without any version yet, or the state before a restore.
 */
export type VersionTrigger = 'active' | 'unload' | 'opened' | 'restore';

/** What is kept about one version besides its state. */
export type VersionInfo = {
  /** Sorts by time: 15-digit milliseconds, '-', a short random suffix. */
  readonly id: string;
  /** Milliseconds since the epoch. */
  readonly time: number;
  readonly trigger: VersionTrigger;
  readonly present: readonly VersionPerson[];
  /** Size of the stored state. */
  readonly bytes: number;
};

/** The version history of rooms: full states (Y.encodeStateAsUpdate) with their metadata. */
export type VersionStorage = {
  /** Stores a version's record and state in one atomic write. */
  readonly putVersion: (room: string, info: VersionInfo, state: Uint8Array) => Promise<void>;
  /** Every version of `room`, oldest first (records only; a damaged record is skipped). */
  readonly listVersions: (room: string) => Promise<VersionInfo[]>;
  /** A version's state, or undefined when there is none with that id. */
  readonly loadVersion: (room: string, id: string) => Promise<Uint8Array | undefined>;
  /** Deletes versions (record and state) in one atomic write. */
  readonly deleteVersions: (room: string, ids: readonly string[]) => Promise<void>;
};

// Key layout (wire format on disk: never change without a migration):
//   room!<room>            → JSON { created, title, language }
//   update!<room>!<seq>    → one Yjs update; seq is 12 zero-padded digits, increasing
//   version!<room>!<id>    → JSON VersionInfo without id (id = 15-digit ms time, '-', suffix)
//   vstate!<room>!<id>     → that version's state, Y.encodeStateAsUpdate
//   probe!                 → time of the last write that proved the store sound after a fault
const ROOM = 'room!';
const UPDATE = 'update!';
const SEQ_DIGITS = 12;

function encodeInfo(info: RoomInfo): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(info));
}

/** A room record; a damaged one still lists the room, with empty fields. */
export function decodeInfo(value: Uint8Array): RoomInfo {
  let parsed: Record<string, unknown> = {};
  try {
    const json: unknown = JSON.parse(new TextDecoder().decode(value));
    if (typeof json === 'object' && json !== null) parsed = json as Record<string, unknown>;
  } catch {
    // fall through to defaults
  }
  const text = (v: unknown): string => (typeof v === 'string' ? v : '');
  const info: RoomInfo = {
    created: text(parsed.created),
    title: text(parsed.title),
    language: text(parsed.language),
  };
  const counts = decodeCounts(parsed.counts);
  const archived = typeof parsed.archived === 'string' ? { archived: parsed.archived } : {};
  return { ...info, ...(counts ? { counts } : {}), ...archived };
}

function decodeCounts(value: unknown): RoomCounts | null {
  if (typeof value !== 'object' || value === null) return null;
  const { needs, themes, actions } = value as Record<string, unknown>;
  const count = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
  return count(needs) && count(themes) && count(actions) ? { needs, themes, actions } : null;
}

type Level = ClassicLevel<string, Uint8Array>;

function updateKey(room: string, seq: number): string {
  return `${UPDATE}${room}!${String(seq).padStart(SEQ_DIGITS, '0')}`;
}

/** LevelDB storage in `dir` (classic-level, prebuilt N-API binaries). */
export async function openLevelStorage(dir: string): Promise<DocumentStorage> {
  const openDb = async (): Promise<Level> => {
    const opened = new ClassicLevel<string, Uint8Array>(dir, { valueEncoding: 'view' });
    await opened.open();
    return opened;
  };
  /** The current handle: every method reads it here, so after a reopen all of them use the new one. */
  let db = await openDb();
  /** Counts reopens, so a failure is blamed on the handle it happened on. */
  let generation = 0;
  /** Why a write failed on the current handle; null while it is sound. */
  let fault: Error | null = null;
  let reopening: Promise<void> | null = null;
  /** Next sequence number per room, learnt from the last stored key. */
  const nextSeq = new Map<string, number>();

  /**
   * A write that fails (ENOSPC, EIO) may leave a torn record at the end of LevelDB's log, and
   * LevelDB would append later writes after it; the next open drops everything from the torn
   * record on (checksum mismatch), writes that "succeeded" included. So after a failure the handle
   * is closed and the database opened again, which recovers the log up to its last whole record,
   * before any other write. While it cannot be opened (the disk is still full) every write fails.
   */
  function reopen(): Promise<void> {
    reopening ??= (async () => {
      await db.close().catch(() => undefined);
      db = await openDb();
      generation++;
      fault = null;
      // Sequence numbers of writes that were lost are free again: learn them from the disk.
      nextSeq.clear();
    })().finally(() => (reopening = null));
    return reopening;
  }

  /**
   * The handle to read with. After a failed write it is opened again first, as for a write: when
   * that open failed too (the disk was still full) the handle stays closed, and with no write
   * left to retry (a version, a room record) only a read can open it once the disk has room.
   */
  async function readable(): Promise<Level> {
    if (fault) await reopen();
    return db;
  }

  /** One durable write on a sound handle; throws when it may not survive a restart. */
  async function write(op: (db: Level) => Promise<void>): Promise<void> {
    if (fault) await reopen();
    const mine = generation;
    try {
      await op(db);
    } catch (error) {
      if (mine === generation) fault ??= error as Error;
      throw error;
    }
    // Another write failed on this handle while this one was under way: LevelDB may have put this
    // one after the torn record, where the next open drops it.
    if (fault && mine === generation)
      throw new Error(`not stored, an earlier write failed: ${fault.message}`, { cause: fault });
  }

  async function seqFor(room: string): Promise<number> {
    const known = nextSeq.get(room);
    if (known !== undefined) return known;
    let next = 0;
    for await (const key of db.keys({
      gte: `${UPDATE}${room}!`,
      lt: `${UPDATE}${room}!~`,
      reverse: true,
      limit: 1,
    })) {
      next = Number(key.slice(-SEQ_DIGITS)) + 1;
    }
    nextSeq.set(room, next);
    return next;
  }

  const range = (room: string) => ({ gte: `${UPDATE}${room}!`, lt: `${UPDATE}${room}!~` });

  return {
    async load(room) {
      const updates: Uint8Array[] = [];
      for await (const value of (await readable()).values(range(room))) updates.push(value);
      return updates;
    },
    async append(room, updates) {
      if (updates.length === 0) return;
      await write(async (handle) => {
        let seq = await seqFor(room);
        const ops = updates.map((value) => ({ type: 'put' as const, key: updateKey(room, seq++), value }));
        nextSeq.set(room, seq);
        await handle.batch(ops, { sync: true });
      });
    },
    async compact(room, state) {
      await write(async (handle) => {
        const batch = handle.batch();
        for await (const key of handle.keys(range(room))) batch.del(key);
        const seq = await seqFor(room);
        batch.put(updateKey(room, seq), state);
        nextSeq.set(room, seq + 1);
        await batch.write({ sync: true });
      });
    },
    async create(room, info) {
      let created = false;
      await write(async (handle) => {
        if ((await handle.get(ROOM + room)) !== undefined) return;
        await handle.put(ROOM + room, encodeInfo(info), { sync: true });
        created = true;
      });
      return created;
    },
    async describe(room, info) {
      await write(async (handle) => {
        const stored = await handle.get(ROOM + room);
        const merged = { ...(stored === undefined ? {} : decodeInfo(stored)), ...info };
        await handle.put(ROOM + room, encodeInfo(merged as RoomInfo), { sync: true });
      });
    },
    async remove(room) {
      let removed = false;
      await write(async (handle) => {
        if ((await handle.get(ROOM + room)) === undefined) return;
        const batch = handle.batch();
        batch.del(ROOM + room);
        // The room's own keys end in '!' after its name; its people's documents are `room~me~id`.
        for (const prefix of [UPDATE, VERSION, VSTATE]) {
          for (const start of [`${prefix}${room}!`, `${prefix}${room}~me~`]) {
            for await (const key of handle.keys({ gte: start, lt: `${start}~` })) batch.del(key);
          }
        }
        await batch.write({ sync: true });
        removed = true;
      });
      // Sequence numbers of its people's documents are forgotten when they unload.
      nextSeq.delete(room);
      return removed;
    },
    async exists(room) {
      return (await (await readable()).get(ROOM + room)) !== undefined;
    },
    async list() {
      const rooms: StoredRoomInfo[] = [];
      for await (const [key, value] of (await readable()).iterator({ gte: ROOM, lt: `${ROOM}~` })) {
        rooms.push({ room: key.slice(ROOM.length), ...decodeInfo(value) });
      }
      return rooms;
    },
    async documents() {
      const names = new Set<string>();
      for await (const key of (await readable()).keys({ gte: UPDATE, lt: `${UPDATE}~` })) {
        names.add(key.slice(UPDATE.length, -(SEQ_DIGITS + 1)));
      }
      return [...names];
    },
    async probe() {
      const time = new TextEncoder().encode(new Date().toISOString());
      await write((handle) => handle.put('probe!', time, { sync: true }));
    },
    release(room) {
      nextSeq.delete(room);
    },
    async close() {
      await reopening?.catch(() => undefined);
      await db.close();
    },
    // Version history: its own keys, never touched by compaction.
    async putVersion(room, info, state) {
      const { id, ...record } = info;
      await write((handle) =>
        handle.batch(
          [
            { type: 'put', key: `${VSTATE}${room}!${id}`, value: state },
            {
              type: 'put',
              key: `${VERSION}${room}!${id}`,
              value: new TextEncoder().encode(JSON.stringify(record)),
            },
          ],
          { sync: true },
        ),
      );
    },
    async listVersions(room) {
      const versions: VersionInfo[] = [];
      const prefix = `${VERSION}${room}!`;
      for await (const [key, value] of (await readable()).iterator({ gte: prefix, lt: `${prefix}~` })) {
        const info = decodeVersion(key.slice(prefix.length), value);
        if (info) versions.push(info);
      }
      return versions;
    },
    async loadVersion(room, id) {
      return (await readable()).get(`${VSTATE}${room}!${id}`);
    },
    async deleteVersions(room, ids) {
      if (ids.length === 0) return;
      const ops = ids.flatMap((id) => [
        { type: 'del' as const, key: `${VERSION}${room}!${id}` },
        { type: 'del' as const, key: `${VSTATE}${room}!${id}` },
      ]);
      await write((handle) => handle.batch(ops, { sync: true }));
    },
  };
}

const VERSION = 'version!';
const VSTATE = 'vstate!';
const VERSION_ROLES: readonly string[] = ['facilitator', 'participant', 'viewer'];
const VERSION_TRIGGERS: readonly string[] = ['active', 'unload', 'opened', 'restore'];

/** A version record as stored, or null when it is damaged. */
export function decodeVersion(id: string, value: Uint8Array): VersionInfo | null {
  try {
    const json: unknown = JSON.parse(new TextDecoder().decode(value));
    if (typeof json !== 'object' || json === null) return null;
    const { time, trigger, present, bytes } = json as Record<string, unknown>;
    if (!Number.isSafeInteger(time) || !Number.isSafeInteger(bytes)) return null;
    if (typeof trigger !== 'string' || !VERSION_TRIGGERS.includes(trigger) || !Array.isArray(present))
      return null;
    const people = present.flatMap((p: unknown) => {
      const { name, role } = (typeof p === 'object' && p !== null ? p : {}) as Record<string, unknown>;
      return typeof name === 'string' && typeof role === 'string' && VERSION_ROLES.includes(role)
        ? [{ name, role: role as VersionPerson['role'] }]
        : [];
    });
    return {
      id,
      time: time as number,
      trigger: trigger as VersionTrigger,
      present: people,
      bytes: bytes as number,
    };
  } catch {
    return null;
  }
}
