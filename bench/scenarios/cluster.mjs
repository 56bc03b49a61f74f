// cluster (#14): several collab-server nodes on Redis (room leases) and PostgreSQL (shared
// storage), each node a process of the server's command line (`talkoo-server serve --key-file
// --redis --postgres --node-id`, lib/cluster.mjs), Redis and PostgreSQL started for the run as
// the tests start them (collab-server/test-support/services.ts). Three parts:
//   - Scale: 30 rooms × 8 participants, 4 updates a second per room typed into the room's mark
//     note (writers rotating, rooms staggered), 3 s of warm-up and 15 s recorded, with the same
//     driver (client-worker.mjs) against one node and against three: with the room's clients
//     spread over the three nodes as a plain load balancer would (each room taken by the node
//     its first client reached, so rooms are spread too; most clients are then proxied), and
//     with every client on its room's owner (a balancer that knows rooms). For reference, the
//     same load on one server alone (LevelDB, no Redis or PostgreSQL). Fan-out latency p50/p99,
//     also the median of the 5 s windows' p99 (a burst of outside load on a shared machine spoils
//     a window, not all), updates delivered per second, the nodes' CPU (all node processes, % of
//     a core) and Redis's and PostgreSQL's, and the ratios three nodes / one node. Layouts take
//     turns in fresh processes (and a fresh Redis), 3 rounds: alone, one, spread, owner, then
//     backwards, then forwards.
//   - Proxy: 20 participants of one room on three nodes, 10 connected to the room's owner and 10
//     to another node (which proxies them to the owner); one writer every 50 ms, rotating over
//     all 20, 5 rounds of 130 writes (10 of warm-up). Fan-out latency of the proxied clients
//     against the direct ones (target: p99 ≤ 1.3×, #14), pooled and as the median of the rounds'
//     ratios (each round's two figures share its outside load); and of the pairs direct → direct
//     and proxied → proxied (the latter crosses the proxy twice).
//   - Handover: one room on three nodes, a participant on the owner (it takes the room), one on
//     each of the two other nodes; the third types a mark every 20 ms. The owner is killed
//     (SIGKILL). From the kill until the second participant (a stock y-websocket client, which
//     reconnects by itself) has synced again, and until a mark typed after the kill has reached
//     it: the room served again by a surviving node. Bounded by the lease's time to live (10 s
//     by default; a lease expires within 15 s of its owner's death, #14) plus the client's
//     reconnect backoff (stock y-websocket: at most 2.5 s). 3 rounds, a fresh cluster each.
// Every client is a participant whose edits the role policy accepts (lib/participant.mjs).
import { loadavg } from 'node:os';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { signToken } from '../.build/tokens.mjs';
import { clock, delay } from '../lib/child.mjs';
import { ownerOf, startCluster, startPostgres } from '../lib/cluster.mjs';
import { addMarkNote, markText, readMarks, typeMark } from '../lib/content.mjs';
import {
  log,
  median,
  percentile,
  sleepUntil,
  sorted,
  startClients,
  windowPercentiles,
} from '../lib/harness.mjs';
import { takePart } from '../lib/participant.mjs';
import { figure } from '../lib/report.mjs';

export const summary =
  '30 rooms × 8 clients on 3 nodes against 1 (Redis, PostgreSQL); a proxied client against a direct one; handover after kill -9';

// Every provider adds a process 'exit' listener.
process.setMaxListeners(0);

const ROOMS = 30;
const PER_ROOM = 8;
/** Updates a second into each room. */
const RATE = 4;
const SECONDS = 15;
const WARMUP_SECONDS = 3;
const SCALE_ROUNDS = 3;

const PROXY_CLIENTS = 20;
const PROXY_ROUNDS = 5;
const PROXY_WRITES = 130;
const PROXY_WARMUP = 10;
const PROXY_INTERVAL_MS = 50;
/** Issue #14: a proxied client's fan-out p99 at most 1.3× a direct one's. */
const PROXY_TARGET = 1.3;

