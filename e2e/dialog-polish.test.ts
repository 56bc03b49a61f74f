/**
 * The designer's pass over the dialogs (#12), at 1280×800 in Finnish, on the plan example: the
 * Plan dialog's sections are one vertical list beside the section (not two rows of tabs); its
 * fields show long Finnish names whole and a work package with a period is no taller than one
 * without; every dialog's footer puts its buttons at the bottom right, primary last; a note's
 * municipality tag keeps clear of the vote controls and of the next card.
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import fi from '../shared/i18n/fi.json';
import { expectNoSeriousViolations } from './a11y';
import { exampleWorkshop } from './people';
import { setUpE2E } from './setup';

const e2e = setUpE2E();
type Key = keyof typeof fi;

/** The facilitator's page at 1280×800 on a new workshop from the plan example, in Finnish. */
async function facilitator(): Promise<Page> {
  const { facilitatorUrl } = await exampleWorkshop(e2e.web(), 'example-etela-savo-plan-fi');
  const context = await e2e.browser().newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(() => localStorage.setItem('talkoo.uiLanguage', 'fi'));
  const page = await context.newPage();
  await page.goto(facilitatorUrl);
  await page.getByRole('dialog').getByRole('textbox').fill('Aino');
  await page.getByRole('dialog').getByRole('button').click();
  await page.locator('[data-note-id]').first().waitFor();
  return page;
}

async function box(locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  const found = await locator.boundingBox();
  if (!found) throw new Error('not on screen');
  return found;
}

/** Opens the Plan dialog (on the actions board, where its button is). */
async function openPlan(page: Page): Promise<Locator> {
  await page.getByRole('tablist', { name: fi['nav.boards'] }).getByRole('tab').nth(2).click();
  await page.getByRole('button', { name: fi['plan.open'], exact: true }).click();
  const dialog = page.getByRole('dialog', { name: fi['plan.title'] });
  await dialog.waitFor();
  return dialog;
}

/** The text fields in `scope` whose value is cut short (wider than the field shows). */
async function cutShort(scope: Locator): Promise<string[]> {
  return scope
    .locator('input[type="text"], input:not([type])')
    .evaluateAll((inputs) =>
      (inputs as HTMLInputElement[])
        .filter((input) => input.value && input.scrollWidth > input.clientWidth + 1)
        .map((input) => input.value),
    );
}

/**
 * The footer button `name`'s distance from the dialog's right and bottom edges, both boxes read in
 * one frame: the Share and Versions dialogs grow as their lists arrive, so two separate reads
 * could see two different dialogs.
 */
async function corner(dialog: Locator, name: string): Promise<{ right: number; bottom: number }> {
  const button = dialog.getByRole('button', { name, exact: true });
  await button.waitFor();
  return button.evaluate((element) => {
    const outer = element.closest('[role="dialog"]');
    if (!outer) throw new Error('the button is not in a dialog');
    const frame = outer.getBoundingClientRect();
    const own = element.getBoundingClientRect();
    return { right: Math.round(frame.right - own.right), bottom: Math.round(frame.bottom - own.bottom) };
  });
}

