// The desktop app's own path, in Chromium: the built UI loaded from file:// as the Electron
// window loads it, with `window.talkoo` wired to main's real IPC handlers and a real laptop host
// (main/local-host.ts). Only the preload's ipcRenderer hop is replaced: Electron cannot run here.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../collab-server';
import { removeDir, startTestServer, tempDir } from '../collab-server/test-support';
import { startLocalHost, type LocalHost } from '../main/local-host';
import { expectNoSeriousViolations } from './a11y';
import { launchChromium } from './chromium';
import { APP_URL, openDesktopWindow, RENDERER_DIR } from './desktop-window';
import { addNote, goOffline, joinAs, lane } from './people';

let host: LocalHost;
let dataDir = '';
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  dataDir = tempDir('talkoo-desktop-e2e-');
  // People's browsers here run on this machine but join at its network address, as another
  // device would: only loopback is this laptop's own, so the Share dialog counts them as joined.
  host = await startLocalHost({
    dataDir,
    staticDir: RENDERER_DIR,
    port: 0,
    ownAddresses: () => ['127.0.0.1'],
  });
  // Electron lets its file:// page load its own module scripts; Chromium does so with this flag.
  browser = await launchChromium(['--allow-file-access-from-files']);
});
afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await host?.close();
  removeDir(dataDir);
});

/** A window of the desktop app; its file dialogs answer with `filePath` (null: cancelled). */
async function desktopWindow(filePath: string | null = null): Promise<Page> {
  const page = await openDesktopWindow(browser, host, () => filePath);
  contexts.push(page.context());
  return page;
}

/** Creates the English example workshop from Home and joins it as Alice. */
async function createFromExample(page: Page): Promise<void> {
  await page.getByRole('combobox', { name: 'Start from' }).selectOption('example-culture-network-en');
  await page.getByRole('button', { name: 'Create workshop' }).click();
  await joinAs(page, 'Alice');
  await page.getByRole('heading', { level: 1 }).filter({ hasText: 'Vitality from Culture' }).waitFor();
}

/** Someone in a browser of their own (not the desktop app): opens `url`, joins as `name` if asked. */
async function personAt(url: string, name: string | null): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(url);
  if (name) await joinAs(page, name);
  return page;
}

/** Creates a workshop on `server` through its API (as its organiser); returns its facilitator link. */
async function workshopOn(server: RunningServer, body: Record<string, string>): Promise<string> {
  const created = await fetch(`${server.url}/api/workshops`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.organiserToken()}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return ((await created.json()) as { facilitatorUrl: string }).facilitatorUrl;
}

/** Pastes a join link on Home and joins as `name`. */
async function joinByLink(page: Page, link: string, name: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Join link' }).fill(link);
  await page.getByRole('button', { name: 'Join' }).click();
  await joinAs(page, name);
}

