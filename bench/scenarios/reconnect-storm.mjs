// reconnect-storm (#13): 200 clients in 20 rooms (10 each, a workshop of 200 notes per room) are
// connected to our server in a process of its own; the server is restarted (SIGTERM, which stores
// and closes every socket, then a new process on the same data folder and port), and every
// client comes back by itself. Figures: from the restart (SIGTERM to the old process) until every
// client has synced again, target ≤ 10 s; the new server's peak CPU (% of one core, over 250 ms
// windows, read from /proc) and peak memory (VmHWM, its largest RSS) while the clients come back;
// and how many connection attempts that took. Rounds alternate the app's provider
// (renderer/src/healing-provider.ts: jittered backoff) and stock y-websocket (no jitter, the same
// permanent codes) for comparison; targets apply to the app's. The clients all run in this process.
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { HealingProvider, reconnectsAfter } from '../.build/healing.mjs';
import { addNotes, createWorkshop, TEMPLATE_BOARD_IDS } from '../.build/model.mjs';
import { SESSION_MESSAGE } from '../.build/session.mjs';
import { STORED_MESSAGE } from '../.build/stored.mjs';
import { signToken } from '../.build/tokens.mjs';
import { log, median } from '../lib/harness.mjs';
import { figure } from '../lib/report.mjs';
import { sampleProcess, startServerProcess } from '../lib/server-process.mjs';

export const summary = '200 clients in 20 rooms, server restarted: time until every client has synced again';

const ROOMS = 20;
const PER_ROOM = 10;
const NOTES = 200;
const ROUNDS = 3;

// Every provider adds a process 'exit' listener.
process.setMaxListeners(0);

function client(kind, url, room, key, i) {
  const doc = new Y.Doc();
  const options = {
    WebSocketPolyfill: WebSocket,
    params: { token: signToken(key, { room, role: 'facilitator', name: `storm ${i}`, ttlSeconds: 3600 }) },
    disableBc: true,
  };
  const provider =
    kind === 'app'
      ? new HealingProvider(url, room, doc, options)
      : new WebsocketProvider(url, room, doc, {
          ...options,
          shouldReconnect: (event) => reconnectsAfter(event.code),
        });
  provider.messageHandlers[SESSION_MESSAGE] = () => {};
  provider.messageHandlers[STORED_MESSAGE] = () => {};
  const c = { doc, provider, syncs: 0, attempts: 0 };
  provider.on('sync', (synced) => synced && c.syncs++);
  provider.on('status', ({ status }) => status === 'connecting' && c.attempts++);
  return c;
}

/** Resolves once every client has synced more than `syncs` times; fails after `ms`. */
function everyoneSynced(clients, syncs, ms) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const timer = setInterval(() => {
      const behind = clients.filter((c) => c.syncs <= syncs).length;
      if (behind === 0) {
        clearInterval(timer);
        resolve(performance.now());
      } else if (performance.now() - started > ms) {
        clearInterval(timer);
        reject(new Error(`${behind} of ${clients.length} clients not synced after ${ms} ms`));
      }
    }, 5);
  });
}

/** Polls `check` every 20 ms until it holds; fails after `ms` naming `what`. */
async function until(check, ms, what) {
  const deadline = performance.now() + ms;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function round(kind) {
  const server = await startServerProcess();
  const { url, key } = server;
  const clients = [];
  try {
    for (let r = 0; r < ROOMS; r++) {
      for (let i = 0; i < PER_ROOM; i++) clients.push(client(kind, url, `storm-${r}`, key, clients.length));
    }
    await everyoneSynced(clients, 0, 60_000);
    for (let r = 0; r < ROOMS; r++) {
      const { doc } = clients[r * PER_ROOM];
      createWorkshop(doc, {
        title: `Room ${r}`,
        language: 'en',
        boardTitles: { needs: 'N', themes: 'T', actions: 'A' },
      });
      addNotes(
        doc,
        TEMPLATE_BOARD_IDS.needs,
        Array.from({ length: NOTES }, (_, n) => ({ text: `note ${n} of room ${r}` })),
      );
    }
    // Every client has its room's workshop before the restart.
    const sameAsRoom = () =>
      clients.every(
        (c, i) =>
          Y.encodeStateVector(c.doc).join() === Y.encodeStateVector(clients[i - (i % PER_ROOM)].doc).join(),
      );
    await until(sameAsRoom, 60_000, "every client to have its room's workshop");
    const syncsBefore = Math.min(...clients.map((c) => c.syncs));
    const attemptsBefore = clients.reduce((n, c) => n + c.attempts, 0);
    const stopping = performance.now();
    await server.restart();
    const listening = performance.now() - stopping;
    const sampler = sampleProcess(server.pid());
    const done = await everyoneSynced(clients, syncsBefore, 60_000);
    const { peakCpu, peakRss } = sampler.stop();
    const attempts = clients.reduce((n, c) => n + c.attempts, 0) - attemptsBefore;
    const ms = done - stopping;
    // Synced again with what the server stored: the same workshop as before in every room.
    await until(sameAsRoom, 10_000, 'every client to have its room again');
    log(
      `  ${kind}: every client synced ${Math.round(ms)} ms after the restart (listening after ${Math.round(listening)} ms), ` +
        `${attempts} attempts, server peak CPU ${Math.round(peakCpu)} %, peak RSS ${Math.round(peakRss)} MiB`,
    );
    return { ms, peakCpu, peakRss, attempts };
  } finally {
    for (const c of clients) {
      c.provider.destroy();
      c.doc.destroy();
    }
    await server.close();
  }
}

export async function run() {
  const results = { app: [], stock: [] };
  for (let r = 0; r < ROUNDS; r++) {
    for (const kind of r % 2 ? ['stock', 'app'] : ['app', 'stock']) results[kind].push(await round(kind));
  }
  const rows = [];
  for (const kind of ['app', 'stock']) {
    const of = (k) => results[kind].map((r) => r[k]);
    const label = kind === 'app' ? "the app's provider" : 'stock y-websocket';
    const target = (value) => (kind === 'app' ? value : null);
    rows.push(
      figure(`${label}: restart → all 200 synced, median of ${ROUNDS}`, median(of('ms')), 'ms', {
        target: target(10_000),
      }),
      figure(`${label}: server peak CPU (250 ms windows)`, Math.max(...of('peakCpu')), '%'),
      figure(`${label}: server peak memory (RSS)`, Math.max(...of('peakRss')), 'MiB'),
      figure(`${label}: connection attempts`, median(of('attempts')), 'count'),
    );
  }
  return rows;
}
