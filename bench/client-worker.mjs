// A process holding many stock y-websocket clients (WebsocketProvider over `ws`, each with its own
// Y.Doc and Awareness, a participant's signed token in `params`), driven by bench/run.mjs over
// IPC. Every client takes part as a participant whose edits the role policy accepts (#11,
// lib/participant.mjs): it learns its identity from our server, and its new notes carry it as
// their author. It measures:
//   - joins: time from creating the provider to its socket opening and to its first sync;
//   - fan-out: writers type `<seq>@<at>|` (at = send time, wall clock) into their room's mark
//     note on a schedule, a text edit of a note; every other client in the room records
//     arrival − `at` when the change is applied;
//   - its own event-loop delay and how late scheduled writes went out, so a reader can tell when
//     the clients themselves (not the server) were the bottleneck.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { Awareness } from 'y-protocols/awareness';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { signToken } from './.build/tokens.mjs';
import { clock, delay, serve } from './lib/child.mjs';
import { addMarkNote, addNotes, BENCH_BOARD, markText, readMarks, typeMark } from './lib/content.mjs';
import { takePart } from './lib/participant.mjs';

// Every provider adds a process 'exit' listener; hundreds of them are expected here.
process.setMaxListeners(0);

let target = null; // { url, key, identity }
/** id → { id, room, doc, provider, synced, closing, me } */
const clients = new Map();
/** Clients the server disconnected after they had synced (not counting our own closes). */
let drops = 0;
/** Updates our server refused (message 101): none, when the bench's edits are what participants may do. */
let refused = 0;
let recordFrom = Infinity;
let latencies = [];
/** Send time of each latency sample (for per-window statistics). */
let sentAt = [];
/** Who received each latency sample, and its mark's seq (who wrote it): the cluster scenario's pairs. */
let receivers = [];
let seqs = [];
let lateness = [];
let writeTimer = null;
const loopDelay = monitorEventLoopDelay({ resolution: 10 });

/** Opens client `id` in `room`, through `url` when given (a node of a cluster), else the target's. */
function openClient({ id, room, url = target.url }) {
  const doc = new Y.Doc();
  const awareness = new Awareness(doc);
  awareness.setLocalState({ user: { name: `bench ${id}`, colour: '#e07000' } });
  const token = signToken(target.key, { room, role: 'participant', name: `bench ${id}`, ttlSeconds: 3600 });
  const started = clock();
  let opened = 0;
  const provider = new WebsocketProvider(url, room, doc, {
    WebSocketPolyfill: WebSocket,
    params: { token },
    disableBc: true,
    awareness,
  });
  const client = { id, room, doc, provider, synced: false, closing: false, me: null };
  clients.set(id, client);
  const identity = takePart(provider, {
    expectIdentity: target.identity,
    fallbackId: `bench-${id}`,
    onRefused: ({ code, path }) => {
      if (refused++ === 0) console.error(`client ${id}: an update was refused (${code} at ${path})`);
    },
  });
  doc.getMap('notes').observeDeep((events, transaction) => {
    if (transaction.local) return;
    readMarks(events, (seq, at) => {
      if (seq < recordFrom) return;
      latencies.push(clock() - at);
      sentAt.push(at);
      receivers.push(id);
      seqs.push(seq);
    });
  });
  const synced = new Promise((resolve) => {
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
  // Joined once synced and told who it is (our server sends the identity just after the sync).
  return Promise.all([synced, identity]).then(([join, me]) => {
    client.me = me;
    return join;
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
    init({ url, key, kind }) {
      target = { url, key: Buffer.from(key, 'hex'), identity: kind === 'ours' };
      return { clock: clock() };
    },

    /**
     * Connects `clients` ([{ id, room, url? }]), at most `concurrency` connecting at a time, and resolves
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
      for (const id of ids) {
        const { doc, me } = clients.get(id);
        addNotes(doc, { count: notes, seed: id, author: me, boardId: BENCH_BOARD });
      }
      return {};
    },

    /** Each of `ids` adds its room's mark note (one client per room), authored by itself. */
    addMarks({ ids }) {
      for (const id of ids) addMarkNote(clients.get(id).doc, clients.get(id).me);
      return {};
    },

    /** Resolves once every client here has its room's mark note; fails after `timeoutMs`. */
    async awaitMarks({ timeoutMs }) {
      const deadline = clock() + timeoutMs;
      for (;;) {
        const missing = [...clients.values()].filter((c) => markText(c.doc) === null).length;
        if (missing === 0) return {};
        if (clock() > deadline) throw new Error(`${missing} clients without their room's mark note`);
        await delay(20);
      }
    },

    /**
     * Starts a fan-out run: `writes` ([{ at, id, seq }], sorted by `at`, wall clock) are sent by
     * client `id` at time `at`; receivers record latencies of marks with seq ≥ `from`.
     */
    plan({ writes, from }) {
      recordFrom = from;
      latencies = [];
      sentAt = [];
      receivers = [];
      seqs = [];
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
          typeMark(client.doc, seq, now);
        }
        if (i < writes.length) writeTimer = setTimeout(step, Math.max(0, writes[i].at - clock()));
      };
      step();
      return { scheduled: writes.length };
    },

    /** How many updates our server has refused since the last `samples`. */
    refused: () => ({ refused }),

    /** How many latency samples have been recorded since `plan`. */
    count: () => ({ count: latencies.length }),

    /** The samples since `plan`, updates refused since the last call, and this process's health. */
    samples() {
      loopDelay.disable();
      if (writeTimer) clearTimeout(writeTimer);
      writeTimer = null;
      const result = {
        latencies: Float64Array.from(latencies),
        sentAt: Float64Array.from(sentAt),
        receivers: Float64Array.from(receivers),
        seqs: Float64Array.from(seqs),
        lateness: Float64Array.from(lateness),
        drops,
        refused,
        loopDelayP99Ms: loopDelay.count ? loopDelay.percentile(99) / 1e6 : 0,
        loopDelayMaxMs: loopDelay.count ? loopDelay.max / 1e6 : 0,
      };
      recordFrom = Infinity;
      latencies = [];
      sentAt = [];
      receivers = [];
      seqs = [];
      lateness = [];
      refused = 0;
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
