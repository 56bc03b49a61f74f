// server-fanout: how long an update takes to reach everyone else in a busy room.
// 50 clients in one room on each server (spread over that server's client processes), all
// participants (#11): client 0 adds a note, then one writer at a time types `<seq>@<at>|` into
// its text every 50 ms (a text edit of a note, judged by the role policy on our server), rotating
// through the clients; each of the other 49 records arrival − `at` (wall clocks, comparable
// across processes on one machine).
// Both servers run side by side and take turns: 4 rounds each of 130 writes, the first 10 of a
// round not recorded; samples are pooled per server. Also reported: the median of the rounds'
// p99s (a burst of outside load on a shared machine spoils one round, not all), and the server's
// CPU and event-loop delay, and how many edits our server refused (none should be). Target: p99
// ≤ 25 ms and ≤ 1.2× the relay; no figure of ours above 1.2× the relay's (#11).
import { clock, delay } from '../lib/child.mjs';
import {
  log,
  measureFanout,
  median,
  percentile,
  sleepUntil,
  sorted,
  withBothServers,
} from '../lib/harness.mjs';
import { compared, figure } from '../lib/report.mjs';

export const summary = '50 clients in one room, one writer at a time every 50 ms: fan-out latency';

const CLIENTS = 50;
const ROUNDS = 4;
const WRITES_PER_ROUND = 130;
const WARMUP_WRITES = 10;
const INTERVAL_MS = 50;

/** One round on one server, its writes numbered from `firstSeq`. */
async function round(target, firstSeq) {
  const start = clock() + 200;
  const writes = Array.from({ length: WRITES_PER_ROUND }, (_, i) => ({
    at: start + i * INTERVAL_MS,
    id: i % CLIENTS,
    seq: firstSeq + i,
  }));
  await sleepUntil(start - 100);
  return measureFanout(target, writes, {
    from: firstSeq + WARMUP_WRITES,
    expected: (WRITES_PER_ROUND - WARMUP_WRITES) * (CLIENTS - 1),
    maxDrainMs: 5000,
    windowMs: WRITES_PER_ROUND * INTERVAL_MS,
  });
}

function summarize(rounds) {
  const latencies = sorted(rounds.flatMap((r) => [...r.latencies]));
  const expected = rounds.reduce((n, r) => n + r.expected, 0);
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    roundP99: median(rounds.map((r) => percentile(r.latencies, 99))),
    max: percentile(latencies, 100),
    delivered: (latencies.length / expected) * 100,
    refused: rounds.reduce((n, r) => n + r.refused, 0),
    serverCpu: rounds.reduce((sum, r) => sum + r.serverCpu, 0) / rounds.length,
    serverLoopMax: Math.max(...rounds.map((r) => r.serverLoopMaxMs)),
    clientLoopP99: Math.max(...rounds.map((r) => r.clientLoopP99Ms)),
  };
}

export async function run() {
  return withBothServers({}, async (targets) => {
    const ids = Array.from({ length: CLIENTS }, (_, id) => id);
    for (const target of Object.values(targets)) {
      await target.clients.connect(
        ids.map((id) => ({ id, room: 'fanout' })),
        { timeoutMs: 30_000 },
      );
      await target.clients.addMarks([0]);
    }
    // Let the joins' awareness traffic die down before measuring.
    await delay(500);
    const rounds = { ours: [], relay: [] };
    for (let r = 0; r < ROUNDS; r++) {
      // Alternate who goes first, so neither always follows the other.
      const order = r % 2 === 0 ? ['ours', 'relay'] : ['relay', 'ours'];
      for (const kind of order) {
        const result = await round(targets[kind], r * WRITES_PER_ROUND);
        rounds[kind].push(result);
        log(
          `  round ${r + 1} ${kind}: p50 ${percentile(result.latencies, 50).toFixed(1)} ms, ` +
            `p99 ${percentile(result.latencies, 99).toFixed(1)} ms, ` +
            `server loop delay max ${result.serverLoopMaxMs.toFixed(0)} ms, ` +
            `client loop delay p99 ${result.clientLoopP99Ms.toFixed(0)} ms`,
        );
      }
    }
    const ours = summarize(rounds.ours);
    const relay = summarize(rounds.relay);
    const pick = (key) => ({ ours: ours[key], relay: relay[key] });
    return [
      ...compared('latency p50', pick('p50'), 'ms'),
      ...compared('latency p99 (#11)', pick('p99'), 'ms', { target: 25, ratioTarget: 1.2 }),
      ...compared('latency p99, median round (#11)', pick('roundP99'), 'ms', {
        target: 25,
        ratioTarget: 1.2,
      }),
      ...compared('latency max', pick('max'), 'ms'),
      figure('delivered (ours)', ours.delivered, '%', { target: 100, better: 'higher' }),
      figure('delivered (relay)', relay.delivered, '%', { better: 'higher' }),
      figure('edits refused (ours)', ours.refused, 'updates', { target: 0 }),
      ...compared('server CPU (#11)', pick('serverCpu'), '% of a core', { ratioTarget: 1.2 }),
      ...compared('server event-loop delay max', pick('serverLoopMax'), 'ms'),
      ...compared('client event-loop delay p99', pick('clientLoopP99'), 'ms'),
    ];
  });
}
