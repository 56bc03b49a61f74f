// "All changes saved" means stored on the server's disk: the server acknowledges a client's
// updates once they are written (shared/stored-message.ts), and the status bar's count of changes
// not yet saved falls only then, across a reload too. Real server with LevelDB, whose writes the
// test makes fail as a full disk would.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../collab-server';
import { openLevelStorage, type DocumentStorage } from '../collab-server/storage/level-storage';
import { removeDir, startTestServer, tempDir, waitFor } from '../collab-server/test-support';
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
const NOT_SAVED = /^Online · \d+ changes not yet saved$/;

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
});
