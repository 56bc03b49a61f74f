/**
 * Rooms in PostgreSQL (#14): every method keeps what DocumentStorage promises of LevelDB, and
 * writes are fenced by the room's token. Against a real PostgreSQL (test-support/services.ts),
 * each test on a database of its own.
 */
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addNote, TEMPLATE_BOARD_IDS } from '../../shared';
import { FencedError, type FencedStorage } from '../cluster/contracts';
import { FaultProxy } from '../test-support/fault-proxy';
import { startPostgres, type TestService } from '../test-support/services';
import { noteTexts, startWorkshop, synced, TestBed, waitFor } from '../test-support';
import type { RunningServer } from '../server';
import type { VersionInfo } from './level-storage';
import { openPostgresStorage } from './pg-storage';

let postgres: TestService;
const opened: FencedStorage[] = [];
const clients: pg.Client[] = [];
const proxies: FaultProxy[] = [];
let databases = 0;

beforeAll(async () => {
  postgres = await startPostgres();
});
afterEach(async () => {
  for (const storage of opened.splice(0)) await storage.close();
  for (const client of clients.splice(0)) await client.end();
  for (const proxy of proxies.splice(0)) await proxy.close();
});
afterAll(() => postgres.stop());

/** The URL of a new empty database. */
async function freshDatabase(): Promise<string> {
  const name = `test_${++databases}`;
  await sql(postgres.url, `CREATE DATABASE ${name}`);
  return postgres.url.replace(/\/talkoo$/, `/${name}`);
}

/** A plain connection to look at the tables as they are. */
async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  clients.push(client);
  return client;
}

async function sql<Row extends pg.QueryResultRow = pg.QueryResultRow>(
  url: string,
  text: string,
  values: unknown[] = [],
): Promise<pg.QueryResult<Row>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query<Row>(text, values);
  } finally {
    await client.end();
  }
}

async function open(url: string, fenceOf?: (room: string) => number | undefined): Promise<FencedStorage> {
  const storage = await openPostgresStorage(fenceOf ? { url, fenceOf } : { url });
  opened.push(storage);
  return storage;
}

const bytes = (...values: number[]): Uint8Array => new Uint8Array(values);
const plain = (updates: Uint8Array[]): number[][] => updates.map((update) => [...update]);
const info = (title: string) => ({ created: '2026-12-06T10:00:00.000Z', title, language: 'fi' });
const version = (id: string, size = 3): VersionInfo => ({
  id,
  time: 1_700_000_000_000,
  trigger: 'unload',
  present: [{ name: 'Aino', role: 'facilitator' }],
  bytes: size,
});

/** A FaultProxy in front of PostgreSQL (closed after the test), and `url` reached through it. */
async function behindProxy(url: string): Promise<{ proxy: FaultProxy; url: string }> {
  const proxy = await FaultProxy.start(postgres.port);
  proxies.push(proxy);
  return { proxy, url: url.replace(`:${postgres.port}/`, `:${proxy.port}/`) };
}

/**
 * Holds every insert into talkoo_updates (a transaction holding the table's lock) until the
 * function it resolves to is called.
 */
async function holdUpdates(url: string): Promise<() => Promise<unknown>> {
  const blocker = await connect(url);
  await blocker.query('BEGIN');
  await blocker.query('LOCK TABLE talkoo_updates IN EXCLUSIVE MODE');
  return () => blocker.query('COMMIT');
}

/** Every row of the room's updates, as stored, with the token each was written under. */
async function updateRows(url: string, room: string): Promise<{ data: number[]; fence: number }[]> {
  const { rows } = await sql<{ data: Buffer; fence: string }>(
    url,
    'SELECT data, fence FROM talkoo_updates WHERE room = $1 ORDER BY seq',
    [room],
  );
  return rows.map((row) => ({
    data: [...row.data],
    fence: Number(row.fence),
  }));
}

