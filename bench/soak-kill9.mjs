// `node bench/soak-kill9.mjs [--rooms 300] [--clients 10] [--kills 10] [--seconds 20] [--writes 0.2] [--json]`
// (also `npm run soak -- …`): the kill -9 soak of issue #10. Rooms × clients stock y-websocket
// clients edit (each adds a note as a participant, its key the note's id, about `writes` times a
// second while synced) against our server in a process of its own; every `seconds` the server is
// killed with SIGKILL and started again on the same data folder, `kills` times. Every client asks
// for stored acknowledgements (shared/stored-message.ts) and keeps the keys the server
// acknowledged. After each kill the clients are frozen (they neither write nor reconnect, so they
// cannot send lost keys again) and a fresh reader per room checks that every acknowledged key is
// in the restarted server's room. The clients are participants (#11): a refused update makes a
// client load the room afresh, as the app does; refusals are counted. Prints a row per figure
// (bench/lib/report.mjs); exits 1 if any acknowledged update was lost.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { CLIENT_PROCESSES, killAll, log, median, spawnChild } from './lib/harness.mjs';
import { figure, rounded, table } from './lib/report.mjs';
import { NODE_BUNDLE } from './lib/node-bundle.mjs';
import { freePort } from './lib/server-process.mjs';

const benchDir = dirname(fileURLToPath(import.meta.url));
const root = join(benchDir, '..');
const buildDir = join(benchDir, '.soak-build');

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!(value > 0)) {
    console.error(`--${name} needs a positive number`);
    process.exit(2);
  }
  return value;
}
const ROOMS = option('rooms', 300);
const CLIENTS = option('clients', 10);
const KILLS = option('kills', 10);
const SECONDS = option('seconds', 20);
const WRITES = option('writes', 0.2);
const json = process.argv.includes('--json');

const dataDir = mkdtempSync(join(tmpdir(), 'talkoo-soak-'));
let server = null;
function cleanUp() {
  server?.kill('SIGKILL');
  killAll();
  rmSync(buildDir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
}
process.on('exit', cleanUp);
// Every reader's provider adds a process 'exit' listener.
process.setMaxListeners(0);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts the server process; resolves with the ms it took to listen (its rooms load on demand). */
function startServer(port) {
  const started = performance.now();
  server = spawn(process.execPath, [join(benchDir, 'soak-server.mjs'), dataDir, String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('ready ')) resolve(performance.now() - started);
    });
    server.once('exit', (code, signal) =>
      reject(new Error(`server exited (${signal ?? code}) before it listened`)),
    );
  });
}

async function killServer() {
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGKILL');
  await exited;
  server = null;
}

/** Which acknowledged keys of `expected` (room → keys) the server's rooms lack, read by fresh clients. */
async function missingKeys(url, key, expected, tokens) {
  const missing = [];
  const rooms = Object.keys(expected);
  // A few rooms at a time: the check reads, it does not load-test.
  for (let i = 0; i < rooms.length; i += 20) {
    await Promise.all(
      rooms.slice(i, i + 20).map(async (room) => {
        const doc = new Y.Doc();
        const provider = new WebsocketProvider(url, room, doc, {
          WebSocketPolyfill: WebSocket,
          params: {
            token: tokens.signToken(key, { room, role: 'viewer', name: 'soak check', ttlSeconds: 3600 }),
          },
          disableBc: true,
        });
        try {
          await new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`room ${room} did not sync in 60 s`)), 60_000);
            provider.once('sync', () => {
              clearTimeout(timer);
              resolve();
            });
          });
          const have = doc.getMap('notes');
          for (const k of expected[room]) if (!have.has(k)) missing.push(`${room}/${k}`);
        } finally {
          provider.destroy();
          doc.destroy();
        }
      }),
    );
  }
  return missing;
}

async function waitSynced(workers, total, timeoutMs) {
  const until = performance.now() + timeoutMs;
  for (;;) {
    const counts = await Promise.all(workers.map((w) => w.call('synced')));
    const synced = counts.reduce((n, c) => n + c.synced, 0);
    if (synced >= total) return synced;
    if (performance.now() > until) return synced;
    await sleep(250);
  }
}

await build({
  entryPoints: {
    server: join(root, 'collab-server', 'server.ts'),
    tokens: join(root, 'collab-server', 'auth', 'tokens.ts'),
    stored: join(root, 'shared', 'stored-message.ts'),
    session: join(root, 'shared', 'session-message.ts'),
  },
  outdir: buildDir,
  outExtension: { '.js': '.mjs' },
  ...NODE_BUNDLE,
});
const tokens = await import(join(buildDir, 'tokens.mjs'));

