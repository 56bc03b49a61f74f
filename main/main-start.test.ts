// Starts the built main process (dist/main/main.cjs) as the app would, under Node with a
// stand-in for the Electron runtime (main/fake-electron/), which cannot be downloaded here: the
// bundle loads, the window is hardened, the laptop's server answers, and quitting stores it.
import { fork, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addNote, TEMPLATE_BOARD_IDS } from '../shared';
import { connectClient, noteTexts, synced, until } from '../collab-server/test-support';
import type { DesktopEvent } from '../shared/ipc';
import { startLocalHost } from './local-host';
import { workshopState } from './test-support';
import { saveWorkshopFile } from './workshop-files';

const root = path.join(import.meta.dirname, '..');
type Message = { kind: string; [field: string]: unknown };

beforeAll(() => {
  execFileSync(process.execPath, [path.join(root, 'build', 'build.mjs'), 'main', '--quiet'], { cwd: root });
});

const cleanUps: (() => void)[] = [];
afterEach(() => cleanUps.splice(0).forEach((cleanUp) => cleanUp()));

/** The main process under the stand-in, with what it reported so far. */
function startMain(
  userData: string,
  preloads: readonly string[] = [],
  launch: { readonly args?: readonly string[]; readonly cwd?: string } = {},
): {
  child: ChildProcess;
  messages: Message[];
  next: (kind: string) => Promise<Message>;
  appData: string;
} {
  // Electron's appData folder, whose talkoo folder (where main keeps its data) is `userData`.
  const appData = mkdtempSync(path.join(tmpdir(), 'talkoo-app-data-'));
  cleanUps.push(() => rmSync(appData, { recursive: true, force: true }));
  symlinkSync(userData, path.join(appData, 'talkoo'));
  const child = fork(path.join(root, 'dist', 'main', 'main.cjs'), launch.args ?? [], {
    cwd: launch.cwd ?? root,
    execArgv: ['register.cjs', ...preloads].flatMap((file) => [
      '--require',
      path.join(root, 'main', 'fake-electron', file),
    ]),
    env: { ...process.env, FAKE_ELECTRON_APP_DATA: appData },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  cleanUps.push(() => child.kill('SIGKILL'));
  const messages: Message[] = [];
  const waiting: { kind: string; resolve: (m: Message) => void }[] = [];
  child.on('message', (m: Message) => {
    const at = waiting.findIndex((w) => w.kind === m.kind);
    if (at >= 0) waiting.splice(at, 1)[0]?.resolve(m);
    else messages.push(m);
  });
  const next = (kind: string): Promise<Message> => {
    const at = messages.findIndex((m) => m.kind === kind);
    if (at >= 0) return Promise.resolve(messages.splice(at, 1)[0] as Message);
    return new Promise((resolve) => waiting.push({ kind, resolve }));
  };
  return { child, messages, next, appData };
}

type HostStatus = { ok: boolean; url: string; organiserToken: string };

/**
 * Creates a workshop on the laptop's server and writes a note the server has applied (another
 * window sees it) but may not have stored yet; returns where to find it again.
 */
async function writeUnstoredNote(status: HostStatus, text: string): Promise<{ room: string; token: string }> {
  const created = await fetch(`${status.url}/api/workshops`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${status.organiserToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ title: 'Junassa valmisteltu', language: 'fi' }),
  });
  expect(created.status).toBe(201);
  const { room, facilitatorToken } = (await created.json()) as { room: string; facilitatorToken: string };
  const writer = connectClient({ url: status.url }, room, facilitatorToken);
  const witness = connectClient({ url: status.url }, room, facilitatorToken);
  cleanUps.push(() => [writer, witness].forEach((c) => c.provider.destroy()));
  await synced(writer);
  addNote(writer.doc, TEMPLATE_BOARD_IDS.needs, { text });
  await until(witness.doc, () => noteTexts(witness.doc).includes(text));
  return { room, token: facilitatorToken };
}

/** The workshops' titles and the room's notes as the next start of the app finds them. */
async function storedAfterRestart(
  userData: string,
  room: string,
  token: string,
): Promise<{ titles: string[]; notes: string[] }> {
  const again = await startLocalHost({ dataDir: path.join(userData, 'workshops'), port: 0 });
  try {
    const listed = await fetch(`${again.status().url}/api/workshops`, {
      headers: { Authorization: `Bearer ${again.status().organiserToken}` },
    });
    const body = (await listed.json()) as { workshops: { title: string }[] };
    const reader = connectClient({ url: again.status().url }, room, token);
    cleanUps.push(() => reader.provider.destroy());
    await synced(reader);
    return { titles: body.workshops.map((w) => w.title), notes: noteTexts(reader.doc) };
  } finally {
    await again.close();
  }
}

