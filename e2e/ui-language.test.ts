// Each person's own UI language (#11): chosen on this device, independent of the workshop's
// language, said through the live region; counts in the words of that language; and a dialog
// that keeps the keyboard inside it and gives the focus back.
import { describe, expect, it } from 'vitest';
import { expectNoSeriousViolations } from './a11y';
import { exampleWorkshop, joinAs, lane } from './people';
import { setUpE2E } from './setup';

const e2e = setUpE2E();

const NEED = 'Small towns lack staff to write EU funding applications';

describe('own UI language', () => {
  it('a participant reads an English workshop in Swedish; the notes stay English, the others’ UI too', async () => {
    const [alice, bob] = await e2e.twoPeople();
    await alice.getByRole('combobox', { name: 'Interface language' }).selectOption('sv');

    await alice.getByRole('tab', { name: 'Behovsanalys' }).waitFor();
    await alice.getByRole('status').filter({ hasText: 'Språk: Svenska' }).waitFor();
    expect(await alice.evaluate(() => document.documentElement.lang)).toBe('sv');
    // The workshop's own words keep their language, and say so to a screen reader.
    const title = alice.getByRole('heading', { level: 1 });
    expect(await title.textContent()).toContain('Vitality from Culture');
    expect(await title.getAttribute('lang')).toBe('en');
    const need = alice.getByRole('button', { name: NEED, exact: true });
    expect(await need.getAttribute('lang')).toBe('en');
    const group = alice.locator('span').getByText('Culture towns', { exact: true });
    expect(await group.getAttribute('lang')).toBe('en');
    // Editing a note, the spell checker works in the note's language.
    await need.focus();
    await alice.keyboard.press('Enter');
    expect(await alice.getByRole('textbox', { name: 'Lappens text' }).getAttribute('lang')).toBe('en');
    await alice.keyboard.press('Escape');
    // Counts in Swedish words, plural as Swedish has it.
    expect(await alice.locator('[data-note-id]').filter({ has: need }).textContent()).toContain('7 röster');

    await expectNoSeriousViolations(alice, 'Workshop, UI in Swedish');

    // Bob's UI is his own: still English.
    await bob.getByRole('tab', { name: 'Needs analysis' }).waitFor();
    expect(await bob.evaluate(() => document.documentElement.lang)).toBe('en');

    // Kept on Alice's device: after a reload, and on Home.
    await alice.reload();
    await alice.getByRole('tab', { name: 'Behovsanalys' }).waitFor();
    expect(await alice.getByRole('combobox', { name: 'Gränssnittets språk' }).inputValue()).toBe('sv');
    await alice.getByRole('link', { name: 'Talkoo – alla workshoppar' }).click();
    await alice.getByRole('heading', { level: 1, name: 'Workshoppar' }).waitFor();
    await alice.screenshot({ path: '/tmp/talkoo-home-sv.png' });
  });

  it('says one and many in the words of the chosen language', async () => {
    const [alice] = await e2e.twoPeople();
    await alice.getByRole('combobox', { name: 'Interface language' }).selectOption('fi');
    await alice.getByRole('button', { name: 'Tuo CSV-tiedostosta' }).click();
    const dialog = alice.getByRole('dialog');
    const file = (rows: string[]) => ({
      name: 'needs.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(['text,stakeholder', ...rows].join('\n')),
    });
    await dialog.getByLabel(/^CSV/).setInputFiles(file(['One need,Culture towns']));
    await dialog.getByRole('button', { name: 'Tuo 1 lappu', exact: true }).waitFor();
    await dialog.getByLabel(/^CSV/).setInputFiles(file(['One need,Culture towns', 'Another,Culture towns']));
    await dialog.getByRole('button', { name: 'Tuo 2 lappua', exact: true }).click();
    await alice.getByText('2 lappua tuotu').waitFor();
    await lane(alice, 'Culture towns').getByRole('button', { name: 'Another', exact: true }).waitFor();
    await alice.screenshot({ path: '/tmp/talkoo-workshop-fi.png' });
  });

  it('without a chosen UI language a workshop speaks its own, and the page says so (lang) under the dialogs mounted over every screen', async () => {
    const { facilitatorUrl } = await exampleWorkshop(e2e.web(), 'example-voru-et');
    // A browser in English: the Estonian workshop is still Estonian to someone who chose nothing.
    const context = await e2e
      .browser()
      .newContext({ locale: 'en-US', viewport: { width: 1280, height: 720 } });
    try {
      const page = await context.newPage();
      await page.goto(facilitatorUrl);
      await joinAs(page, 'Kadri');
      await page.getByRole('heading', { level: 1 }).filter({ hasText: 'Loov Võru maakond' }).waitFor();
      await page.getByRole('combobox', { name: 'Kasutajaliidese keel' }).waitFor();
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('et');
    } finally {
      await context.close();
    }
  });
});

describe('a dialog from the keyboard', () => {
  it('keeps Tab and Shift+Tab inside it, and gives the focus back to its opener on Escape', async () => {
    const [alice] = await e2e.twoPeople();
    const share = alice.getByRole('button', { name: 'Share', exact: true });
    await share.focus();
    await alice.keyboard.press('Enter');
    const dialog = alice.getByRole('dialog', { name: 'Invite people' });
    await dialog.waitFor();
    const focusInDialog = () => alice.evaluate(() => !!document.activeElement?.closest('[role="dialog"]'));
    // Round the dialog twice forwards and once backwards: the focus never leaves it.
    const stops = await dialog
      .locator('button:not(:disabled), input:not(:disabled), select, textarea, [href]')
      .count();
    for (let i = 0; i < stops * 2 + 1; i++) {
      await alice.keyboard.press('Tab');
      expect(await focusInDialog()).toBe(true);
    }
    for (let i = 0; i < stops + 1; i++) {
      await alice.keyboard.press('Shift+Tab');
      expect(await focusInDialog()).toBe(true);
    }
    await alice.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await share.evaluate((button) => button === document.activeElement)).toBe(true);
  });
});
