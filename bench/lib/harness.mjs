// The parent side of the benchmark: starts the server host and the client worker processes,
// talks to them over IPC with timeouts, and makes sure none of them outlives the run (on success,
// on a failing scenario, on Ctrl-C, and if bench/run.mjs itself dies: children exit on
// 'disconnect'). Also the small statistics the scenarios share.
import { fork } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { clock } from './child.mjs';

const HOST_SCRIPT = fileURLToPath(new URL('../server-host.mjs', import.meta.url));
const WORKER_SCRIPT = fileURLToPath(new URL('../client-worker.mjs', import.meta.url));

/** Client processes per run: a few, each holding many clients (the machine may have 2 cores). */
export const CLIENT_PROCESSES = 4;

/** The two servers every scenario runs against, in this order. */
export const SERVERS = ['ours', 'relay'];

/** Every child still running, so it can be killed whatever happens to the run. */
const running = new Set();
/** Temporary data folders of servers, removed even when a host had to be killed. */
const dataDirs = new Set();

/** Kills every child now (SIGKILL) and removes their data folders; safe to call repeatedly. */
export function killAll() {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  dataDirs.clear();
}

/**
 * Kills `child` (any ChildProcess: a cluster node, Redis, PostgreSQL) with the rest if the run
 * fails, and removes `dir` with it; untrack() once it has been stopped in order.
 */
export function track(child, dir) {
  running.add(child);
  if (dir) dataDirs.add(dir);
  child.once('exit', () => running.delete(child));
}

export function untrack(child) {
  running.delete(child);
}

/** Writes a progress line to stderr (stdout carries only the results). */
export function log(message) {
  process.stderr.write(`${message}\n`);
}

/** A child process speaking the request/response protocol of lib/child.mjs. */
export function spawnChild(script, name, execArgv = []) {
  const child = fork(script, [], {
    execArgv,
    serialization: 'advanced',
    // A child's stdout goes to our stderr: stdout is for results only.
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  child.stdout.pipe(process.stderr);
  running.add(child);
  const pending = new Map();
  let nextId = 0;
  let exited = null;
  const exit = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      exited = signal ?? code;
      for (const { reject } of pending.values()) reject(new Error(`${name} exited (${exited})`));
      pending.clear();
      resolve();
    });
  });
  child.on('message', ({ id, result, error }) => {
    const call = pending.get(id);
    if (!call) return;
    pending.delete(id);
    if (error) call.reject(new Error(`${name}: ${error}`));
    else call.resolve(result);
  });
  return {
    name,
    /** Sends a command; rejects if the child fails it, exits, or takes longer than `timeoutMs`. */
    call(cmd, args = {}, timeoutMs = 30_000) {
      if (exited !== null) return Promise.reject(new Error(`${name} exited (${exited})`));
      const id = ++nextId;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${name}: ${cmd} took longer than ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, {
          resolve: (value) => {
            clearTimeout(timer);
            resolve(value);
          },
          reject: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        });
        child.send({ id, cmd, args });
      });
    },
    /** Asks the child to stop, then disconnects it; kills it if it has not exited in 5 s. */
    async stop() {
      if (exited === null) await this.call('stop', {}, 10_000).catch(() => {});
      if (child.connected) child.disconnect();
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exit;
      clearTimeout(killer);
    },
  };
}

/** The client workers of one run; client `id` lives in worker `id % workers.length`. */
class ClientPool {
  constructor(workers) {
    this.workers = workers;
  }

  /** `items` split by the worker that holds client `idOf(item)`, one array per worker. */
  split(items, idOf) {
    const parts = this.workers.map(() => []);
    for (const item of items) parts[idOf(item) % this.workers.length].push(item);
    return parts;
  }

  /** Connects `clients` ([{ id, room }]); resolves with every join ({ id, openMs, syncMs }). */
  async connect(clients, { concurrency = Infinity, timeoutMs = 60_000 } = {}) {
    const parts = this.split(clients, (c) => c.id);
    const joins = await Promise.all(
      this.workers.map((w, i) =>
        w.call('connect', { clients: parts[i], concurrency, timeoutMs }, timeoutMs + 5000),
      ),
    );
    return joins.flat();
  }

