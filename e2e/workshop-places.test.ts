// A workshop on this device is one room on one server: its local copy, its token and its place in
// the recent list belong to that pair. A pasted link that names the same room on another server
// opens a different workshop, and must neither upload the copy there nor replace the token.
// Run in the desktop app's window (file://), where one storage serves every server.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addNote as addNoteTo, readWorkshop, TEMPLATE_BOARD_IDS } from '../shared';
import type { RunningServer } from '../collab-server';
import {
  connectClient,
  removeDir,
  serverHasNote,
  startTestServer,
  synced,
  tempDir,
  tokenFor,
} from '../collab-server/test-support';
import { startLocalHost, type LocalHost } from '../main/local-host';
import { launchChromium } from './chromium';
import { APP_URL, openDesktopWindow, RENDERER_DIR } from './desktop-window';
import { addNote, joinAs } from './people';
import { tokenOf } from './web-server';

let host: LocalHost;
let dataDir = '';
let browser: Browser;
let serverA: RunningServer;
let serverB: RunningServer;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  dataDir = tempDir('talkoo-places-e2e-');
  host = await startLocalHost({ dataDir, staticDir: RENDERER_DIR, port: 0 });
  browser = await launchChromium(['--allow-file-access-from-files']);
  // Two servers with keys of their own: A holds the workshop, B is a stranger's.
  serverA = await startTestServer({ staticDir: RENDERER_DIR });
  serverB = await startTestServer({ staticDir: RENDERER_DIR });
});
afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await serverA?.close();
  await serverB?.close();
  await host?.close();
  removeDir(dataDir);
});

async function desktopWindow(): Promise<Page> {
  const page = await openDesktopWindow(browser, host, () => null);
  contexts.push(page.context());
  return page;
}

/** A workshop from the English example on `server`: its room and facilitator link. */
async function exampleOn(server: RunningServer): Promise<{ room: string; link: string }> {
  const created = await fetch(`${server.url}/api/workshops`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.organiserToken()}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ example: 'example-culture-network-en' }),
  });
  const { room, facilitatorUrl } = (await created.json()) as { room: string; facilitatorUrl: string };
  return { room, link: facilitatorUrl };
}

/** A facilitator link for `room` on `server`, signed with that server's own key. */
function linkOn(server: RunningServer, room: string): string {
  return `${server.url}/#/w/${room}?token=${encodeURIComponent(tokenFor(server, room, 'facilitator'))}`;
}

/** Pastes `link` on Home. */
async function paste(page: Page, link: string): Promise<void> {
  await page.goto(APP_URL);
  await page.getByRole('textbox', { name: 'Join link' }).fill(link);
  await page.getByRole('button', { name: 'Join' }).click();
}

/** What `server` holds in `room`: its boards and note texts, as a client with a fresh token reads them. */
async function contentOf(server: RunningServer, room: string): Promise<{ boards: number; notes: string[] }> {
  const client = connectClient(server, room, tokenFor(server, room, 'viewer'));
  try {
    await synced(client);
    const workshop = readWorkshop(client.doc);
    return { boards: workshop.boards.length, notes: workshop.notes.map((n) => n.text) };
  } finally {
    client.provider.destroy();
  }
}

/** Waits until the window on a room the stranger's server does not have has settled. */
async function settledOnEmptyRoom(page: Page, leaked: string): Promise<void> {
  await page
    .getByRole('status')
    .filter({ hasText: /^Online/ })
    .waitFor();
  await page
    .getByText('This workshop has no content yet, or the link is wrong.')
    .or(page.getByRole('button', { name: leaked }))
    .waitFor();
}