describe('rooms in PostgreSQL', () => {
  it('makes its tables once when three nodes open the same empty database at once', async () => {
    const url = await freshDatabase();
    const [a, b, c] = await Promise.all([open(url), open(url), open(url)]);
    await a.append('room', [bytes(1)]);
    await b.append('room', [bytes(2)]);
    expect(plain(await c.load('room'))).toEqual([[1], [2]]);
  });

  it('loads updates oldest first, appends several at once, compacts them into one', async () => {
    const storage = await open(await freshDatabase());
    expect(await storage.load('room')).toEqual([]);
    await storage.append('room', [bytes(1), bytes(2), bytes(3)]);
    await storage.append('room', []);
    await storage.append('room', [bytes(4)]);
    await storage.append('room~me~p1', [bytes(9)]);
    expect(plain(await storage.load('room'))).toEqual([[1], [2], [3], [4]]);
    expect((await storage.load('room'))[0]).toBeInstanceOf(Uint8Array);

    await storage.compact('room', bytes(1, 2, 3, 4));
    await storage.append('room', [bytes(5)]);
    expect(plain(await storage.load('room'))).toEqual([[1, 2, 3, 4], [5]]);
    expect(plain(await storage.load('room~me~p1'))).toEqual([[9]]);
    expect((await storage.documents()).sort()).toEqual(['room', 'room~me~p1']);
  });

  it('creates a room once, merges its record and removes a field given as undefined', async () => {
    const storage = await open(await freshDatabase());
    expect(await storage.exists('room')).toBe(false);
    expect(await storage.create('room', info('First'))).toBe(true);
    expect(await storage.create('room', info('Second'))).toBe(false);
    expect(await storage.exists('room')).toBe(true);

    await storage.describe('room', { counts: { needs: 3, themes: 1, actions: 0 }, archived: '2026-12-06' });
    await storage.describe('room', { title: 'Renamed', archived: undefined });
    expect(await storage.list()).toEqual([
      { room: 'room', ...info('Renamed'), counts: { needs: 3, themes: 1, actions: 0 } },
    ]);
  });

  it('lists rooms by name, a damaged record with empty fields', async () => {
    const url = await freshDatabase();
    const storage = await open(url);
    await storage.create('b', info('Bee'));
    await storage.create('a', info('Ay'));
    await sql(
      url,
      `INSERT INTO talkoo_rooms (room, info) VALUES ('c', '"not a record"'), ('d', '{"title": 5}')`,
    );
    expect(await storage.list()).toEqual([
      { room: 'a', ...info('Ay') },
      { room: 'b', ...info('Bee') },
      { room: 'c', created: '', title: '', language: '' },
      { room: 'd', created: '', title: '', language: '' },
    ]);
  });

  it('removes a room with its updates, versions and people’s documents, and nothing of look-alike rooms', async () => {
    const url = await freshDatabase();
    const storage = await open(url);
    const rooms = ['w-a', 'w-ab', 'w_a', 'wXa', 'w%a'];
    for (const room of rooms) {
      await storage.create(room, info(room));
      for (const name of [room, `${room}~me~p1`]) {
        await storage.append(name, [bytes(1)]);
        await storage.putVersion(name, version('000000000000001-aaaaaa'), bytes(7));
      }
    }
    expect(await storage.remove('w-a')).toBe(true);
    expect(await storage.remove('w_a')).toBe(true);
    expect(await storage.remove('w_a')).toBe(false);
    expect(await storage.remove('nothing')).toBe(false);

    const kept = ['w-ab', 'wXa', 'w%a'];
    expect((await storage.list()).map((room) => room.room)).toEqual(['w%a', 'w-ab', 'wXa']);
    expect((await storage.documents()).sort()).toEqual(
      kept.flatMap((room) => [room, `${room}~me~p1`]).sort(),
    );
    for (const room of kept) {
      for (const name of [room, `${room}~me~p1`]) {
        expect(plain(await storage.load(name))).toEqual([[1]]);
        expect(await storage.listVersions(name)).toHaveLength(1);
      }
    }
    for (const room of ['w-a', 'w_a']) {
      for (const name of [room, `${room}~me~p1`]) {
        expect(await storage.load(name)).toEqual([]);
        expect(await storage.listVersions(name)).toEqual([]);
      }
    }
  });

  it('keeps versions oldest first, skips a damaged record, deletes versions by id', async () => {
    const url = await freshDatabase();
    const storage = await open(url);
    await storage.putVersion('room', version('000000000000002-bbbbbb'), bytes(2, 2, 2));
    await storage.putVersion('room', version('000000000000001-aaaaaa'), bytes(1, 1, 1));
    await storage.putVersion('other', version('000000000000003-cccccc'), bytes(3));
    await sql(
      url,
      `INSERT INTO talkoo_versions (room, id, info, state) VALUES ('room', '000000000000004-dddddd', '{"time": "x"}', '\\x00')`,
    );
    expect(await storage.listVersions('room')).toEqual([
      version('000000000000001-aaaaaa'),
      version('000000000000002-bbbbbb'),
    ]);
    expect([...((await storage.loadVersion('room', '000000000000002-bbbbbb')) ?? [])]).toEqual([2, 2, 2]);
    expect(await storage.loadVersion('room', 'missing')).toBeUndefined();

    await storage.deleteVersions('room', ['000000000000001-aaaaaa', '000000000000004-dddddd']);
    expect((await storage.listVersions('room')).map((v) => v.id)).toEqual(['000000000000002-bbbbbb']);
    expect(await storage.loadVersion('room', '000000000000001-aaaaaa')).toBeUndefined();
    expect(await storage.listVersions('other')).toHaveLength(1);
  });

  it('keeps everything committed when opened again, and takes a probe', async () => {
    const url = await freshDatabase();
    const first = await open(url);
    await first.create('room', info('Kept'));
    await first.append('room', [bytes(1)]);
    await first.putVersion('room', version('000000000000001-aaaaaa'), bytes(1));
    await first.probe();
    await first.probe();
    await first.close();
    opened.splice(opened.indexOf(first), 1);

    const second = await open(url);
    expect(await second.list()).toEqual([{ room: 'room', ...info('Kept') }]);
    expect(plain(await second.load('room'))).toEqual([[1]]);
    expect(await second.listVersions('room')).toHaveLength(1);
  });

  it('throws when the database cannot be reached, without the password in the message', async () => {
    const port = await closedPort();
    const error = await openPostgresStorage({
      url: `postgres://talkoo:sekrit@127.0.0.1:${port}/talkoo`,
    }).then(
      () => null,
      (thrown: unknown) => thrown as Error,
    );
    expect(error).toBeInstanceOf(Error);
    expect(`${error?.message} ${error?.stack}`).not.toContain('sekrit');
  });
});

