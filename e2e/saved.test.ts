// "All changes saved" means stored on the server's disk: the server acknowledges a client's
// updates once they are written (shared/stored-message.ts), and the status bar's count of changes
// not yet saved falls only then, across a reload too. Real server with LevelDB, whose writes the
// test makes fail as a full disk would.
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { STORED_MESSAGE } from '../shared/stored-message';
import type { RunningServer } from '../collab-server';
import { openLevelStorage, type DocumentStorage } from '../collab-server/storage/level-storage';
import { removeDir, serverHasNote, startTestServer, tempDir, waitFor } from '../collab-server/test-support';
import { launchChromium } from './chromium';
import { RENDERER_DIR } from './desktop-window';
import { addNote, joinAs } from './people';

let dataDir = '';
let server: RunningServer;
let browser: Browser;
/** While true, every write to the rooms' storage fails with ENOSPC. */
let diskFull = false;

beforeAll(async () => {
  dataDir = tempDir('talkoo-saved-e2e-');
  const level = await openLevelStorage(join(dataDir, 'rooms'));
  const storage: DocumentStorage = {
    ...level,
    append: async (room, updates) => {
      if (diskFull) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
      await level.append(room, updates);
    },
  };
  server = await startTestServer({ dataDir, storage, staticDir: RENDERER_DIR });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  removeDir(dataDir);
});

const SAVED = /^Online · all changes saved$/;
const NOT_SAVED = /^Online · \d+ changes? not yet saved$/;

/** The status bar's connection text. */
const statusText = (page: Page) =>
  page.getByRole('status').filter({ hasText: /^Online|^Offline|^Connecting|^Syncing/ });

/** A new workshop from the English example on the server; its facilitator link. */
async function newWorkshop(): Promise<string> {
  const created = await fetch(`${server.url}/api/workshops`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.organiserToken()}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ example: 'example-culture-network-en' }),
  });
  return ((await created.json()) as { facilitatorUrl: string }).facilitatorUrl;
}

describe('the status bar says saved when the server has stored the changes', () => {
  it('keeps counting a change the server could not store, through a reload, until it is stored', async () => {
    const facilitatorUrl = await newWorkshop();
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    try {
      const page = await context.newPage();
      await page.goto(facilitatorUrl);
      await joinAs(page, 'Alice');
      await page.getByRole('status').filter({ hasText: SAVED }).waitFor();

      diskFull = true;
      const errors = server.metrics.storageErrors;
      await addNote(page, 'Culture towns', 'Written while the disk is full');
      // The server has tried to store the note, and failed, twice: nothing may say it is saved.
      await waitFor('the server to fail to store the note', () => server.metrics.storageErrors >= errors + 2);
      const waiting = await statusText(page).textContent();
      expect(waiting).toMatch(NOT_SAVED);

      // Reopened, the window still counts the change as not saved.
      await page.reload();
      await page.getByRole('button', { name: 'Written while the disk is full' }).waitFor();
      await page.getByRole('status').filter({ hasText: waiting! }).waitFor();
      expect(await statusText(page).textContent()).toBe(waiting);

      // The disk has room again: the server stores the note and says so.
      diskFull = false;
      await page.getByRole('status').filter({ hasText: SAVED }).waitFor({ timeout: 15_000 });
      await page.reload();
      await page.getByRole('status').filter({ hasText: SAVED }).waitFor();
    } finally {
      diskFull = false;
      await context.close();
    }
  });

  it('through a server older than stored acknowledgements, syncs and says "Online", never "saved"', async () => {
    const older = await olderServerInFrontOf(server.url);
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    try {
      const facilitatorUrl = await newWorkshop();
      const room = /#\/w\/([^?]+)/.exec(facilitatorUrl)?.[1] ?? '';
      const page = await context.newPage();
      await page.goto(`${older.url}/${facilitatorUrl.slice(facilitatorUrl.indexOf('#'))}`);
      await joinAs(page, 'Alice');
      await page.getByRole('heading', { level: 1 }).filter({ hasText: 'Vitality from Culture' }).waitFor();
      await addNote(page, 'Culture towns', 'Sent through an older server');

      await serverHasNote(server, room, 'Sent through an older server');
      await page
        .getByRole('status')
        .filter({ hasText: /^Online$/ })
        .waitFor();
    } finally {
      await context.close();
      await older.close();
    }
  });
});

/**
 * A loopback proxy in front of `target` that answers as a server older than stored
 * acknowledgements did: a socket that asks for them is closed as a malformed frame (4400, unknown
 * message type); everything else, pages and frames, passes through.
 */
async function olderServerInFrontOf(target: string): Promise<{ url: string; close(): Promise<void> }> {
  const http = createServer((req, res) => {
    const upstream = request(
      `${target}${req.url ?? '/'}`,
      { method: req.method, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  const sockets = new WebSocketServer({ server: http });
  sockets.on('connection', (client, req) => {
    const upstream = new WebSocket(`${target.replace(/^http/, 'ws')}${req.url ?? '/'}`);
    const early: RawData[] = [];
    upstream.on('open', () => early.splice(0).forEach((frame) => upstream.send(frame)));
    upstream.on('message', (frame: RawData) => client.readyState === WebSocket.OPEN && client.send(frame));
    upstream.on('close', () => client.close());
    upstream.on('error', () => client.close());
    client.on('message', (frame: Buffer) => {
      if (frame.length === 1 && frame[0] === STORED_MESSAGE) {
        client.close(4400, 'malformed frame: unknown message type 100');
        upstream.close();
      } else if (upstream.readyState === WebSocket.OPEN) upstream.send(frame);
      else early.push(frame);
    });
    client.on('close', () => upstream.close());
    client.on('error', () => upstream.close());
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets.clients) socket.terminate();
        sockets.close();
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}
