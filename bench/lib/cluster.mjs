// Nodes of a cluster (#14) as processes of the server's command line (bench/.build/cli.mjs, built
// by run.mjs from collab-server/cli.ts), on the Redis and PostgreSQL the tests start
// (collab-server/test-support/services.ts, bundled as bench/.build/services.mjs): Debian's
// redis-server and postgresql on 127.0.0.1, each in a temporary folder. Used by scenario cluster.
// Every process started here is tracked by the harness, so a failing run kills it (lib/harness.mjs
// killAll); an orderly end stops it and removes its folder.
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { track, untrack } from './harness.mjs';
import { usage } from './server-process.mjs';

const CLI = fileURLToPath(new URL('../.build/cli.mjs', import.meta.url));

/** How long a node may take to listen, and to stop after SIGTERM before it is killed. */
const START_MS = 30_000;
const STOP_MS = 15_000;

/** `pid`'s parent and its CPU time (ms, all threads), from /proc; null when it has gone. */
function stat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // ppid is the 2nd field after the name, utime and stime the 12th and 13th, in 10 ms ticks.
    return { ppid: Number(fields[1]), cpuMs: (Number(fields[11]) + Number(fields[12])) * 10 };
  } catch {
    return null;
  }
}

/**
 * CPU time (ms) of process `pid` and its children alive now: PostgreSQL serves each connection
 * in a child process of its own.
 */
export function treeCpuMs(pid) {
  let total = stat(pid)?.cpuMs ?? 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const child = stat(entry);
    if (child?.ppid === pid) total += child.cpuMs;
  }
  return total;
}

/** Starts a Redis or PostgreSQL of services.ts and tracks its process. */
async function service(start) {
  const running = await start();
  track(running.process);
  return {
    url: running.url,
    /** CPU time of the service so far (ms), its connections' processes included. */
    cpuMs: () => treeCpuMs(running.process.pid),
    async stop() {
      untrack(running.process);
      await running.stop();
    },
  };
}

/** A fresh Redis (leases: one per cluster, so clusters of different rounds never meet). */
export async function startRedis() {
  const { startRedis: start } = await import('../.build/services.mjs');
  return service(start);
}

/** A PostgreSQL for the whole run (clusters of different rounds use rooms of different names). */
export async function startPostgres() {
  const { startPostgres: start } = await import('../.build/services.mjs');
  return service(start);
}

function exited(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', resolve));
}

/**
 * One server process: `talkoo-server serve` on a free port of 127.0.0.1 with a data folder of its
 * own and `flags` (the cluster's). Resolves once it listens with `{ id, url, ws, pid, kill9(),
 * stop(), cpuMs() }`: `url` http://, `ws` ws://; `stop()` is SIGTERM (a cluster node drains), then
 * SIGKILL after STOP_MS.
 */
export async function startNode(id, flags) {
  const dataDir = mkdtempSync(join(tmpdir(), `talkoo-bench-${id}-`));
  // With BENCH_PROFILE_DIR, each node writes a V8 CPU profile there when it exits in order.
  const profile = process.env.BENCH_PROFILE_DIR
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`, `--cpu-prof-name=${id}.cpuprofile`]
    : [];
  const child = spawn(
    process.execPath,
    [...profile, CLI, 'serve', '--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir, ...flags],
    // Its JSON log (a line per connection) goes nowhere, as a quiet deployment's would.
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  track(child, dataDir);
  let stderr = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${id} did not listen within ${START_MS} ms:\n${stderr}`)),
      START_MS,
    );
    child.stderr.on('data', (chunk) => {
      stderr = (stderr + chunk).slice(-20_000);
      const listening = /listening on (http:\/\/\S+)/.exec(stderr);
      if (listening) {
        clearTimeout(timer);
        resolve(listening[1]);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${id} exited (${signal ?? code}) before it listened:\n${stderr}`));
    });
  });
  const remove = () => {
    untrack(child);
    rmSync(dataDir, { recursive: true, force: true });
  };
  return {
    id,
    url,
    ws: url.replace(/^http/, 'ws'),
    /** The signing key it made in its data folder (a server alone, without --key-file), hex. */
    ownKey: () => readFileSync(join(dataDir, 'signing-key'), 'utf8').trim(),
    pid: child.pid,
    /** What the node said on stderr lately (for a failure's message). */
    stderr: () => stderr,
    cpuMs: () => (child.exitCode === null && child.signalCode === null ? usage(child.pid).cpuMs : 0),
    async kill9() {
      child.kill('SIGKILL');
      await exited(child);
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), STOP_MS);
      await exited(child);
      clearTimeout(killer);
      remove();
    },
  };
}

/**
 * `size` nodes sharing a new Redis, `postgres` and a key file (`--key-file`); with `postgres`
 * null, one server alone as today (LevelDB, no Redis, no PostgreSQL, the key it makes in its data
 * folder). Resolves with `{ nodes, key, redis, stop() }`, `key` the signing key in hex (clients sign
 * their tokens with it).
 */
export async function startCluster(name, size, postgres) {
  const dir = mkdtempSync(join(tmpdir(), `talkoo-bench-${name}-`));
  let key = randomBytes(32).toString('hex');
  const keyFile = join(dir, 'signing-key');
  writeFileSync(keyFile, `${key}\n`, { mode: 0o600 });
  const redis = postgres ? await startRedis() : null;
  const nodes = [];
  const stop = async () => {
    await Promise.all(nodes.map((node) => node.stop()));
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < size; i++) {
      const id = `${name}-node-${i + 1}`;
      const flags = postgres
        ? ['--key-file', keyFile, '--redis', redis.url, '--postgres', postgres.url, '--node-id', id]
        : [];
      nodes.push(await startNode(id, flags));
    }
    if (!postgres) key = nodes[0].ownKey();
    return { nodes, key, redis, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A node's /healthz: `{ node: { id, url }, owns: [room…], … }` on a cluster node. */
export async function health(node) {
  const res = await fetch(`${node.url}/healthz`);
  return res.json();
}

/** The node among `nodes` whose /healthz says it holds `room`, or null. */
export async function ownerOf(nodes, room) {
  for (const node of nodes) {
    const { owns = [] } = await health(node);
    if (owns.includes(room)) return node;
  }
  return null;
}
