/**
 * The version history end to end: yesterday Alice (facilitator) and Bob (participant) worked on a
 * workshop; today Bob deletes half the board, and Alice restores yesterday's version from the
 * Versions dialog. The server runs in this process (the built web client, real LevelDB in a temp
 * folder) with its version clock a day behind for yesterday's session.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../collab-server/server';
import { connectClient, synced, tokenFor } from '../collab-server/test-support';
import { launchChromium } from './chromium';
import { addNote, joinAs } from './people';

const DAY = 86_400_000;
const ROOT = join(import.meta.dirname, '..');

let server: RunningServer;
let browser: Browser;
let dataDir: string;
/** How far the server's version clock runs behind the real one. */
let offset = 0;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'talkoo-e2e-versions-'));
  server = await startServer({
    port: 0,
    dataDir,
    staticDir: join(ROOT, 'dist', 'renderer'),
    unloadGraceMs: 200,
    history: { now: () => Date.now() + offset },
  });
  browser = await launchChromium();
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function api(path: string, token: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await res.json()) as Record<string, unknown>;
}

/** Opens `url` in a new browser context as `name`, on the workshop's needs board. */
async function open(url: string, name: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(url);
  await joinAs(page, name);
  await page.getByRole('heading', { level: 1 }).filter({ hasText: 'Vitality from Culture' }).waitFor();
  return page;
}

const cards = (page: Page) => page.locator('[data-note-id]');

/** The texts of the notes on a page's board, sorted. */
async function noteTexts(page: Page): Promise<string[]> {
  const texts = await cards(page).evaluateAll((els) =>
    els.map(
      (el) => (el as HTMLElement).querySelector('button')?.getAttribute('aria-label') ?? el.textContent ?? '',
    ),
  );
  return texts.sort();
}