describe('fenced writes', () => {
  it('refuses every write of a room without a recorded token, writing nothing', async () => {
    const url = await freshDatabase();
    const storage = await open(url, () => 1);
    await expect(storage.append('room', [bytes(1)])).rejects.toBeInstanceOf(FencedError);
    await expect(storage.create('room', info('No'))).rejects.toBeInstanceOf(FencedError);
    await expect(storage.putVersion('room', version('000000000000001-aaaaaa'), bytes(1))).rejects.toThrow(
      FencedError,
    );
    await expect(storage.append('room~me~p1', [bytes(1)])).rejects.toBeInstanceOf(FencedError);
    const { rows } = await sql<{ n: string }>(
      url,
      `SELECT (SELECT count(*) FROM talkoo_updates) + (SELECT count(*) FROM talkoo_rooms)
         + (SELECT count(*) FROM talkoo_versions) AS n`,
    );
    expect(Number(rows[0]?.n)).toBe(0);
    expect(await storage.fenceOf('room')).toBe(0);
  });

  it('refuses a writer whose token is older than the recorded one, and never lowers the token', async () => {
    const url = await freshDatabase();
    const unfenced = await open(url);
    const old = await open(url, () => 1);
    const next = await open(url, (room) => (room === 'room' ? 2 : undefined));

    expect(await unfenced.takeFence('room', 1)).toBe(true);
    await old.create('room', info('Room'));
    await old.append('room', [bytes(1)]);
    await old.append('room~me~p1', [bytes(5)]);
    expect(await unfenced.takeFence('room', 2)).toBe(true);
    expect(await old.fenceOf('room')).toBe(2);

    await expect(old.append('room', [bytes(2)])).rejects.toBeInstanceOf(FencedError);
    await expect(old.compact('room', bytes(9))).rejects.toBeInstanceOf(FencedError);
    await expect(old.describe('room', { title: 'Stale' })).rejects.toBeInstanceOf(FencedError);
    await expect(old.append('room~me~p1', [bytes(6)])).rejects.toBeInstanceOf(FencedError);
    await expect(old.remove('room')).rejects.toBeInstanceOf(FencedError);
    await expect(next.append('other', [bytes(1)])).rejects.toBeInstanceOf(FencedError);
    expect(await updateRows(url, 'room')).toEqual([{ data: [1], fence: 1 }]);
    expect(await updateRows(url, 'room~me~p1')).toEqual([{ data: [5], fence: 1 }]);
    expect(await unfenced.list()).toEqual([{ room: 'room', ...info('Room') }]);

    await next.append('room', [bytes(3)]);
    expect(await updateRows(url, 'room')).toEqual([
      { data: [1], fence: 1 },
      { data: [3], fence: 2 },
    ]);
    expect(await unfenced.takeFence('room', 1)).toBe(false);
    expect(await unfenced.takeFence('room', 2)).toBe(false);
    expect(await next.fenceOf('room')).toBe(2);
    await next.append('room', [bytes(4)]);
  });

  it('lets a write under the old token that is under way end before the new token is recorded', async () => {
    const url = await freshDatabase();
    const old = await open(url, () => 1);
    const taker = await open(url);
    const watcher = await connect(url);
    expect(await taker.takeFence('room', 1)).toBe(true);

    // Hold the old writer inside its transaction, after it read its token: its insert waits for this lock.
    const release = await holdUpdates(url);
    const write = old.append('room', [bytes(1)]);
    await waitFor('the old write to wait for the lock', () => waiting(watcher, 1));
    const take = taker.takeFence('room', 2);
    await waitFor('the new token to wait for the old write', () => waiting(watcher, 2));
    expect(await old.fenceOf('room')).toBe(1);

    await release();
    await write;
    expect(await take).toBe(true);
    expect(await updateRows(url, 'room')).toEqual([{ data: [1], fence: 1 }]);
    await expect(old.append('room', [bytes(2)])).rejects.toBeInstanceOf(FencedError);
  });

  it('does not hold the new owner back when the old one stops in the middle of a write', async () => {
    const url = await freshDatabase();
    const { proxy, url: proxied } = await behindProxy(url);
    const old = await open(proxied, () => 1);
    const taker = await open(url);
    const watcher = await connect(url);
    expect(await taker.takeFence('room', 1)).toBe(true);

    const release = await holdUpdates(url);
    const write = old.append('room', [bytes(1)]).then(
      () => 'stored',
      () => 'failed',
    );
    await waitFor('the old write to wait for the lock', () => waiting(watcher, 1));
    // The old node stops (paused, cut off) holding its token's row FOR SHARE, its insert done.
    proxy.pause();
    await release();

    expect(await taker.takeFence('room', 2)).toBe(true);
    expect(await updateRows(url, 'room')).toEqual([]);
    proxy.resume();
    expect(await write).toBe('failed');
    await expect(old.append('room', [bytes(2)])).rejects.toBeInstanceOf(FencedError);
    expect(await updateRows(url, 'room')).toEqual([]);
  });

  it('throws while the database cannot be reached, and writes again once it can', async () => {
    const url = await freshDatabase();
    const { proxy, url: proxied } = await behindProxy(url);
    const storage = await open(proxied);
    await storage.append('room', [bytes(1)]);
    proxy.partition();
    await expect(storage.append('room', [bytes(2)])).rejects.toThrow();
    await expect(storage.load('room')).rejects.toThrow();
    proxy.heal();
    await storage.append('room', [bytes(3)]);
    expect(plain(await storage.load('room'))).toEqual([[1], [3]]);
  });

  it('a write under the old token racing a new token commits before it or not at all', async () => {
    const url = await freshDatabase();
    const old = await open(url, () => 1);
    const taker = await open(url);
    const watcher = await connect(url);
    const outcomes = { before: 0, refused: 0 };
    for (let round = 0; round < 40; round++) {
      const room = `race-${round}`;
      expect(await taker.takeFence(room, 1)).toBe(true);
      const write = old.append(room, [bytes(round)]).then(
        () => 'stored' as const,
        (error: unknown) => {
          if (!(error instanceof FencedError)) throw error;
          return 'refused' as const;
        },
      );
      expect(await taker.takeFence(room, 2)).toBe(true);
      const { rows } = await watcher.query<{ n: string }>(
        'SELECT count(*) AS n FROM talkoo_updates WHERE room = $1',
        [room],
      );
      const atTake = Number(rows[0]?.n);
      const outcome = await write;
      // Whatever the old writer did, it did before the new token was recorded.
      expect(await updateRows(url, room)).toEqual(outcome === 'stored' ? [{ data: [round], fence: 1 }] : []);
      expect(atTake).toBe(outcome === 'stored' ? 1 : 0);
      outcomes[outcome === 'stored' ? 'before' : 'refused']++;
    }
    expect(outcomes.before + outcomes.refused).toBe(40);
  });
});