  /**
   * Gives each room its mark note, added by its client in `creators` (one id per room), and waits
   * until every client has it: the fan-out writers type into it.
   */
  async addMarks(creators, { timeoutMs = 30_000 } = {}) {
    const parts = this.split(creators, (id) => id);
    await Promise.all(this.workers.map((w, i) => w.call('addMarks', { ids: parts[i] })));
    await Promise.all(this.workers.map((w) => w.call('awaitMarks', { timeoutMs }, timeoutMs + 5000)));
  }

  /** Gives each of `ids` `notes` small notes. */
  async write(ids, notes) {
    const parts = this.split(ids, (id) => id);
    await Promise.all(this.workers.map((w, i) => w.call('write', { ids: parts[i], notes })));
  }

  /**
   * Runs a fan-out plan (see client-worker.mjs `plan`), waits until `expected` samples have arrived
   * (at most `maxDrainMs` after the last write), and resolves with the merged samples.
   */
  async fanout(writes, { from, expected, maxDrainMs }) {
    const parts = this.split(writes, (w) => w.id);
    await Promise.all(this.workers.map((w, i) => w.call('plan', { writes: parts[i], from })));
    const last = writes.length ? writes[writes.length - 1].at : clock();
    await sleepUntil(last + 100);
    // Bounded by time: a lost update must not hang the run, a late one should still count.
    for (let polls = 0; clock() < last + maxDrainMs && polls < 10_000; polls++) {
      const counts = await Promise.all(this.workers.map((w) => w.call('count')));
      if (counts.reduce((n, c) => n + c.count, 0) >= expected) break;
      await sleepUntil(clock() + 100);
    }
    const all = await Promise.all(this.workers.map((w) => w.call('samples')));
    return {
      latencies: all.flatMap((s) => [...s.latencies]),
      sentAt: all.flatMap((s) => [...s.sentAt]),
      receivers: all.flatMap((s) => [...s.receivers]),
      seqs: all.flatMap((s) => [...s.seqs]),
      lateness: sorted(all.flatMap((s) => [...s.lateness])),
      drops: all.reduce((n, s) => n + s.drops, 0),
      refused: all.reduce((n, s) => n + s.refused, 0),
      loopDelayP99Ms: Math.max(...all.map((s) => s.loopDelayP99Ms)),
      loopDelayMaxMs: Math.max(...all.map((s) => s.loopDelayMaxMs)),
    };
  }

  /** How many of the clients' updates our server has refused (since the last fan-out). */
  async refused() {
    const counts = await Promise.all(this.workers.map((w) => w.call('refused')));
    return counts.reduce((n, c) => n + c.refused, 0);
  }

  /** Closes every client. */
  async disconnect() {
    await Promise.all(this.workers.map((w) => w.call('disconnect')));
  }
}

/**
 * With BENCH_PROFILE_DIR set, each server host writes a V8 CPU profile there when it exits
 * (`node --cpu-prof`; NODE_OPTIONS may not carry it): where the server's time went.
 */
