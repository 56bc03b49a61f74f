// The merge scenarios (merge-1k, merge-10k, #13): two people in one workshop go offline, each makes
// `edits` edits, one transaction each as the app makes them (a new note every fourth edit, a few
// words typed into their latest note otherwise, and every tenth edit a move of a note both move),
// and both come back at once. Figure: from reconnecting (both providers' connect()) until both
// documents are identical (equal state vectors, checked on every update of either).
//
// The two clients (the app's own provider, renderer/src/healing-provider.ts, with facilitators'
// tokens) and our server (startServer, LevelDB in a temporary folder) run in this one process, as
// in server-burst: the figure is the work of all three done one after another on one core, an
// upper bound for three machines, where the server's and a client's work overlap. (Three processes
// were tried: on this shared 2-core machine their wake-ups waited behind other sessions' work, and
// the same round read anything from 100 ms to 1.2 s.) A fresh room per round; the first rounds are
// a warm-up, not counted: a server that has run for a while has its Yjs code optimised by V8.
//
// Beside it, the floor: the same merge in bare Yjs in this process (no sockets, server, policy or
// storage): the server's document applies both sides' changes and each side applies what the
// server's document emitted for the other's, every document with an update listener as each has in
// the real run. What the figure spends beyond the floor is ours (or the sockets'); the floor is
// what this CPU needs for the content whatever the server does.
//
// BENCH_PROFILE_DIR=/tmp/prof writes a V8 CPU profile of each round's reconnect → identical there.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { HealingProvider } from '../.build/healing.mjs';
import {
  addNote,
  CLOSE,
  createWorkshop,
  moveNote,
  readWorkshop,
  setNoteText,
  TEMPLATE_BOARD_IDS,
} from '../.build/model.mjs';
import { startServer } from '../.build/server.mjs';
import { SESSION_MESSAGE } from '../.build/session.mjs';
import { STORED_MESSAGE } from '../.build/stored.mjs';
import { signToken } from '../.build/tokens.mjs';
import { log, median } from './harness.mjs';
import { figure } from './report.mjs';

const WARM_UP = 2;

function client(url, room, key, name) {
  const doc = new Y.Doc();
  const provider = new HealingProvider(url, room, doc, {
    WebSocketPolyfill: WebSocket,
    params: { token: signToken(key, { room, role: 'facilitator', name, ttlSeconds: 3600 }) },
    disableBc: true,
  });
  // Talkoo's own messages, which this bench does not use.
  provider.messageHandlers[SESSION_MESSAGE] = () => {};
  provider.messageHandlers[STORED_MESSAGE] = () => {};
  return { doc, provider };
}

function synced(c) {
  if (c.provider.synced) return Promise.resolve();
  return new Promise((resolve) => c.provider.on('sync', (s) => s && resolve()));
}

/** Resolves with the time both documents first have the same state vector; fails after `ms`. */
function identical(a, b, ms) {
  const same = () => Y.encodeStateVector(a).join() === Y.encodeStateVector(b).join();
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!same()) return;
      const at = performance.now();
      clearTimeout(timer);
      a.off('update', check);
      b.off('update', check);
      resolve(at);
    };
    const timer = setTimeout(() => {
      a.off('update', check);
      b.off('update', check);
      reject(new Error(`not identical after ${ms} ms`));
    }, ms);
    a.on('update', check);
    b.on('update', check);
  });
}

/** With BENCH_PROFILE_DIR set, a CPU profiler of this process whose stop(name) writes it there; else null. */
async function profiler() {
  const dir = process.env.BENCH_PROFILE_DIR;
  if (!dir) return null;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  return {
    async stop(name) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(join(dir, name), JSON.stringify(profile));
      session.disconnect();
    },
  };
}

/** `edits` edits by one person, each its own transaction. */
function editOffline(doc, edits, who, shared) {
  let own = null;
  for (let i = 0; i < edits; i++) {
    if (i % 10 === 9) moveNote(doc, shared, i, edits - i);
    else if (i % 4 === 0 || own === null)
      own = addNote(doc, TEMPLATE_BOARD_IDS.needs, { text: `${who} ${i}` });
    else setNoteText(doc, own, `${who} ${i} ${'word '.repeat(i % 7)}`);
  }
}