describe('a server on PostgreSQL', () => {
  const bed = new TestBed();
  afterEach(() => bed.cleanUp());

  it('serves a note written before it restarted, from the database', async () => {
    const postgresUrl = await freshDatabase();
    const dataDir = bed.dir();
    const server = await bed.start({ dataDir, postgresUrl });
    const writer = bed.connect(server, 'room-pg');
    await synced(writer);
    writer.doc.transact(() => {
      startWorkshop(writer.doc, 'Kept');
      addNote(writer.doc, TEMPLATE_BOARD_IDS.needs, { text: 'stored in PostgreSQL' });
    });
    await waitFor(
      'the note in the database',
      async () => (await updateRows(postgresUrl, 'room-pg')).length > 0,
    );
    await bed.stop(server);

    const restarted = await bed.start({ dataDir, postgresUrl });
    const reader = bed.connect(restarted, 'room-pg', 'viewer');
    await synced(reader);
    expect(noteTexts(reader.doc)).toEqual(['stored in PostgreSQL']);
    expect(existsSync(join(dataDir, 'rooms'))).toBe(false);
    const doc = new Y.Doc();
    for (const update of await (await open(postgresUrl)).load('room-pg')) Y.applyUpdate(doc, update);
    expect(noteTexts(doc)).toEqual(['stored in PostgreSQL']);
  });
});