function profiling() {
  const dir = process.env.BENCH_PROFILE_DIR;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

/**
 * Starts a server host running `kind` ('ours' or 'relay') and CLIENT_PROCESSES client workers.
 * Resolves with `{ kind, host, server, clients, stop() }`; stops what it started if it fails.
 */
export async function startTarget(kind, { unloadGraceMs } = {}) {
  const host = spawnChild(HOST_SCRIPT, `${kind} server`, ['--expose-gc', ...profiling()]);
  const workers = [];
  const stop = () => Promise.all([...workers, host].map((child) => child.stop()));
  try {
    const server = await host.call('start', { kind, unloadGraceMs });
    if (server.dataDir) dataDirs.add(server.dataDir);
    for (let i = 0; i < CLIENT_PROCESSES; i++)
      workers.push(spawnChild(WORKER_SCRIPT, `${kind} client worker ${i}`));
    await Promise.all(workers.map((w) => checkClock(w, kind, server)));
    return { kind, host, server, clients: new ClientPool(workers), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Runs `body(target)` with a started target (see startTarget) and stops it whatever happens. */
export async function withServer(kind, options, body) {
  const target = await startTarget(kind, options);
  try {
    return await body(target);
  } finally {
    await target.stop();
  }
}

/**
 * Starts CLIENT_PROCESSES client workers for a server that runs elsewhere (the nodes of a cluster,
 * scenario cluster): `server` is `{ url, key }` (key in hex), `url` the default for clients that
 * name none. Resolves with `{ clients, stop() }`.
 */
export async function startClients(name, server) {
  const workers = [];
  const stop = () => Promise.all(workers.map((child) => child.stop()));
  try {
    for (let i = 0; i < CLIENT_PROCESSES; i++)
      workers.push(spawnChild(WORKER_SCRIPT, `${name} client worker ${i}`));
    await Promise.all(workers.map((w) => checkClock(w, 'ours', server)));
    return { clients: new ClientPool(workers), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Runs `body({ ours, relay })` with both servers (and their clients) running side by side, so a
 * scenario can alternate short rounds between them: background load on a shared machine then
 * falls on both alike instead of on whichever happened to run second.
 */
export async function withBothServers(options, body) {
  const targets = {};
  try {
    for (const kind of SERVERS) targets[kind] = await startTarget(kind, options);
    return await body(targets);
  } finally {
    await Promise.all(Object.values(targets).map((target) => target.stop()));
  }
}

/**
 * Tells `worker` which server it joins (our server gives its clients identities, the relay does
 * not). Latency is measured across processes with wall clocks; warn when a worker's clock
 * disagrees with ours by more than the round trip can explain.
 */
async function checkClock(worker, kind, server) {
  const sent = clock();
  const { clock: theirs } = await worker.call('init', { url: server.url, key: server.key, kind });
  const received = clock();
  const offset = theirs - (sent + received) / 2;
  if (Math.abs(offset) > 1 + (received - sent) / 2)
    log(`warning: ${worker.name}'s clock is ${offset.toFixed(2)} ms off; latencies are skewed by as much`);
}

/** Resolves at wall-clock time `at` (or now, if that is past). */
export function sleepUntil(at) {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, at - clock())));
}

/** A sorted copy of `values`. */
export function sorted(values) {
  return Float64Array.from(values).sort();
}

/** Nearest-rank percentile `p` (0–100) of sorted `values`; NaN when there are none. */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * values.length);
  return values[Math.min(values.length - 1, Math.max(0, rank - 1))];
}

/**
 * One fan-out measurement on `target`: runs `writes` (see ClientPool.fanout) and resolves with
 * the latencies (sorted), the p99 of each `windowMs` window of send times, delivery, and how
 * busy and how late the server and the clients were meanwhile.
 */
export async function measureFanout(target, writes, { from, expected, maxDrainMs, windowMs }) {
  const before = await target.host.call('usage');
  const samples = await target.clients.fanout(writes, { from, expected, maxDrainMs });
  const after = await target.host.call('usage');
  const cpuMicros = after.user - before.user + (after.system - before.system);
  const elapsedMs = after.at - before.at;
  const mainMicros = after.main === null ? null : after.main - before.main;
  return {
    latencies: sorted(samples.latencies),
    windowP99s: windowPercentiles(samples.sentAt, samples.latencies, windowMs, 99),
    delivered: samples.latencies.length,
    expected,
    drops: samples.drops,
    refused: samples.refused,
    writeLatenessP99: percentile(samples.lateness, 99),
    clientLoopP99Ms: samples.loopDelayP99Ms,
    clientLoopMaxMs: samples.loopDelayMaxMs,
    serverCpu: (cpuMicros / 1000 / elapsedMs) * 100,
    // Main thread vs the rest (libuv's pool: LevelDB; V8's helpers), where the OS tells us.
    serverMainThreadCpu: mainMicros === null ? null : (mainMicros / 1000 / elapsedMs) * 100,
    serverOtherThreadsCpu: mainMicros === null ? null : ((cpuMicros - mainMicros) / 1000 / elapsedMs) * 100,
    serverLoopP99Ms: after.loopP99Ms,
    serverLoopMaxMs: after.loopMaxMs,
  };
}

/** Percentile `p` of the values in each `windowMs` window of their times (windows with data). */
export function windowPercentiles(times, values, windowMs, p) {
  if (times.length === 0) return [];
  const first = times.reduce((a, b) => Math.min(a, b), Infinity);
  const windows = new Map();
  times.forEach((t, i) => {
    const w = Math.floor((t - first) / windowMs);
    if (!windows.has(w)) windows.set(w, []);
    windows.get(w).push(values[i]);
  });
  return [...windows.keys()].sort((a, b) => a - b).map((w) => percentile(sorted(windows.get(w)), p));
}

/** The median of `values` (NaN when empty). */
export function median(values) {
  return percentile(sorted(values), 50);
}