/** Milliseconds the same merge takes in bare Yjs, in this process (see the header): the floor. */
function floorRound(edits) {
  const a = new Y.Doc();
  const b = new Y.Doc();
  const server = new Y.Doc({ gc: true });
  createWorkshop(a, {
    title: 'Merge',
    language: 'en',
    boardTitles: { needs: 'Needs', themes: 'Themes', actions: 'Actions' },
  });
  const shared = addNote(a, TEMPLATE_BOARD_IDS.needs, { text: 'both move this' });
  const base = Y.encodeStateAsUpdate(a);
  Y.applyUpdate(b, base);
  Y.applyUpdate(server, base);
  editOffline(a, edits, 'a', shared);
  editOffline(b, edits, 'b', shared);
  const relayed = [];
  a.on('update', () => {});
  b.on('update', () => {});
  server.on('update', (update) => relayed.push(update));
  const started = performance.now();
  const fromA = Y.encodeStateAsUpdate(a, Y.encodeStateVector(server));
  const fromB = Y.encodeStateAsUpdate(b, Y.encodeStateVector(server));
  Y.applyUpdate(server, fromA);
  Y.applyUpdate(server, fromB);
  Y.applyUpdate(b, relayed[0]);
  Y.applyUpdate(a, relayed[1]);
  const ms = performance.now() - started;
  if (Y.encodeStateVector(a).join() !== Y.encodeStateVector(b).join())
    throw new Error('floor: not identical');
  for (const doc of [a, b, server]) doc.destroy();
  return ms;
}

/** Milliseconds from reconnecting to identical documents, and the size of one side's offline changes. */
async function round(url, key, room, edits) {
  const a = client(url, room, key, 'a');
  const b = client(url, room, key, 'b');
  try {
    await Promise.all([synced(a), synced(b)]);
    createWorkshop(a.doc, {
      title: 'Merge',
      language: 'en',
      boardTitles: { needs: 'Needs', themes: 'Themes', actions: 'Actions' },
    });
    const shared = addNote(a.doc, TEMPLATE_BOARD_IDS.needs, { text: 'both move this' });
    await identical(a.doc, b.doc, 10_000);
    a.provider.disconnect();
    b.provider.disconnect();
    const before = Y.encodeStateVector(a.doc);
    editOffline(a.doc, edits, 'a', shared);
    editOffline(b.doc, edits, 'b', shared);
    const bytes = Y.encodeStateAsUpdate(a.doc, before).byteLength;
    const profile = await profiler();
    const done = identical(a.doc, b.doc, 60_000);
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    a.provider.connect();
    b.provider.connect();
    const ms = (await done) - started;
    const { user, system } = process.cpuUsage(cpuBefore);
    await profile?.stop(`${room}.cpuprofile`);
    if (readWorkshop(a.doc).notes.length !== readWorkshop(b.doc).notes.length)
      throw new Error('identical state vectors, different notes');
    return { ms, bytes, cpuMs: (user + system) / 1000 };
  } finally {
    for (const c of [a, b]) {
      c.provider.destroy();
      c.doc.destroy();
    }
  }
}

/** Runs `rounds` counted rounds (after a warm-up) of `edits` offline edits a side; rows with `target` ms. */
export async function mergeScenario({ edits, rounds, target }) {
  const dataDir = mkdtempSync(join(tmpdir(), 'talkoo-bench-merge-'));
  // The room stays loaded while both are offline, as it does for a workshop others are still in.
  // After each round it is removed: a room unloading later (its last version taken, its record
  // written) would land in another round's figure, and rooms kept would grow the heap that every
  // garbage collection goes through.
  const server = await startServer({ host: '127.0.0.1', port: 0, dataDir, unloadGraceMs: 600_000 });
  const url = server.url.replace(/^http/, 'ws');
  const times = [];
  const cpu = [];
  const floors = [];
  let bytes = 0;
  try {
    for (let r = 1 - WARM_UP; r <= rounds; r++) {
      const room = `merge-${edits}-${r + WARM_UP}`;
      const result = await round(url, server.signingKey, room, edits);
      await server.rooms.remove(room, CLOSE.workshopDeleted, 'bench round over');
      const floor = floorRound(edits);
      log(
        `  round ${r <= 0 ? 'warm-up' : r}: ${Math.round(result.ms)} ms, CPU ${Math.round(result.cpuMs)} ms ` +
          `(${Math.round(result.bytes / 1024)} KiB a side); bare Yjs ${Math.round(floor)} ms`,
      );
      if (r > 0) times.push(result.ms);
      if (r > 0) cpu.push(result.cpuMs);
      if (r > 0) floors.push(floor);
      bytes = result.bytes;
    }
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const count = edits.toLocaleString('en');
  return [
    figure(`${count} offline edits a side: reconnect → identical, median of ${rounds}`, median(times), 'ms', {
      target,
    }),
    figure('— slowest round', Math.max(...times), 'ms'),
    // Less sensitive to other work on the machine than the wall time: what the three did.
    figure('— CPU time in that window (server and both clients, all threads), median', median(cpu), 'ms'),
    figure(
      '— the same merge in bare Yjs, one process, no sockets or server (floor), median',
      median(floors),
      'ms',
    ),
    figure("— size of one side's offline changes", bytes / 1024, 'KiB'),
  ];
}
