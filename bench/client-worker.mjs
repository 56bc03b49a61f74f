// A process holding many stock y-websocket clients (WebsocketProvider over `ws`, each with its own
// Y.Doc and Awareness, a signed token in `params`), driven by bench/run.mjs over IPC. It measures:
//   - joins: time from creating the provider to its socket opening and to its first sync;
//   - fan-out: writers set `bench.t = { seq, at }` (at = send time, wall clock) on a schedule;
//     every other client in the room records arrival − `at` when the change is applied;
//   - its own event-loop delay and how late scheduled writes went out, so a reader can tell when
//     the clients themselves (not the server) were the bottleneck.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { Awareness } from 'y-protocols/awareness';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { signToken } from './.build/tokens.mjs';
import { clock, serve } from './lib/child.mjs';
import { addNotes } from './lib/content.mjs';

// Every provider adds a process 'exit' listener; hundreds of them are expected here.
process.setMaxListeners(0);

let target = null; // { url, key }
/** id → { id, room, doc, provider, synced, closing } */
const clients = new Map();
/** Clients the server disconnected after they had synced (not counting our own closes). */
let drops = 0;
let recordFrom = Infinity;
let latencies = [];
/** Send time of each latency sample (for per-window statistics). */
let sentAt = [];
let lateness = [];
let writeTimer = null;
const loopDelay = monitorEventLoopDelay({ resolution: 10 });

function openClient({ id, room }) {
  const doc = new Y.Doc();
  const awareness = new Awareness(doc);
  awareness.setLocalState({ user: { name: `bench ${id}`, colour: '#e07000' } });
  const token = signToken(target.key, { room, role: 'participant', name: `bench ${id}`, ttlSeconds: 3600 });
  const started = clock();
  let opened = 0;
  const provider = new WebsocketProvider(target.url, room, doc, {
    WebSocketPolyfill: WebSocket,
    params: { token },
    disableBc: true,
    awareness,
  });
  const client = { id, room, doc, provider, synced: false, closing: false };
  clients.set(id, client);
  const marks = doc.getMap('bench');
  marks.observe((event) => {
    if (event.transaction.local || !event.keysChanged.has('t')) return;
    const mark = marks.get('t');
    if (mark.seq < recordFrom) return;
    latencies.push(clock() - mark.at);
    sentAt.push(mark.at);
  });
  return new Promise((resolve) => {
    provider.on('status', ({ status }) => {
      if (status === 'connected' && !opened) opened = clock();
      if (status === 'disconnected' && client.synced && !client.closing) drops++;
    });
    provider.on('sync', (isSynced) => {
      if (!isSynced || client.synced) return;
      client.synced = true;
      const now = clock();
      resolve({ id, openMs: opened - started, syncMs: now - started });
    });
  });
}

function closeClient(client) {
  client.closing = true;
  client.provider.destroy();
  client.provider.awareness.destroy();
  client.doc.destroy();
  clients.delete(client.id);
}

function closeAll() {
  for (const client of [...clients.values()]) closeClient(client);
}

serve(
  {
    /** Remembers the server and reports this process's clock (the parent checks the offset). */
    init({ url, key }) {
      target = { url, key: Buffer.from(key, 'hex') };
      return { clock: clock() };
    },

    /**
     * Connects `clients` ([{ id, room }]), at most `concurrency` connecting at a time, and resolves
     * with each one's join times once all have synced; fails after `timeoutMs`.
     */
    connect({ clients: wanted, concurrency = Infinity, timeoutMs }) {
      const joins = [];
      let next = 0;
      return new Promise((resolve, reject) => {
        if (wanted.length === 0) return resolve(joins);
        const timer = setTimeout(() => {
          const stuck = wanted.length - joins.length;
          reject(new Error(`${stuck} of ${wanted.length} clients not synced after ${timeoutMs} ms`));
        }, timeoutMs);
        const launch = () => {
          while (next < wanted.length && next - joins.length < concurrency) {
            void openClient(wanted[next++]).then((join) => {
              joins.push(join);
              if (joins.length === wanted.length) {
                clearTimeout(timer);
                resolve(joins);
              } else launch();
            });
          }
        };
        launch();
      });
    },

    /** Adds `notes` small notes to each of `ids` (one transaction each). */
    write({ ids, notes }) {
      for (const id of ids) addNotes(clients.get(id).doc, { count: notes, seed: id });
      return {};
    },

    /**
     * Starts a fan-out run: `writes` ([{ at, id, seq }], sorted by `at`, wall clock) are sent by
     * client `id` at time `at`; receivers record latencies of marks with seq ≥ `from`.
     */
    plan({ writes, from }) {
      recordFrom = from;
      latencies = [];
      sentAt = [];
      lateness = [];
      loopDelay.reset();
      loopDelay.enable();
      let i = 0;
      const step = () => {
        writeTimer = null;
        // Everything due now goes out in this turn; a late turn shows up in `lateness`.
        while (i < writes.length && writes[i].at <= clock()) {
          const { at, id, seq } = writes[i++];
          const client = clients.get(id);
          const now = clock();
          if (seq >= from) lateness.push(now - at);
          client.doc.transact(() => client.doc.getMap('bench').set('t', { seq, at: now }));
        }
        if (i < writes.length) writeTimer = setTimeout(step, Math.max(0, writes[i].at - clock()));
      };
      step();
      return { scheduled: writes.length };
    },

    /** How many latency samples have been recorded since `plan`. */
    count: () => ({ count: latencies.length }),

    /** The samples since `plan`, and this process's health over that time. */
    samples() {
      loopDelay.disable();
      if (writeTimer) clearTimeout(writeTimer);
      writeTimer = null;
      const result = {
        latencies: Float64Array.from(latencies),
        sentAt: Float64Array.from(sentAt),
        lateness: Float64Array.from(lateness),
        drops,
        loopDelayP99Ms: loopDelay.count ? loopDelay.percentile(99) / 1e6 : 0,
        loopDelayMaxMs: loopDelay.count ? loopDelay.max / 1e6 : 0,
      };
      recordFrom = Infinity;
      latencies = [];
      sentAt = [];
      lateness = [];
      return result;
    },

    /** Closes every client (each provider sends its awareness removal and closes its socket). */
    disconnect() {
      const count = clients.size;
      closeAll();
      return { closed: count };
    },

    stop() {
      closeAll();
      return {};
    },
  },
  closeAll,
);