describe('the desktop main process', () => {
  it('opens a hardened window, hosts workshops on this laptop, and stores them when quitting', async () => {
    const userData = mkdtempSync(path.join(tmpdir(), 'talkoo-user-data-'));
    cleanUps.push(() => rmSync(userData, { recursive: true, force: true }));
    const main = startMain(userData);

    await main.next('sandbox');
    const window = await main.next('window');
    expect(window.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    });
    const { url: appUrl } = (await main.next('load')) as Message & { url: string };
    expect(appUrl).toBe(`file://${path.join(root, 'dist', 'renderer', 'index.html')}`);

    let id = 0;
    const invoke = async (channel: string, senderUrl: string, args: unknown[] = []): Promise<Message> => {
      const asked = ++id;
      main.child.send({ kind: 'invoke', id: asked, channel, senderUrl, args });
      const reply = await main.next('reply');
      expect(reply.id).toBe(asked);
      return reply;
    };

    const status = (await invoke('host:status', appUrl)).value as HostStatus;
    expect(status.ok).toBe(true);
    expect(status.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const foreign = await invoke('host:status', 'https://example.org/');
    expect(foreign.error).toMatch(/host:status refused: the caller is not the Talkoo window/);

    const { room, token } = await writeUnstoredNote(status, 'Kirjoitettu juuri ennen sulkemista');
    // Quit at once: quitting waits until the laptop's server has stored everything.
    main.child.send({ kind: 'quit' });
    await main.next('quit');
    await new Promise((resolve) => main.child.once('exit', resolve));

    const stored = await storedAfterRestart(userData, room, token);
    expect(stored.titles).toContain('Junassa valmisteltu');
    expect(stored.notes).toContain('Kirjoitettu juuri ennen sulkemista');
  });

  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)(
    'quits cleanly on %s (Ctrl+C in the terminal, a system shutdown, the terminal closed), storing what the server holds',
    async (signal) => {
      const userData = mkdtempSync(path.join(tmpdir(), 'talkoo-user-data-'));
      cleanUps.push(() => rmSync(userData, { recursive: true, force: true }));
      const main = startMain(userData);
      const { url: appUrl } = await main.next('load');
      main.child.send({ kind: 'invoke', id: 1, channel: 'host:status', senderUrl: appUrl, args: [] });
      const status = (await main.next('reply')).value as HostStatus;
      const { room, token } = await writeUnstoredNote(status, `Kirjoitettu ennen ${signal}`);

      const exited = new Promise((resolve) =>
        main.child.once('exit', (code, by) => resolve({ code, signal: by })),
      );
      main.child.kill(signal);
      expect(await exited).toEqual({ code: 0, signal: null });
      expect((await storedAfterRestart(userData, room, token)).notes).toContain(
        `Kirjoitettu ennen ${signal}`,
      );
    },
  );

  it('says in the terminal that a question waits in the window when Ctrl+C meets unsaved typing', async () => {
    const userData = mkdtempSync(path.join(tmpdir(), 'talkoo-user-data-'));
    cleanUps.push(() => rmSync(userData, { recursive: true, force: true }));
    const main = startMain(userData);
    let stderr = '';
    const said = (line: string): Promise<void> =>
      new Promise((resolve) => {
        const heard = (): void => {
          if (!stderr.includes(line)) return;
          main.child.stderr?.off('data', heard);
          resolve();
        };
        main.child.stderr?.on('data', heard);
        heard();
      });
    main.child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await main.next('load');

    // The page holds typing saved nowhere yet; the user answers Stay, then Ctrl+C again and Leave.
    main.child.send({ kind: 'unsaved-work', answer: 1 });
    main.child.kill('SIGINT');
    await main.next('message-box');
    await main.next('quit-cancelled');
    await said(
      'Talkoo asks in its window whether to leave typing not saved yet: answer there (Ctrl+C again stops it at once, and that typing is lost).',
    );
    await said('Talkoo stays open, as answered in its window.');

    main.child.send({ kind: 'unsaved-work', answer: 0 });
    const exited = new Promise((resolve) => main.child.once('exit', (code) => resolve(code)));
    main.child.kill('SIGINT');
    expect(await exited).toBe(0);
  });

  it('asks nothing in the terminal when quitting from the menu meets unsaved typing', async () => {
    const userData = mkdtempSync(path.join(tmpdir(), 'talkoo-user-data-'));
    cleanUps.push(() => rmSync(userData, { recursive: true, force: true }));
    const main = startMain(userData);
    let stderr = '';
    main.child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await main.next('load');
    main.child.send({ kind: 'unsaved-work', answer: 1 });
    main.child.send({ kind: 'quit' });
    await main.next('quit-cancelled');
    main.child.send({ kind: 'unsaved-work', answer: 0 });
    const ended = new Promise((resolve) => main.child.stderr?.once('close', resolve));
    main.child.send({ kind: 'quit' });
    await ended;
    expect(stderr).not.toContain('Talkoo asks in its window');
    expect(stderr).not.toContain('Talkoo stays open');
  });

  it('keeps its data in <appData>/talkoo, where it was before package.json named the app Talkoo (Linux tells the two apart)', async () => {
    const userData = mkdtempSync(path.join(tmpdir(), 'talkoo-user-data-'));
    cleanUps.push(() => rmSync(userData, { recursive: true, force: true }));
    const main = startMain(userData);
    const { url: appUrl } = await main.next('load');
    main.child.send({ kind: 'invoke', id: 1, channel: 'host:status', senderUrl: appUrl, args: [] });
    expect((await main.next('reply')).value).toMatchObject({ ok: true });
    main.child.send({ kind: 'quit' });
    await new Promise((resolve) => main.child.once('exit', resolve));
    expect(readdirSync(main.appData)).toEqual(['talkoo']);
    expect(readdirSync(userData)).toContain('workshops');
  });

  it('loads a page that failed once more, then says why and quits rather than run on with no window', async () => {
    const userData = mkdtempSync(path.join(tmpdir(), 'talkoo-user-data-'));
    cleanUps.push(() => rmSync(userData, { recursive: true, force: true }));
    const main = startMain(userData);
    const exited = new Promise((resolve) => main.child.once('exit', resolve));
    const { url } = await main.next('load');
    const failure = {
      kind: 'fail-load',
      errorCode: -6,
      errorDescription: 'ERR_FILE_NOT_FOUND',
      url,
      isMainFrame: true,
    };

    main.child.send(failure);
    expect((await main.next('load'))['url']).toBe(url);
    main.child.send(failure);
    const box = await main.next('error-box');
    // The system's language is Finnish in the stand-in.
    expect(box['title']).toBe('Talkoo ei käynnistynyt');
    expect(box['content']).toContain('ERR_FILE_NOT_FOUND (-6)');
    expect(box['content']).toContain(String(url));
    await main.next('quit');
    await exited;
  });

  it('still opens its window when the server’s native storage module cannot load, and says hosting is unavailable', async () => {
    const userData = mkdtempSync(path.join(tmpdir(), 'talkoo-user-data-'));
    cleanUps.push(() => rmSync(userData, { recursive: true, force: true }));
    const main = startMain(userData, ['broken-native-module.cjs']);
    const exited = new Promise<Message>((resolve) =>
      main.child.once('exit', (code) => resolve({ kind: 'exit', code })),
    );

    const loaded = await Promise.race([main.next('load'), exited]);
    expect(loaded.kind).toBe('load');
    main.child.send({ kind: 'invoke', id: 1, channel: 'host:status', senderUrl: loaded['url'], args: [] });
    const reply = await Promise.race([main.next('reply'), exited]);
    expect(reply.value).toEqual({
      ok: false,
      message: expect.stringMatching(/cannot host workshops on this laptop.*invalid ELF header/s) as unknown,
    });

    main.child.send({ kind: 'quit' });
    expect(await exited).toEqual({ kind: 'exit', code: 0 });
  });
});

