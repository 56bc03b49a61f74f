/**
 * After a full disk, reading works again once the disk has room (#10, review). A write that fails
 * closes the LevelDB handle to open it again (level-storage.ts); when the disk is still full that
 * open fails too, and the store stayed closed: with nothing left to write (the failed write was a
 * version or a room's record, which nobody retries), every later load failed ("Database is not
 * open"), so no one could join any room that was not in memory until the server restarted.
 * On a real 4 MiB tmpfs in a user and mount namespace (test-support.ts, smallTmpfs).
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { smallTmpfs, TestBed, type SmallDisk } from '../test-support';
import { openLevelStorage } from './level-storage';

const bed = new TestBed();
const disks: SmallDisk[] = [];
afterEach(async () => {
  for (const disk of disks.splice(0)) disk.unmount();
  await bed.cleanUp();
});

describe('the store after a full disk', () => {
  it('loads rooms again once the disk has room, though nothing was written since the failed open', async () => {
    const disk = await smallTmpfs(bed.dir());
    if (!disk) throw new Error('this test needs a tmpfs in a user and mount namespace (unshare)');
    disks.push(disk);
    const storage = await openLevelStorage(join(disk.root, 'rooms'));
    await storage.append('kept', [new Uint8Array([1, 2, 3])]);
    await disk.fill();
    const version = { id: '000000000000001-abcdef', time: 1, trigger: 'unload' as const, present: [] };
    await expect(
      storage.putVersion('kept', { ...version, bytes: 65536 }, new Uint8Array(65536)),
    ).rejects.toThrow();
    // The next write opens the store again first, which the full disk refuses.
    await expect(storage.describe('kept', { created: '', title: 'Kept', language: 'fi' })).rejects.toThrow();
    await disk.free();
    expect((await storage.load('kept')).map((update) => [...update])).toEqual([[1, 2, 3]]);
    expect(await storage.exists('kept')).toBe(false);
    await storage.close();
  });
});
