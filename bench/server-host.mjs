// A server in a process of its own, so its memory and CPU can be measured apart from the clients.
// Started by bench/run.mjs (with --expose-gc); runs either our collab server (startServer from the
// bundle in bench/.build/, LevelDB in a temporary folder, removed on stop) or the relay baseline
// (bench/relay.mjs), and answers over IPC: its URL and signing key, room counts, seeding a stored
// room, process.memoryUsage() after full garbage collections, and process.cpuUsage() with the
// event loop's delay (whether the server itself was late, as opposed to its clients).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as Y from 'yjs';
import { clock, delay, serve } from './lib/child.mjs';
import { seedDoc } from './lib/content.mjs';
import { startRelay } from './relay.mjs';

/** The running server: `{ url, key, dataDir, rooms(), connections(), seed(), close() }`. */
let server = null;
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

async function startOurs({ unloadGraceMs }) {
  const { startServer } = await import('./.build/server.mjs');
  const dataDir = mkdtempSync(join(tmpdir(), 'talkoo-bench-'));
  // The bench's thousands of clients all come from 127.0.0.1, where people come from many
  // addresses: the per-address limit would refuse most of them.
  const running = await startServer({
    host: '127.0.0.1',
    port: 0,
    dataDir,
    unloadGraceMs,
    limits: { connectionsPerAddress: 100_000 },
  });
  return {
    url: running.url.replace(/^http/, 'ws'),
    key: running.signingKey,
    dataDir,
    rooms: () => running.rooms.size,
    connections: () => running.rooms.connections,
    // Through the server's own storage, as a stored workshop: loaded when its first peer joins.
    seed: (room, doc) => running.rooms.create(room, doc),
    close: async () => {
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function startBaseline() {
  const relay = await startRelay();
  return {
    url: relay.url,
    // The relay checks no token; clients still send one, so both servers see the same URLs.
    key: randomBytes(32),
    dataDir: null,
    rooms: () => relay.rooms.size,
    connections: () => [...relay.rooms.values()].reduce((n, room) => n + room.peers.size, 0),
    seed: (room, doc) => relay.seed(room, Y.encodeStateAsUpdate(doc)),
    close: () => relay.close(),
  };
}

/**
 * CPU time of the main (JavaScript) thread alone, µs, from Linux's /proc; null elsewhere. The rest
 * of process.cpuUsage() is other threads: libuv's pool (LevelDB reads, writes and fsyncs) and V8.
 */
function mainThreadMicros() {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    // Fields after the parenthesised name; utime and stime are the 12th and 13th, in clock ticks
    // (USER_HZ, 100 a second on Linux).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return null;
  }
}

async function stopServer() {
  const running = server;
  server = null;
  await running?.close();
}

async function collectGarbage() {
  if (typeof globalThis.gc !== 'function') throw new Error('server-host needs node --expose-gc');
  // Several passes with turns of the event loop between them, so closed sockets and destroyed
  // documents are finalized before the figure is read.
  for (let i = 0; i < 4; i++) {
    globalThis.gc();
    await delay(25);
  }
}

serve(
  {
    async start({ kind, unloadGraceMs = 10_000 }) {
      if (server) throw new Error('already started');
      server = kind === 'ours' ? await startOurs({ unloadGraceMs }) : await startBaseline();
      return { url: server.url, key: server.key.toString('hex'), dataDir: server.dataDir, pid: process.pid };
    },
    /** Creates `room` holding about `bytes` of notes; resolves with the encoded size. */
    async seed({ room, bytes }) {
      const doc = seedDoc(bytes);
      const size = Y.encodeStateAsUpdate(doc).byteLength;
      await server.seed(room, doc);
      doc.destroy();
      return { bytes: size };
    },
    rooms: () => ({ rooms: server.rooms(), connections: server.connections() }),
    /** Waits (bounded by `timeoutMs`) until at most `atMost` rooms are loaded. */
    async waitForRooms({ atMost, timeoutMs }) {
      const deadline = clock() + timeoutMs;
      while (server.rooms() > atMost) {
        if (clock() > deadline) throw new Error(`${server.rooms()} rooms still loaded after ${timeoutMs} ms`);
        await delay(50);
      }
      return { rooms: server.rooms() };
    },
    async memory() {
      await collectGarbage();
      const { rss, heapUsed, external } = process.memoryUsage();
      return { rss, heapUsed, external };
    },
    /** CPU time used so far (all threads, and the main thread), the event loop's delay since the last call. */
    usage() {
      const loop = { loopP99Ms: loopDelay.percentile(99) / 1e6, loopMaxMs: loopDelay.max / 1e6 };
      loopDelay.reset();
      return { ...process.cpuUsage(), main: mainThreadMicros(), at: clock(), ...loop };
    },
    async stop() {
      await stopServer();
      return {};
    },
  },
  stopServer,
);
