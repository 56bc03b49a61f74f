import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addNote, readWorkshop, TEMPLATE_BOARD_IDS } from '../../shared';
import { CLOSE } from '../wire/protocol';
import { loadOrCreateSigningKey } from '../auth/signing-key';
import { openLevelStorage, type DocumentStorage } from './level-storage';
import {
  flushCountIn,
  rawRefusal,
  removeDir,
  synced,
  TestBed,
  tokenFor,
  until,
  waitFor,
  type ServerAddress,
  type TestClient,
  startWorkshop,
  noteTexts,
  buildServerCli,
} from '../test-support';

const ROOM = 'room-p';

const bed = new TestBed();
afterEach(() => bed.cleanUp());

/** A workshop with notes, written as one transaction: one update, so one durable write. */
function writeWorkshop(client: TestClient, notes: readonly string[]): void {
  client.doc.transact(() => {
    startWorkshop(client.doc, 'Kept');
    for (const text of notes) addNote(client.doc, TEMPLATE_BOARD_IDS.needs, { text });
  });
}

/** What a fresh client of `room` reads after its first sync. */
async function readRoom(server: ServerAddress, room = ROOM): Promise<{ title: string; notes: string[] }> {
  const reader = bed.connect(server, room, 'viewer');
  await synced(reader);
  return { title: readWorkshop(reader.doc).meta.title, notes: noteTexts(reader.doc) };
}

describe('persistence in process', () => {
  it('keeps everything over a graceful restart, including changes still waiting for their write', async () => {
    const dataDir = bed.dir();
    // A flush window longer than the test: only close() can have stored the last note.
    const server = await bed.start({ dataDir, flushMs: 60_000 });
    const writer = bed.connect(server, ROOM);
    const watcher = bed.connect(server, ROOM);
    await Promise.all([synced(writer), synced(watcher)]);
    writeWorkshop(writer, ['one', 'two']);
    addNote(writer.doc, TEMPLATE_BOARD_IDS.needs, { text: 'three' });
    await until(watcher.doc, () => noteTexts(watcher.doc).length === 3);
    expect(flushCountIn(server.metrics.render({ connections: 0, rooms: 0 }))).toBe(0);

    await bed.stop(server);
    const restarted = await bed.start({ dataDir });
    expect(await readRoom(restarted)).toEqual({ title: 'Kept', notes: ['one', 'three', 'two'] });
  });

  it('unloads an idle room after its grace period and loads it again with its content', async () => {
    const server = await bed.start({ unloadGraceMs: 100 });
    const writer = bed.connect(server, ROOM);
    await synced(writer);
    writeWorkshop(writer, ['still here']);
    await waitFor('the room to load', () => server.rooms.size === 1);
    writer.provider.destroy();
    await waitFor('the idle room to unload', () => server.rooms.size === 0);
    expect(server.rooms.peek(ROOM)).toBeUndefined();

    expect(await readRoom(server)).toEqual({ title: 'Kept', notes: ['still here'] });
    expect(server.rooms.size).toBe(1);
  });

  /** Stores 12 changes one durable write at a time; returns the log length while the server runs. */
  async function logLengthAfterTwelveWrites(dataDir: string, compactAfter: number): Promise<number> {
    const storage = await openLevelStorage(join(dataDir, 'rooms'));
    const server = await bed.start({ dataDir, storage, compactAfter, flushMs: 5 });
    const writer = bed.connect(server, ROOM);
    await synced(writer);
    const writes = (): number => flushCountIn(server.metrics.render({ connections: 0, rooms: 0 }));
    startWorkshop(writer.doc, 'Kept');
    await waitFor('the workshop to be stored', () => writes() === 1);
    for (let i = 1; i <= 11; i++) {
      addNote(writer.doc, TEMPLATE_BOARD_IDS.needs, { text: noteName(i) });
      await waitFor(`write ${i + 1}`, () => writes() === i + 1);
    }
    const length = (await storage.load(ROOM)).length;
    writer.provider.destroy();
    await bed.stop(server);
    return length;
  }

  function noteName(i: number): string {
    return `note ${String(i).padStart(2, '0')}`;
  }

  it('compacts the stored log of a room, keeping its content', async () => {
    // Without compaction every write stays in the log: this is what compaction must shorten.
    expect(await logLengthAfterTwelveWrites(bed.dir(), 1000)).toBe(12);

    // With compaction after 3 writes the log holds at most the last compacted state and 3 writes.
    const dataDir = bed.dir();
    expect(await logLengthAfterTwelveWrites(dataDir, 3)).toBeLessThanOrEqual(4);
    const reopened = await openLevelStorage(join(dataDir, 'rooms'));
    const stored = await reopened.load(ROOM);
    await reopened.close();
    expect(stored).toHaveLength(1);

    const restarted = await bed.start({ dataDir });
    expect(await readRoom(restarted)).toEqual({
      title: 'Kept',
      notes: Array.from({ length: 11 }, (_, i) => noteName(i + 1)),
    });
  });

  it('reports a failing store on /healthz and in metrics, and stores the changes once it recovers', async () => {
    const dataDir = bed.dir();
    const level = await openLevelStorage(join(dataDir, 'rooms'));
    let failure: string | null = null;
    let stored = (): void => undefined;
    const nextWrite = (): Promise<void> => new Promise((resolve) => (stored = resolve));
    const storage: DocumentStorage = {
      ...level,
      append: async (room, updates) => {
        if (failure) throw new Error(failure);
        await level.append(room, updates);
        stored();
      },
    };
    const server = await bed.start({ dataDir, storage });
    const health = async (): Promise<{ status: string; storage: unknown }> =>
      (await (await fetch(`${server.url}/healthz`)).json()) as { status: string; storage: unknown };

    const writer = bed.connect(server, ROOM);
    await synced(writer);
    const firstWrite = nextWrite();
    startWorkshop(writer.doc, 'Kept');
    await firstWrite;
    expect(await health()).toMatchObject({ status: 'ok', storage: { ok: true } });

    failure = 'disk full';
    addNote(writer.doc, TEMPLATE_BOARD_IDS.needs, { text: 'written while the disk was full' });
    await waitFor('a storage error', () => server.metrics.storageErrors > 0);
    expect(await health()).toMatchObject({
      status: 'degraded',
      storage: { ok: false, error: `store failed for room ${ROOM}: disk full` },
    });
    const metricsText = await (await fetch(`${server.url}/metrics`)).text();
    expect(metricsText).toMatch(/^talkoo_storage_errors_total [1-9]\d*$/m);
    // The room still serves the change from memory.
    expect((await readRoom(server)).notes).toEqual(['written while the disk was full']);

    const recovered = nextWrite();
    failure = null;
    await recovered;
    expect(await health()).toMatchObject({ status: 'ok', storage: { ok: true } });
    const onDisk = new Y.Doc();
    Y.applyUpdate(onDisk, Y.mergeUpdates(await level.load(ROOM)));
    expect(noteTexts(onDisk)).toEqual(['written while the disk was full']);
  });

  it('refuses to serve a room it cannot load, rather than serving it empty', async () => {
    const dataDir = bed.dir();
    const level = await openLevelStorage(join(dataDir, 'rooms'));
    let failing = false;
    const storage: DocumentStorage = {
      ...level,
      load: async (room) => {
        if (failing) throw new Error('read error');
        return level.load(room);
      },
    };
    const server = await bed.start({ dataDir, storage, unloadGraceMs: 50 });
    const writer = bed.connect(server, ROOM);
    await synced(writer);
    writeWorkshop(writer, ['precious']);
    writer.provider.destroy();
    await waitFor('the idle room to unload', () => server.rooms.size === 0);

    failing = true;
    expect(await rawRefusal(server, ROOM, tokenFor(server, ROOM))).toMatchObject({
      code: CLOSE.storageFailure,
      framesBefore: 0,
    });
    expect(server.metrics.rejected.get('storage-failure')).toBe(1);
    failing = false;
    expect(await readRoom(server)).toEqual({ title: 'Kept', notes: ['precious'] });
  });
});