const HANDOVER_ROUNDS = 3;
const HANDOVER_TYPING_MS = 20;
const HANDOVER_TIMEOUT_MS = 60_000;

/** How many nodes each layout of the scale part runs, whether on Redis and PostgreSQL, its name. */
const LAYOUTS = {
  alone: { nodes: 1, cluster: false, label: '1 server alone (LevelDB)' },
  one: { nodes: 1, cluster: true, label: '1 node' },
  spread: { nodes: 3, cluster: true, label: '3 nodes, clients spread' },
  owner: { nodes: 3, cluster: true, label: '3 nodes, clients on the owner' },
};

/** The node (index) through which client `j` of room `r` connects. */
function nodeIndex(layout, r, j) {
  const { nodes } = LAYOUTS[layout];
  if (nodes === 1) return 0;
  // Each room's first client (j = 0) reaches node r mod 3 first, which takes the room.
  return layout === 'spread' ? (r + j) % nodes : r % nodes;
}

function sum(values) {
  return values.reduce((a, b) => a + b, 0);
}

/** CPU time of every node of `cluster` so far, ms. */
function nodesCpuMs(cluster) {
  return sum(cluster.nodes.map((node) => node.cpuMs()));
}

/** One round of the scale part on a fresh cluster of `layout`. */
async function scaleRound(layout, round, postgres) {
  const { nodes, cluster: clustered } = LAYOUTS[layout];
  const name = `${layout}${round}`;
  const cluster = await startCluster(name, nodes, clustered ? postgres : null);
  let pool = null;
  try {
    pool = await startClients(layout, { url: cluster.nodes[0].ws, key: cluster.key });
    const { clients } = pool;
    const spec = (r, j) => ({
      id: r * PER_ROOM + j,
      room: `scale-${name}-${r}`,
      url: cluster.nodes[nodeIndex(layout, r, j)].ws,
    });
    const rooms = Array.from({ length: ROOMS }, (_, r) => r);
    // Each room's first client goes first, so that the node it reached holds the room.
    await clients.connect(
      rooms.map((r) => spec(r, 0)),
      { concurrency: 10, timeoutMs: 60_000 },
    );
    const rest = rooms.flatMap((r) => Array.from({ length: PER_ROOM - 1 }, (_, j) => spec(r, j + 1)));
    await clients.connect(rest, { concurrency: 25, timeoutMs: 120_000 });
    let proxied = 0;
    if (clustered) {
      const owners = await Promise.all(rooms.map((r) => ownerOf(cluster.nodes, spec(r, 0).room)));
      const held = cluster.nodes.map((node) => owners.filter((owner) => owner === node).length);
      proxied = sum(
        rooms.map(
          (r, i) => [...Array(PER_ROOM).keys()].filter((j) => spec(r, j).url !== owners[i]?.ws).length,
        ),
      );
      log(
        `  ${layout}: rooms held per node ${held.join(', ')}; ${proxied} of ${ROOMS * PER_ROOM} clients proxied`,
      );
      if (owners.includes(null)) throw new Error(`${layout}: a room is held by none of its nodes (/healthz)`);
    }
    await clients.addMarks(rooms.map((r) => r * PER_ROOM));
    await delay(1000);
    // Write w of room r goes out at start + (w + r / ROOMS) / RATE seconds, from its client w mod 8.
    const start = clock() + 500;
    const writes = [];
    for (let w = 0; w < (WARMUP_SECONDS + SECONDS) * RATE; w++) {
      for (const r of rooms) {
        writes.push({
          at: start + ((w + r / ROOMS) * 1000) / RATE,
          id: r * PER_ROOM + (w % PER_ROOM),
          seq: w,
        });
      }
    }
    await sleepUntil(start - 200);
    // Redis and PostgreSQL work for the nodes: their CPU is the cluster's too.
    const servicesCpuMs = () => (clustered ? cluster.redis.cpuMs() + postgres.cpuMs() : 0);
    const cpuBefore = nodesCpuMs(cluster);
    const servicesBefore = servicesCpuMs();
    const timeBefore = clock();
    const expected = ROOMS * SECONDS * RATE * (PER_ROOM - 1);
    const samples = await clients.fanout(writes, {
      from: WARMUP_SECONDS * RATE,
      expected,
      maxDrainMs: 10_000,
    });
    const elapsed = clock() - timeBefore;
    const cpu = ((nodesCpuMs(cluster) - cpuBefore) / elapsed) * 100;
    const servicesCpu = ((servicesCpuMs() - servicesBefore) / elapsed) * 100;
    const latencies = sorted(samples.latencies);
    const windowP99s = windowPercentiles(samples.sentAt, samples.latencies, 5000, 99);
    log(
      `  ${layout} round ${round + 1}: p50 ${percentile(latencies, 50).toFixed(1)} ms, ` +
        `p99 ${percentile(latencies, 99).toFixed(1)} ms (5 s windows: ${windowP99s.map((v) => v.toFixed(0)).join(', ')} ms), ` +
        `${latencies.length}/${expected} delivered, ` +
        `${samples.drops} dropped, ${samples.refused} refused, nodes' CPU ${cpu.toFixed(0)} %, ` +
        `Redis and PostgreSQL ${servicesCpu.toFixed(0)} %, ` +
        `client loop delay max ${samples.loopDelayMaxMs.toFixed(0)} ms, load average ${loadavg()[0].toFixed(1)}`,
    );
    return {
      latencies,
      windowP99s,
      expected,
      drops: samples.drops,
      refused: samples.refused,
      cpu,
      servicesCpu,
      proxied: proxied / (ROOMS * PER_ROOM),
    };
  } finally {
    await pool?.stop();
    await cluster.stop();
  }
}