const port = await freePort();
const url = `ws://127.0.0.1:${port}`;
log(`soak: ${ROOMS} rooms × ${CLIENTS} clients, ${KILLS} kills every ${SECONDS} s, data in ${dataDir}`);
const firstStart = await startServer(port);
const key = Buffer.from(readFileSync(join(dataDir, 'signing-key'), 'utf8').trim(), 'hex');
const workers = Array.from({ length: CLIENT_PROCESSES }, (_, i) =>
  spawnChild(join(benchDir, 'soak-worker.mjs'), `soak worker ${i}`),
);
const total = ROOMS * CLIENTS;
const specs = Array.from({ length: total }, (_, id) => ({
  id,
  room: `soak-${String(id % ROOMS).padStart(4, '0')}`,
}));
await Promise.all(
  workers.map((w, i) =>
    w.call('connect', {
      clients: specs.filter((s) => s.id % workers.length === i),
      target: { url, key: key.toString('hex') },
      writesPerSecond: WRITES,
    }),
  ),
);
const firstSynced = await waitSynced(workers, total, 120_000);
log(`  ${firstSynced} of ${total} clients synced; server listened after ${Math.round(firstStart)} ms`);

const cycles = [];
for (let kill = 1; kill <= KILLS; kill++) {
  await sleep(SECONDS * 1000);
  await killServer();
  const frozen = await Promise.all(workers.map((w) => w.call('freeze', {}, 60_000)));
  const expected = {};
  let acked = 0;
  for (const { byRoom } of frozen) {
    for (const [room, keys] of Object.entries(byRoom)) {
      (expected[room] ??= []).push(...keys);
      acked += keys.length;
    }
  }
  const unacked = frozen.reduce((n, f) => n + f.unacked, 0);
  const refused = frozen.reduce((n, f) => n + f.refused, 0);
  const restartMs = await startServer(port);
  const checkStarted = performance.now();
  const missing = await missingKeys(url, key, expected, tokens);
  const checkMs = performance.now() - checkStarted;
  await Promise.all(workers.map((w) => w.call('thaw')));
  const resyncStarted = performance.now();
  const synced = await waitSynced(workers, total, 120_000);
  const resyncMs = performance.now() - resyncStarted;
  cycles.push({ kill, acked, unacked, refused, lost: missing.length, restartMs, checkMs, resyncMs, synced });
  log(
    `  kill ${kill}: ${acked} acknowledged so far, ${missing.length} lost, ${unacked} in flight at the kill, ` +
      `${refused} refused so far; ` +
      `listening again after ${Math.round(restartMs)} ms, checked in ${Math.round(checkMs)} ms, ` +
      `${synced} of ${total} clients synced again after ${Math.round(resyncMs)} ms`,
  );
  if (missing.length) log(`    lost, first few: ${missing.slice(0, 5).join(', ')}`);
}

await Promise.all(workers.map((w) => w.stop()));
await killServer();

const last = cycles[cycles.length - 1] ?? { acked: 0 };
const lost = cycles.reduce((n, c) => n + c.lost, 0);
const refused = last.refused ?? 0;
const rows = [
  figure('acknowledged updates lost over all kills (#10)', lost, 'updates', { target: 0, better: 'lower' }),
  // After a kill a client may send again, in its sync reply, another's change that was relayed
  // before it was stored: not its own to write, so the whole reply is refused (#11).
  figure('updates refused by the role policy, each a reload (#11)', refused, 'updates'),
  figure('updates acknowledged as stored by the last kill', last.acked, 'updates', { better: 'higher' }),
  figure(
    'in flight (sent, not yet acknowledged) at a kill, median',
    median(cycles.map((c) => c.unacked)),
    'updates',
  ),
  figure('restart to listening, median', median(cycles.map((c) => c.restartMs)), 'ms'),
  figure('clients synced again after a restart, median', median(cycles.map((c) => c.resyncMs)), 'ms'),
  figure('clients synced again after every restart', Math.min(...cycles.map((c) => c.synced)), 'clients', {
    target: total,
    better: 'higher',
  }),
];
if (json)
  for (const row of rows)
    console.log(JSON.stringify({ scenario: 'soak-kill9', ...row, value: rounded(row.value) }));
else console.log(table(rows.map((row) => ({ scenario: 'soak-kill9', ...row }))));
process.exit(lost ? 1 : 0);
