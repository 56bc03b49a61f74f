// Workshop files the operating system hands the app (double-click, argv, a second instance, Open
// Recent, macOS open-file) and menu commands reach the page in the order given, however early
// they come: nothing is sent before the page has loaded, nothing is lost while it reloads.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DesktopEvent } from '../shared/ipc';
import { DesktopOutbox, openAndRemember, workshopFilesInArgv } from './desktop-files';
import { saveWorkshopFile } from './workshop-files';
import { workshopState } from './test-support';

describe('workshop files in a command line', () => {
  it('finds the file a double-click passes on Windows and Linux, and nothing else', () => {
    expect(
      workshopFilesInArgv(
        ['C:\\Program Files\\Talkoo\\Talkoo.exe', 'C:\\Users\\me\\Plan.talkoo'],
        'C:\\',
        'win32',
      ),
    ).toEqual(['C:\\Users\\me\\Plan.talkoo']);
    expect(workshopFilesInArgv(['/opt/Talkoo/talkoo', '/home/me/Plan.talkoo'], '/', 'linux')).toEqual([
      '/home/me/Plan.talkoo',
    ]);
  });

  it('ignores flags, the executable, the app folder of a development start, and other files', () => {
    expect(
      workshopFilesInArgv(
        [
          '/usr/lib/electron/electron',
          '.',
          '--no-sandbox',
          '--allow-file-access-from-files',
          '--original-process-start-time=1339',
          '-psn_0_12345',
          '/home/me/photo.png',
          '/home/me/notes.talkoo.txt',
          '/home/me/Plan.TALKOO',
        ],
        '/home/me',
        'linux',
      ),
    ).toEqual(['/home/me/Plan.TALKOO']);
    expect(workshopFilesInArgv(['/opt/Talkoo/workshop.talkoo'], '/', 'linux')).toEqual([]);
  });

  it("resolves a relative path against the launching shell's folder, not the app's", () => {
    expect(
      workshopFilesInArgv(['talkoo', 'plans/Plan.talkoo', '../Old.talkoo'], '/home/me/work', 'linux'),
    ).toEqual(['/home/me/work/plans/Plan.talkoo', '/home/me/Old.talkoo']);
    expect(workshopFilesInArgv(['Talkoo.exe', 'Plan.talkoo'], 'D:\\Shared', 'win32')).toEqual([
      'D:\\Shared\\Plan.talkoo',
    ]);
  });

  it('takes a file URL as a Linux desktop entry may pass it', () => {
    const file = '/home/me/Työpaja ja suunnitelma.talkoo';
    expect(workshopFilesInArgv(['talkoo', pathToFileURL(file).href], '/', 'linux')).toEqual([file]);
  });

  it('gives each file once', () => {
    expect(workshopFilesInArgv(['talkoo', '/a/Plan.talkoo', '/a/Plan.talkoo'], '/', 'linux')).toEqual([
      '/a/Plan.talkoo',
    ]);
  });
});

describe('the way to the page', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'talkoo-desktop-files-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function workshopFile(name: string, text: string): Promise<string> {
    const file = path.join(dir, name);
    await saveWorkshopFile(file, workshopState(text), { title: text, schemaVersion: 1 });
    return file;
  }

  /** An outbox over the real file reader, with the recent list and the page's inbox as arrays. */
  function outbox(): { box: DesktopOutbox; recent: string[]; sent: DesktopEvent[] } {
    const recent: string[] = [];
    const box = new DesktopOutbox((filePath) => openAndRemember(filePath, (opened) => recent.push(opened)));
    return { box, recent, sent: [] };
  }

  /** A page that takes every event it is sent, collected in `events`. */
  function collectInto(events: DesktopEvent[]): (event: DesktopEvent) => boolean {
    return (event) => {
      events.push(event);
      return true;
    };
  }

  const summary = (events: readonly DesktopEvent[]): string[] =>
    events.map((event) =>
      event.kind === 'menu'
        ? `menu ${event.command}`
        : event.file.ok
          ? `open ${path.basename(event.file.path)}`
          : `failed ${event.file.message}`,
    );

  it('holds what comes before the page is there (macOS open-file before ready), then sends it in order', async () => {
    const first = await workshopFile('First.talkoo', 'one');
    const second = await workshopFile('Second.talkoo', 'two');
    const { box, recent, sent } = outbox();

    box.openFile(first);
    box.menu('about');
    box.openFile(second);
    await box.idle();
    expect(sent).toEqual([]);

    box.pageReady(collectInto(sent));
    await box.idle();
    expect(summary(sent)).toEqual(['open First.talkoo', 'menu about', 'open Second.talkoo']);
    expect(recent).toEqual([first, second]);
  });

  it('sends at once while the page is there', async () => {
    const file = await workshopFile('Plan.talkoo', 'plan');
    const { box, sent } = outbox();
    box.pageReady(collectInto(sent));
    box.openFile(file);
    await box.idle();
    expect(summary(sent)).toEqual(['open Plan.talkoo']);
  });

  it('keeps what came while the page reloads (or its window was closed) for the next page', async () => {
    const file = await workshopFile('Plan.talkoo', 'plan');
    const { box, sent } = outbox();
    const old: DesktopEvent[] = [];
    box.pageReady(collectInto(old));
    box.pageGone();
    box.openFile(file);
    box.menu('new');
    await box.idle();
    expect(old).toEqual([]);

    box.pageReady(collectInto(sent));
    await box.idle();
    expect(summary(sent)).toEqual(['open Plan.talkoo', 'menu new']);
  });

  it('keeps an event the page would not take (it is no longer the app page) for the next one', async () => {
    const { box, sent } = outbox();
    box.pageReady(() => false);
    box.menu('export');
    await box.idle();
    box.pageReady(collectInto(sent));
    await box.idle();
    expect(summary(sent)).toEqual(['menu export']);
  });

  it('tells the page why a file cannot be opened, and keeps it off the recent list', async () => {
    const foreign = path.join(dir, 'photo.talkoo');
    await writeFile(foreign, Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 0, 0, 0, 0]));
    const { box, recent, sent } = outbox();
    box.pageReady(collectInto(sent));
    box.openFile(foreign);
    box.openFile(path.join(dir, 'gone.talkoo'));
    await box.idle();
    expect(summary(sent)).toEqual([
      'failed Could not open photo.talkoo. This is not a Talkoo workshop file: it does not begin with "TALKOO".',
      'failed Could not open gone.talkoo. The file or its folder does not exist.',
    ]);
    expect(recent).toEqual([]);
  });
});