describe('a workshop is kept per server and room', () => {
  it("a link to another server with the same room id gets nothing of the workshop, and the first server's link still opens it", async () => {
    const { room, link } = await exampleOn(serverA);
    const window = await desktopWindow();
    await paste(window, link);
    await joinAs(window, 'Alice');
    await addNote(window, 'Culture towns', 'Only for server A');
    await window
      .getByRole('status')
      .filter({ hasText: /^Online · all changes saved$/ })
      .waitFor();

    // A stranger's link names the same room on server B.
    await paste(window, linkOn(serverB, room));
    await settledOnEmptyRoom(window, 'Only for server A');
    expect(await window.getByRole('button', { name: 'Only for server A' }).count()).toBe(0);
    expect(await contentOf(serverB, room)).toEqual({ boards: 0, notes: [] });

    // The workshop on A is still in the recent list, its server named on its own entry (not
    // between it and the next); its copy opens with no network...
    await window.goto(APP_URL);
    await window
      .getByRole('region', { name: 'Recently opened on this device' })
      .getByRole('link', {
        name: `Vitality from Culture – national network of culture towns, planning day · ${new URL(serverA.url).host}`,
      })
      .waitFor();
    await goOfflineOnHome(window);
    await window
      .getByRole('region', { name: 'Recently opened on this device' })
      .getByRole('link', { name: 'Vitality from Culture' })
      .click();
    await window.getByRole('button', { name: 'Only for server A' }).waitFor();
    // ...and A's token still lets it in once the network is back.
    await window.context().setOffline(false);
    await window
      .getByRole('status')
      .filter({ hasText: /^Online · all changes saved$/ })
      .waitFor({ timeout: 15_000 });
    expect((await contentOf(serverA, room)).notes).toContain('Only for server A');
  });

  it('adopts a copy stored before copies were kept per server for its own server only', async () => {
    const { room, link } = await exampleOn(serverA);
    // What an earlier Talkoo left on this device: the workshop on A with a note never sent.
    const earlier = connectClient(serverA, room, tokenOf(link));
    await synced(earlier);
    earlier.provider.destroy();
    const offline = new Y.Doc();
    Y.applyUpdate(offline, Y.encodeStateAsUpdate(earlier.doc));
    addNoteTo(offline, TEMPLATE_BOARD_IDS.needs, { text: 'Written before the update' });
    const copy = Array.from(Y.encodeStateAsUpdate(offline));

    const window = await desktopWindow();
    await window.evaluate(
      async ({ room, token, server, copy }) => {
        localStorage.setItem('talkoo.name', 'Alice');
        localStorage.setItem(`talkoo.token.${room}`, token);
        localStorage.setItem(`talkoo.server.${room}`, server);
        localStorage.setItem(`talkoo.unsent.${room}`, '1');
        localStorage.setItem(
          'talkoo.recent',
          JSON.stringify([{ room, title: 'Vitality from Culture', opened: new Date().toISOString() }]),
        );
        // y-indexeddb's layout: an auto-numbered store of updates, and one of custom values.
        await new Promise<void>((resolve, reject) => {
          const open = indexedDB.open(`talkoo.${room}`);
          open.onupgradeneeded = () => {
            open.result.createObjectStore('updates', { autoIncrement: true });
            open.result.createObjectStore('custom');
          };
          open.onerror = () => reject(open.error ?? new Error('the copy could not be opened'));
          open.onsuccess = () => {
            const db = open.result;
            const tx = db.transaction('updates', 'readwrite');
            tx.objectStore('updates').add(new Uint8Array(copy));
            tx.oncomplete = () => {
              db.close();
              resolve();
            };
            tx.onerror = () => reject(tx.error ?? new Error('the copy could not be written'));
          };
        });
      },
      { room, token: tokenOf(link), server: serverA.url, copy },
    );
    await window.reload();

    // The same room on a stranger's server: the old copy is not its to have.
    await paste(window, linkOn(serverB, room));
    await settledOnEmptyRoom(window, 'Written before the update');
    expect(await window.getByRole('button', { name: 'Written before the update' }).count()).toBe(0);
    expect(await contentOf(serverB, room)).toEqual({ boards: 0, notes: [] });

    // The workshop on A opens from the recent list with the note, and A receives it.
    await window.goto(APP_URL);
    await window
      .getByRole('region', { name: 'Recently opened on this device' })
      .getByRole('link', { name: 'Vitality from Culture' })
      .click();
    await window.getByRole('button', { name: 'Written before the update' }).waitFor();
    await serverHasNote(serverA, room, 'Written before the update');
    await window
      .getByRole('status')
      .filter({ hasText: /^Online · all changes saved$/ })
      .waitFor({ timeout: 15_000 });
  });
});

/** Takes the window off the network while it shows Home (no status bar to wait for there). */
async function goOfflineOnHome(page: Page): Promise<void> {
  await page.context().setOffline(true);
  await page.waitForFunction(() => !navigator.onLine);
}
