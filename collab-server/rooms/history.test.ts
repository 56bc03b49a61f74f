/** The version history's interval, on its own (the rest is tested through the server in http/history-api.test.ts). */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../log';
import { openLevelStorage } from '../storage/level-storage';
import { removeDir, tempDir } from '../test-support';
import { VersionHistory } from './history';
import { Room } from './room';

const dirs: string[] = [];
afterEach(() => {
  vi.useRealTimers();
  for (const dir of dirs.splice(0)) removeDir(dir);
});

describe('VersionHistory', () => {
  it('waits out an interval longer than a timer can hold (25 days and more) instead of taking versions at once', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const storage = await openLevelStorage(dir);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const history = new VersionHistory(storage, silentLogger, { activeEveryMs: 365 * 86_400_000 });
    const room = new Room('long-interval', { maxAwarenessBytes: 4096 });
    history.changed(room);
    vi.advanceTimersByTime(60_000);
    // Still waiting: Node fires a longer timeout after 1 ms, which took a version per change.
    expect(vi.getTimerCount()).toBe(1);
    room.destroy();
    await storage.close();
  });
});
