// server-join: how long 50 people wait when they open a 1 MB workshop at the same moment.
// Each round stores a fresh room of ~1 MiB of notes (3,400 workshop-like notes; ours: through
// its LevelDB storage with RoomManager.create; relay: content applied when the room opens), then
// 50 clients (spread over the client processes) connect at once. Each records the time from
// creating its provider to its socket opening and to its first sync (the 1 MB sync step 2
// received and applied). The room is not in memory when they arrive, so the first join loads it.
// Also reported: the server's CPU time per joining client, which background load on a shared
// machine disturbs far less than wall-clock times.
// Both servers run side by side and take turns, 4 rounds each; samples are pooled per server.
// The clients are participants (#11) and write nothing; each learns its identity from our server.
// On 2 cores the clients' own decoding of 50 × 1 MB dominates. Target: p99 and server CPU
// ≤ 1.2× the relay's (#11).
import { log, percentile, sorted, withBothServers } from '../lib/harness.mjs';
import { compared, figure } from '../lib/report.mjs';

export const summary = '50 clients joining a 1 MB room at once: connect → synced';

const CLIENTS = 50;
const ROOM_BYTES = 1024 * 1024;
const ROUNDS = 4;
/** Short, so a round's room is gone (and its memory free) before the next round. */
const UNLOAD_GRACE_MS = 200;

async function round(target, r) {
  const room = `join-${r}`;
  const { bytes } = await target.host.call('seed', { room, bytes: ROOM_BYTES }, 60_000);
  const clients = Array.from({ length: CLIENTS }, (_, i) => ({ id: 100 * r + i, room }));
  const cpuBefore = await target.host.call('usage');
  const joins = await target.clients.connect(clients, { timeoutMs: 90_000 });
  const cpuAfter = await target.host.call('usage');
  await target.clients.disconnect();
  await target.host.call('waitForRooms', { atMost: 0, timeoutMs: 20_000 }, 25_000);
  const cpuMs = (cpuAfter.user - cpuBefore.user + cpuAfter.system - cpuBefore.system) / 1000;
  return { bytes, joins, cpuMsPerJoin: cpuMs / CLIENTS };
}

export async function run() {
  return withBothServers({ unloadGraceMs: UNLOAD_GRACE_MS }, async (targets) => {
    const rounds = { ours: [], relay: [] };
    let bytes = 0;
    for (let r = 0; r < ROUNDS; r++) {
      const order = r % 2 === 0 ? ['ours', 'relay'] : ['relay', 'ours'];
      for (const kind of order) {
        const result = await round(targets[kind], r);
        bytes = result.bytes;
        rounds[kind].push(result);
        const synced = sorted(result.joins.map((j) => j.syncMs));
        log(
          `  round ${r + 1} ${kind}: synced p50 ${percentile(synced, 50).toFixed(0)} ms, ` +
            `p99 ${percentile(synced, 99).toFixed(0)} ms, server CPU ${result.cpuMsPerJoin.toFixed(1)} ms per join`,
        );
      }
    }
    const times = (kind, key) => sorted(rounds[kind].flatMap((r) => r.joins.map((j) => j[key])));
    const stat = (key, p) => ({
      ours: percentile(times('ours', key), p),
      relay: percentile(times('relay', key), p),
    });
    const cpu = (kind) => rounds[kind].reduce((sum, r) => sum + r.cpuMsPerJoin, 0) / ROUNDS;
    return [
      figure('room size', bytes / 1024, 'KiB'),
      ...compared('connect → synced p50', stat('syncMs', 50), 'ms'),
      ...compared('connect → synced p99 (#11)', stat('syncMs', 99), 'ms', { ratioTarget: 1.2 }),
      ...compared('connect → socket open p99', stat('openMs', 99), 'ms'),
      ...compared('server CPU per join (#11)', { ours: cpu('ours'), relay: cpu('relay') }, 'ms', {
        ratioTarget: 1.2,
      }),
    ];
  });
}
