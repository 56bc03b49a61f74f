// The desktop menu's commands in the page, in Chromium: the built UI in a desktop window whose
// main sends menu commands as main.ts does (desktop-window.ts `sendDesktopEvent`). About shows
// the version and licence; New and Close go Home; Export opens the export dialog; Undo and Redo
// undo the workshop when no field has focus and the field's own typing when one has; a window
// holding typed text not yet saved anywhere asks before it goes.
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MenuCommand } from '../shared/ipc';
import { removeDir, tempDir } from '../collab-server/test-support';
import { startLocalHost, type LocalHost } from '../main/local-host';
import { expectNoSeriousViolations } from './a11y';
import { launchChromium } from './chromium';
import { openDesktopWindow, RENDERER_DIR, sendDesktopEvent } from './desktop-window';
import { addNote, joinAs, lane } from './people';
import { startWeb, type WebServer } from './web-server';

let web: WebServer;
let host: LocalHost;
let browser: Browser;
let dir = '';
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  // Builds dist/, whose renderer the desktop window loads.
  web = await startWeb();
  dir = tempDir('talkoo-menu-e2e-');
  host = await startLocalHost({ dataDir: join(dir, 'host'), staticDir: RENDERER_DIR, port: 0 });
  browser = await launchChromium(['--allow-file-access-from-files']);
});
afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await host?.close();
  await web?.stop();
  removeDir(dir);
});

async function desktopWindow(): Promise<Page> {
  const page = await openDesktopWindow(browser, host, () => null);
  contexts.push(page.context());
  return page;
}

const menu = (page: Page, command: MenuCommand): Promise<void> =>
  sendDesktopEvent(page, { kind: 'menu', command });

const LANE = 'Culture towns';

/** A new workshop from the English example, joined as Alice. */
async function workshop(page: Page): Promise<void> {
  await page.getByRole('combobox', { name: 'Start from' }).selectOption('example-culture-network-en');
  await page.getByRole('button', { name: 'Create workshop' }).click();
  await joinAs(page, 'Alice');
  await page.getByRole('heading', { level: 1 }).filter({ hasText: 'Vitality from Culture' }).waitFor();
}

describe('the desktop menu', () => {
  it('About shows the version and the licence, over any screen', async () => {
    const page = await desktopWindow();
    await page.getByRole('heading', { name: 'On this laptop' }).waitFor();
    await menu(page, 'about');
    const about = page.getByRole('dialog', { name: 'About Talkoo' });
    await about.getByText('Version 0.1.0').waitFor();
    await about.getByText(/EUPL-1\.2/).waitFor();
    expect(
      await about.getByRole('link', { name: 'Documentation and source code' }).getAttribute('href'),
    ).toBe('https://github.com/talkoo-app/talkoo#readme');
    await expectNoSeriousViolations(page, 'about dialog');
    await page.keyboard.press('Escape');
    await about.waitFor({ state: 'detached' });
  });

  it('New and Close go Home, New to the new-workshop form; Export opens the export dialog', async () => {
    const page = await desktopWindow();
    await workshop(page);

    await menu(page, 'export');
    const exporting = page.getByRole('dialog', { name: 'Export the action plan' });
    await exporting.waitFor();
    await exporting.getByRole('button', { name: 'Close' }).click();

    await menu(page, 'close');
    await page.getByRole('heading', { name: 'On this laptop' }).waitFor();
    expect(page.url()).toMatch(/#\/$/);

    await page.goBack();
    await page.getByRole('heading', { level: 1 }).filter({ hasText: 'Vitality from Culture' }).waitFor();
    await menu(page, 'new');
    const title = page.getByRole('form', { name: 'New workshop' }).getByRole('textbox', { name: 'Title' });
    await expect.poll(() => title.evaluate((field) => field === document.activeElement)).toBe(true);
  });

  it('Close while a note is being typed keeps the text: it is written into its note first', async () => {
    const page = await desktopWindow();
    await workshop(page);
    await page.getByRole('button', { name: `Add note to ${LANE}` }).click();
    await page.getByRole('textbox', { name: 'Note text' }).pressSequentially('Typed before Close');

    await menu(page, 'close');
    await page.getByRole('heading', { name: 'On this laptop' }).waitFor();
    await page.goBack();
    await lane(page, LANE).getByRole('button', { name: 'Typed before Close' }).waitFor();
  });

  it('Undo and Redo undo the workshop with no field focused, and the field’s typing in a field', async () => {
    const page = await desktopWindow();
    await workshop(page);
    await addNote(page, LANE, 'Rehearsal space for the band');
    const note = lane(page, LANE).getByRole('button', { name: 'Rehearsal space for the band' });

    await page.getByRole('heading', { level: 1 }).click(); // no field has the focus
    await menu(page, 'undo');
    await note.waitFor({ state: 'detached' });
    await menu(page, 'redo');
    await note.waitFor();

    // In a field, Undo is the field's own: the typing goes, the workshop keeps its note.
    await page.getByRole('button', { name: `Add note to ${LANE}` }).click();
    const editor = page.getByRole('textbox', { name: 'Note text' });
    await editor.pressSequentially('Choir evenings');
    await menu(page, 'undo');
    await expect.poll(() => editor.inputValue()).not.toBe('Choir evenings');
    await menu(page, 'redo');
    await expect.poll(() => editor.inputValue()).toBe('Choir evenings');
    await note.waitFor();
  });

  it('asks before the window goes while typed text is saved nowhere, and not otherwise', async () => {
    const page = await desktopWindow();
    await workshop(page);
    const asked: string[] = [];
    page.on('dialog', (dialog) => {
      asked.push(dialog.type());
      void dialog.accept();
    });

    await addNote(page, LANE, 'Saved as it was written');
    await page.reload();
    await page.getByRole('heading', { level: 1 }).filter({ hasText: 'Vitality from Culture' }).waitFor();
    expect(asked).toEqual([]);

    await page.getByRole('button', { name: `Add note to ${LANE}` }).click();
    await page
      .getByRole('textbox', { name: 'Note text' })
      .pressSequentially('Not yet written to the workshop');
    await page.reload();
    await page.getByRole('heading', { level: 1 }).filter({ hasText: 'Vitality from Culture' }).waitFor();
    expect(asked).toEqual(['beforeunload']);
  });
});
