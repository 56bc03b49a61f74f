// The IPC gate and handlers, in Node: only the app's own window gets answers, malformed
// arguments never reach a handler, and save/open behave as the user sees them (real files,
// dialogs replaced by the path the user would pick).
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { workshopState } from './test-support';
import { ipcChannels, type IpcChannel, type SaveExportRequest } from '../shared/ipc';
import {
  createIpcHandlers,
  handleInvoke,
  IpcRefusedError,
  registerIpcHandlers,
  senderUrlOf,
  type DesktopServices,
  type IpcHandlers,
  type IpcRegistrar,
} from './ipc-handlers';
import { startLocalHost, type LocalHost } from './local-host';
import type { TrustPolicy } from './trusted-url';

const appUrl = pathToFileURL('/opt/talkoo/dist/renderer/index.html').href;
const policy: TrustPolicy = { rendererFileUrl: appUrl, devServerOrigin: null };

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'talkoo-ipc-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Handlers that record what reached them. */
function recordingHandlers(): { handlers: IpcHandlers; calls: unknown[] } {
  const calls: unknown[] = [];
  const handlers: IpcHandlers = {
    'app:info': (request) => {
      calls.push(request);
      return Promise.resolve({ version: '1.2.3', platform: 'linux' });
    },
    'workshop-file:save': (request) => {
      calls.push(request);
      return Promise.resolve({ ok: true, path: '/x.talkoo' });
    },
    'workshop-file:open': (request) => {
      calls.push(request);
      return Promise.resolve({ ok: false, reason: 'cancelled', message: 'No file was chosen.' });
    },
    'workshop-file:open-path': (request) => {
      calls.push(request);
      return Promise.resolve({ ok: false, reason: 'error', message: 'not in this test' });
    },
    'host:status': (request) => {
      calls.push(request);
      return Promise.resolve({ ok: false, message: 'not hosting' });
    },
    'host:network': (request) => {
      calls.push(request);
      return Promise.resolve({ ok: false, message: 'not hosting' });
    },
    'export:save': (request) => {
      calls.push(request);
      return Promise.resolve({ ok: false, reason: 'cancelled' });
    },
    'export:pdf': (request) => {
      calls.push(request);
      return Promise.resolve({ ok: false, reason: 'cancelled' });
    },
  };
  return { handlers, calls };
}

/** Desktop services whose dialogs answer with the given paths and remember what they offered. */
function services(answers: {
  save?: string | null;
  open?: string | null;
  exportTo?: string | null;
  pdf?: Uint8Array | Error;
  localHost?: () => Promise<LocalHost>;
}): DesktopServices & { offered: string[]; offeredExports: string[][]; printed: string[]; recent: string[] } {
  const offered: string[] = [];
  const offeredExports: string[][] = [];
  const printed: string[] = [];
  const recent: string[] = [];
  return {
    appVersion: '0.1.0',
    platform: 'linux',
    offered,
    offeredExports,
    printed,
    recent,
    rememberRecentFile: (filePath) => recent.push(filePath),
    chooseSavePath: (fileName) => {
      offered.push(fileName);
      return Promise.resolve(answers.save ?? null);
    },
    chooseOpenPath: () => Promise.resolve(answers.open ?? null),
    chooseExportPath: (fileName, format) => {
      offeredExports.push([fileName, format]);
      return Promise.resolve(answers.exportTo ?? null);
    },
    printToPdf: (html) => {
      printed.push(html);
      const { pdf } = answers;
      if (pdf === undefined) return Promise.reject(new Error('no printing in this test'));
      return pdf instanceof Error ? Promise.reject(pdf) : Promise.resolve(pdf);
    },
    localHost: answers.localHost ?? (() => Promise.reject(new Error('no local host in this test'))),
  };
}

