// server-idle-room: what a connected but quiet room costs the server in memory, and whether that
// memory comes back once everyone has left.
// The server runs in a process of its own (server-host.mjs, --expose-gc); every figure is its
// process.memoryUsage() after full garbage collections. A warm-up round (20 rooms connected,
// written, left and unloaded) comes first, so what first use allocates once (compiled code,
// buffers, LevelDB's open files) is not counted per room. Then:
//   baseline → 200 rooms × 2 clients (participants, #11), the first client of each adds 10 small
//   notes (~2.5 KB) authored by itself, as the role policy asks
//   → loaded (1 s later, changes stored) → everyone disconnects, rooms unload (200 ms grace)
//   → after.
// Per room = (loaded − baseline) / 200, as heap (V8 heap used + external buffers) and as RSS.
// Residual = after − baseline. Each server is measured twice, alternating, each time in fresh
// processes, and the two are averaged (RSS in particular moves by ±10 % from run to run with what
// the allocator keeps). Target: per room ≤ 1.2× the relay; heap residual ≤ 10 % of the loaded
// delta (garbage-collector noise, not memory kept per room).
import { delay } from '../lib/child.mjs';
import { log, SERVERS, withServer } from '../lib/harness.mjs';
import { compared, figure } from '../lib/report.mjs';

export const summary =
  '200 rooms × 2 clients, small documents: server memory per room, and after they unload';

const ROOMS = 200;
const WARMUP_ROOMS = 20;
const NOTES = 10;
const UNLOAD_GRACE_MS = 200;
const ROUNDS = 2;

const heap = (m) => m.heapUsed + m.external;

/** Connects `rooms` rooms of 2 clients (ids from `firstId`) and gives each a few notes. */
async function fill(target, prefix, rooms, firstId) {
  const clients = [];
  for (let r = 0; r < rooms; r++)
    for (let j = 0; j < 2; j++) clients.push({ id: firstId + 2 * r + j, room: `${prefix}-${r}` });
  await target.clients.connect(clients, { concurrency: 25, timeoutMs: 60_000 });
  await target.clients.write(
    clients.filter((c) => c.id % 2 === 0).map((c) => c.id),
    NOTES,
  );
  // Let the notes reach the other client and (ours) be stored: flushes happen within 50 ms.
  await delay(1000);
  const refused = await target.clients.refused();
  if (refused) throw new Error(`${target.kind}: ${refused} of the notes' updates were refused`);
}

async function empty(target) {
  await target.clients.disconnect();
  await target.host.call('waitForRooms', { atMost: 0, timeoutMs: 30_000 }, 35_000);
}

async function measure(kind) {
  return withServer(kind, { unloadGraceMs: UNLOAD_GRACE_MS }, async (target) => {
    await fill(target, 'warmup', WARMUP_ROOMS, 100_000);
    await empty(target);
    const baseline = await target.host.call('memory');
    await fill(target, 'idle', ROOMS, 0);
    const { rooms, connections } = await target.host.call('rooms');
    if (rooms !== ROOMS || connections !== 2 * ROOMS)
      throw new Error(
        `${kind}: expected ${ROOMS} rooms and ${2 * ROOMS} connections, got ${rooms} and ${connections}`,
      );
    const loaded = await target.host.call('memory');
    await empty(target);
    // Sockets closed by the clients are finalized on the server a little later.
    await delay(500);
    const after = await target.host.call('memory');
    const result = {
      heapPerRoom: (heap(loaded) - heap(baseline)) / ROOMS / 1024,
      rssPerRoom: (loaded.rss - baseline.rss) / ROOMS / 1024,
      heapResidual: (heap(after) - heap(baseline)) / 1024,
      heapResidualShare: ((heap(after) - heap(baseline)) / (heap(loaded) - heap(baseline))) * 100,
      rssResidual: (after.rss - baseline.rss) / 1024,
      baselineRss: baseline.rss / 2 ** 20,
    };
    log(
      `  ${kind}: heap ${(heap(baseline) / 2 ** 20).toFixed(1)} → ${(heap(loaded) / 2 ** 20).toFixed(1)} → ` +
        `${(heap(after) / 2 ** 20).toFixed(1)} MiB, rss ${(baseline.rss / 2 ** 20).toFixed(1)} → ` +
        `${(loaded.rss / 2 ** 20).toFixed(1)} → ${(after.rss / 2 ** 20).toFixed(1)} MiB`,
    );
    return result;
  });
}

export async function run() {
  const rounds = { ours: [], relay: [] };
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? SERVERS : [...SERVERS].reverse();
    for (const kind of order) rounds[kind].push(await measure(kind));
  }
  const mean = (kind, key) => rounds[kind].reduce((sum, m) => sum + m[key], 0) / ROUNDS;
  const pick = (key) => ({ ours: mean('ours', key), relay: mean('relay', key) });
  return [
    ...compared('heap per room (#11)', pick('heapPerRoom'), 'KiB', { ratioTarget: 1.2 }),
    ...compared('RSS per room (#11)', pick('rssPerRoom'), 'KiB', { ratioTarget: 1.2 }),
    figure('heap residual after unload (ours)', mean('ours', 'heapResidual'), 'KiB'),
    figure('heap residual after unload (relay)', mean('relay', 'heapResidual'), 'KiB'),
    figure('heap residual share of loaded delta (ours)', mean('ours', 'heapResidualShare'), '%', {
      target: 10,
    }),
    figure('heap residual share of loaded delta (relay)', mean('relay', 'heapResidualShare'), '%'),
    figure('RSS residual after unload (ours)', mean('ours', 'rssResidual'), 'KiB'),
    figure('RSS residual after unload (relay)', mean('relay', 'rssResidual'), 'KiB'),
    ...compared('RSS baseline', pick('baselineRss'), 'MiB'),
  ];
}
