// Our server in a process of its own (bench/server-process.mjs) on a data folder and port that
// survive a restart: start, stop (SIGTERM: it stores, closes every socket, exits), start again.
// Used by the reconnect-storm and merge scenarios.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../server-process.mjs', import.meta.url));
const TICK_MS = 10; // Linux's USER_HZ: /proc's CPU times are in hundredths of a second.

/** A port on 127.0.0.1 that nothing listens on right now. */
export async function freePort() {
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** A process of the server on `dataDir` and `port`, once it listens. */
function spawnServer(dataDir, port) {
  // With BENCH_PROFILE_DIR, a V8 CPU profile of each server process is written there when it exits.
  const profile = process.env.BENCH_PROFILE_DIR
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
    : [];
  const child = spawn(process.execPath, [...profile, SCRIPT, dataDir, String(port)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('ready ')) resolve(child);
    });
    child.once('exit', (code, signal) =>
      reject(new Error(`server exited (${signal ?? code}) before it listened`)),
    );
  });
}

function stopProcess(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  return exited;
}

/**
 * Starts our server in a new temporary folder on a free port. Returns `{ url, key, pid(),
 * restart(), close() }`: `url` is ws://, `key` the signing key, `restart()` stops it and starts a
 * new process on the same folder and port.
 */
export async function startServerProcess() {
  const dataDir = mkdtempSync(join(tmpdir(), 'talkoo-bench-process-'));
  const port = await freePort();
  let child = await spawnServer(dataDir, port);
  return {
    url: `ws://127.0.0.1:${port}`,
    key: Buffer.from(readFileSync(join(dataDir, 'signing-key'), 'utf8').trim(), 'hex'),
    pid: () => child.pid,
    async restart() {
      await stopProcess(child);
      child = await spawnServer(dataDir, port);
    },
    async close() {
      await stopProcess(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** CPU time (ms, all threads) and peak RSS (MiB, VmHWM) of a process, from /proc. */
export function usage(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuMs = (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { cpuMs, peakRssMiB: Number(hwm?.[1] ?? NaN) / 1024 };
}

/**
 * Samples `pid`'s CPU every `windowMs`; stop() returns its peak CPU (% of one core, over one
 * window) and its peak RSS (MiB) since it started.
 */
export function sampleProcess(pid, windowMs = 250) {
  let last = { at: performance.now(), ...usage(pid) };
  let peakCpu = 0;
  let peakRss = last.peakRssMiB;
  const read = () => {
    try {
      const now = { at: performance.now(), ...usage(pid) };
      peakCpu = Math.max(peakCpu, ((now.cpuMs - last.cpuMs) / (now.at - last.at)) * 100);
      peakRss = Math.max(peakRss, now.peakRssMiB);
      last = now;
    } catch {
      // The process has gone.
    }
  };
  const timer = setInterval(read, windowMs);
  return {
    stop() {
      clearInterval(timer);
      read();
      return { peakCpu, peakRss };
    },
  };
}
