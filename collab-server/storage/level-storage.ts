/**
 * Where room documents live. The interface is narrow (append updates, load, compact, list) so a
 * PostgreSQL or object-storage backend can replace LevelDB without touching rooms or the wire.
 */
import { ClassicLevel } from 'classic-level';

/** What the server knows about a stored room without loading it. */
export type RoomInfo = { readonly created: string; readonly title: string; readonly language: string };
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
  /** Updates a room's record (its title and language as of its last unload). */
  readonly describe: (room: string, info: RoomInfo) => Promise<void>;
  readonly exists: (room: string) => Promise<boolean>;
  readonly list: () => Promise<StoredRoomInfo[]>;
  /** Forgets what is cached about a room that left memory (called when it unloads). */
  readonly release: (room: string) => void;
  readonly close: () => Promise<void>;
};

// Key layout (wire format on disk: never change without a migration):
//   room!<room>            → JSON { created, title, language }
//   update!<room>!<seq>    → one Yjs update; seq is 12 zero-padded digits, increasing
const ROOM = 'room!';
const UPDATE = 'update!';
const SEQ_DIGITS = 12;

function encodeInfo(info: RoomInfo): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(info));
}

/** A room record; a damaged one still lists the room, with empty fields. */
function decodeInfo(value: Uint8Array): RoomInfo {
  let parsed: Record<string, unknown> = {};
  try {
    const json: unknown = JSON.parse(new TextDecoder().decode(value));
    if (typeof json === 'object' && json !== null) parsed = json as Record<string, unknown>;
  } catch {
    // fall through to defaults
  }
  const text = (v: unknown): string => (typeof v === 'string' ? v : '');
  return { created: text(parsed.created), title: text(parsed.title), language: text(parsed.language) };
}

function updateKey(room: string, seq: number): string {
  return `${UPDATE}${room}!${String(seq).padStart(SEQ_DIGITS, '0')}`;
}

/** LevelDB storage in `dir` (classic-level, prebuilt N-API binaries). */
export async function openLevelStorage(dir: string): Promise<DocumentStorage> {
  const db = new ClassicLevel<string, Uint8Array>(dir, { valueEncoding: 'view' });
  await db.open();
  /** Next sequence number per room, learnt from the last stored key. */
  const nextSeq = new Map<string, number>();

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
      for await (const value of db.values(range(room))) updates.push(value);
      return updates;
    },
    async append(room, updates) {
      if (updates.length === 0) return;
      let seq = await seqFor(room);
      const ops = updates.map((value) => ({ type: 'put' as const, key: updateKey(room, seq++), value }));
      nextSeq.set(room, seq);
      await db.batch(ops, { sync: true });
    },
    async compact(room, state) {
      const batch = db.batch();
      for await (const key of db.keys(range(room))) batch.del(key);
      const seq = await seqFor(room);
      batch.put(updateKey(room, seq), state);
      nextSeq.set(room, seq + 1);
      await batch.write({ sync: true });
    },
    async create(room, info) {
      if ((await db.get(ROOM + room)) !== undefined) return false;
      await db.put(ROOM + room, encodeInfo(info), { sync: true });
      return true;
    },
    async describe(room, info) {
      await db.put(ROOM + room, encodeInfo(info), { sync: true });
    },
    async exists(room) {
      return (await db.get(ROOM + room)) !== undefined;
    },
    async list() {
      const rooms: StoredRoomInfo[] = [];
      for await (const [key, value] of db.iterator({ gte: ROOM, lt: `${ROOM}~` })) {
        rooms.push({ room: key.slice(ROOM.length), ...decodeInfo(value) });
      }
      return rooms;
    },
    release(room) {
      nextSeq.delete(room);
    },
    async close() {
      await db.close();
    },
  };
}