describe('the sender check', () => {
  it('answers the app window', async () => {
    const { handlers } = recordingHandlers();
    await expect(handleInvoke('app:info', `${appUrl}#/board`, [], handlers, policy)).resolves.toEqual({
      version: '1.2.3',
      platform: 'linux',
    });
  });

  it('refuses any other page, and never runs the handler', async () => {
    const { handlers, calls } = recordingHandlers();
    const request = { suggestedName: 'a', title: 'a', state: new Uint8Array(2) };
    for (const sender of [
      'https://evil.example/',
      'file:///home/me/Downloads/index.html',
      'about:blank',
      null,
    ]) {
      await expect(handleInvoke('workshop-file:save', sender, [request], handlers, policy)).rejects.toThrow(
        new IpcRefusedError('workshop-file:save refused: the caller is not the Talkoo window'),
      );
    }
    expect(calls).toEqual([]);
  });

  it('does not let an iframe speak for the app, even one showing the app page', () => {
    expect(senderUrlOf({ url: appUrl, parent: null })).toBe(appUrl);
    expect(senderUrlOf({ url: appUrl, parent: { url: appUrl } })).toBeNull();
    expect(senderUrlOf(null)).toBeNull();
  });
});

describe('argument parsing', () => {
  async function refusal(channel: IpcChannel, args: unknown[]): Promise<string> {
    const { handlers, calls } = recordingHandlers();
    try {
      await handleInvoke(channel, appUrl, args, handlers, policy);
    } catch (error) {
      expect(calls).toEqual([]);
      return error instanceof Error ? error.message : String(error);
    }
    throw new Error('expected the call to be refused');
  }

  it('refuses a network switch that is not exactly true or false', async () => {
    expect(await refusal('host:network', [{ open: 'yes' }])).toBe(
      'host:network refused: invalid arguments: open: must be true or false',
    );
    expect(await refusal('host:network', [])).toMatch(/expected one request object, got 0 arguments/);
    expect(await refusal('host:status', [{ open: true }])).toMatch(/expected no arguments, got 1/);
  });

  it('names the field at fault', async () => {
    const valid = { suggestedName: 'Plan', title: 'Plan', state: new Uint8Array([0, 0]) };
    expect(await refusal('workshop-file:save', [{ ...valid, state: [0, 0] }])).toBe(
      'workshop-file:save refused: invalid arguments: state: must be bytes (a Uint8Array)',
    );
    expect(await refusal('workshop-file:save', [{ ...valid, title: undefined }])).toBe(
      'workshop-file:save refused: invalid arguments: title: must be a string',
    );
    expect(await refusal('workshop-file:save', [{ ...valid, title: 'x'.repeat(501) }])).toBe(
      'workshop-file:save refused: invalid arguments: title: must be at most 500 characters',
    );
    expect(await refusal('workshop-file:save', [{ ...valid, suggestedName: 42 }])).toBe(
      'workshop-file:save refused: invalid arguments: suggestedName: must be a string',
    );
    expect(await refusal('workshop-file:save', [{ ...valid, workshop: '../w-1' }])).toBe(
      'workshop-file:save refused: invalid arguments: workshop: must be a workshop room name (w-<uuid>) or null',
    );
    expect(await refusal('workshop-file:save', [{ ...valid, origin: 'file:///home' }])).toBe(
      'workshop-file:save refused: invalid arguments: origin: must be an http(s) origin or null',
    );
  });

  it('refuses missing, extra and non-object arguments', async () => {
    expect(await refusal('workshop-file:save', [])).toMatch(/expected one request object, got 0 arguments/);
    expect(await refusal('workshop-file:save', [null])).toMatch(/expected a request object/);
    expect(await refusal('workshop-file:save', [['a']])).toMatch(/expected a request object/);
    expect(await refusal('app:info', ['extra'])).toMatch(/expected no arguments, got 1/);
    expect(await refusal('workshop-file:open', [{}, {}])).toMatch(/expected no arguments, got 2/);
  });

  it('hands the handler only the known fields', async () => {
    const { handlers, calls } = recordingHandlers();
    const state = new Uint8Array([0, 0]);
    await handleInvoke(
      'workshop-file:save',
      appUrl,
      [{ suggestedName: 'P', title: 'T', state, extra: 'x' }],
      handlers,
      policy,
    );
    expect(calls).toEqual([{ suggestedName: 'P', title: 'T', state, workshop: null, origin: null }]);
  });
});

