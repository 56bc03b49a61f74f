// The action plan after the designer's pass (#12): a table that fits, a timeline whose labels can
// be read in every language, month fields in the UI's language, a refused schedule said where it
// happened, and new actions that are titled and linked as their maker meant.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import en from '../shared/i18n/en.json';
import et from '../shared/i18n/et.json';
import fi from '../shared/i18n/fi.json';
import sv from '../shared/i18n/sv.json';
import { expectNoSeriousViolations } from './a11y';
import { actionPlan, showPlan } from './plan-pages';
import { setUpE2E } from './setup';

const e2e = setUpE2E();

const WP1 = 'WP1 Network coordination, joint communication and marketing';
const TRIP = 'European partner network and yearly study trip';

/** The group of month controls named `name` (e.g. "End: WP1 …"). */
const monthField = (page: Page, name: string) => page.getByRole('group', { name, exact: true });

/** Sets the month field `name` to `month` (YYYY-MM) by its controls, as a keyboard user would. */
async function setMonth(page: Page, name: string, month: string): Promise<void> {
  const [year, m] = month.split('-');
  const field = monthField(page, name);
  await field.getByRole('combobox').selectOption(String(Number(m)));
  const yearBox = field.getByRole('spinbutton');
  await yearBox.fill(year!);
  await yearBox.press('Enter');
}

describe('the action table', () => {
  it('at 1280×800 in Finnish, clips nothing: each status and delete button comes whole into sight', async () => {
    const page = await actionPlan(e2e, 'example-etela-savo-fi');
    const table = page.getByRole('table').first();
    // The table fits, or scrolls sideways under its sticky first column, in a box whose
    // scrollbar is in sight: the box ends within the board's visible area.
    const frame = await table.evaluate((el) => {
      const box = el.parentElement!.getBoundingClientRect();
      let board = el.parentElement!.parentElement;
      while (board && getComputedStyle(board).overflowY === 'visible') board = board.parentElement;
      return {
        left: box.left,
        right: box.right,
        bottom: box.bottom,
        visible: board!.getBoundingClientRect().bottom,
      };
    });
    expect(frame.right).toBeLessThanOrEqual(1280);
    expect(frame.bottom).toBeLessThanOrEqual(frame.visible);
    const statuses = await table.getByRole('combobox', { name: /^Tila: / }).all();
    const deletes = await table.getByRole('button', { name: /^Poista toimenpide / }).all();
    expect(statuses.length).toBe(5);
    expect(deletes.length).toBe(5);
    for (const control of [...statuses, ...deletes]) {
      // Scrolled to, as a person would.
      await control.scrollIntoViewIfNeeded();
      const b = (await control.boundingBox())!;
      const title = await control.evaluate((el) => {
        const box = el.closest('tr')!.firstElementChild!.getBoundingClientRect();
        return { left: box.left, right: box.right };
      });
      expect(b.x + b.width).toBeLessThanOrEqual(frame.right);
      // Not under the action's title, which stays at the left edge.
      expect(b.x).toBeGreaterThanOrEqual(title.right);
      expect(title.left).toBeGreaterThanOrEqual(frame.left);
    }
  });
});

/**
 * The longest word a column that holds names takes whole (kulttuuriministeriö, 19 letters);
 * a longer compound (Kulttuurihyvinvointisuunnitelman) may break where the column ends.
 */
const LONGEST_NAME = 19;

/**
 * The words of `table`, up to `longest` letters, broken inside across two lines (a break after a hyphen or a slash is
 * between words): in its text, and in its fields' values (measured in the field's own font).
 */
function brokenWords(table: Element, longest: number): string[] {
  const WORD = /[^\s\-‐–—/]+/g;
  const broken: string[] = [];
  const walker = document.createTreeWalker(table, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement!;
    // Not drawn: words for screen readers, a select's options, a closed disclosure's contents.
    if (parent.closest('.visually-hidden, select')) continue;
    const details = parent.closest('details');
    if (details && !details.open && !parent.closest('summary')) continue;
    for (const match of (node.textContent ?? '').matchAll(WORD)) {
      if (match[0].length > longest) continue;
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set(
        [...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.bottom)),
      );
      if (lines.size > 1) broken.push(`${match[0]} (${parent.className || parent.localName})`);
    }
  }
  const context = document.createElement('canvas').getContext('2d')!;
  for (const field of table.querySelectorAll('textarea')) {
    const style = getComputedStyle(field);
    context.font = style.font;
    const room = field.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    for (const [word] of field.value.matchAll(WORD)) {
      if (word.length <= longest && context.measureText(word).width > room)
        broken.push(`${word} (${field.getAttribute('aria-label')})`);
    }
  }
  return broken;
}

