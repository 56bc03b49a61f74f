import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { setUpE2E } from './setup';

const e2e = setUpE2E();

const twoPeople = e2e.twoPeople;

describe('theme clustering and action planning with two participants', () => {
  it('a note dragged into another theme moves there for the other, listed once', async () => {
    const [alice, bob] = await twoPeople();
    for (const page of [alice, bob]) await page.getByRole('tab', { name: 'Theme clustering' }).click();
    const text = 'Small towns lack staff to write EU funding applications';
    // Exactly the note's text: its municipality tag's name quotes it too.
    const themeList = (page: Page, name: string) => page.getByRole('list', { name });
    const from = themeList(alice, 'Network coordination and funding');
    const note = from.getByRole('button', { name: text, exact: true });
    await note.waitFor();
    const into = themeList(alice, 'Knowledge and impact measurement');
    await note.dragTo(into);
    await themeList(bob, 'Knowledge and impact measurement')
      .getByRole('button', { name: text, exact: true })
      .waitFor({ timeout: 1000 });
    expect(
      await themeList(bob, 'Network coordination and funding')
        .getByRole('button', { name: text, exact: true })
        .count(),
    ).toBe(0);
    expect(await bob.getByRole('button', { name: text, exact: true }).count()).toBe(1);
  });

  it('an action edit reaches the other', async () => {
    const [alice, bob] = await twoPeople();
    for (const page of [alice, bob]) await page.getByRole('tab', { name: 'Action planning' }).click();
    const owner = alice.getByRole('textbox', { name: /^Owner: WP1 Network coordination/ });
    await owner.fill('Vitality from Culture network office');
    await owner.press('Enter');
    await expect
      .poll(() => bob.getByRole('textbox', { name: /^Owner: WP1 Network coordination/ }).inputValue(), {
        timeout: 1000,
      })
      .toBe('Vitality from Culture network office');
  });

  it('a timeline drag reaches the other', async () => {
    const [alice, bob] = await twoPeople();
    for (const page of [alice, bob]) {
      await page.getByRole('tab', { name: 'Action planning' }).click();
      await page.getByRole('tab', { name: 'Timeline' }).click();
    }
    const bar = alice.getByRole('slider', { name: /^WP1 Network coordination/ });
    const before = await bar.getAttribute('aria-valuetext');
    const [oldStart, oldEnd] = before!.split(' – ');
    const months = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5));
    const box = (await bar.boundingBox())!;
    // A month's width is what the window leaves for the plan: the bar's width over its months.
    const month = box.width / (months(oldEnd!) - months(oldStart!) + 1);
    await alice.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await alice.mouse.down();
    await alice.mouse.move(box.x + box.width / 2 + month * 2, box.y + box.height / 2, { steps: 5 });
    await alice.mouse.up();
    const bobBar = bob.getByRole('slider', { name: /^WP1 Network coordination/ });
    await expect.poll(() => bobBar.getAttribute('aria-valuetext'), { timeout: 1000 }).not.toBe(before);
    const [start, end] = (await bobBar.getAttribute('aria-valuetext'))!.split(' – ');
    expect(months(start!) - months(oldStart!)).toBe(2);
    expect(months(end!) - months(oldEnd!)).toBe(2);
  });

  it('a new action answers a theme: the one filtered on, visible to the other', async () => {
    const [alice, bob] = await twoPeople();
    for (const page of [alice, bob]) await page.getByRole('tab', { name: 'Action planning' }).click();
    await alice
      .getByRole('combobox', { name: 'Filter by theme' })
      .selectOption({ label: 'International partnerships' });
    await alice.getByRole('button', { name: 'Add action' }).click();
    await expect
      .poll(() => bob.getByRole('textbox', { name: 'Action: New action' }).count(), { timeout: 1000 })
      .toBe(1);
    const row = bob
      .getByRole('row')
      .filter({ has: bob.getByRole('textbox', { name: 'Action: New action' }) });
    expect(await row.textContent()).toContain('International partnerships');
  });

  it("an action's last theme cannot be unlinked, only replaced", async () => {
    const [alice] = await twoPeople();
    await alice.getByRole('tab', { name: 'Action planning' }).click();
    const summary = alice.getByLabel(/^Themes: WP1 Network coordination/);
    await summary.click();
    const picker = alice.getByRole('group', { name: 'Themes' });
    const boxes = picker.getByRole('checkbox');
    const checked = async (): Promise<boolean[]> =>
      Promise.all((await boxes.all()).map((box) => box.isChecked()));
    // Make it one theme: unlink all but the first linked one.
    const linked = (await checked()).flatMap((on, i) => (on ? [i] : []));
    for (const i of linked.slice(1)) await boxes.nth(i).uncheck();
    const only = boxes.nth(linked[0]!);
    await expect.poll(() => only.isDisabled()).toBe(true);
    expect(await only.isChecked()).toBe(true);

    const other = (await checked()).findIndex((on) => !on);
    await boxes.nth(other).check();
    await expect.poll(() => only.isDisabled()).toBe(false);
    await only.uncheck();
    await expect.poll(() => boxes.nth(other).isDisabled()).toBe(true);
    expect(await checked()).toEqual((await checked()).map((_, i) => i === other));
  });
});
