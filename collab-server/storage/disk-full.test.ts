/**
 * A full disk, for real: a tmpfs of a few MiB mounted in a user and mount namespace that the test
 * makes (`unshare`), reached from outside through /proc/<pid>/root, holds the data folder of the
 * command-line server. The test fills it, keeps writing, frees it and restarts the server: every
 * update the server acknowledged as stored is there, health said degraded throughout the fault,
 * and SIGTERM with unsaved changes on the full disk exits non-zero and leaves a recovery file that
 * the next start replays. Where user namespaces are not allowed, the same scenario runs on a
 * storage that fails like a full disk (injected below the rooms), in process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addNote, TEMPLATE_BOARD_IDS } from '../../shared';
import { loadOrCreateSigningKey } from '../auth/signing-key';
import { openLevelStorage, type DocumentStorage } from './level-storage';
import {
  hearStoredAcks,
  lastStoredAck,
  noteTexts,
  removeDir,
  smallTmpfs,
  startWorkshop,
  synced,
  TestBed,
  until,
  waitFor,
  type ServerAddress,
  type TestClient,
  buildServerCli,
} from '../test-support';

const ROOM = 'room-full';

const bed = new TestBed();
const children = new Set<ChildProcess>();
let buildDir = '';
let cli = '';

beforeAll(async () => {
  ({ cli, dir: buildDir } = await buildServerCli('talkoo-disk-full-'));
});

const unmounts: (() => void)[] = [];

afterEach(async () => {
  await bed.cleanUp();
  for (const unmount of unmounts.splice(0)) unmount();
  for (const child of children) child.kill('SIGKILL');
  children.clear();
});

afterAll(() => removeDir(buildDir));

/** A running server and how it stopped. */
type Running = ServerAddress & {
  /** Stops it as an operator would (SIGTERM, or close() in process): clean or not, and what it said. */
  stop(): Promise<{ clean: boolean; said: string }>;
};

/** A disk that can be filled up and freed, and a server with its data on it. */
type Disk = {
  readonly kind: string;
  fill(): Promise<void>;
  free(): Promise<void>;
  start(): Promise<Running>;
};

function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/**
 * A 4 MiB tmpfs in a new user and mount namespace, or null where the system does not allow one
 * (then the injected disk runs instead).
 */
async function tmpfsDisk(): Promise<Disk | null> {
  const disk = await smallTmpfs(bed.dir());
  if (!disk) return null;
  unmounts.push(() => disk.unmount());
  const dataDir = join(disk.root, 'data');
  mkdirSync(dataDir);
  const signingKey = await loadOrCreateSigningKey(dataDir);
  // Where a recovery file goes when the data folder's disk refuses it too.
  const tmp = bed.dir();
  return {
    kind: 'tmpfs',
    fill: () => disk.fill(),
    free: () => disk.free(),
    async start() {
      const child = spawn(process.execPath, [cli, '--port', '0', '--data-dir', dataDir], {
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, TMPDIR: tmp },
      });
      children.add(child);
      let stderr = '';
      child.stderr?.setEncoding('utf8');
      const url = await new Promise<string>((resolve, reject) => {
        child.stderr?.on('data', (chunk: string) => {
          stderr += chunk;
          const match = /listening on (http:\/\/\S+)/.exec(stderr);
          if (match?.[1]) resolve(match[1]);
        });
        child.once('exit', () => reject(new Error(`the server exited before listening:\n${stderr}`)));
      });
      return {
        url,
        signingKey,
        async stop() {
          const exited = exitOf(child);
          child.kill('SIGTERM');
          const code = await exited;
          children.delete(child);
          return { clean: code === 0, said: stderr };
        },
      };
    },
  };
}

/** LevelDB in a temp folder behind a storage whose writes fail like a full disk's while full. */
function injectedDisk(): Disk {
  const dataDir = bed.dir();
  let full = false;
  const enospc = (): Error =>
    Object.assign(new Error('IO error: No space left on device'), { code: 'ENOSPC' });
  return {
    kind: 'injected',
    fill: () => Promise.resolve(void (full = true)),
    free: () => Promise.resolve(void (full = false)),
    async start() {
      const level = await openLevelStorage(join(dataDir, 'rooms'));
      const guard =
        <A extends unknown[], R>(write: (...args: A) => Promise<R>) =>
        (...args: A): Promise<R> =>
          full ? Promise.reject(enospc()) : write(...args);
      const storage: DocumentStorage = {
        ...level,
        append: guard(level.append),
        compact: guard(level.compact),
        create: guard(level.create),
        describe: guard(level.describe),
        probe: guard(level.probe),
      };
      const server = await bed.start({ dataDir, storage });
      return {
        url: server.url,
        signingKey: server.signingKey,
        async stop() {
          try {
            await bed.stop(server);
            return { clean: true, said: '' };
          } catch (error) {
            return { clean: false, said: (error as Error).message };
          }
        },
      };
    },
  };
}

async function health(server: ServerAddress): Promise<{ status: string; ready: number }> {
  const body = (await (await fetch(`${server.url}/healthz`)).json()) as { status: string };
  const ready = (await fetch(`${server.url}/readyz`)).status;
  return { status: body.status, ready };
}