function scaleSummary(rounds) {
  const latencies = sorted(rounds.flatMap((r) => [...r.latencies]));
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    windowP99: median(rounds.flatMap((r) => r.windowP99s)),
    perSecond: latencies.length / (SECONDS * rounds.length),
    delivered: (latencies.length / sum(rounds.map((r) => r.expected))) * 100,
    drops: sum(rounds.map((r) => r.drops)),
    refused: sum(rounds.map((r) => r.refused)),
    cpu: sum(rounds.map((r) => r.cpu)) / rounds.length,
    servicesCpu: sum(rounds.map((r) => r.servicesCpu)) / rounds.length,
    proxied: rounds[0].proxied * 100,
  };
}

async function scale(postgres, order) {
  const rounds = Object.fromEntries(order.map((layout) => [layout, []]));
  for (let round = 0; round < SCALE_ROUNDS; round++) {
    for (const layout of round % 2 === 0 ? order : [...order].reverse()) {
      rounds[layout].push(await scaleRound(layout, round, postgres));
    }
  }
  const results = Object.fromEntries(order.map((layout) => [layout, scaleSummary(rounds[layout])]));
  const rows = [];
  for (const layout of order) {
    const { label } = LAYOUTS[layout];
    const r = results[layout];
    rows.push(
      figure(`scale, ${label}: fan-out p50`, r.p50, 'ms'),
      figure(`scale, ${label}: fan-out p99`, r.p99, 'ms'),
      figure(`scale, ${label}: fan-out p99, median 5 s window`, r.windowP99, 'ms'),
      figure(`scale, ${label}: updates delivered`, r.perSecond, 'updates/s', { better: 'higher' }),
      figure(`scale, ${label}: delivered`, r.delivered, '%', { target: 100, better: 'higher' }),
      figure(`scale, ${label}: clients dropped`, r.drops, 'clients', { target: 0 }),
      figure(`scale, ${label}: edits refused`, r.refused, 'updates', { target: 0 }),
      figure(`scale, ${label}: nodes' CPU`, r.cpu, '% of a core'),
    );
    if (LAYOUTS[layout].cluster)
      rows.push(figure(`scale, ${label}: Redis and PostgreSQL CPU`, r.servicesCpu, '% of a core'));
    if (LAYOUTS[layout].nodes > 1) rows.push(figure(`scale, ${label}: clients proxied`, r.proxied, '%'));
  }
  for (const layout of ['spread', 'owner']) {
    if (!results[layout] || !results.one) continue;
    const three = results[layout];
    const one = results.one;
    const label = LAYOUTS[layout].label;
    rows.push(
      figure(`scale, ${label} / 1 node: fan-out p50`, three.p50 / one.p50, '×'),
      figure(`scale, ${label} / 1 node: fan-out p99`, three.p99 / one.p99, '×'),
      figure(
        `scale, ${label} / 1 node: fan-out p99, median 5 s window`,
        three.windowP99 / one.windowP99,
        '×',
      ),
      figure(`scale, ${label} / 1 node: updates delivered`, three.perSecond / one.perSecond, '×', {
        better: 'higher',
      }),
      figure(`scale, ${label} / 1 node: nodes' CPU`, three.cpu / one.cpu, '×'),
    );
  }
  if (results.one && results.alone) {
    rows.push(
      figure('scale, 1 node / 1 server alone: fan-out p99', results.one.p99 / results.alone.p99, '×'),
      figure(
        'scale, 1 node / 1 server alone: fan-out p99, median 5 s window',
        results.one.windowP99 / results.alone.windowP99,
        '×',
      ),
      figure("scale, 1 node / 1 server alone: nodes' CPU", results.one.cpu / results.alone.cpu, '×'),
    );
  }
  return rows;
}