describe('version history', () => {
  it('a facilitator restores yesterday’s version after half the board was deleted by mistake; both see it, and the list shows who was present', async () => {
    const created = await api('/api/workshops', server.organiserToken(), {
      example: 'example-culture-network-en',
    });
    const room = String(created.room);
    const facilitatorUrl = String(created.facilitatorUrl);
    const link = await api(`/api/workshops/${room}/links`, String(created.facilitatorToken), {
      role: 'participant',
      name: 'Participant',
    });
    const participantUrl = String(link.url);

    // Yesterday: Alice and Bob work on the board, then both leave and the room unloads.
    offset = -DAY;
    let alice = await open(facilitatorUrl, 'Alice');
    let bob = await open(participantUrl, 'Bob');
    await addNote(bob, 'Culture towns', 'A bus to the library on Saturdays');
    await cards(alice).filter({ hasText: 'A bus to the library on Saturdays' }).waitFor();
    const board = await noteTexts(alice);
    await alice.context().close();
    await bob.context().close();
    await expect.poll(() => server.rooms.size, { timeout: 10_000 }).toBe(0);

    // Today: Alice deletes half the board by mistake (a participant may delete only their own
    // notes: the server refuses more), while Bob watches.
    offset = 0;
    alice = await open(facilitatorUrl, 'Alice');
    bob = await open(participantUrl, 'Bob');
    await expect.poll(() => noteTexts(bob)).toEqual(board);
    const half = Math.ceil(board.length / 2);
    for (let deleted = 1; deleted <= half; deleted++) {
      await cards(alice).first().getByRole('button').first().click();
      await alice.keyboard.press('Delete');
      await expect.poll(() => cards(bob).count()).toBe(board.length - deleted);
    }

    // Alice opens the versions: yesterday's, kept when everyone had left, names both of them.
    await alice.screenshot({ path: join(tmpdir(), 'talkoo-versions-board.png') });
    await alice.getByRole('button', { name: 'Versions…' }).click();
    const dialog = alice.getByRole('dialog', { name: 'Versions of this workshop' });
    const yesterday = new Intl.DateTimeFormat('en', { dateStyle: 'medium' }).format(
      new Date(Date.now() - DAY),
    );
    const row = dialog
      .getByRole('listitem')
      .filter({ hasText: 'After everyone left' })
      .filter({ hasText: yesterday });
    await row.waitFor();
    expect(await row.textContent()).toContain('Present: Alice (facilitator), Bob');
    await dialog.screenshot({ path: join(tmpdir(), 'talkoo-versions-dialog.png') });

    // Viewing it shows the board as it was, read-only.
    await row.getByRole('button', { name: 'View' }).click();
    await row.getByText('A bus to the library on Saturdays').waitFor();

    // Restore, after a confirmation; both see the whole board again.
    await row.getByRole('button', { name: 'Restore…' }).click();
    await row.getByRole('alertdialog').getByRole('button', { name: 'Restore this version' }).click();
    await expect.poll(() => noteTexts(alice)).toEqual(board);
    await expect.poll(() => noteTexts(bob)).toEqual(board);
    // Bob's board did not just change under him: he is told who restored which version, and so
    // is Cecilia, who opens the workshop a moment later. Alice is told it was done.
    const told = `Alice restored the version of ${yesterday}`;
    await bob.getByRole('status').filter({ hasText: told }).waitFor();
    await alice.getByRole('status').filter({ hasText: 'Restored the version of' }).waitFor();
    const cecilia = await open(participantUrl, 'Cecilia');
    await cecilia.getByRole('status').filter({ hasText: told }).waitFor();
    // Alice is told once, by her own confirmation, not a second time by the document.
    expect(await alice.getByRole('status').filter({ hasText: told }).count()).toBe(0);
    await bob.screenshot({ path: join(tmpdir(), 'talkoo-versions-told.png') });
    // The board from before the restore is a version of its own, so the restore can be undone.
    await dialog.getByRole('listitem').filter({ hasText: 'Before a restore' }).waitFor();
    await dialog.screenshot({ path: join(tmpdir(), 'talkoo-versions-restored.png') });
  });

  it('works from the keyboard and shows a version’s boards: stakeholder groups with their notes, themes, actions', async () => {
    const created = await api('/api/workshops', server.organiserToken(), {
      example: 'example-culture-network-en',
    });
    const alice = await open(String(created.facilitatorUrl), 'Alice');
    const focused = (locator: Locator): Promise<boolean> =>
      locator.evaluate((el) => el === document.activeElement);
    const versions = alice.getByRole('button', { name: 'Versions…' });
    await versions.focus();
    await alice.keyboard.press('Enter');
    const dialog = alice.getByRole('dialog', { name: 'Versions of this workshop' });
    await expect.poll(() => focused(dialog)).toBe(true);
    const row = dialog.getByRole('listitem').filter({ hasText: 'When first opened' });

    // The version's needs board: each stakeholder group a list of its notes.
    await row.getByRole('button', { name: 'View' }).click();
    const preview = row.getByRole('region', { name: /\(read-only\)$/ });
    await preview
      .getByRole('list', { name: 'Culture towns' })
      .getByText('Small towns lack staff to write EU funding applications')
      .waitFor();
    expect(await preview.getByRole('region', { name: 'Theme clustering' }).count()).toBe(1);
    expect(await preview.getByRole('region', { name: 'Action planning' }).count()).toBe(1);

    // Asked to confirm a restore, the keyboard lands on Cancel; Escape answers no, then closes.
    const restore = row.getByRole('button', { name: 'Restore…' });
    await restore.focus();
    await alice.keyboard.press('Enter');
    const confirm = row.getByRole('alertdialog');
    await expect.poll(() => focused(confirm.getByRole('button', { name: 'Cancel' }))).toBe(true);
    await alice.keyboard.press('Escape');
    await confirm.waitFor({ state: 'detached' });
    await expect.poll(() => focused(restore)).toBe(true);
    await alice.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => focused(versions)).toBe(true);
  });

  it('says in words when the server cannot be reached, and lists the versions once it can', async () => {
    const created = await api('/api/workshops', server.organiserToken(), {
      example: 'example-culture-network-en',
    });
    const alice = await open(String(created.facilitatorUrl), 'Alice');
    await alice.context().setOffline(true);
    await alice.getByRole('button', { name: 'Versions…' }).click();
    const dialog = alice.getByRole('dialog', { name: 'Versions of this workshop' });
    await dialog
      .getByRole('alert')
      .filter({
        hasText:
          'Could not list the versions: the server cannot be reached. Check the network and try again.',
      })
      .waitFor();
    await alice.context().setOffline(false);
    await alice.keyboard.press('Escape');
    await alice.getByRole('button', { name: 'Versions…' }).click();
    await dialog.getByRole('listitem').filter({ hasText: 'When first opened' }).waitFor();
  });

  it('a facilitator whose workshop was erased is shown the way back from the empty board', async () => {
    const created = await api('/api/workshops', server.organiserToken(), {
      example: 'example-culture-network-en',
    });
    const room = String(created.room);
    const alice = await open(String(created.facilitatorUrl), 'Alice');
    // A facilitator's script gone wrong clears every top-level map: the workshop is gone for
    // everyone (a participant's clearing would be refused by the server).
    const eraser = connectClient(server, room, tokenFor(server, room, 'facilitator'));
    try {
      await synced(eraser);
      eraser.doc.transact(() => {
        for (const name of eraser.doc.share.keys()) {
          const map = eraser.doc.getMap<unknown>(name);
          for (const key of [...map.keys()]) map.delete(key);
        }
      });
    } finally {
      eraser.provider.destroy();
    }

    const board = alice.getByRole('tabpanel');
    await board.getByText('An earlier version can be restored from Versions…').waitFor();
    await board.getByRole('button', { name: 'Versions…' }).click();
    const dialog = alice.getByRole('dialog', { name: 'Versions of this workshop' });
    const row = dialog.getByRole('listitem').filter({ hasText: 'When first opened' });
    await row.getByRole('button', { name: 'Restore…' }).click();
    await row.getByRole('alertdialog').getByRole('button', { name: 'Restore this version' }).click();
    await alice.getByRole('heading', { level: 1 }).filter({ hasText: 'Vitality from Culture' }).waitFor();
  });

  it('participants see no Versions button', async () => {
    const created = await api('/api/workshops', server.organiserToken(), {
      example: 'example-culture-network-en',
    });
    const link = await api(`/api/workshops/${String(created.room)}/links`, String(created.facilitatorToken), {
      role: 'participant',
    });
    const bob = await open(String(link.url), 'Bob');
    await bob.getByRole('button', { name: 'Export' }).waitFor();
    expect(await bob.getByRole('button', { name: /^Versions/ }).count()).toBe(0);
  });
});
