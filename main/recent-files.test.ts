// The recent-files list behind File > Open Recent, on a real temporary folder: most recent first,
// each file once, ten at most, kept across restarts, and never a file that is gone.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_RECENT_FILES, RecentFiles, withRecentFile } from './recent-files';

let dir = '';
let store = '';
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'talkoo-recent-'));
  store = path.join(dir, 'recent-files.json');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the order of the list', () => {
  it('puts the file just used first and keeps each file once', () => {
    let list: string[] = [];
    for (const file of ['/a/One.talkoo', '/a/Two.talkoo', '/a/One.talkoo']) {
      list = withRecentFile(list, file, 'linux');
    }
    expect(list).toEqual(['/a/One.talkoo', '/a/Two.talkoo']);
  });

  it('keeps the ten most recent', () => {
    let list: string[] = [];
    for (let i = 1; i <= 12; i++) list = withRecentFile(list, `/a/${i}.talkoo`, 'linux');
    expect(MAX_RECENT_FILES).toBe(10);
    expect(list).toHaveLength(10);
    expect(list[0]).toBe('/a/12.talkoo');
    expect(list.at(-1)).toBe('/a/3.talkoo');
  });

  it('knows one Windows file however its path is cased or slashed, and Linux files apart by case', () => {
    const windows = withRecentFile(['C:\\Users\\Me\\Plan.talkoo'], 'c:/users/me/PLAN.talkoo', 'win32');
    expect(windows).toEqual(['c:/users/me/PLAN.talkoo']);
    const linux = withRecentFile(['/home/me/Plan.talkoo'], '/home/me/PLAN.talkoo', 'linux');
    expect(linux).toEqual(['/home/me/PLAN.talkoo', '/home/me/Plan.talkoo']);
  });
});

describe('the stored list', () => {
  it('survives a restart', async () => {
    const recent = await RecentFiles.load(store, 'linux');
    await recent.add('/home/me/One.talkoo');
    await recent.add('/home/me/Two.talkoo');
    const again = await RecentFiles.load(store, 'linux');
    expect(again.list()).toEqual(['/home/me/Two.talkoo', '/home/me/One.talkoo']);
    // Written atomically: no temporary file is left beside the store.
    expect(await readdir(dir)).toEqual(['recent-files.json']);
  });

  it('reads a missing or damaged store as empty, and then writes a good one', async () => {
    expect((await RecentFiles.load(store, 'linux')).list()).toEqual([]);
    for (const damaged of ['{"files": ["/a/x.talk', 'null', '[1, 2]', '{"files": "x"}', '\u0000\u0001']) {
      await writeFile(store, damaged);
      expect((await RecentFiles.load(store, 'linux')).list()).toEqual([]);
    }
    const recent = await RecentFiles.load(store, 'linux');
    await recent.add('/home/me/Plan.talkoo');
    expect(JSON.parse(await readFile(store, 'utf8'))).toEqual({ files: ['/home/me/Plan.talkoo'] });
  });

  it('keeps only absolute workshop paths from a store edited by hand, ten at most', async () => {
    const files = ['relative/Plan.talkoo', 42, '/a/notes.txt', '/a/Kept.talkoo', '/a/Kept.talkoo'];
    const many = Array.from({ length: 15 }, (_, i) => `/b/${i}.talkoo`);
    await writeFile(store, JSON.stringify({ files: [...files, ...many] }));
    const list = (await RecentFiles.load(store, 'linux')).list();
    expect(list).toEqual(['/a/Kept.talkoo', ...many.slice(0, 9)]);
  });

  it('drops the files that are gone when asked for the menu, and forgets them', async () => {
    const kept = path.join(dir, 'Kept.talkoo');
    await writeFile(kept, 'x');
    const recent = await RecentFiles.load(store, 'linux');
    await recent.add(path.join(dir, 'Deleted.talkoo'));
    await recent.add(kept);
    expect(await recent.existing()).toEqual([kept]);
    expect((await RecentFiles.load(store, 'linux')).list()).toEqual([kept]);
  });

  it('keeps a file opened while the menu is being built (the check of the others is still under way)', async () => {
    const [spring, autumn] = [path.join(dir, 'Spring.talkoo'), path.join(dir, 'Autumn.talkoo')];
    for (const file of [spring, autumn]) await writeFile(file, 'x');
    const recent = await RecentFiles.load(store, 'linux');
    await recent.add(spring);
    // The menu is rebuilt for Spring while Autumn opens (a double-click, then another at once).
    const checked = recent.existing();
    await recent.add(autumn);
    await checked;
    await recent.idle();
    expect(recent.list()).toEqual([autumn, spring]);
    expect((await RecentFiles.load(store, 'linux')).list()).toEqual([autumn, spring]);
  });

  it('lists Windows network files without reaching their host, so the menu never waits on one', async () => {
    const gone = path.join(dir, 'Deleted.talkoo');
    const shared = ['\\\\nas\\team\\Plan.talkoo', '//nas/team/Budget.talkoo'];
    const recent = await RecentFiles.load(store, 'win32');
    for (const file of [gone, ...shared]) await recent.add(file);
    expect(await recent.existing()).toEqual([...shared].reverse());
  });

  it('clears the list (Clear Recent)', async () => {
    const recent = await RecentFiles.load(store, 'linux');
    await recent.add('/home/me/Plan.talkoo');
    await recent.clear();
    expect(recent.list()).toEqual([]);
    expect((await RecentFiles.load(store, 'linux')).list()).toEqual([]);
  });

  it('tells its listener after each change, in the order of the changes', async () => {
    const heard: string[][] = [];
    const recent = await RecentFiles.load(store, 'linux', (list) => heard.push([...list]));
    await Promise.all([recent.add('/a/One.talkoo'), recent.add('/a/Two.talkoo')]);
    await recent.clear();
    expect(heard).toEqual([['/a/One.talkoo'], ['/a/Two.talkoo', '/a/One.talkoo'], []]);
    expect((await RecentFiles.load(store, 'linux')).list()).toEqual([]);
  });

  it('keeps the list in memory when the store cannot be written', async () => {
    const recent = await RecentFiles.load(path.join(dir, 'missing-folder', 'recent.json'), 'linux');
    await recent.add('/home/me/Plan.talkoo');
    expect(recent.list()).toEqual(['/home/me/Plan.talkoo']);
  });
});