/** The proxy part: clients of one room on the owner and on another node. */
async function proxy(postgres) {
  const cluster = await startCluster('proxy', 3, postgres);
  let pool = null;
  try {
    const [owner, other] = cluster.nodes;
    pool = await startClients('proxy', { url: owner.ws, key: cluster.key });
    const { clients } = pool;
    const room = 'proxy-room';
    const direct = (id) => id < PROXY_CLIENTS / 2;
    await clients.connect([{ id: 0, room, url: owner.ws }], { timeoutMs: 30_000 });
    const ids = Array.from({ length: PROXY_CLIENTS - 1 }, (_, i) => i + 1);
    await clients.connect(
      ids.map((id) => ({ id, room, url: direct(id) ? owner.ws : other.ws })),
      { timeoutMs: 30_000 },
    );
    const holder = await ownerOf(cluster.nodes, room);
    if (holder !== owner)
      throw new Error(`proxy: the room is held by ${holder?.id ?? 'no node'}, not the first node`);
    await clients.addMarks([0]);
    await delay(500);
    const writer = new Map();
    const byPair = { direct: [], proxied: [], directPair: [], proxiedPair: [] };
    /** Each round's p99 proxied / direct: both under the same outside load. */
    const roundRatios = [];
    for (let round = 0; round < PROXY_ROUNDS; round++) {
      const first = round * PROXY_WRITES;
      const start = clock() + 200;
      const writes = Array.from({ length: PROXY_WRITES }, (_, i) => {
        writer.set(first + i, i % PROXY_CLIENTS);
        return { at: start + i * PROXY_INTERVAL_MS, id: i % PROXY_CLIENTS, seq: first + i };
      });
      await sleepUntil(start - 100);
      const samples = await clients.fanout(writes, {
        from: first + PROXY_WARMUP,
        expected: (PROXY_WRITES - PROXY_WARMUP) * (PROXY_CLIENTS - 1),
        maxDrainMs: 5000,
      });
      const these = { direct: [], proxied: [] };
      samples.latencies.forEach((ms, i) => {
        const to = direct(samples.receivers[i]) ? 'direct' : 'proxied';
        const from = direct(writer.get(samples.seqs[i])) ? 'direct' : 'proxied';
        these[to].push(ms);
        if (to === from) byPair[`${to}Pair`].push(ms);
      });
      for (const kind of ['direct', 'proxied']) byPair[kind].push(...these[kind]);
      roundRatios.push(percentile(sorted(these.proxied), 99) / percentile(sorted(these.direct), 99));
      log(
        `  proxy round ${round + 1}: p99 direct ${percentile(sorted(these.direct), 99).toFixed(1)} ms, ` +
          `proxied ${percentile(sorted(these.proxied), 99).toFixed(1)} ms; ${samples.refused} refused, ` +
          `${samples.drops} dropped`,
      );
    }
    const at = (kind, p) => percentile(sorted(byPair[kind]), p);
    const expected = PROXY_ROUNDS * (PROXY_WRITES - PROXY_WARMUP) * (PROXY_CLIENTS - 1);
    const delivered = byPair.direct.length + byPair.proxied.length;
    return [
      figure('proxy: fan-out p50, direct clients', at('direct', 50), 'ms'),
      figure('proxy: fan-out p50, proxied clients', at('proxied', 50), 'ms'),
      figure('proxy: fan-out p99, direct clients', at('direct', 99), 'ms'),
      figure('proxy: fan-out p99, proxied clients', at('proxied', 99), 'ms'),
      figure('proxy: fan-out p99 proxied / direct (#14)', at('proxied', 99) / at('direct', 99), '×', {
        target: PROXY_TARGET,
      }),
      figure(
        "proxy: fan-out p99 proxied / direct, median of the rounds' ratios (#14)",
        median(roundRatios),
        '×',
        { target: PROXY_TARGET },
      ),
      figure('proxy: fan-out p50 proxied / direct', at('proxied', 50) / at('direct', 50), '×'),
      figure('proxy: fan-out p99, direct → direct', at('directPair', 99), 'ms'),
      figure('proxy: fan-out p99, proxied → proxied (two hops)', at('proxiedPair', 99), 'ms'),
      figure('proxy: delivered', (delivered / expected) * 100, '%', { target: 100, better: 'higher' }),
    ];
  } finally {
    await pool?.stop();
    await cluster.stop();
  }
}