describe('the desktop app hosting on this laptop', () => {
  it('creates a workshop with no other server, then opens it to the network for a participant', async () => {
    const facilitator = await desktopWindow();
    await facilitator.getByRole('heading', { name: 'On this laptop' }).waitFor();
    await createFromExample(facilitator);

    await addNote(facilitator, 'Culture towns', 'Rehearsal space for the village band');

    await facilitator.getByRole('button', { name: 'Share', exact: true }).click();
    const share = facilitator.getByRole('dialog', { name: 'Invite people' });
    await share.getByText(/^Only this laptop can open these links\./).waitFor();
    await share.getByRole('button', { name: 'Open to the network' }).click();
    await share.getByText(/^Open to the network at http:\/\//).waitFor();
    const networkUrl = host.status().networkUrl;
    expect(networkUrl).not.toBeNull();
    // Until someone arrives, the dialog says so, and what may keep people out.
    await share.getByRole('status').filter({ hasText: 'Nobody has joined from the network yet.' }).waitFor();
    await share.getByText(/firewall may also be blocking Talkoo/).waitFor();
    await share.getByText(/^Windows: Windows Security › Firewall & network protection/).waitFor();
    await share.getByText(/^macOS: System Settings › Network › Firewall/).waitFor();
    await expectNoSeriousViolations(facilitator, 'Share, open to the network, nobody joined yet');

    await share.getByRole('button', { name: 'Make link' }).first().click();
    const linkBox = share.getByRole('textbox', { name: 'Participant link (can add and edit)' });
    // The short link of its code, at the address the network setting chose.
    await expect
      .poll(() => linkBox.inputValue())
      .toMatch(new RegExp(`^${networkUrl}/j/[0-9A-Z]{4}-[0-9A-Z]{4}$`));
    await share
      .getByRole('img', { name: 'QR code of the link: Participant link (can add and edit)' })
      .waitFor();
    const participantLink = await linkBox.inputValue();

    // A participant on the venue network opens the link in a browser: the laptop serves the app.
    const participant = await personAt(participantLink, 'Bob');
    await lane(participant, 'Culture towns')
      .getByRole('button', { name: 'Rehearsal space for the village band' })
      .waitFor();
    // The facilitator sees that the network reaches the laptop.
    await share.getByRole('status').filter({ hasText: '1 device has joined from the network.' }).waitFor();
    expect(await share.getByText(/firewall may also be blocking Talkoo/).count()).toBe(0);
  });

  it('follows pasted links to another server: a join link, and an organiser link for Home', async () => {
    // A regional server with its own signing key: the laptop's own server would refuse its tokens.
    const regional = await startTestServer({ staticDir: RENDERER_DIR });
    try {
      const facilitatorUrl = await workshopOn(regional, { title: 'Regional meeting', language: 'en' });

      const window = await desktopWindow();
      await joinByLink(window, facilitatorUrl, 'Aino');
      await window.getByRole('heading', { level: 1 }).filter({ hasText: 'Regional meeting' }).waitFor();
      await window
        .getByRole('status')
        .filter({ hasText: /^Online · all changes saved$/ })
        .waitFor();

      // An organiser link makes that server Home's; "Use this laptop instead" switches back.
      await window.goto(APP_URL);
      await window.getByRole('textbox', { name: 'Join link' }).fill(regional.organiserLink());
      await window.getByRole('button', { name: 'Join' }).click();
      const heading = `On ${new URL(regional.url).host}`;
      await window.getByRole('heading', { name: heading }).waitFor();
      await window
        .getByRole('region', { name: heading })
        .getByRole('link', { name: 'Regional meeting' })
        .waitFor();
      await window.getByRole('button', { name: 'Use this laptop instead' }).click();
      await window.getByRole('heading', { name: 'On this laptop' }).waitFor();

      // In a browser on the laptop's web page, the same join link opens the regional server's page.
      const page = await personAt(`${host.status().url}/`, null);
      await joinByLink(page, facilitatorUrl, 'Aino');
      await page.getByRole('heading', { level: 1 }).filter({ hasText: 'Regional meeting' }).waitFor();
      expect(new URL(page.url()).origin).toBe(new URL(regional.url).origin);
    } finally {
      await regional.close();
    }
  });

  it('keeps edits made offline on another server through closing the window, and sends them once back online', async () => {
    // A workshop on the region's server, opened in the desktop app by its join link.
    const regional = await startTestServer({ staticDir: RENDERER_DIR });
    try {
      const facilitatorUrl = await workshopOn(regional, { example: 'example-culture-network-en' });
      const facilitator = await desktopWindow();
      await joinByLink(facilitator, facilitatorUrl, 'Alice');
      await facilitator
        .getByRole('status')
        .filter({ hasText: /^Online · all changes saved$/ })
        .waitFor();
      const workshopUrl = facilitator.url();

      // On the train: no network, a note written, the window closed.
      await goOffline(facilitator);
      await addNote(facilitator, 'Culture towns', 'Written on the train, window closed');
      const waiting = facilitator.getByRole('status').filter({ hasText: /changes? not yet saved/ });
      const unsent = await waiting.textContent();
      await facilitator.close();

      // Still offline, the window opens again with the note, and still says it is not yet saved.
      const reopened = await facilitator.context().newPage();
      await reopened.goto(workshopUrl);
      await reopened.getByRole('button', { name: 'Written on the train, window closed' }).waitFor();
      await reopened.getByRole('status').filter({ hasText: unsent! }).waitFor();

      // Back online, the server gets it: someone who opens the workshop now sees it.
      await reopened.context().setOffline(false);
      await reopened
        .getByRole('status')
        .filter({ hasText: /^Online · all changes saved$/ })
        .waitFor({ timeout: 15_000 });
      const other = await personAt(facilitatorUrl, 'Bob');
      await other
        .getByRole('button', { name: 'Written on the train, window closed' })
        .waitFor({ timeout: 15_000 });
    } finally {
      await regional.close();
    }
  });

  it("a workshop on this laptop goes on working when the network goes: the laptop's server needs none", async () => {
    const facilitator = await desktopWindow();
    await createFromExample(facilitator);
    // The Wi-Fi goes: the window hears what the browser says then. (Playwright's offline mode
    // would also cut the loopback socket, which a real laptop keeps.)
    await facilitator.evaluate(() => window.dispatchEvent(new Event('offline')));
    await addNote(facilitator, 'Culture towns', 'Written with the Wi-Fi off');
    // Nothing waits to be sent: the note is on the laptop's server, where another window finds it.
    await facilitator
      .getByRole('status')
      .filter({ hasText: /^Online · all changes saved$/ })
      .waitFor();
    const room = decodeURIComponent(/#\/w\/([^?]+)/.exec(facilitator.url())?.[1] ?? '');
    // The laptop's workshops are kept under 'this-laptop', whatever port its server has today.
    const token = await facilitator.evaluate(
      (key) => localStorage.getItem(key),
      `talkoo.token.this-laptop/${room}`,
    );
    const other = await personAt(
      `${host.status().url}/#/w/${encodeURIComponent(room)}?token=${encodeURIComponent(token!)}`,
      'Bob',
    );
    await other.getByRole('button', { name: 'Written with the Wi-Fi off' }).waitFor({ timeout: 5000 });
  });

  it('saves a copy to a .talkoo file; opened again, it merges into its workshop, adding nothing twice', async () => {
    const file = join(dataDir, 'Vitality copy.talkoo');
    const facilitator = await desktopWindow(file);
    await createFromExample(facilitator);
    const original = facilitator.url();
    await addNote(facilitator, 'Culture towns', 'Kept in the file');
    await facilitator.getByRole('button', { name: 'Save a copy…' }).click();
    await facilitator
      .getByRole('status')
      .filter({ hasText: `Saved to ${file}` })
      .waitFor();
    expect(statSync(file).size).toBeGreaterThan(1000);

    await facilitator.goto(APP_URL);
    await facilitator.getByRole('button', { name: 'Open a workshop file…' }).click();
    await facilitator
      .getByRole('heading', { level: 1 })
      .filter({ hasText: 'Vitality from Culture' })
      .waitFor();
    await facilitator.getByRole('button', { name: 'Kept in the file' }).waitFor();
    // The file names its workshop, which this laptop has: the same one, not a new copy.
    await facilitator
      .getByRole('status')
      .filter({ hasText: 'Merged Vitality copy.talkoo: it held nothing new.' })
      .waitFor();
    expect(facilitator.url()).toBe(original);
    expect(await facilitator.getByRole('button', { name: 'Kept in the file' }).count()).toBe(1);
  });

  it('says a workshop file dropped from a network share opens with File > Open…', async () => {
    const page = await desktopWindow('\\\\nas\\team\\Plan.talkoo');
    // The file is dropped on the window as drawn: the page draws itself (and listens for drops)
    // only after asking main where the laptop's server is, which is after the page's load.
    await page.getByRole('button', { name: 'Open a workshop file…' }).waitFor();
    const transfer = await page.evaluateHandle(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['TALKOO'], 'Plan.talkoo'));
      return dt;
    });
    await page.dispatchEvent('body', 'drop', { dataTransfer: transfer });
    const refused = page.getByRole('dialog', { name: 'Could not open Plan.talkoo' });
    await refused
      .getByRole('alert')
      .filter({
        hasText:
          'The file is on a network share, and a file dropped on the window opens only from this computer. Open it with File > Open… instead.',
      })
      .waitFor();
    await page.screenshot({ path: '/tmp/paths-network-drop.png' });
    await expectNoSeriousViolations(page, 'network file refused dialog');
    await refused.getByRole('button', { name: 'Close' }).click();
    await refused.waitFor({ state: 'detached' });
  });
});
