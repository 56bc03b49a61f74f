/**
 * /readyz answers 200 again once the disk has room, even when nothing is left to store (#10,
 * review). "Degraded" ended only when a room's changes were stored; a fault in what nobody
 * retries (a room's record or compaction as it unloads, a version) left the server degraded for
 * good, and a load balancer that follows /readyz sent it no one, so no change could ever prove the
 * disk sound again. On a real 4 MiB tmpfs in a user and mount namespace (test-support.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { addNote, TEMPLATE_BOARD_IDS } from '../../shared';
import {
  noteTexts,
  smallTmpfs,
  startWorkshop,
  synced,
  TestBed,
  waitFor,
  type SmallDisk,
} from '../test-support';

const bed = new TestBed();
const disks: SmallDisk[] = [];
afterEach(async () => {
  await bed.cleanUp();
  for (const disk of disks.splice(0)) disk.unmount();
});

describe('readiness after a full disk', () => {
  it('turns ready again once the disk has room, with no room holding changes', async () => {
    const disk = await smallTmpfs(bed.dir());
    if (!disk) throw new Error('this test needs a tmpfs in a user and mount namespace (unshare)');
    disks.push(disk);
    const server = await bed.start({ dataDir: disk.root });
    const ready = async (): Promise<number> => (await fetch(`${server.url}/readyz`)).status;
    const alice = bed.connect(server, 'room', 'facilitator');
    await synced(alice);
    startWorkshop(alice.doc, 'Full disk');
    addNote(alice.doc, TEMPLATE_BOARD_IDS.needs, {
      text: `Stored before the disk filled ${'.'.repeat(64 * 1024)}`,
    });
    await waitFor('the note to be stored', () => {
      const doc = server.rooms.peek('room')?.doc;
      return doc !== undefined && noteTexts(doc).length === 1 && server.rooms.unstored === 0;
    });
    await disk.fill();
    // Alice leaves: the room unloads, and compacting it, its record and its version all fail.
    alice.provider.destroy();
    await waitFor('the room to unload', () => server.rooms.size === 0);
    expect(await ready()).toBe(503);
    await disk.free();
    await waitFor('the server to be ready again', async () => (await ready()) === 200);
    const health = (await (await fetch(`${server.url}/healthz`)).json()) as { status: string };
    expect(health.status).toBe('ok');
  });
});