/** A stock y-websocket participant in this process, counting its syncs and the marks it receives. */
function participant(url, room, key, name) {
  const doc = new Y.Doc();
  const token = signToken(Buffer.from(key, 'hex'), { room, role: 'participant', name, ttlSeconds: 3600 });
  const provider = new WebsocketProvider(url, room, doc, {
    WebSocketPolyfill: WebSocket,
    params: { token },
    disableBc: true,
  });
  const client = { doc, provider, me: null, syncs: 0, lastSync: 0, onMark: null, refused: new Map() };
  const identity = takePart(provider, {
    expectIdentity: true,
    fallbackId: name,
    onRefused: ({ code }) => client.refused.set(code, (client.refused.get(code) ?? 0) + 1),
  });
  const synced = new Promise((resolve) =>
    provider.on('sync', (isSynced) => {
      if (!isSynced) return;
      client.syncs++;
      client.lastSync = clock();
      resolve();
    }),
  );
  doc.getMap('notes').observeDeep((events, transaction) => {
    if (!transaction.local) readMarks(events, (seq, at) => client.onMark?.(seq, at));
  });
  client.ready = Promise.all([synced, identity]).then(([, me]) => (client.me = me));
  client.close = () => {
    provider.destroy();
    doc.destroy();
  };
  return client;
}

