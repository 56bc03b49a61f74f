/**
 * The annual wheel (#12): it shows the plan's actions and a recurring item the facilitator adds,
 * and moves either by keyboard, for everyone in the workshop; Enter opens an action in the
 * table. An axe check of the wheel and of the recurring items' dialog.
 */
import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectNoSeriousViolations } from './a11y';
import { setUpE2E } from './setup';

const e2e = setUpE2E();

async function openWheel(page: Page): Promise<void> {
  await page.getByRole('tab', { name: 'Action planning' }).click();
  await page.getByRole('tab', { name: 'Annual wheel' }).click();
}

const ACTION = 'European partner network and yearly study trip';

describe('the annual wheel', () => {
  it('shows an action and a recurring item, and moves each by keyboard for everyone', async () => {
    const [alice, bob] = await e2e.twoPeople();
    for (const page of [alice, bob]) await openWheel(page);

    // The example's action, by what and when (March 2026 to June 2028).
    const action = (page: Page) => page.getByRole('button', { name: new RegExp(`^${ACTION}, `) });
    expect(await action(alice).getAttribute('aria-label')).toMatch(/March 2026 – June 2028/);

    // The facilitator adds a festival every October.
    await alice.getByRole('button', { name: 'Recurring items…' }).click();
    const dialog = alice.getByRole('dialog', { name: 'Recurring items' });
    await dialog.getByRole('textbox', { name: 'New recurring item' }).fill('Culture festival');
    await dialog.getByRole('checkbox', { name: 'October: Culture festival' }).check();
    await dialog.getByRole('button', { name: 'Add recurring item' }).click();
    await dialog.getByRole('textbox', { name: 'Title of Culture festival' }).waitFor();
    await expectNoSeriousViolations(alice, 'recurring items dialog');
    await dialog.getByRole('button', { name: 'Close' }).click();

    const festival = (page: Page) => page.getByRole('button', { name: /^Culture festival, every year in/ });
    await expect
      .poll(() => festival(bob).getAttribute('aria-label'), { timeout: 2000 })
      .toMatch(/in October/);
    await expectNoSeriousViolations(alice, 'annual wheel');

    // The action a month later: its start and end move, and the other sees it.
    await action(alice).focus();
    await alice.keyboard.press('ArrowRight');
    await expect
      .poll(() => action(bob).getAttribute('aria-label'), { timeout: 2000 })
      .toMatch(/April 2026 – July 2028/);
    // The focus stays on the moved action, so it can be moved on.
    expect(await action(alice).evaluate((el) => el === document.activeElement)).toBe(true);
    await alice.keyboard.press('ArrowLeft');
    await expect.poll(() => action(bob).getAttribute('aria-label'), { timeout: 2000 }).toMatch(/March 2026/);

    // The festival a month earlier: every September now.
    await festival(alice).focus();
    await alice.keyboard.press('ArrowLeft');
    await expect
      .poll(() => festival(bob).getAttribute('aria-label'), { timeout: 2000 })
      .toMatch(/in September/);

    // Dragged two months round the wheel (clockwise): every November.
    const wheel = (await alice.getByRole('group', { name: /annual wheel/ }).boundingBox())!;
    const arc = (await festival(alice).boundingBox())!;
    const centre = { x: wheel.x + wheel.width / 2, y: wheel.y + wheel.height / 2 };
    const from = { x: arc.x + arc.width / 2, y: arc.y + arc.height / 2 };
    const radius = Math.hypot(from.x - centre.x, from.y - centre.y);
    const angle = Math.atan2(from.x - centre.x, centre.y - from.y);
    const at = (turn: number) => ({
      x: centre.x + radius * Math.sin(angle + turn),
      y: centre.y - radius * Math.cos(angle + turn),
    });
    await alice.mouse.move(from.x, from.y);
    await alice.mouse.down();
    for (let step = 1; step <= 6; step++)
      await alice.mouse.move(at((step / 6) * (Math.PI / 3)).x, at((step / 6) * (Math.PI / 3)).y);
    await alice.mouse.up();
    await expect
      .poll(() => festival(bob).getAttribute('aria-label'), { timeout: 2000 })
      .toMatch(/in November/);

    // The participant may not move the plan's recurring items, and is told so.
    await festival(bob).focus();
    await bob.keyboard.press('ArrowRight');
    await bob.getByRole('status').filter({ hasText: 'Only the facilitator changes the plan' }).waitFor();
    expect(await festival(alice).getAttribute('aria-label')).toMatch(/in November/);

    // Enter opens the action in the table, its title ready to edit.
    await action(alice).focus();
    await alice.keyboard.press('Enter');
    const title = alice.getByRole('textbox', { name: `Action: ${ACTION}` });
    await expect
      .poll(() => title.evaluate((el) => el === document.activeElement), { timeout: 2000 })
      .toBe(true);
  });

  it('downloads as SVG and PNG, and is in the Word export as a picture', async () => {
    const [alice] = await e2e.twoPeople();
    await openWheel(alice);
    const download = async (name: string): Promise<Buffer> => {
      const [file] = await Promise.all([
        alice.waitForEvent('download'),
        alice.getByRole('button', { name }).click(),
      ]);
      return readFileSync(await file.path());
    };
    const svg = (await download('Download SVG')).toString('utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain(`${ACTION}, March 2026 – June 2028`);
    expect(svg).toContain('>Recurring every year<');
    const png = await download('Download PNG');
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');

    await alice.getByRole('button', { name: 'Export…' }).click();
    const dialog = alice.getByRole('dialog', { name: 'Export the action plan' });
    await dialog.getByRole('radio', { name: /Word/ }).check();
    const [docx] = await Promise.all([
      alice.waitForEvent('download'),
      dialog.getByRole('button', { name: 'Export', exact: true }).click(),
    ]);
    const parts = unzipSync(new Uint8Array(readFileSync(await docx.path())));
    const pictures = Object.keys(parts).filter((name) => /^word\/media\/.*\.png$/.test(name));
    expect(pictures).toHaveLength(1);
    expect(strFromU8(parts['word/document.xml']!)).toMatch(/annual wheel/);
  });

  it('starts at the month the facilitator sets', async () => {
    const [alice] = await e2e.twoPeople();
    await openWheel(alice);
    await alice.getByRole('combobox', { name: 'Year starts in' }).selectOption({ label: 'August' });
    // A school year: the wheel shows August to July, and its year reads as two.
    await alice
      .getByText(/^\d{4}–\d{4}$/)
      .first()
      .waitFor();
    const months = await alice.locator('.wheel-month textPath').allTextContents();
    expect(months[0]).toBe('August');
    expect(months[11]).toBe('July');
  });
});
