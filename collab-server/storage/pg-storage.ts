/**
 * Room documents in PostgreSQL, shared by the nodes of a cluster (#14). The same
 * {@link DocumentStorage} as LevelDB (level-storage.ts), method by method, plus fencing
 * ({@link FencedStorage}): with `fenceOf` given, every write of a room runs in a transaction that
 * first reads the room's recorded token `FOR SHARE` and is refused ({@link FencedError}, nothing
 * written) unless it equals the token this node holds. `takeFence` raises that token with an UPDATE,
 * which waits for every write holding the row FOR SHARE to end, and a write that starts after it
 * reads the new token: a write under an old token commits before the new token is recorded, or never.
 *
 * A committed transaction is durable (synchronous_commit on). A connection error throws, as a
 * LevelDB fault does, and the room manager retries. The connection string is never logged.
 */
import type pg from 'pg';
import { FencedError, type FencedStorage, type PostgresStorageOptions } from '../cluster/contracts';
import { decodeInfo, decodeVersion, type StoredRoomInfo } from './level-storage';
import { IDLE_IN_TRANSACTION_MS, QUERY_TIMEOUT_MS, openPool, transaction } from './pg-pool';

/** Room names of people's own documents: `<room>~me~<id>` (rooms/facilitation.ts). */
const PERSONAL = '~me~';

/** Any number, the same on every node: schema creation of nodes starting at once takes turns. */
const SCHEMA_LOCK = 0x74616c6b; // 'talk'

// Tables (wire format on disk: never change without a migration):
//   talkoo_rooms     one row per room: its record (RoomInfo as JSON)
//   talkoo_updates   Yjs updates, oldest first by seq; `fence`: the token they were written under
//   talkoo_versions  version records (VersionInfo without id) and states
//   talkoo_fences    each room's highest fencing token (never lowered, kept when a room is removed)
//   talkoo_probe     time of the last write that proved the store sound after a fault
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS talkoo_rooms (room text PRIMARY KEY, info jsonb NOT NULL);
  CREATE TABLE IF NOT EXISTS talkoo_updates (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    room text NOT NULL,
    data bytea NOT NULL,
    fence bigint NOT NULL
  );
  CREATE INDEX IF NOT EXISTS talkoo_updates_room_seq ON talkoo_updates (room, seq);
  CREATE TABLE IF NOT EXISTS talkoo_versions (
    room text NOT NULL,
    id text NOT NULL,
    info jsonb NOT NULL,
    state bytea NOT NULL,
    PRIMARY KEY (room, id)
  );
  CREATE TABLE IF NOT EXISTS talkoo_fences (room text PRIMARY KEY, fence bigint NOT NULL);
  CREATE TABLE IF NOT EXISTS talkoo_probe (id int PRIMARY KEY, time timestamptz NOT NULL);
