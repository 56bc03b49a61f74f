/**
 * The designer's pass over the boards (#12): what a new user met at 1280×800 — a fourth lane
 * under the side panel, a panel that would not fold away, a bad link with no way back, a huge
 * paste taken without asking, a binary file shown as importable rows — each seen fixed.
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectNoSeriousViolations } from './a11y';
import { joinAs, newWorkshop } from './people';
import { setUpE2E } from './setup';

const e2e = setUpE2E();

/** The facilitator's page on a new workshop (the English example) in a window of `width`×`height`. */
async function facilitator(width = 1280, height = 800): Promise<Page> {
  const { facilitatorUrl } = await newWorkshop(e2e.web());
  const context = await e2e.browser().newContext({ viewport: { width, height } });
  const page = await context.newPage();
  await page.goto(facilitatorUrl);
  await joinAs(page, 'Alice');
  await page.getByRole('heading', { level: 1 }).filter({ hasText: 'Vitality from Culture' }).waitFor();
  return page;
}

async function box(locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  const found = await locator.boundingBox();
  if (!found) throw new Error('not on screen');
  return found;
}

/** The columns (lanes or themes) of the visible board, left to right. */
const columns = (page: Page, board: string): Locator =>
  page.getByRole('region', { name: board }).locator('section');

/** Pastes `text` on the page as the clipboard would, outside any text field. */
async function paste(page: Page, text: string): Promise<void> {
  await page.evaluate((pasted) => {
    const data = new DataTransfer();
    data.setData('text/plain', pasted);
    document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
  }, text);
}

describe('the boards at 1280×800', () => {
  it('show a fourth lane and a fourth theme whole, beside the side panel rather than under it', async () => {
    const page = await facilitator();
    await page.getByRole('button', { name: 'Add stakeholder group' }).click();
    await expect.poll(() => columns(page, 'Needs analysis').count()).toBe(4);
    // Reopening the board shows it as a new user would first see it.
    await page.getByRole('tab', { name: /Theme clustering/ }).click();
    await page.getByRole('tab', { name: /Needs analysis/ }).click();
    const panel = await box(page.getByRole('complementary', { name: 'Workshop panel' }));
    const canvas = await box(page.getByRole('region', { name: 'Needs analysis' }));
    const fourth = await box(columns(page, 'Needs analysis').nth(3));
    expect(fourth.x).toBeGreaterThanOrEqual(canvas.x);
    expect(fourth.x + fourth.width).toBeLessThanOrEqual(panel.x);

    // Renaming the fourth lane keeps the first in view.
    await page.getByRole('button', { name: /^Rename group New group/ }).click();
    await page.getByRole('textbox', { name: 'Group name' }).fill('Libraries');
    const first = await box(columns(page, 'Needs analysis').first());
    expect(first.x).toBeGreaterThanOrEqual(canvas.x);
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Rename group Libraries' }).waitFor();

    // The example has four themes: with the tray, five columns.
    await page.getByRole('tab', { name: /Theme clustering/ }).click();
    const themes = columns(page, 'Theme clustering');
    await expect.poll(() => themes.count()).toBe(5);
    const themeCanvas = await box(page.getByRole('region', { name: 'Theme clustering' }));
    const lastTheme = await box(themes.nth(4));
    expect(lastTheme.x).toBeGreaterThanOrEqual(themeCanvas.x);
    expect(lastTheme.x + lastTheme.width).toBeLessThanOrEqual(panel.x);
  });

  it('fold the side panel away by a named button, give the canvas the room, and remember it', async () => {
    const page = await facilitator();
    const panel = page.getByRole('complementary', { name: 'Workshop panel' });
    const canvas = page.getByRole('region', { name: 'Needs analysis' });
    const before = (await box(canvas)).width;
    const hide = page.getByRole('button', { name: 'Hide the side panel' });
    expect(await hide.getAttribute('aria-expanded')).toBe('true');
    await hide.focus();
    await page.keyboard.press('Enter');
    await panel.waitFor({ state: 'hidden' });
    expect((await box(canvas)).width).toBeGreaterThan(before + 200);
    const show = page.getByRole('button', { name: 'Show the side panel' });
    expect(await show.getAttribute('aria-expanded')).toBe('false');

    await page.reload();
    await page.getByRole('heading', { level: 1 }).filter({ hasText: 'Vitality from Culture' }).waitFor();
    await show.waitFor();
    expect(await panel.count()).toBe(0);
    await show.click();
    await panel.waitFor();
  });

  it('teach what to do on an empty board', async () => {
    const page = await facilitator();
    const board = page.getByRole('region', { name: 'Needs analysis' });
    await board.focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.getByText('No needs yet.').waitFor();
    await page
      .getByText(/Press N or double-click a group/)
      .first()
      .waitFor();
  });
});

