// history: what the version history (collab-server/rooms/history.ts) costs per room, in our
// server with LevelDB in a temp folder and its version clock driven by the scenario.
//  - One version of a typical workshop (60 notes) and of the issue #9 workshop (2,000 notes, 500
//    actions): its bytes (a full Y.encodeStateAsUpdate), the time to take it, and the heap it
//    allocates while taken (the history keeps nothing of it in memory afterwards).
//  - Disk: the data folder's growth over 50 versions of the large workshop, one small edit apart.
//  - Restore in place of the large workshop after half its notes were deleted (replaceContent).
//  - Retention: the typical workshop worked on 8 hours a day for 100 days, a version every 10
//    minutes (4,800 taken); the versions kept at the end and their bytes, the steady state a room
//    reaches under the default policy (a day of all, a week hourly, 90 days daily, 500 at most).
// No targets: issue #10 asks for the figures.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { log } from '../lib/harness.mjs';
import { addNotes } from '../lib/content.mjs';
import { benchWorkshop } from '../lib/export-workshop.mjs';
import { figure } from '../lib/report.mjs';

export const summary =
  'version history: bytes per version, disk growth, restore time, retention over 100 days';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function folderBytes(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? folderBytes(path) : statSync(path).size;
  }
  return total;
}

function heapUsed() {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed;
}

/** Takes a version of `room` now; returns its record, the time taken and the heap allocated meanwhile. */
async function take(history, room) {
  const before = process.memoryUsage().heapUsed;
  const begun = performance.now();
  const info = await history.take(room, 'active');
  const ms = performance.now() - begun;
  const allocated = Math.max(0, process.memoryUsage().heapUsed - before);
  if (!info) throw new Error('the version could not be stored');
  return { info, ms, allocated };
}

export async function run() {
  const { startServer } = await import('../.build/server.mjs');
  const dataDir = mkdtempSync(join(tmpdir(), 'talkoo-bench-history-'));
  let now = Date.UTC(2026, 0, 5, 8, 0, 0);
  const server = await startServer({
    port: 0,
    dataDir,
    // Versions are taken by the scenario, never by the interval.
    history: { now: () => now, activeEveryMs: 20 * DAY },
  });
  const { history } = server.rooms;
  try {
    // A typical workshop: 60 notes.
    const small = new Y.Doc();
    addNotes(small, { count: 60 });
    await server.rooms.create('typical', small);
    const typical = await server.rooms.acquire('typical');
    const one = await take(history, typical);

    // The issue #9 workshop.
    const { doc: bigDoc } = await benchWorkshop();
    await server.rooms.create('large', bigDoc);
    const large = await server.rooms.acquire('large');
    heapUsed();
    const first = await take(history, large);
    log(`  large workshop: one version of ${first.info.bytes} bytes in ${first.ms.toFixed(1)} ms`);

    // Disk: 50 versions of the large workshop, each after a small edit.
    const diskBefore = folderBytes(dataDir);
    const times = [];
    for (let i = 0; i < 50; i++) {
      now += 5 * MINUTE;
      large.doc.getMap('meta').set('title', `Large workshop, edit ${i}`);
      times.push((await take(history, large)).ms);
    }
    await server.rooms.flushAll();
    const diskPerVersion = (folderBytes(dataDir) - diskBefore) / 50;
    times.sort((a, b) => a - b);
    log(`  50 versions: data folder grew ${(diskPerVersion / 1024).toFixed(0)} KiB per version`);

    // Restore in place after half the notes were deleted.
    const notes = large.doc.getMap('notes');
    const keys = [...notes.keys()];
    large.doc.transact(() => {
      for (const key of keys.slice(0, keys.length / 2)) notes.delete(key);
    });
    const restoreBegun = performance.now();
    await history.restore(large, first.info.id, { link: 'bench', name: 'Bench' });
    const restoreMs = performance.now() - restoreBegun;
    if (notes.size !== keys.length) throw new Error(`restored ${notes.size} of ${keys.length} notes`);

    // Retention over 100 days of 8-hour working days, a version every 10 minutes.
    const retentionBefore = folderBytes(dataDir);
    const started = performance.now();
    let taken = 0;
    for (let day = 0; day < 100; day++) {
      now = Date.UTC(2026, 1, 1, 8, 0, 0) + day * DAY;
      for (let slot = 0; slot < 48; slot++) {
        now += 10 * MINUTE;
        typical.doc.getMap('meta').set('title', `Typical workshop, day ${day} slot ${slot}`);
        await history.take(typical, 'active');
        taken++;
      }
    }
    const kept = await history.list('typical');
    const keptBytes = kept.reduce((n, v) => n + v.bytes, 0);
    log(
      `  retention: ${taken} versions taken in ${((performance.now() - started) / 1000).toFixed(1)} s, ` +
        `${kept.length} kept (${(keptBytes / 1024).toFixed(0)} KiB of states); the data folder ` +
        `grew ${((folderBytes(dataDir) - retentionBefore) / 1024).toFixed(0)} KiB (LevelDB compacts lazily)`,
    );
    return [
      figure('typical workshop (60 notes): bytes per version', one.info.bytes, 'B'),
      figure('typical workshop: time to take a version', one.ms, 'ms'),
      figure('large workshop (2,000 notes, 500 actions): bytes per version', first.info.bytes, 'B'),
      figure('large workshop: time to take a version (median of 50)', times[25] ?? NaN, 'ms'),
      figure('large workshop: heap allocated while taking a version', first.allocated, 'B'),
      figure('large workshop: data folder growth per version', diskPerVersion, 'B'),
      figure('large workshop: restore in place after half the notes were deleted', restoreMs, 'ms'),
      figure('typical workshop: versions kept after 100 working days', kept.length, 'count'),
      figure('typical workshop: bytes of kept versions after 100 working days', keptBytes, 'B'),
    ];
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