`;

/**
 * A new token waits for a write under the old one to end, and that write's session ends after
 * IDLE_IN_TRANSACTION_MS when its node stopped in the middle of it.
 */
const TAKE_FENCE_TIMEOUT_MS = IDLE_IN_TRANSACTION_MS + QUERY_TIMEOUT_MS;

/** The room whose lease fences writes of `document`: a person's document goes with its room. */
function roomOf(document: string): string {
  const at = document.indexOf(PERSONAL);
  return at < 0 ? document : document.slice(0, at);
}

function bytes(value: Uint8Array): Buffer {
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

/** A bytea as a plain Uint8Array (as LevelDB gives them), not a Buffer. */
function view(value: Buffer): Uint8Array {
  return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
}

function encodeJson(value: unknown): Uint8Array {
  return new TextEncoder().encode(typeof value === 'string' ? value : '');
}

/** Opens the storage and creates its tables when they are missing. */
export async function openPostgresStorage(options: PostgresStorageOptions): Promise<FencedStorage> {
  // A node that stops in a transaction (paused, cut off) holds its room's token FOR SHARE: the
  // server ends that session after IDLE_IN_TRANSACTION_MS, so the node taking the room over waits
  // that long at most. A timed-out write throws, as any fault does, and the room manager keeps its
  // changes, says degraded and tries again.
  const pool = await openPool(options.url, { max: 4 });

  /**
   * A write of `document` in one transaction, refused unless this node's token for its room is the
   * one recorded (when writes are fenced). `work` gets the token its rows are written under.
   */
  function write<T>(
    document: string,
    work: (client: pg.PoolClient, fence: number) => Promise<T>,
  ): Promise<T> {
    return transaction(pool, async (client) => {
      if (!options.fenceOf) return work(client, 0);
      const room = roomOf(document);
      const mine = options.fenceOf(room);
      const { rows } = await client.query<{ fence: string }>(
        'SELECT fence FROM talkoo_fences WHERE room = $1 FOR SHARE',
        [room],
      );
      const recorded = rows[0] ? Number(rows[0].fence) : undefined;
      if (mine === undefined || recorded !== mine) throw new FencedError(room);
      return work(client, mine);
    });
  }

  try {
    await transaction(pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
      await client.query(SCHEMA);
    });
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }

  /** Deletes a room's own and its people's rows of `table`. */
  const ofRoom = (table: string) =>
    `DELETE FROM ${table} WHERE room = $1 OR starts_with(room, $1 || '${PERSONAL}')`;

  return {
    async load(room) {
      const { rows } = await pool.query<{ data: Buffer }>(
        'SELECT data FROM talkoo_updates WHERE room = $1 ORDER BY seq',
        [room],
      );
      return rows.map((row) => view(row.data));
    },
    async append(room, updates) {
      if (updates.length === 0) return;
      await write(room, (client, fence) =>
        client.query(
          `INSERT INTO talkoo_updates (room, data, fence)
             SELECT $1, data, $3 FROM unnest($2::bytea[]) WITH ORDINALITY AS u(data, n) ORDER BY n`,
          [room, updates.map(bytes), fence],
        ),
      );
    },
    async compact(room, state) {
      await write(room, async (client, fence) => {
        await client.query('DELETE FROM talkoo_updates WHERE room = $1', [room]);
        await client.query('INSERT INTO talkoo_updates (room, data, fence) VALUES ($1, $2, $3)', [
          room,
          bytes(state),
          fence,
        ]);
      });
    },
    async create(room, info) {
      return write(room, async (client) => {
        const { rowCount } = await client.query(
          'INSERT INTO talkoo_rooms (room, info) VALUES ($1, $2) ON CONFLICT (room) DO NOTHING',
          [room, JSON.stringify(info)],
        );
        return rowCount === 1;
      });
    },
    async describe(room, info) {
      await write(room, async (client) => {
        const { rows } = await client.query<{ info: string }>(
          'SELECT info::text AS info FROM talkoo_rooms WHERE room = $1 FOR UPDATE',
          [room],
        );
        const stored = rows[0] ? decodeInfo(encodeJson(rows[0].info)) : {};
        // JSON drops the fields given as undefined, as LevelDB's record does.
        const merged = JSON.stringify({ ...stored, ...info });
        await client.query(
          `INSERT INTO talkoo_rooms (room, info) VALUES ($1, $2)
             ON CONFLICT (room) DO UPDATE SET info = EXCLUDED.info`,
          [room, merged],
        );
      });
    },
    async remove(room) {
      return write(room, async (client) => {
        const { rowCount } = await client.query('DELETE FROM talkoo_rooms WHERE room = $1', [room]);
        if (rowCount !== 1) return false;
        await client.query(ofRoom('talkoo_updates'), [room]);
        await client.query(ofRoom('talkoo_versions'), [room]);
        return true;
      });
    },
    async exists(room) {
      const { rowCount } = await pool.query('SELECT 1 FROM talkoo_rooms WHERE room = $1', [room]);
      return rowCount === 1;
    },
    async list() {
      const { rows } = await pool.query<{ room: string; info: string }>(
        'SELECT room, info::text AS info FROM talkoo_rooms ORDER BY room COLLATE "C"',
      );
      return rows.map((row): StoredRoomInfo => ({ room: row.room, ...decodeInfo(encodeJson(row.info)) }));
    },
    async documents() {
      const { rows } = await pool.query<{ room: string }>(
        'SELECT DISTINCT room COLLATE "C" AS room FROM talkoo_updates ORDER BY 1',
      );
      return rows.map((row) => row.room);
    },
    async probe() {
      await pool.query(
        `INSERT INTO talkoo_probe (id, time) VALUES (1, now())
           ON CONFLICT (id) DO UPDATE SET time = EXCLUDED.time`,
      );
    },
    release() {
      // Nothing is cached per room.
    },
    async close() {
      await pool.end();
    },
    async fenceOf(room) {
      const { rows } = await pool.query<{ fence: string }>(
        'SELECT fence FROM talkoo_fences WHERE room = $1',
        [room],
      );
      return rows[0] ? Number(rows[0].fence) : 0;
    },
    async takeFence(room, fence) {
      // pg reads a query's own query_timeout (its types do not list it).
      const query: pg.QueryConfig & { readonly query_timeout: number } = {
        text: `INSERT INTO talkoo_fences (room, fence) VALUES ($1, $2)
           ON CONFLICT (room) DO UPDATE SET fence = EXCLUDED.fence
           WHERE talkoo_fences.fence < EXCLUDED.fence
           RETURNING fence`,
        values: [room, fence],
        query_timeout: TAKE_FENCE_TIMEOUT_MS,
      };
      const { rowCount } = await pool.query(query);
      return rowCount === 1;
    },
    async putVersion(room, info, state) {
      const { id, ...record } = info;
      await write(room, (client) =>
        client.query(
          `INSERT INTO talkoo_versions (room, id, info, state) VALUES ($1, $2, $3, $4)
             ON CONFLICT (room, id) DO UPDATE SET info = EXCLUDED.info, state = EXCLUDED.state`,
          [room, id, JSON.stringify(record), bytes(state)],
        ),
      );
    },
    async listVersions(room) {
      const { rows } = await pool.query<{ id: string; info: string }>(
        'SELECT id, info::text AS info FROM talkoo_versions WHERE room = $1 ORDER BY id COLLATE "C"',
        [room],
      );
      return rows.flatMap((row) => decodeVersion(row.id, encodeJson(row.info)) ?? []);
    },
    async loadVersion(room, id) {
      const { rows } = await pool.query<{ state: Buffer }>(
        'SELECT state FROM talkoo_versions WHERE room = $1 AND id = $2',
        [room, id],
      );
      return rows[0] ? view(rows[0].state) : undefined;
    },
    async deleteVersions(room, ids) {
      if (ids.length === 0) return;
      await write(room, (client) =>
        client.query('DELETE FROM talkoo_versions WHERE room = $1 AND id = ANY($2::text[])', [
          room,
          [...ids],
        ]),
      );
    },
  };
}