/** Polls `check` every 5 ms until it holds; fails after `ms` naming `what`. */
async function until(check, ms, what) {
  const deadline = clock() + ms;
  while (!check()) {
    if (clock() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await delay(5);
  }
}

/** One handover: the room's owner killed while a participant on another node types. */
async function handoverRound(round, postgres) {
  const cluster = await startCluster(`handover${round}`, 3, postgres);
  const people = [];
  let typing = null;
  try {
    const [owner, second, third] = cluster.nodes;
    const room = `handover-${round}`;
    const first = participant(owner.ws, room, cluster.key, 'first');
    people.push(first);
    await first.ready;
    const reader = participant(second.ws, room, cluster.key, 'reader');
    const writer = participant(third.ws, room, cluster.key, 'writer');
    people.push(reader, writer);
    await Promise.all([reader.ready, writer.ready]);
    const holder = await ownerOf(cluster.nodes, room);
    if (holder !== owner)
      throw new Error(`handover: the room is held by ${holder?.id ?? 'no node'}, not the first node`);
    addMarkNote(first.doc, first.me);
    await until(() => markText(reader.doc) && markText(writer.doc), 10_000, 'the mark note');
    let seq = 0;
    typing = setInterval(() => typeMark(writer.doc, seq++, clock()), HANDOVER_TYPING_MS);
    let live = 0;
    reader.onMark = () => live++;
    await until(() => live >= 5, 10_000, "the writer's marks to reach the reader");
    const syncsBefore = reader.syncs;
    let resynced = null;
    let edited = null;
    const killed = clock();
    reader.onMark = (_seq, at) => {
      if (at >= killed && edited === null) edited = clock();
    };
    await owner.kill9();
    await until(
      () => {
        if (resynced === null && reader.syncs > syncsBefore) resynced = reader.lastSync;
        return resynced !== null && edited !== null;
      },
      HANDOVER_TIMEOUT_MS,
      'the reader to be served again after the kill',
    );
    const now = await ownerOf([second, third], room);
    const refused = sum([...writer.refused.values()]);
    const result = { resyncedMs: resynced - killed, editedMs: edited - killed, refused };
    log(
      `  handover round ${round + 1}: reader synced again ${result.resyncedMs.toFixed(0)} ms after the kill, ` +
        `a mark typed after the kill reached it at ${result.editedMs.toFixed(0)} ms; room now on ${now?.id ?? 'no node'}; ` +
        `writer's updates refused: ${refused ? [...writer.refused].map(([code, n]) => `${n} ${code}`).join(', ') : 'none'}`,
    );
    return result;
  } finally {
    if (typing) clearInterval(typing);
    for (const person of people) person.close();
    await cluster.stop();
  }
}

async function handover(postgres) {
  const rounds = [];
  for (let round = 0; round < HANDOVER_ROUNDS; round++) rounds.push(await handoverRound(round, postgres));
  const resynced = rounds.map((r) => r.resyncedMs);
  const edited = rounds.map((r) => r.editedMs);
  return [
    figure('handover: kill -9 → client on another node synced again, median', median(resynced), 'ms'),
    figure('handover: kill -9 → client on another node synced again, slowest', Math.max(...resynced), 'ms'),
    figure('handover: kill -9 → an edit typed after it delivered, median', median(edited), 'ms'),
    figure('handover: kill -9 → an edit typed after it delivered, slowest', Math.max(...edited), 'ms'),
    figure(
      "handover: the typist's updates refused while reconnecting",
      sum(rounds.map((r) => r.refused)),
      'updates',
    ),
  ];
}

/**
 * Which parts run: all, or those named in BENCH_CLUSTER (comma-separated: the scale part's layouts
 * alone, one, spread, owner, or scale for all four; proxy; handover).
 */
function parts() {
  const wanted = process.env.BENCH_CLUSTER?.split(',').map((p) => p.trim());
  const all = [...Object.keys(LAYOUTS), 'proxy', 'handover'];
  if (!wanted) return all;
  return all.filter((part) => wanted.includes(part) || (part in LAYOUTS && wanted.includes('scale')));
}

export async function run() {
  const chosen = parts();
  const layouts = Object.keys(LAYOUTS).filter((layout) => chosen.includes(layout));
  const postgres = chosen.some((part) => part !== 'alone') ? await startPostgres() : null;
  try {
    const rows = [];
    if (layouts.length) rows.push(...(await scale(postgres, layouts)));
    if (chosen.includes('proxy')) rows.push(...(await proxy(postgres)));
    if (chosen.includes('handover')) rows.push(...(await handover(postgres)));
    return rows;
  } finally {
    await postgres?.stop();
  }
}
