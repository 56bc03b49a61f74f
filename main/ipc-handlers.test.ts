// The IPC gate and handlers, in Node: only the app's own window gets answers, malformed
// arguments never reach a handler, and save/open behave as the user sees them (real files,
// dialogs replaced by the path the user would pick).
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { workshopState } from './test-support';
import { ipcChannels, type IpcChannel } from '../shared/ipc';
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
  localHost?: () => Promise<LocalHost>;
}): DesktopServices & { offered: string[] } {
  const offered: string[] = [];
  return {
    appVersion: '0.1.0',
    platform: 'linux',
    offered,
    chooseSavePath: (fileName) => {
      offered.push(fileName);
      return Promise.resolve(answers.save ?? null);
    },
    chooseOpenPath: () => Promise.resolve(answers.open ?? null),
    chooseExportPath: () => Promise.resolve(null),
    printToPdf: () => Promise.reject(new Error('no printing in this test')),
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
    expect(calls).toEqual([{ suggestedName: 'P', title: 'T', state }]);
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