describe('persistence of the command-line server', () => {
  let buildDir = '';
  let cli = '';
  const children = new Set<ChildProcess>();

  beforeAll(async () => {
    ({ cli, dir: buildDir } = await buildServerCli('talkoo-cli-test-'));
  });

  afterEach(async () => {
    await Promise.all([...children].map((child) => stopChild(child, 'SIGKILL')));
  });

  afterAll(() => removeDir(buildDir));

  type CliServer = ServerAddress & { readonly child: ChildProcess };

  function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (child.exitCode !== null || child.signalCode !== null)
      return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
    return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  async function stopChild(
    child: ChildProcess,
    signal: NodeJS.Signals,
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const exited = exitOf(child);
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null)
      process.kill(child.pid, signal);
    const result = await exited;
    children.delete(child);
    return result;
  }

  /** Runs `cli.mjs --port 0 --data-dir DIR` and resolves once it says where it listens. */
  async function spawnServer(dataDir: string): Promise<CliServer> {
    const signingKey = await loadOrCreateSigningKey(dataDir);
    const child = spawn(process.execPath, [cli, '--port', '0', '--data-dir', dataDir], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.add(child);
    const url = await new Promise<string>((resolve, reject) => {
      let stderr = '';
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (chunk: string) => {
        stderr += chunk;
        const match = /listening on (http:\/\/\S+)/.exec(stderr);
        if (match?.[1]) resolve(match[1]);
      });
      child.once('exit', () => reject(new Error(`the server exited before listening:\n${stderr}`)));
    });
    return { url, signingKey, child };
  }

  async function durableWrites(server: CliServer): Promise<number> {
    return flushCountIn(await (await fetch(`${server.url}/metrics`)).text());
  }

  it('keeps stored edits when the server process is killed with SIGKILL', async () => {
    const dataDir = bed.dir();
    const server = await spawnServer(dataDir);
    const writer = bed.connect(server, ROOM);
    await synced(writer);
    writeWorkshop(writer, ['survives a crash', 'and this']);
    await waitFor('the edit to be stored', async () => (await durableWrites(server)) >= 1);

    expect(await stopChild(server.child, 'SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    writer.provider.destroy();

    const restarted = await spawnServer(dataDir);
    expect(await readRoom(restarted)).toEqual({ title: 'Kept', notes: ['and this', 'survives a crash'] });
  });

  it('stores everything on SIGTERM and exits cleanly', async () => {
    const dataDir = bed.dir();
    const server = await spawnServer(dataDir);
    const writer = bed.connect(server, ROOM);
    const watcher = bed.connect(server, ROOM);
    await Promise.all([synced(writer), synced(watcher)]);
    writeWorkshop(writer, ['stored on the way out']);
    // Once another client has it, the server has it; stop at once, inside the flush window.
    await until(watcher.doc, () => noteTexts(watcher.doc).length === 1);
    expect(await stopChild(server.child, 'SIGTERM')).toEqual({ code: 0, signal: null });
    writer.provider.destroy();
    watcher.provider.destroy();

    const restarted = await spawnServer(dataDir);
    expect(await readRoom(restarted)).toEqual({ title: 'Kept', notes: ['stored on the way out'] });
  });
});