describe('registration', () => {
  it('registers every channel of the contract, each behind the gate', async () => {
    const listeners = new Map<string, Parameters<IpcRegistrar['handle']>[1]>();
    const { handlers } = recordingHandlers();
    registerIpcHandlers(
      { handle: (channel, listener) => listeners.set(channel, listener) },
      handlers,
      policy,
    );

    expect([...listeners.keys()].sort()).toEqual([...ipcChannels()].sort());
    expect([...listeners.keys()].sort()).toEqual([
      'app:info',
      'export:pdf',
      'export:save',
      'host:network',
      'host:status',
      'workshop-file:open',
      'workshop-file:open-path',
      'workshop-file:save',
    ]);

    const appInfo = listeners.get('app:info');
    await expect(appInfo?.({ senderFrame: { url: appUrl, parent: null } })).resolves.toEqual({
      version: '1.2.3',
      platform: 'linux',
    });
    await expect(appInfo?.({ senderFrame: { url: appUrl, parent: {} } })).rejects.toThrow(IpcRefusedError);
  });
});

describe('the handlers', () => {
  it('report the app version and platform', async () => {
    await expect(createIpcHandlers(services({}))['app:info'](undefined)).resolves.toEqual({
      version: '0.1.0',
      platform: 'linux',
    });
  });

  it('save where the user chose, offering a safe name, and open it again', async () => {
    const file = path.join(dir, 'chosen.talkoo');
    const desktop = services({ save: file, open: file });
    const handlers = createIpcHandlers(desktop);
    const state = workshopState('Kirjastot mukaan');

    const saved = await handlers['workshop-file:save']({
      suggestedName: 'Plan 2026/27',
      title: 'Plan',
      state,
    });
    expect(saved).toEqual({ ok: true, path: file });
    expect(desktop.offered).toEqual(['Plan 2026 27.talkoo']);

    const opened = await handlers['workshop-file:open'](undefined);
    if (!opened.ok) throw new Error(opened.message);
    expect(opened.path).toBe(file);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, opened.state);
    const note = doc.getMap('notes').get('note-1');
    expect(note instanceof Y.Map && String(note.get('text'))).toBe('Kirjastot mukaan');
  });

  it('save the workshop and its server into the file, and give them back with the header on open', async () => {
    const file = path.join(dir, 'Plan.talkoo');
    const handlers = createIpcHandlers(services({ save: file, open: file }));
    const workshop = 'w-5d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';
    const origin = 'https://talkoo.example.fi';
    await handlers['workshop-file:save']({
      suggestedName: 'Plan',
      title: 'Plan',
      state: workshopState('a'),
      workshop,
      origin,
    });
    const opened = await handlers['workshop-file:open'](undefined);
    expect(opened.ok && opened.header).toEqual({
      formatVersion: 1,
      title: 'Plan',
      schemaVersion: expect.any(Number) as unknown,
      workshop,
      origin,
    });
  });

  it('write nothing when the user cancels either dialog', async () => {
    const handlers = createIpcHandlers(services({ save: null, open: null }));
    await expect(
      handlers['workshop-file:save']({ suggestedName: 'a', title: 'a', state: workshopState('a') }),
    ).resolves.toEqual({ ok: false, reason: 'cancelled' });
    await expect(handlers['workshop-file:open'](undefined)).resolves.toEqual({
      ok: false,
      reason: 'cancelled',
      message: 'No file was chosen.',
    });
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuse to save damaged workshop data, without asking where', async () => {
    const desktop = services({ save: path.join(dir, 'x.talkoo') });
    const result = await createIpcHandlers(desktop)['workshop-file:save']({
      suggestedName: 'a',
      title: 'a',
      state: Uint8Array.from([1, 2, 3]),
    });
    expect(result).toEqual({
      ok: false,
      reason: 'error',
      message: 'The workshop could not be saved: its data is damaged.',
    });
    expect(desktop.offered).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('say why a save failed', async () => {
    const file = path.join(dir, 'missing-folder', 'plan.talkoo');
    const result = await createIpcHandlers(services({ save: file }))['workshop-file:save']({
      suggestedName: 'plan',
      title: 'plan',
      state: workshopState('a'),
    });
    expect(result).toEqual({
      ok: false,
      reason: 'error',
      message: 'Could not save plan.talkoo. The file or its folder does not exist.',
    });
  });

  it('say precisely why a chosen file cannot be opened', async () => {
    const foreign = path.join(dir, 'photo.talkoo');
    await writeFile(foreign, Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 0, 0, 0, 0]));
    await expect(
      createIpcHandlers(services({ open: foreign }))['workshop-file:open'](undefined),
    ).resolves.toEqual({
      ok: false,
      reason: 'invalid',
      message:
        'Could not open photo.talkoo. This is not a Talkoo workshop file: it does not begin with "TALKOO".',
      problem: 'not-workshop',
    });

    const gone = path.join(dir, 'gone.talkoo');
    await expect(
      createIpcHandlers(services({ open: gone }))['workshop-file:open'](undefined),
    ).resolves.toEqual({
      ok: false,
      reason: 'error',
      message: 'Could not open gone.talkoo. The file or its folder does not exist.',
    });
  });

  it('report the laptop host, open it to the network, and say why when it could not start', async () => {
    const local = await startLocalHost({ dataDir: dir, port: 0 });
    try {
      const handlers = createIpcHandlers(services({ localHost: () => Promise.resolve(local) }));
      const status = await handlers['host:status'](undefined);
      expect(status).toMatchObject({ ok: true, url: local.status().url, networkUrl: null });
      const opened = await handlers['host:network']({ open: true });
      expect(opened).toMatchObject({ ok: true, url: local.status().url });
      expect(opened.ok && opened.networkUrl).toMatch(/^http:\/\//);
    } finally {
      await local.close();
    }
    const broken = createIpcHandlers(
      services({ localHost: () => Promise.reject(new Error('The data folder is read-only.')) }),
    );
    await expect(broken['host:status'](undefined)).resolves.toEqual({
      ok: false,
      message: 'The data folder is read-only.',
    });
  });
});