describe('files and menus of the desktop app', () => {
  /** A workshop file named `name` in `dir`. */
  async function workshopFile(dir: string, name: string): Promise<string> {
    const file = path.join(dir, name);
    await saveWorkshopFile(file, workshopState(name), { title: name, schemaVersion: 1 });
    return file;
  }

  /** What main sent the page next: the file it opened, or the menu command. */
  async function nextToPage(main: ReturnType<typeof startMain>): Promise<string> {
    const sent = await main.next('send');
    expect(sent['channel']).toBe('desktop:event');
    const event = sent['event'] as DesktopEvent;
    if (event.kind === 'menu') return `menu ${event.command}`;
    return event.file.ok ? `open ${event.file.path}` : `failed ${event.file.message}`;
  }

  it('opens the files the system hands it (argv, macOS open-file, a second launch) once the page has loaded, and lists them in Open Recent', async () => {
    const userData = mkdtempSync(path.join(tmpdir(), 'talkoo-user-data-'));
    const files = mkdtempSync(path.join(tmpdir(), 'talkoo-files-'));
    cleanUps.push(() => [userData, files].forEach((dir) => rmSync(dir, { recursive: true, force: true })));
    const first = await workshopFile(files, 'Kevät.talkoo');
    const second = await workshopFile(files, 'Syksy.talkoo');
    const third = await workshopFile(files, 'Talvi.talkoo');

    // A double-click on Windows or Linux: the file on the command line, relative to the folder it ran in.
    const main = startMain(userData, [], { args: ['--no-sandbox', 'Kevät.talkoo'], cwd: files });
    const menu = await main.next('menu');
    expect(menu['labels']).toContainEqual([
      'Tiedosto',
      expect.arrayContaining([
        ['Avaa viimeaikainen', ['Ei viimeaikaisia tiedostoja', '—', 'Tyhjennä viimeaikaiset']],
      ]),
    ]);
    await main.next('load');
    expect(main.messages.filter((m) => m.kind === 'send')).toEqual([]); // not before the page is there
    main.child.send({ kind: 'page-loaded' });
    expect(await nextToPage(main)).toBe(`open ${first}`);
    expect(await main.next('recent-document')).toMatchObject({ file: first });

    // macOS's open-file, then a second launch from another folder with its own flags.
    main.child.send({ kind: 'open-file', path: second });
    expect(await nextToPage(main)).toBe(`open ${second}`);
    main.child.send({
      kind: 'second-instance',
      argv: ['/opt/Talkoo/talkoo', '--flag', 'Talvi.talkoo', '/a/photo.png'],
      cwd: files,
    });
    expect(await nextToPage(main)).toBe(`open ${third}`);
    await main.next('focus');

    // Open Recent lists them most recent first, and opens the one chosen.
    let recent: unknown;
    do {
      const labels = (await main.next('menu'))['labels'] as [string, unknown][];
      recent = (labels.find(([label]) => label === 'Tiedosto')?.[1] as [string, unknown][])?.find(
        (item) => Array.isArray(item) && item[0] === 'Avaa viimeaikainen',
      )?.[1];
    } while (
      JSON.stringify(recent) !==
      JSON.stringify(['Talvi.talkoo', 'Syksy.talkoo', 'Kevät.talkoo', '—', 'Tyhjennä viimeaikaiset'])
    );
    main.child.send({ kind: 'click-menu', labels: ['Tiedosto', 'Avaa viimeaikainen', 'Kevät.talkoo'] });
    expect(await nextToPage(main)).toBe(`open ${first}`);

    // Menu commands go the same way, in order.
    main.child.send({ kind: 'click-menu', labels: ['Muokkaa', 'Kumoa'] });
    main.child.send({ kind: 'click-menu', labels: ['Tiedosto', 'Vie…'] });
    expect(await nextToPage(main)).toBe('menu undo');
    expect(await nextToPage(main)).toBe('menu export');

    // The list is there after a restart.
    main.child.send({ kind: 'quit' });
    await new Promise((resolve) => main.child.once('exit', resolve));
    const again = startMain(userData);
    const labels = JSON.stringify((await again.next('menu'))['labels']);
    expect(labels).toContain('["Kevät.talkoo","Talvi.talkoo","Syksy.talkoo","—","Tyhjennä viimeaikaiset"]');
    again.child.send({ kind: 'quit' });
    await new Promise((resolve) => again.child.once('exit', resolve));
  });

  it('opens the window where it was left, or at its default size when that is gone or the file damaged', async () => {
    const userData = mkdtempSync(path.join(tmpdir(), 'talkoo-user-data-'));
    cleanUps.push(() => rmSync(userData, { recursive: true, force: true }));
    const stateFile = path.join(userData, 'window-state.json');
    const opened = async (): Promise<unknown> => {
      const main = startMain(userData);
      const { bounds } = await main.next('window');
      main.child.send({ kind: 'quit' });
      await new Promise((resolve) => main.child.once('exit', resolve));
      return bounds;
    };

    writeFileSync(stateFile, JSON.stringify({ x: 200, y: 100, width: 1000, height: 700, maximized: false }));
    expect(await opened()).toEqual({ x: 200, y: 100, width: 1000, height: 700 });
    // The stand-in's one display is 1920 × 1080: a place beyond it is a monitor unplugged since.
    writeFileSync(stateFile, JSON.stringify({ x: 2500, y: 100, width: 1000, height: 700, maximized: false }));
    expect(await opened()).toEqual({ width: 1280, height: 800 });
    writeFileSync(stateFile, '{"x": 200, "y"');
    expect(await opened()).toEqual({ width: 1280, height: 800 });
  });

  it('asks before a page with unsaved work goes, in the system’s language, and stays unless told to leave', async () => {
    const userData = mkdtempSync(path.join(tmpdir(), 'talkoo-user-data-'));
    cleanUps.push(() => rmSync(userData, { recursive: true, force: true }));
    const main = startMain(userData);
    await main.next('load');

    main.child.send({ kind: 'prevent-unload', answer: 1 });
    expect(await main.next('message-box')).toMatchObject({
      buttons: ['Poistu', 'Jää'],
      message: 'Poistutaanko, vaikka muutoksia ei ole vielä tallennettu?',
    });
    expect((await main.next('unload'))['unloads']).toBe(false);

    main.child.send({ kind: 'prevent-unload', answer: 0 });
    expect((await main.next('unload'))['unloads']).toBe(true);
    main.child.send({ kind: 'quit' });
    await new Promise((resolve) => main.child.once('exit', resolve));
  });
});
