/**
 * Two facilitators, each on their own laptop (#13): a laptop is a desktop window with a laptop
 * host and data of its own. Alice's laptop creates the workshop from the English example and
 * saves a copy; Bob's laptop adds it from that file with its own identity. The desktop windows load
 * the renderer that the file's web server built into dist/.
 */
import { join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { removeDir, tempDir } from '../collab-server/test-support';
import { startLocalHost, type LocalHost } from '../main/local-host';
import { launchChromium } from './chromium';
import { openDesktopWindow, RENDERER_DIR, sendDesktopEvent } from './desktop-window';
import { joinAs } from './people';

export type Laptop = { readonly page: Page; readonly host: LocalHost };

export type Laptops = {
  /** The Chromium the windows run in (it may load files from file://). */
  readonly browser: () => Browser;
  /** The folder of every laptop's data and of the files the tests save. */
  readonly dir: () => string;
  /** A laptop of its own: its own host and data, and a desktop window whose dialogs answer `chosen()`. */
  readonly laptop: (name: string, chosen: () => string | null) => Promise<Laptop>;
  /** Another desktop window on a laptop's `host`. */
  readonly window: (host: LocalHost, chosen: () => string | null) => Promise<Page>;
  /** A browser context of the same Chromium, closed with the rest. */
  readonly newContext: (options: BrowserContextOptions) => Promise<BrowserContext>;
};

/** Registers the beforeAll/afterAll of the laptops (their folder `prefix…`) and returns their accessors. */
export function setUpLaptops(prefix: string): Laptops {
  let browser: Browser | undefined;
  let dir = '';
  const hosts: LocalHost[] = [];
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    dir = tempDir(prefix);
    browser = await launchChromium(['--allow-file-access-from-files']);
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    for (const host of hosts) await host.close();
    if (dir) removeDir(dir);
  });
  const chromium = (): Browser => {
    if (!browser) throw new Error('the laptops have not been set up');
    return browser;
  };
  const openWindow = async (host: LocalHost, chosen: () => string | null): Promise<Page> => {
    const page = await openDesktopWindow(chromium(), host, chosen);
    contexts.push(page.context());
    return page;
  };
  return {
    browser: chromium,
    dir: () => dir,
    laptop: async (name, chosen) => {
      const host = await startLocalHost({ dataDir: join(dir, name), staticDir: RENDERER_DIR, port: 0 });
      hosts.push(host);
      return { page: await openWindow(host, chosen), host };
    },
    window: openWindow,
    newContext: async (options) => {
      const context = await chromium().newContext(options);
      contexts.push(context);
      return context;
    },
  };
}

/** The title of the English example every laptop test starts from. */
export const EXAMPLE_TITLE = 'Vitality from Culture';

/** The workshop's title as its page heads it. */
export const heading = (page: Page) =>
  page.getByRole('heading', { level: 1 }).filter({ hasText: EXAMPLE_TITLE });

/** Creates a workshop from the English example on the laptop's Home and joins it as `name`. */
export async function createExample(page: Page, name: string): Promise<void> {
  await page.getByRole('combobox', { name: 'Start from' }).selectOption('example-culture-network-en');
  await page.getByRole('button', { name: 'Create workshop' }).click();
  await joinAs(page, name);
  await heading(page).waitFor();
}

/** Save a copy…, to `file` (what the window's dialog answers), and waits until it is told. */
export async function saveCopy(page: Page, file: string): Promise<void> {
  await page.getByRole('button', { name: 'Save a copy…' }).click();
  await page
    .getByRole('status')
    .filter({ hasText: `Saved to ${file}` })
    .waitFor();
}

/** The menu's Open… (the file the window's dialog answers with); waits until the status says `told`. */
export async function openByMenu(page: Page, told: string): Promise<void> {
  await sendDesktopEvent(page, { kind: 'menu', command: 'open' });
  await page.getByRole('status').filter({ hasText: told }).waitFor();
}

/**
 * From Home, opens the workshop file the window's dialog answers with, which this laptop has
 * never seen: adds it ("Add it") and joins it as `name`.
 */
export async function addFromFile(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Open a workshop file…' }).click();
  await page
    .getByRole('dialog', { name: 'Add this workshop?' })
    .getByRole('button', { name: 'Add it' })
    .click();
  await joinAs(page, name);
  await heading(page).waitFor();
}

/** Adds an action titled `title` on the action plan, and waits until it shows. */
export async function addAction(page: Page, title: string): Promise<void> {
  await page.getByRole('button', { name: 'Add action' }).click();
  const field = page.getByRole('textbox', { name: 'Action: New action' });
  await field.fill(title);
  await field.press('Enter');
  await page.getByRole('textbox', { name: `Action: ${title}` }).waitFor();
}