/** Why `workshop-file:open-path` refused `args` (the parser's words), or '' when it did not refuse. */
async function openPathRefusal(args: unknown[], handlers: IpcHandlers): Promise<string> {
  const error: unknown = await handleInvoke('workshop-file:open-path', appUrl, args, handlers, policy).then(
    () => new Error('expected a refusal'),
    (reason: unknown) => reason,
  );
  return error instanceof IpcRefusedError ? error.message.replace(/^.*invalid arguments: /, '') : '';
}

describe('a workshop file dropped on the window', () => {
  it('is refused unless it is one absolute path to a .talkoo file', async () => {
    const { handlers, calls } = recordingHandlers();
    const refused = (args: unknown[]): Promise<string> => openPathRefusal(args, handlers);
    expect(await refused([])).toBe('expected one path, got 0 arguments');
    expect(await refused(['/a.talkoo', '/b.talkoo'])).toBe('expected one path, got 2 arguments');
    expect(await refused([{ path: '/a.talkoo' }])).toBe('the path must be a string');
    expect(await refused([''])).toBe('the path must be absolute'); // a File not on disk
    expect(await refused(['plans/a.talkoo'])).toBe('the path must be absolute');
    expect(await refused(['C:a.talkoo'])).toBe('the path must be absolute');
    expect(await refused(['/home/me/photo.png'])).toBe('the path must end in .talkoo');
    expect(await refused(['/home/me/a.talkoo.exe'])).toBe('the path must end in .talkoo');
    expect(await refused(['/home/me/a\u0000.talkoo'])).toBe('the path must not hold control characters');
    expect(await refused([`/${'a'.repeat(32_767)}.talkoo`])).toBe(
      'the path must be at most 32767 characters',
    );
    expect(calls).toEqual([]);

    for (const accepted of ['/home/me/Plan.TALKOO', 'C:\\Users\\me\\Plan.talkoo', 'd:/plans/Plan.talkoo']) {
      await handleInvoke('workshop-file:open-path', appUrl, [accepted], handlers, policy);
    }
    expect(calls).toEqual(['/home/me/Plan.TALKOO', 'C:\\Users\\me\\Plan.talkoo', 'd:/plans/Plan.talkoo']);
  });

  it('is refused when it names a network share or a device, so a page cannot make main reach one', async () => {
    const { handlers, calls } = recordingHandlers();
    const refusal = (filePath: string): Promise<string> => openPathRefusal([filePath], handlers);
    for (const reached of [
      '\\\\attacker.example\\share\\x.talkoo', // UNC: Windows signs in to the host with the user's NTLM hash
      '\\\\?\\UNC\\10.0.0.5\\s\\x.TALKOO',
      '\\\\?\\C:\\Users\\me\\x.talkoo',
      '\\\\.\\pipe\\x.talkoo',
      '//attacker.example/share/x.talkoo',
      '/\\attacker.example\\share\\x.talkoo',
      '\\/attacker.example/share/x.talkoo',
      'C:\\Users\\me\\NUL.talkoo', // a device on Windows 10 in any folder, with any extension
      'C:\\Users\\me\\com1.talkoo',
      'C:\\Users\\me\\Plan.talkoo:hidden.talkoo', // an alternate data stream of Plan.talkoo
    ]) {
      expect(await refusal(reached), reached).toBe(
        'the path must be a file on this computer, not a network share or a device',
      );
    }
    expect(calls).toEqual([]);
  });

  it('opens as a chosen file does, and goes on the recent list only when it opened', async () => {
    const file = path.join(dir, 'Dropped.talkoo');
    const desktop = services({ save: file });
    const handlers = createIpcHandlers(desktop);
    await handlers['workshop-file:save']({
      suggestedName: 'x',
      title: 'x',
      state: workshopState('Pudotettu'),
    });
    desktop.recent.length = 0;

    const opened = await handlers['workshop-file:open-path'](file);
    expect(opened.ok && opened.path).toBe(file);
    expect(desktop.recent).toEqual([file]);

    const foreign = path.join(dir, 'photo.talkoo');
    await writeFile(foreign, Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 0, 0, 0, 0]));
    await expect(handlers['workshop-file:open-path'](foreign)).resolves.toMatchObject({
      ok: false,
      reason: 'invalid',
    });
    expect(desktop.recent).toEqual([file]);
  });

  it('puts files opened from the dialog and saved ones on the recent list too', async () => {
    const file = path.join(dir, 'Plan.talkoo');
    const desktop = services({ save: file, open: file });
    const handlers = createIpcHandlers(desktop);
    await handlers['workshop-file:save']({ suggestedName: 'Plan', title: 'Plan', state: workshopState('a') });
    await handlers['workshop-file:open'](undefined);
    expect(desktop.recent).toEqual([file, file]);
  });
});