describe('the dialogs at 1280×800 in Finnish', () => {
  it('the Plan dialog lists its sections in one vertical list beside the section, moved through by Up and Down', async () => {
    const page = await facilitator();
    const dialog = await openPlan(page);
    const list = dialog.getByRole('tablist', { name: fi['plan.sections'] });
    expect(await list.getAttribute('aria-orientation')).toBe('vertical');
    const tabs = await list.getByRole('tab').all();
    expect(tabs.length).toBeGreaterThan(8);
    const boxes = await Promise.all(tabs.map(box));
    // One column: every tab at the same left edge, each below the one before.
    for (const [i, b] of boxes.entries()) {
      expect(Math.round(b.x)).toBe(Math.round(boxes[0]?.x ?? 0));
      if (i > 0) expect(b.y).toBeGreaterThanOrEqual((boxes[i - 1]?.y ?? 0) + (boxes[i - 1]?.height ?? 0) - 1);
    }
    // The section beside the list, not under it.
    const panel = await box(dialog.getByRole('tabpanel'));
    const listBox = await box(list);
    expect(panel.x).toBeGreaterThanOrEqual(listBox.x + listBox.width);

    const selected = (): Promise<string | null> => list.getByRole('tab', { selected: true }).textContent();
    await tabs[0]?.focus();
    await page.keyboard.press('ArrowDown');
    expect(await selected()).toBe(await tabs[1]?.textContent());
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    expect(await selected()).toBe(await tabs.at(-1)?.textContent());
    await page.keyboard.press('Home');
    expect(await selected()).toBe(await tabs[0]?.textContent());
    await page.keyboard.press('End');
    expect(await selected()).toBe(await tabs.at(-1)?.textContent());
    await page.keyboard.press('ArrowRight');
    expect(await selected()).toBe(await tabs[0]?.textContent());
    await expectNoSeriousViolations(page, 'Plan dialog with vertical sections');
  });

  it('the Plan sections show long names whole; a work package with a period is as tall as one without', async () => {
    const page = await facilitator();
    const dialog = await openPlan(page);
    const open = async (key: Key): Promise<Locator> => {
      await dialog.getByRole('tab', { name: fi[key] }).click();
      return dialog.getByRole('tabpanel');
    };
    let panel = await open('plan.tab.sources');
    await panel.getByRole('listitem').first().waitFor();
    expect(await cutShort(panel)).toEqual([]);

    panel = await open('plan.tab.packages');
    const rows = await panel.getByRole('listitem').all();
    expect(rows.length).toBeGreaterThan(1);
    expect(await cutShort(panel)).toEqual([]);
    const heights = await Promise.all(rows.map(async (row) => Math.round((await box(row)).height)));
    expect(new Set(heights).size, heights.join(', ')).toBe(1);

    panel = await open('plan.tab.objectives');
    await panel.getByRole('listitem').first().waitFor();
    expect(await cutShort(panel)).toEqual([]);

    panel = await open('recurring.title');
    await panel.getByRole('listitem').first().waitFor();
    expect(await cutShort(panel)).toEqual([]);
  });

  it('every dialog keeps its buttons in its lower right corner, the main action last', async () => {
    const page = await facilitator();
    const plan = await openPlan(page);
    const planCorner = await corner(plan, fi['plan.close']);
    await page.keyboard.press('Escape');

    const bar = page.locator('header.top-bar');
    const corners: Record<string, { right: number; bottom: number }> = { plan: planCorner };
    for (const [button, title, close] of [
      ['share.button', 'share.title', 'share.close'],
      ['versions.button', 'versions.title', 'versions.close'],
      ['export.button', 'export.title', 'export.close'],
    ] as const) {
      await bar.getByRole('button', { name: fi[button], exact: true }).click();
      const dialog = page.getByRole('dialog', { name: fi[title] });
      await dialog.waitFor();
      corners[button] =
        button === 'export.button'
          ? await corner(dialog, fi['export.submit'])
          : await corner(dialog, fi[close]);
      if (button === 'export.button') {
        // Close before the main action, on the same row.
        const closeBox = await box(dialog.getByRole('button', { name: fi[close], exact: true }));
        const submit = await box(dialog.getByRole('button', { name: fi['export.submit'], exact: true }));
        expect(closeBox.x + closeBox.width).toBeLessThanOrEqual(submit.x);
        expect(Math.round(closeBox.y)).toBe(Math.round(submit.y));
      }
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
    }
    // The same corner in every dialog: the dialog's padding from its right and lower edges.
    expect(
      new Set(Object.values(corners).map((c) => `${c.right},${c.bottom}`)).size,
      JSON.stringify(corners),
    ).toBe(1);
    expect(planCorner.right).toBeLessThanOrEqual(32);
    expect(planCorner.bottom).toBeLessThanOrEqual(32);
  });

  it("with voting on, a note's municipality tag keeps clear of the vote controls and the next card", async () => {
    const page = await facilitator();
    await page.getByRole('spinbutton', { name: fi['vote.dots'] }).fill('3');
    await page.getByRole('button', { name: fi['vote.start'], exact: true }).click();
    await page.getByRole('heading', { name: fi['vote.title'] }).waitFor();
    const tagged = page.locator('[data-note-id]:has(.note-tag-row)');
    await tagged.first().locator('.dot-control').waitFor();
    const count = await tagged.count();
    expect(count).toBeGreaterThan(0);
    const overlaps = (
      a: { x: number; y: number; width: number; height: number },
      b: { x: number; y: number; width: number; height: number },
    ): boolean => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    for (let i = 0; i < count; i++) {
      const card = tagged.nth(i);
      const tag = await box(card.getByRole('button', { name: /^Kunta: / }));
      const cardBox = await box(card);
      for (const control of await card.locator('.dot-control button, .my-dots').all())
        expect(overlaps(tag, await box(control))).toBe(false);
      // Inside its card: the next card starts below the card, and the tag does not reach it.
      expect(tag.y + tag.height).toBeLessThanOrEqual(cardBox.y + cardBox.height);
    }
  });
});
