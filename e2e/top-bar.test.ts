// The workshop's top bar after the designer's pass (#12): at 1280×800 it is one row in every
// language, with the countdown running too; each action is reached by the keyboard and named; the
// title gives way, cut short with the whole title in its tooltip.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import en from '../shared/i18n/en.json';
import et from '../shared/i18n/et.json';
import fi from '../shared/i18n/fi.json';
import sv from '../shared/i18n/sv.json';
import { expectNoSeriousViolations } from './a11y';
import { exampleWorkshop } from './people';
import { setUpE2E } from './setup';

const e2e = setUpE2E();
const LOCALES = { fi, et, sv, en } as const;
type Lang = keyof typeof LOCALES;

/** The facilitator's page at 1280×800 on a new workshop from the plan example, the UI in `lang`. */
async function facilitator(lang: Lang): Promise<Page> {
  const { facilitatorUrl } = await exampleWorkshop(e2e.web(), 'example-etela-savo-plan-fi');
  const context = await e2e.browser().newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(facilitatorUrl);
  await page.getByRole('dialog').getByRole('textbox').fill('Aino');
  await page.getByRole('dialog').getByRole('button').click();
  await page.getByRole('combobox', { name: fi['ui.language'] }).selectOption(lang);
  await page.getByRole('tab', { name: LOCALES[lang]['board.needs'] }).waitFor();
  return page;
}

/**
 * How many rows the top bar's items sit on (1: every item starts before any item ends), and, to
 * read in a failure, each item's class, left edge, top and width.
 */
async function rows(page: Page, bar = 'header.top-bar'): Promise<{ rows: number; items: string }> {
  const boxes: { name: string; box: { x: number; y: number; width: number; height: number } }[] = [];
  for (const item of await page.locator(`${bar} > *`).all()) {
    const box = await item.boundingBox();
    if (box && box.width > 0 && box.height > 0)
      boxes.push({ name: (await item.getAttribute('class')) ?? '', box });
  }
  const tops = boxes.map((b) => b.box.y);
  const bottoms = boxes.map((b) => b.box.y + b.box.height);
  return {
    rows: Math.max(...tops) < Math.min(...bottoms) ? 1 : 2,
    items: boxes
      .map(({ name, box }) => `${name} x${Math.round(box.x)} y${Math.round(box.y)} w${Math.round(box.width)}`)
      .join('; '),
  };
}

/** Expects the top bar (or another bar) on one row. */
async function expectOneRow(page: Page, bar?: string): Promise<void> {
  const { rows: count, items } = await rows(page, bar);
  expect(count, items).toBe(1);
}

/** The accessible names of what Tab reaches, from the brand link to the first thing past the bar. */
async function tabStops(page: Page): Promise<string[]> {
  await page.locator('header.top-bar a.brand').focus();
  const names: string[] = [];
  for (let i = 0; i < 30; i++) {
    const stop = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el?.closest('header.top-bar')) return null;
      const label = el.getAttribute('aria-label') ?? (el.closest('label')?.textContent || el.textContent);
      return (label ?? '').trim();
    });
    if (stop === null) break;
    names.push(stop);
    await page.keyboard.press('Tab');
  }
  return names;
}

describe('the top bar at 1280×800', () => {
  for (const lang of ['fi', 'et'] as const) {
    it(`in ${lang}: one row, the countdown running too; every action reached by Tab, named, with a tooltip`, async () => {
      const page = await facilitator(lang);
      const t = LOCALES[lang];
      await expectOneRow(page);

      const stops = await tabStops(page);
      for (const name of [
        t['timer.button'],
        t['plan.open'],
        t['export.button'],
        t['versions.button'],
        t['share.button'],
      ])
        expect(stops).toContain(name);
      expect(stops.some((s) => s.includes(t['board.needs']))).toBe(true);
      expect(stops.some((s) => s.includes(t['ui.language']))).toBe(true);
      // The icon-only buttons say what they do on hover too.
      for (const key of ['timer.button', 'export.button', 'versions.button'] as const)
        expect(await page.getByRole('button', { name: t[key], exact: true }).getAttribute('title')).toBe(
          t[key],
        );

      // The title is cut short on screen and whole in its tooltip.
      const title = page.getByRole('heading', { level: 1 });
      const full = 'AKKU – toimenpidesuunnitelma ja rahoitus';
      expect(await title.getAttribute('title')).toBe(full);
      expect(await title.evaluate((h) => h.scrollWidth > h.clientWidth)).toBe(true);

      // The facilitation row under it too, on the themes board where it holds the most.
      await page.getByRole('tab', { name: t['board.themes'] }).click();
      await page.getByRole('combobox', { name: t['spotlight.theme'] }).waitFor();
      await expectOneRow(page, 'section.facilitation-bar');
      expect(
        await page.getByRole('button', { name: t['settings.button'], exact: true }).getAttribute('title'),
      ).toBe(t['settings.button']);

      // Each action opens from the keyboard.
      await page.getByRole('button', { name: t['versions.button'], exact: true }).focus();
      await page.keyboard.press('Enter');
      await page.getByRole('dialog').waitFor();
      await page.keyboard.press('Escape');
      await page.getByRole('dialog').waitFor({ state: 'detached' });

      // The countdown running, and paused: the time joins the row, and it stays one row.
      await page.getByRole('button', { name: t['timer.button'], exact: true }).click();
      await page.getByRole('button', { name: t['timer.minutes'].replace('{minutes}', '5') }).click();
      await page.getByRole('timer').waitFor();
      await expectOneRow(page);
      // Its controls are first in the timer's menu, the focus on Pause.
      await page.getByRole('button', { name: t['timer.button'], exact: true }).press('Enter');
      const pause = page.getByRole('button', { name: t['timer.pause'], exact: true });
      await expect.poll(() => pause.evaluate((b) => b === document.activeElement)).toBe(true);
      await page.keyboard.press('Enter');
      await page.getByRole('timer').filter({ hasText: t['timer.paused'] }).waitFor();
      await page.keyboard.press('Escape');
      await expectOneRow(page);
      await page.screenshot({
        path: `/tmp/talkoo-top-bar-${lang}.png`,
        clip: { x: 0, y: 0, width: 1280, height: 60 },
      });
      await expectNoSeriousViolations(page, `Workshop top bar in ${lang}, the countdown running`);
    });
  }

  it('in Swedish and English too: one row', async () => {
    for (const lang of ['sv', 'en'] as const) {
      const page = await facilitator(lang);
      await expectOneRow(page);
    }
  });
});