describe('the action table, in Finnish and Estonian at 1280×800', () => {
  it('breaks no name inside a word, and shows the plan’s budget standing whole above the status bar', async () => {
    const page = await actionPlan(e2e, 'example-etela-savo-plan-fi');
    let shown: keyof typeof MESSAGES = 'fi';
    for (const language of ['fi', 'et'] as const) {
      if (language !== shown) {
        await page.getByRole('combobox', { name: MESSAGES[shown]['ui.language'] }).selectOption(language);
        shown = language;
        await page.locator(`html[lang="${language}"]`).waitFor();
      }
      const table = page.getByRole('table').first();
      // Partners (Hirvensalmi, taksiyrittäjät), owners (maakuntaliitto), titles and objectives.
      expect(await table.evaluate(brokenWords, LONGEST_NAME), language).toEqual([]);

      // Under the table, in sight without scrolling the page: not under the status bar.
      const box = await page.locator('.budget-standing').boundingBox();
      const bar = await page.locator('.status-bar').boundingBox();
      expect(box, language).not.toBeNull();
      expect(box!.y + box!.height, language).toBeLessThanOrEqual(bar!.y);
    }
  });
});

describe('the action plan’s views, in Finnish at 1280×800', () => {
  it('show the objectives’ mark beside them, the work packages’ band in the legend, shares to a tenth', async () => {
    const page = await actionPlan(e2e, 'example-etela-savo-plan-fi');
    // The objectives' disclosure mark stands on the line of the first objective, not alone above it.
    const pickers = await page.locator('.objectives-picker summary').all();
    expect(pickers.length).toBeGreaterThan(0);
    for (const summary of pickers) {
      const lines = await summary.evaluate((el) => {
        const chip = el.querySelector('.objective-chip, .muted')!.getBoundingClientRect();
        return {
          chip: chip.top,
          summary: el.getBoundingClientRect().top,
          font: parseFloat(getComputedStyle(el).fontSize),
        };
      });
      expect(lines.chip - lines.summary).toBeLessThan(lines.font);
    }

    await page.getByRole('tab', { name: fi['actions.viewTimeline'] }).click();
    const legend = page.getByRole('list', { name: fi['timeline.legend'] });
    const band = legend.getByRole('listitem').filter({ hasText: fi['timeline.packageBand'] });
    await band.waitFor();
    // Its swatch looks like the bands on the timeline.
    const look = (el: Element) => getComputedStyle(el).backgroundImage;
    const swatch = await band.locator('[aria-hidden="true"]').evaluate(look);
    expect(swatch).toContain('repeating-linear-gradient');
    expect(swatch).toBe(
      await page
        .getByRole('img', { name: /^Työpaketti / })
        .first()
        .evaluate(look),
    );

    await page.getByRole('tab', { name: fi['actions.viewBudget'] }).click();
    for (const caption of [fi['budget.bySource'], fi['budget.byTheme'], fi['budget.byYear']]) {
      const table = page.getByRole('table', { name: caption, exact: true });
      await table.waitFor();
      const shares = await table.locator('tbody td:last-child').allTextContents();
      expect(shares.length, caption).toBeGreaterThan(0);
      for (const share of shares) expect(share, caption).toMatch(/^\d+,\d\s%$/);
    }
  });
});

describe('month fields', () => {
  it('name months in the UI language, say plainly when empty, and are set by keyboard', async () => {
    const page = await actionPlan(e2e, 'example-etela-savo-fi');
    const start = monthField(page, 'Alkaa: Kulttuurikyyti-kokeilu syrjäkylistä tapahtumiin');
    const month = start.getByRole('combobox', { name: 'Kuukausi' });
    expect(await month.evaluate((el: HTMLSelectElement) => el.selectedOptions[0]?.textContent)).toBe(
      'tammikuu',
    );
    expect(await start.getByRole('spinbutton', { name: 'Vuosi' }).inputValue()).toBe('2022');

    // Emptied, it says so in words (no "--------- ----").
    await month.focus();
    await month.selectOption('');
    await expect
      .poll(() => month.evaluate((el: HTMLSelectElement) => el.selectedOptions[0]?.textContent))
      .toBe('Ei asetettu');
    expect(await start.getByRole('spinbutton').count()).toBe(0);

    // By keyboard: the next month down the list is January again, in this year's place.
    await month.focus();
    await page.keyboard.press('ArrowDown');
    await expect
      .poll(() => month.evaluate((el: HTMLSelectElement) => el.selectedOptions[0]?.textContent))
      .toBe('tammikuu');
    await expect.poll(() => start.getByRole('spinbutton', { name: 'Vuosi' }).inputValue()).toBe('2022');
    await expectNoSeriousViolations(page, 'Action table with month fields');
  });
});