describe('the warmth of the boards', () => {
  it('shows who wrote a note by initials, and gives each new theme a colour of its own', async () => {
    const page = await facilitator();
    // N adds a note to the first lane.
    await page.keyboard.press('n');
    await page.getByRole('textbox', { name: 'Note text' }).fill('Open studios every spring');
    await page.keyboard.press('Enter');
    const note = page.getByRole('button', { name: 'Open studios every spring', exact: true });
    await expect.poll(() => note.getAttribute('aria-describedby')).toBeTruthy();
    const description = await page
      .locator(`[id="${(await note.getAttribute('aria-describedby'))!}"]`)
      .textContent();
    expect(description).toContain('Written by Alice');

    await page.getByRole('tab', { name: /Theme clustering/ }).click();
    await page.getByRole('button', { name: 'Add theme' }).click();
    await page.getByRole('button', { name: 'Add theme' }).click();
    const colours = page.getByRole('combobox', { name: /^Colour of theme/ });
    await expect.poll(() => colours.count()).toBe(6);
    const chosen = await colours.evaluateAll((selects) => selects.map((s) => (s as HTMLSelectElement).value));
    // The example's four themes, then two new ones: the new ones differ from each other.
    expect(chosen[4]).not.toBe(chosen[5]);
  });
});

describe('a bad link', () => {
  it('shows an error screen with a way back to Home, not an empty board', async () => {
    const context = await e2e.browser().newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${e2e.web().url}/#/w/w-00000000-0000-4000-8000-000000000000?token=not-a-token`);
    const home = page.getByRole('link', { name: 'Back to all workshops' });
    await home.waitFor();
    await page.getByRole('heading', { level: 1, name: 'This link does not open a workshop' }).waitFor();
    // No board around it: no steps, no status bar's undo.
    expect(await page.getByRole('tab').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Undo' }).count()).toBe(0);
    await expectNoSeriousViolations(page, 'bad link screen');
    await home.click();
    await page.waitForURL((url) => !url.hash.startsWith('#/w/'));
    await context.close();
  });
});

describe('pasting', () => {
  it('asks before a paste of hundreds of lines makes as many notes, and cancelling adds none', async () => {
    const page = await facilitator();
    const lines = Array.from({ length: 300 }, (_, i) => `Pasted need ${i + 1}`).join('\n');
    await paste(page, lines);
    const dialog = page.getByRole('dialog', { name: 'Add 300 notes?' });
    await dialog.waitFor();
    await expectNoSeriousViolations(page, 'big paste dialog');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.getByRole('button', { name: 'Pasted need 1', exact: true }).count()).toBe(0);

    await paste(page, lines);
    await dialog.getByRole('button', { name: 'Add 300 notes' }).click();
    await page.getByRole('button', { name: 'Pasted need 300', exact: true }).waitFor();
  });

  it('refuses a line too long for a note, saying so, and adds nothing', async () => {
    const page = await facilitator();
    await paste(page, `Short line\n${'x'.repeat(260_000)}`);
    await page.getByText(/longer than 2,000 characters/).waitFor();
    expect(await page.getByRole('button', { name: 'Short line', exact: true }).count()).toBe(0);
  });
});

describe('the CSV import', () => {
  it('shows a binary file as an error with nothing to import', async () => {
    const page = await facilitator();
    await page.getByRole('button', { name: 'Import from CSV' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import needs from a CSV file' });
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
    await dialog
      .getByLabel(/^CSV file/)
      .setInputFiles({ name: 'photo.csv', mimeType: 'text/csv', buffer: bytes });
    await dialog
      .getByRole('alert')
      .getByText(/not a text file/)
      .waitFor();
    expect(await dialog.getByRole('row').count()).toBe(0);
    expect(await dialog.getByRole('button', { name: /^Import/ }).isDisabled()).toBe(true);
  });
});