describe.each([
  ['a 4 MiB tmpfs (an injected fault where namespaces are not allowed)', true],
  ['a storage that fails like a full disk', false],
])('a full disk: %s', (_name, real) => {
  it('keeps every acknowledged update, says degraded throughout, and recovers the rest after SIGTERM', async () => {
    const disk = (real ? await tmpfsDisk() : null) ?? injectedDisk();
    let server = await disk.start();
    const writer = bed.connect(server, ROOM);
    const watcher = bed.connect(server, ROOM, 'viewer');
    const heard = hearStoredAcks(writer, true);
    await Promise.all([synced(writer), synced(watcher)]);
    const written: string[] = [];
    let n = 0;
    /** Writes one note and resolves once the server has it (the watcher sees it). */
    const write = async (): Promise<void> => {
      const text = `note ${String(++n).padStart(3, '0')}`;
      addNote(writer.doc, TEMPLATE_BOARD_IDS.needs, { text });
      written.push(text);
      await until(watcher.doc, () => noteTexts(watcher.doc).includes(text));
    };
    const allAcknowledged = (): boolean => heard.sent > 0 && lastStoredAck(heard) === heard.sent;

    startWorkshop(writer.doc, 'Full disk');
    await write();
    await waitFor('the first notes to be stored', allAcknowledged);
    expect(await health(server)).toEqual({ status: 'ok', ready: 200 });

    // Fill: writes go on until one fails (the last page of a file may still take a few).
    await disk.fill();
    await waitFor('a storage fault', async () => {
      await write();
      return (await health(server)).status === 'degraded';
    });
    for (let i = 0; i < 5; i++) {
      await write();
      expect(await health(server)).toEqual({ status: 'degraded', ready: 503 });
    }
    expect(lastStoredAck(heard)).toBeLessThan(heard.sent);

    // Free: everything is stored and acknowledged, and durability is proven again.
    await disk.free();
    await write();
    await waitFor('every note to be acknowledged', allAcknowledged);
    await waitFor('health to be ok again', async () => (await health(server)).status === 'ok');
    expect(await health(server)).toEqual({ status: 'ok', ready: 200 });

    // Full again, and stopped with changes it could not store.
    await disk.fill();
    await waitFor('a storage fault', async () => {
      await write();
      return (await health(server)).status === 'degraded';
    });
    await write();
    expect(lastStoredAck(heard)).toBeLessThan(heard.sent);
    // The writer is gone first: only the server can bring the last notes back.
    for (const client of [writer, watcher] as TestClient[]) client.provider.destroy();
    const stopped = await server.stop();
    expect(stopped.clean).toBe(false);
    expect(stopped.said).toMatch(/recovery/i);

    await disk.free();
    server = await disk.start();
    const reader = bed.connect(server, ROOM, 'viewer');
    await synced(reader);
    expect(noteTexts(reader.doc)).toEqual([...written].sort());
    expect(await health(server)).toEqual({ status: 'ok', ready: 200 });
    const again = await server.stop();
    expect(again).toMatchObject({ clean: true });
  });
});

describe('changes held while storage fails', () => {
  it('refuses changes beyond its bound with 1013, and the client sends them again once they can be stored', async () => {
    const dataDir = bed.dir();
    const level = await openLevelStorage(join(dataDir, 'rooms'));
    let full = false;
    const storage: DocumentStorage = {
      ...level,
      append: (room, updates) =>
        full
          ? Promise.reject(Object.assign(new Error('No space left on device'), { code: 'ENOSPC' }))
          : level.append(room, updates),
    };
    const server = await bed.start({ dataDir, storage, maxUnstoredBytes: 4096 });
    const writer = bed.connect(server, ROOM);
    const watcher = bed.connect(server, ROOM, 'viewer');
    const closes: number[] = [];
    writer.provider.on('connection-close', (event: CloseEvent | null) => {
      if (event) closes.push(event.code);
    });
    await Promise.all([synced(writer), synced(watcher)]);
    startWorkshop(writer.doc, 'Held');
    await waitFor('the workshop to be stored', async () => (await level.load(ROOM)).length > 0);

    full = true;
    const written: string[] = [];
    while (!closes.includes(1013)) {
      const text = `note ${String(written.length + 1).padStart(3, '0')} ${'x'.repeat(500)}`;
      addNote(writer.doc, TEMPLATE_BOARD_IDS.needs, { text });
      written.push(text);
      await waitFor(
        'the note or a refusal',
        () => closes.includes(1013) || noteTexts(watcher.doc).includes(text),
      );
    }
    // The refused change was not taken in; the viewer stays; the server kept what it took.
    expect(noteTexts(watcher.doc)).toEqual(written.slice(0, -1).sort());
    expect(watcher.provider.wsconnected).toBe(true);
    expect(server.rooms.unstored).toBeLessThan(4096 + 1024);
    expect(await health(server)).toEqual({ status: 'degraded', ready: 503 });

    full = false;
    // The writer reconnects by itself (1013 is not permanent) and sends what was refused.
    await until(watcher.doc, () => noteTexts(watcher.doc).length === written.length);
    await waitFor('every note to be stored', async () => {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, Y.mergeUpdates(await level.load(ROOM)));
      return noteTexts(doc).length === written.length;
    });
    await waitFor('health to be ok again', async () => (await health(server)).status === 'ok');
  });
});