describe('a server on a PostgreSQL that stops answering', () => {
  const bed = new TestBed();
  afterEach(() => bed.cleanUp());

  async function health(server: RunningServer): Promise<{ status: string; unstoredBytes: number }> {
    return (await (await fetch(`${server.url}/healthz`)).json()) as { status: string; unstoredBytes: number };
  }

  /** The notes of `room` as PostgreSQL holds them. */
  async function storedNotes(url: string, room: string): Promise<string[]> {
    const doc = new Y.Doc();
    const { rows } = await sql<{ data: Buffer }>(
      url,
      'SELECT data FROM talkoo_updates WHERE room = $1 ORDER BY seq',
      [room],
    );
    for (const row of rows) Y.applyUpdate(doc, row.data);
    return noteTexts(doc);
  }

  /** A server on PostgreSQL behind a FaultProxy, with a workshop in `room` stored, and its writer. */
  async function serverWithWorkshop(room: string) {
    const url = await freshDatabase();
    const { proxy, url: proxied } = await behindProxy(url);
    const dataDir = bed.dir();
    const server = await bed.start({ dataDir, postgresUrl: proxied });
    const writer = bed.connect(server, room);
    await synced(writer);
    startWorkshop(writer.doc, 'Paused');
    await waitFor('the workshop in the database', async () => (await updateRows(url, room)).length > 0);
    return { url, proxy, dataDir, server, writer };
  }

  it('says degraded while its writes time out, and stores the change once PostgreSQL answers again', async () => {
    const { url, proxy, server, writer } = await serverWithWorkshop('room-paused');
    proxy.pause();
    addNote(writer.doc, TEMPLATE_BOARD_IDS.needs, { text: 'written while paused' });
    await waitFor(
      'the server to say degraded',
      async () => (await health(server)).status === 'degraded',
      50_000,
    );
    expect((await health(server)).unstoredBytes).toBeGreaterThan(0);

    proxy.resume();
    await waitFor(
      'the note in the database',
      async () => (await storedNotes(url, 'room-paused')).includes('written while paused'),
      50_000,
    );
    await waitFor('the server to say ok', async () => (await health(server)).status === 'ok', 50_000);
    expect((await health(server)).unstoredBytes).toBe(0);
  }, 120_000);

  it('closes while PostgreSQL does not answer, and the next start stores the change it could not', async () => {
    const { url, proxy, dataDir, server, writer } = await serverWithWorkshop('room-stuck');
    proxy.pause();
    addNote(writer.doc, TEMPLATE_BOARD_IDS.needs, { text: 'written before closing' });
    await waitFor('the note to reach the server', async () => (await health(server)).unstoredBytes > 0);
    // SIGTERM: close() ends, saying that the change is kept in the recovery file.
    await expect(bed.stop(server)).rejects.toThrow(/recovery file/);
    expect(await storedNotes(url, 'room-stuck')).toEqual([]);

    proxy.resume();
    const restarted = await bed.start({ dataDir, postgresUrl: url });
    expect(await storedNotes(url, 'room-stuck')).toEqual(['written before closing']);
    const reader = bed.connect(restarted, 'room-stuck', 'viewer');
    await synced(reader);
    expect(noteTexts(reader.doc)).toEqual(['written before closing']);
  }, 120_000);
});

/** True once `count` other connections wait for a lock. */
async function waiting(watcher: pg.Client, count: number): Promise<boolean> {
  const { rows } = await watcher.query<{ n: string }>(
    "SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid()",
  );
  return Number(rows[0]?.n) >= count;
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