describe('exports', () => {
  const csvRequest: SaveExportRequest = {
    suggestedName: 'Plan 2026/27',
    format: 'csv',
    files: [
      { name: 'Plan 2026 27.csv', bytes: new TextEncoder().encode('\uFEFFAction;Owner\r\n') },
      { name: 'Plan 2026 27-needs.csv', bytes: new TextEncoder().encode('\uFEFFNeed;Group\r\n') },
    ],
  };
  const pdfRequest = { suggestedName: 'Plan', html: '<!doctype html><title>Plan</title><h1>Plan</h1>' };
  const text = (file: string): Promise<string> => readFile(file, 'utf8');

  async function refusal(channel: IpcChannel, request: unknown): Promise<string> {
    const { handlers, calls } = recordingHandlers();
    try {
      await handleInvoke(channel, appUrl, [request], handlers, policy);
    } catch (error) {
      expect(calls).toEqual([]);
      return error instanceof Error ? error.message : String(error);
    }
    throw new Error('expected the call to be refused');
  }

  it('answer only the app window', async () => {
    const { handlers, calls } = recordingHandlers();
    for (const sender of ['https://evil.example/', 'file:///home/me/Downloads/index.html', null]) {
      await expect(handleInvoke('export:save', sender, [csvRequest], handlers, policy)).rejects.toThrow(
        new IpcRefusedError('export:save refused: the caller is not the Talkoo window'),
      );
      await expect(handleInvoke('export:pdf', sender, [pdfRequest], handlers, policy)).rejects.toThrow(
        new IpcRefusedError('export:pdf refused: the caller is not the Talkoo window'),
      );
    }
    expect(calls).toEqual([]);
    await handleInvoke('export:save', appUrl, [{ ...csvRequest, extra: 1 }], handlers, policy);
    await handleInvoke('export:pdf', appUrl, [pdfRequest], handlers, policy);
    expect(calls).toEqual([csvRequest, pdfRequest]);
  });

  it('refuse a format main does not save, or the wrong number of files for it', async () => {
    const save = (patch: object): Promise<string> => refusal('export:save', { ...csvRequest, ...patch });
    const [actions] = csvRequest.files;
    expect(await save({ format: 'pdf', files: [actions] })).toBe(
      'export:save refused: invalid arguments: format: pdf is printed by main: use export:pdf',
    );
    expect(await save({ format: 'exe' })).toBe(
      'export:save refused: invalid arguments: format: must be one of docx, xlsx, md, csv, outline',
    );
    expect(await save({ format: undefined })).toMatch(/format: must be one of/);
    expect(await save({ files: [...csvRequest.files, actions] })).toBe(
      'export:save refused: invalid arguments: files: must hold two files for csv, got 3',
    );
    expect(await save({ format: 'docx' })).toBe(
      'export:save refused: invalid arguments: files: must hold one file for docx, got 2',
    );
    expect(await save({ format: 'md', files: [] })).toMatch(/files: must hold one file for md, got 0/);
    expect(await save({ files: 'Plan.csv' })).toMatch(/files: must be an array$/);
    expect(await refusal('export:save', null)).toMatch(/expected a request object/);
  });

  it('refuse file names that are paths, and bytes that are not bytes or too many', async () => {
    const one = (file: unknown): Promise<string> =>
      refusal('export:save', { suggestedName: 'Plan', format: 'md', files: [file] });
    const bytes = new Uint8Array(3);
    const notAName =
      'export:save refused: invalid arguments: files[0].name: must be a file name without folders or control characters';
    for (const name of [
      '../plan.md',
      'reports/plan.md',
      'C:\\plan.md',
      '..',
      '.',
      'plan\n.md',
      'plan\u0000.md',
    ]) {
      expect(await one({ name, bytes })).toBe(notAName);
    }
    expect(await one({ name: '', bytes })).toMatch(/files\[0\]\.name: must be 1 to 255 characters/);
    expect(await one({ name: `${'x'.repeat(253)}.md`, bytes })).toMatch(/must be 1 to 255 characters/);
    expect(await one({ name: 7, bytes })).toMatch(/files\[0\]\.name: must be a string/);
    expect(await one('plan.md')).toMatch(/files\[0\]: must be an object with a name and bytes/);
    expect(await one({ name: 'plan.md', bytes: [1, 2, 3] })).toBe(
      'export:save refused: invalid arguments: files[0].bytes: must be bytes (a Uint8Array)',
    );
    expect(await one({ name: 'plan.md', bytes: new Uint8Array(64 * 1024 * 1024 + 1) })).toBe(
      'export:save refused: invalid arguments: files[0].bytes: must be at most 67108864 bytes',
    );
    expect(await refusal('export:save', { ...csvRequest, suggestedName: 'x'.repeat(256) })).toMatch(
      /suggestedName: must be at most 255 characters/,
    );
  });

  it('refuse a PDF request without HTML, or with too much of it', async () => {
    expect(await refusal('export:pdf', { suggestedName: 'Plan', html: 42 })).toBe(
      'export:pdf refused: invalid arguments: html: must be a string',
    );
    expect(
      await refusal('export:pdf', { suggestedName: 'Plan', html: 'x'.repeat(32 * 1024 * 1024 + 1) }),
    ).toBe('export:pdf refused: invalid arguments: html: must be at most 33554432 characters');
    expect(await refusal('export:pdf', { html: '<p>' })).toMatch(/suggestedName: must be a string/);
  });

  it('save both CSV files where the user chose, offering a safe name', async () => {
    const chosen = path.join(dir, 'Suunnitelma.csv');
    const desktop = services({ exportTo: chosen });
    const result = await createIpcHandlers(desktop)['export:save'](csvRequest);

    const needs = path.join(dir, 'Suunnitelma-needs.csv');
    expect(result).toEqual({ ok: true, paths: [chosen, needs] });
    expect(desktop.offeredExports).toEqual([['Plan 2026 27.csv', 'csv']]);
    expect(await text(chosen)).toBe('\uFEFFAction;Owner\r\n');
    expect(await text(needs)).toBe('\uFEFFNeed;Group\r\n');
    expect((await readdir(dir)).sort()).toEqual(['Suunnitelma-needs.csv', 'Suunnitelma.csv']);
  });

  it('replace an earlier export of the same name', async () => {
    const chosen = path.join(dir, 'plan.md');
    await writeFile(chosen, '# An older, longer plan with more text than the new one\n');
    const result = await createIpcHandlers(services({ exportTo: chosen }))['export:save']({
      suggestedName: 'plan',
      format: 'md',
      files: [{ name: 'plan.md', bytes: new TextEncoder().encode('# Plan\n') }],
    });
    expect(result).toEqual({ ok: true, paths: [chosen] });
    expect(await text(chosen)).toBe('# Plan\n');
    expect(await readdir(dir)).toEqual(['plan.md']);
  });

  it('write nothing when the user cancels, and print nothing either', async () => {
    const desktop = services({ exportTo: null, pdf: new Uint8Array([1]) });
    const handlers = createIpcHandlers(desktop);
    await expect(handlers['export:save'](csvRequest)).resolves.toEqual({
      ok: false,
      reason: 'cancelled',
    });
    await expect(handlers['export:pdf'](pdfRequest)).resolves.toEqual({ ok: false, reason: 'cancelled' });
    expect(desktop.printed).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('say why an export failed, and leave no file or temporary file behind', async () => {
    const gone = path.join(dir, 'removed');
    await expect(
      createIpcHandlers(services({ exportTo: path.join(gone, 'plan.csv') }))['export:save'](csvRequest),
    ).resolves.toEqual({
      ok: false,
      reason: 'error',
      message: 'Could not save plan.csv. The file or its folder does not exist.',
    });
    expect(await readdir(dir)).toEqual([]);

    // The needs file cannot be written: the actions file is not written either.
    await mkdir(path.join(dir, 'plan-needs.csv'));
    await expect(
      createIpcHandlers(services({ exportTo: path.join(dir, 'plan.csv') }))['export:save'](csvRequest),
    ).resolves.toEqual({
      ok: false,
      reason: 'error',
      message: 'Could not save plan-needs.csv. A folder has that name.',
    });
    expect(await readdir(dir)).toEqual(['plan-needs.csv']);
  });

  it('print the report page to the PDF the user chose', async () => {
    const chosen = path.join(dir, 'Plan.pdf');
    const pdf = new TextEncoder().encode('%PDF-1.7\n%%EOF\n');
    const desktop = services({ exportTo: chosen, pdf });
    const result = await createIpcHandlers(desktop)['export:pdf']({
      ...pdfRequest,
      suggestedName: 'Plan.pdf',
    });

    expect(result).toEqual({ ok: true, paths: [chosen] });
    expect(desktop.offeredExports).toEqual([['Plan.pdf', 'pdf']]);
    expect(desktop.printed).toEqual([pdfRequest.html]);
    expect(new Uint8Array(await readFile(chosen))).toEqual(pdf);
    expect(await readdir(dir)).toEqual(['Plan.pdf']);
  });

  it('say why a PDF could not be made or saved, and write nothing', async () => {
    const failing = services({
      exportTo: path.join(dir, 'Plan.pdf'),
      pdf: new Error('The page did not load.'),
    });
    await expect(createIpcHandlers(failing)['export:pdf'](pdfRequest)).resolves.toEqual({
      ok: false,
      reason: 'error',
      message: 'Could not make the PDF. The page did not load.',
    });
    const gone = services({ exportTo: path.join(dir, 'removed', 'Plan.pdf'), pdf: new Uint8Array([37]) });
    await expect(createIpcHandlers(gone)['export:pdf'](pdfRequest)).resolves.toEqual({
      ok: false,
      reason: 'error',
      message: 'Could not save Plan.pdf. The file or its folder does not exist.',
    });
    expect(await readdir(dir)).toEqual([]);
  });

  it('never print HTML over the limit, nor ask where to save it', async () => {
    const desktop = services({ exportTo: path.join(dir, 'Plan.pdf'), pdf: new Uint8Array([37]) });
    await expect(
      handleInvoke(
        'export:pdf',
        appUrl,
        [{ suggestedName: 'Plan', html: `<p>${'x'.repeat(32 * 1024 * 1024)}</p>` }],
        createIpcHandlers(desktop),
        policy,
      ),
    ).rejects.toThrow(/html: must be at most 33554432 characters/);
    expect(desktop.offeredExports).toEqual([]);
    expect(desktop.printed).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });
});