describe('a schedule that cannot be', () => {
  it('an end month before the start is refused where it was written, and nothing else is lost', async () => {
    const page = await actionPlan(e2e, 'example-culture-network-en');
    const owner = page.getByRole('textbox', { name: `Owner: ${WP1}` });
    await owner.fill('Network office');
    await owner.press('Tab');
    await setMonth(page, `End: ${WP1}`, '2024-02');

    const alert = page.getByRole('alert').filter({ hasText: 'the end month is before the start month' });
    await alert.waitFor();
    const end = monthField(page, `End: ${WP1}`);
    expect(await end.getByRole('combobox').getAttribute('aria-invalid')).toBe('true');

    // Not saved: a reload shows the old end; the owner written before it stays.
    await page.reload();
    await showPlan(page);
    const again = monthField(page, `End: ${WP1}`);
    await again.waitFor();
    expect(await again.getByRole('spinbutton').inputValue()).toBe('2028');
    expect(await page.getByRole('textbox', { name: `Owner: ${WP1}` }).inputValue()).toBe('Network office');

    // Mended by moving the start back, the written end is kept and saved, and the message goes.
    await setMonth(page, `End: ${WP1}`, '2024-02');
    await page.getByRole('alert').filter({ hasText: 'before the start month' }).waitFor();
    await setMonth(page, `Start: ${WP1}`, '2024-01');
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'before the start' }).count()).toBe(0);
    await page.reload();
    await showPlan(page);
    expect(await monthField(page, `End: ${WP1}`).getByRole('spinbutton').inputValue()).toBe('2024');
  });
});

describe('new actions', () => {
  it('"Add action" on the plan links no theme and opens its title for writing', async () => {
    const page = await actionPlan(e2e, 'example-culture-network-en');
    await page.getByRole('button', { name: 'Add action' }).click();
    const title = page.getByRole('textbox', { name: 'Action: New action' });
    await expect.poll(() => title.evaluate((el) => el === document.activeElement)).toBe(true);
    const row = page.getByRole('row').filter({ has: title });
    expect(await row.textContent()).toContain('No theme');
  });

  it('an action made from a theme is titled after the theme, with its title ready to edit', async () => {
    const page = await actionPlan(e2e, 'example-culture-network-en');
    await page.getByRole('tab', { name: 'Theme clustering' }).click();
    await page.getByRole('button', { name: 'New action from this theme' }).nth(2).click();
    const title = page.getByRole('textbox', { name: 'Action: International partnerships' });
    await title.waitFor();
    await expect.poll(() => title.evaluate((el) => el === document.activeElement)).toBe(true);
    const row = page.getByRole('row').filter({ has: title });
    expect(await row.getByLabel(/^Themes: /).textContent()).toContain('International partnerships');
  });
});

const MESSAGES = { en, fi, sv, et } as const;

/** Where each label of the timeline's scale sits, and whether its text shows whole. */
async function scaleLabels(
  page: Page,
): Promise<{ row: number; text: string; left: number; right: number; whole: boolean }[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('[data-scale-row]')].flatMap((row, i) =>
      [...row.querySelectorAll('[data-scale-label]')].map((el) => {
        const box = el.getBoundingClientRect();
        return {
          row: i,
          text: el.textContent ?? '',
          left: box.left,
          right: box.right,
          whole: el.scrollWidth <= el.clientWidth,
        };
      }),
    ),
  );
}

/** Fails unless every label shows whole and no two in a row touch. */
async function expectLegibleScale(page: Page, what: string): Promise<string> {
  const labels = await scaleLabels(page);
  expect(labels.length, what).toBeGreaterThan(2);
  for (const label of labels) expect(label.whole, `${what}: "${label.text}" is cut`).toBe(true);
  for (const row of new Set(labels.map((l) => l.row))) {
    const inRow = labels.filter((l) => l.row === row && l.text).sort((a, b) => a.left - b.left);
    for (let i = 1; i < inRow.length; i++) {
      expect(
        inRow[i]!.left,
        `${what}: "${inRow[i - 1]!.text}" runs into "${inRow[i]!.text}"`,
      ).toBeGreaterThanOrEqual(inRow[i - 1]!.right);
    }
  }
  return labels.map((l) => l.text).join(' ');
}

describe('the timeline', () => {
  it('labels months, quarters and years legibly at any plan length, in all four languages', async () => {
    const page = await actionPlan(e2e, 'example-culture-network-en');
    // A long plan: ten years.
    await setMonth(page, `Start: ${WP1}`, '2021-01');
    await setMonth(page, `End: ${WP1}`, '2030-12');
    // A short one, seen alone through the owner filter: two months.
    await setMonth(page, `End: ${TRIP}`, '2026-04');
    await page.getByRole('tab', { name: 'Timeline' }).click();
    await page.getByRole('slider').first().waitFor();
    let shown: keyof typeof MESSAGES = 'en';
    for (const language of ['en', 'fi', 'sv', 'et'] as const) {
      const picker = page.getByRole('combobox', { name: MESSAGES[shown]['ui.language'] });
      await picker.selectOption(language);
      shown = language;
      await page.locator(`html[lang="${language}"]`).waitFor();
      const long = await expectLegibleScale(page, `${language}, ten years`);
      for (const year of ['2021', '2025', '2030']) expect(long, language).toContain(year);
      const ownerFilter = page.getByRole('combobox', { name: MESSAGES[language]['actions.filterOwner'] });
      await ownerFilter.selectOption('Pietarsaari');
      await expect.poll(() => page.getByRole('slider').count()).toBe(1);
      const short = await expectLegibleScale(page, `${language}, two months`);
      expect(short, language).toContain('2026');
      await ownerFilter.selectOption('');
      await expect.poll(() => page.getByRole('slider').count()).toBe(5);
    }
  });
});
