// Facilitation (#11): one countdown on the server's clock for everyone, the group's phase,
// follow me, bring everyone here, spotlight, and the facilitator's settings dialog.
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectNoSeriousViolations } from './a11y';
import { setUpE2E } from './setup';

const e2e = setUpE2E();

const NEED = 'Small towns lack staff to write EU funding applications';

/** What a timer shows, in seconds ("04:59" → 299). */
async function secondsShown(page: Page): Promise<number> {
  const text = (await page.getByRole('timer').textContent()) ?? '';
  const match = /(\d+):(\d\d)/.exec(text);
  if (!match) throw new Error(`no time in the timer: "${text}"`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** The status bar's zoom, when it says `percent`. */
const zoomAt = (page: Page, percent: number) => page.getByText(`Zoom ${percent} %`);
const shownBoard = (page: Page) => page.getByRole('tab', { selected: true });

describe('facilitation', () => {
  it('shows the facilitator’s countdown to everyone at the same time, paused, extended and ended', async () => {
    const [facilitator, participant] = await e2e.twoPeople();
    expect(await participant.getByRole('button', { name: 'Timer', exact: true }).count()).toBe(0);

    await facilitator.getByRole('button', { name: 'Timer', exact: true }).click();
    await facilitator
      .getByRole('group', { name: 'Start a countdown' })
      .getByRole('button', { name: '5 min' })
      .click();
    await participant.getByRole('timer').waitFor();
    const [mine, theirs] = await Promise.all([secondsShown(facilitator), secondsShown(participant)]);
    expect(Math.abs(mine - theirs)).toBeLessThanOrEqual(1);
    expect(theirs).toBeGreaterThan(4 * 60);

    // A running countdown's controls are in the timer's menu (#12: the top bar keeps to one row).
    await facilitator.getByRole('button', { name: 'Timer', exact: true }).click();
    await facilitator.getByRole('button', { name: 'Pause timer' }).click();
    await participant.getByRole('timer').filter({ hasText: 'Paused' }).waitFor();
    const paused = await secondsShown(participant);
    expect(paused).toBe(await secondsShown(facilitator));

    await facilitator.getByRole('button', { name: '+1 min' }).click();
    await participant
      .getByRole('timer')
      .filter({ hasText: formatSeconds(paused + 60) })
      .waitFor();

    await facilitator.getByRole('button', { name: 'Resume timer' }).click();
    await participant.getByRole('timer').filter({ hasNotText: 'Paused' }).waitFor();
    await facilitator.getByRole('button', { name: 'Stop timer' }).click();
    await participant.getByRole('timer').waitFor({ state: 'detached' });

    // A short custom countdown runs out: everyone sees it, and a screen reader hears it.
    await facilitator.getByRole('button', { name: 'Timer', exact: true }).click();
    await facilitator.getByRole('spinbutton', { name: 'Minutes' }).fill('0.05');
    await facilitator.getByRole('button', { name: 'Start', exact: true }).click();
    await participant.getByRole('timer').filter({ hasText: 'Time is up' }).waitFor({ timeout: 10_000 });
    await participant.getByRole('status').filter({ hasText: 'Time is up' }).waitFor();
    await participant.screenshot({ path: '/tmp/facilitation-time-up-en.png', clip: topBar });
  });

  it('moves a participant who follows the group to the facilitator’s phase, and Go there', async () => {
    const [facilitator, participant] = await e2e.twoPeople();
    await participant.getByText('The group is at: Needs analysis').waitFor();
    await participant.getByRole('button', { name: 'Follow the group' }).click();
    expect(
      await participant.getByRole('button', { name: 'Follow the group' }).getAttribute('aria-pressed'),
    ).toBe('true');

    await facilitator.getByRole('combobox', { name: 'Group’s phase' }).selectOption('themes');
    expect(await shownBoard(facilitator).textContent()).toContain('Theme clustering');
    await shownBoard(participant).filter({ hasText: 'Theme clustering' }).waitFor();
    await participant
      .getByRole('status')
      .filter({ hasText: 'The group moved to Theme clustering' })
      .waitFor();

    // Not following: the participant stays where they are until they choose to go.
    await participant.getByRole('button', { name: 'Follow the group' }).click();
    await facilitator.getByRole('combobox', { name: 'Group’s phase' }).selectOption('actions');
    await participant.getByText('The group is at: Action planning').waitFor();
    expect(await shownBoard(participant).textContent()).toContain('Theme clustering');
    await participant.getByRole('button', { name: 'Go there' }).click();
    await shownBoard(participant).filter({ hasText: 'Action planning' }).waitFor();
  });

  it('lets everyone follow the facilitator’s view until they stop, and brings everyone here', async () => {
    const [facilitator, participant] = await e2e.twoPeople();
    await facilitator.getByRole('button', { name: 'Follow me' }).click();
    await participant.getByText('Following Alice').waitFor();

    await facilitator.getByRole('tab', { name: 'Theme clustering' }).click();
    await shownBoard(participant).filter({ hasText: 'Theme clustering' }).waitFor();
    // Two steps in from wherever the board's fit put it (the board's height decides that).
    const zoomShown = () => facilitator.getByText(/^Zoom \d+ %$/).textContent();
    let zoom = await zoomShown();
    for (let step = 0; step < 2; step++) {
      const before = zoom;
      await facilitator.getByRole('button', { name: 'Zoom in' }).click();
      await expect.poll(zoomShown).not.toBe(before);
      zoom = await zoomShown();
    }
    await participant.getByText(zoom ?? '', { exact: true }).waitFor();

    // The action plan has no canvas; its board is followed all the same.
    await facilitator.getByRole('tab', { name: 'Action planning' }).click();
    await shownBoard(participant).filter({ hasText: 'Action planning' }).waitFor();
    await facilitator.getByRole('tab', { name: 'Theme clustering' }).click();
    await shownBoard(participant).filter({ hasText: 'Theme clustering' }).waitFor();

    await participant.getByRole('button', { name: 'Stop following' }).click();
    await facilitator.getByRole('tab', { name: 'Needs analysis' }).click();
    // Each board's canvas has a view of its own: the needs board starts at 100 %.
    await facilitator.getByRole('button', { name: 'Zoom in' }).click();
    await zoomAt(facilitator, 125).waitFor();
    // The participant stays where they chose to be.
    expect(await shownBoard(participant).textContent()).toContain('Theme clustering');
    expect(await participant.getByText('Following Alice').count()).toBe(0);

    // Bring everyone here: the participant's view moves once, to the facilitator's board and zoom.
    await facilitator.getByRole('button', { name: 'Follow me' }).click();
    await facilitator.getByRole('button', { name: 'Bring everyone here' }).click();
    await shownBoard(participant).filter({ hasText: 'Needs analysis' }).waitFor();
    await zoomAt(participant, 125).waitFor();
  });

  it('spotlights a note for everyone until it is cleared', async () => {
    const [facilitator, participant] = await e2e.twoPeople();
    // The participant has looked far away from the note.
    await participant.getByRole('region', { name: 'Needs analysis' }).focus();
    for (let i = 0; i < 20; i++) await participant.keyboard.press('ArrowUp');
    const note = participant.locator('[data-note-id]').filter({ hasText: NEED });
    expect(await isInView(participant, NEED)).toBe(false);

    await facilitator.getByRole('button', { name: NEED, exact: true }).focus();
    await facilitator.getByRole('button', { name: 'Spotlight' }).click();
    await participant.getByText(`Spotlight: ${NEED}`).waitFor();
    await expect.poll(() => isInView(participant, NEED)).toBe(true);
    expect(await spotlit(note)).toBe(true);

    await facilitator.getByRole('button', { name: 'Clear spotlight' }).click();
    await participant.getByText(`Spotlight: ${NEED}`).waitFor({ state: 'detached' });
    expect(await spotlit(note)).toBe(false);

    // A theme: picked by name on the themes board; the participant's view goes there too.
    await facilitator.getByRole('tab', { name: 'Theme clustering' }).click();
    await facilitator
      .getByRole('combobox', { name: 'Spotlight a theme' })
      .selectOption({ label: 'Knowledge and impact measurement' });
    await participant.getByText('Spotlight: Knowledge and impact measurement').waitFor();
    await shownBoard(participant).filter({ hasText: 'Theme clustering' }).waitFor();
    const theme = participant.getByRole('region', { name: 'Knowledge and impact measurement' });
    expect(await spotlit(theme)).toBe(true);
  });

  it('keeps the focus in the settings dialog and gives it back; the rules stick', async () => {
    const [facilitator, participant] = await e2e.twoPeople();
    expect(await participant.getByRole('button', { name: 'Facilitation settings' }).count()).toBe(0);
    const opener = facilitator.getByRole('button', { name: 'Facilitation settings' });
    await opener.focus();
    await facilitator.keyboard.press('Enter');
    const dialog = facilitator.getByRole('dialog', { name: 'Facilitation settings' });
    await dialog.waitFor();
    for (let i = 0; i < 12; i++) {
      await facilitator.keyboard.press('Tab');
      expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
    }
    await dialog.getByRole('checkbox', { name: 'Anonymous mode' }).check();
    await dialog.getByRole('checkbox', { name: 'Add themes' }).uncheck();
    await facilitator.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await opener.evaluate((b) => b === document.activeElement)).toBe(true);

    await opener.click();
    expect(await dialog.getByRole('checkbox', { name: 'Anonymous mode' }).isChecked()).toBe(true);
    expect(await dialog.getByRole('checkbox', { name: 'Add themes' }).isChecked()).toBe(false);
    expect(await dialog.getByRole('checkbox', { name: 'Add actions' }).isChecked()).toBe(true);
    await dialog.getByRole('button', { name: 'Done' }).click();
  });

  it('locks the workshop and a board, and everyone sees it', async () => {
    const [facilitator, participant] = await e2e.twoPeople();
    await facilitator.getByRole('button', { name: 'Lock this board' }).click();
    await participant.getByText('Board locked').waitFor();
    await facilitator.getByRole('button', { name: 'Lock workshop' }).click();
    await participant.getByText('Workshop locked').waitFor();
    expect(
      await facilitator.getByRole('button', { name: 'Lock workshop' }).getAttribute('aria-pressed'),
    ).toBe('true');
  });

  it('looks right with a running timer and the settings dialog, in English and Finnish', async () => {
    const [facilitator, participant] = await e2e.twoPeople();
    await facilitator.getByRole('button', { name: 'Timer', exact: true }).click();
    await facilitator.getByRole('button', { name: '3 min' }).click();
    await facilitator.getByRole('timer').waitFor();
    await facilitator.screenshot({ path: '/tmp/facilitation-top-bar-en.png', clip: topBar });
    await expectNoSeriousViolations(facilitator, 'workshop with the facilitation row and a running timer');
    await facilitator.getByRole('button', { name: 'Timer', exact: true }).click();
    await expectNoSeriousViolations(facilitator, 'the timer menu');
    await facilitator.screenshot({
      path: '/tmp/facilitation-timer-menu-en.png',
      clip: { ...topBar, height: 320 },
    });
    await facilitator.keyboard.press('Escape');
    await facilitator.getByRole('button', { name: 'Facilitation settings' }).click();
    await expectNoSeriousViolations(facilitator, 'facilitation settings');
    await facilitator.screenshot({ path: '/tmp/facilitation-settings-en.png' });
    await facilitator.keyboard.press('Escape');

    // What a participant sees: the time, whom they follow, the lock and the spotlight.
    await facilitator.getByRole('button', { name: 'Follow me' }).click();
    await facilitator.getByRole('button', { name: 'Lock workshop' }).click();
    await facilitator.getByRole('button', { name: NEED, exact: true }).focus();
    await facilitator.getByRole('button', { name: 'Spotlight' }).click();
    await participant.getByText(`Spotlight: ${NEED}`).waitFor();
    await expectNoSeriousViolations(participant, 'a participant following, locked, with a spotlight');
    await participant.screenshot({ path: '/tmp/facilitation-participant-en.png' });

    await facilitator.getByRole('combobox', { name: 'Interface language' }).selectOption('fi');
    await facilitator.getByRole('button', { name: 'Ajastin', exact: true }).waitFor();
    await facilitator.screenshot({ path: '/tmp/facilitation-top-bar-fi.png', clip: topBar });
    await facilitator.getByRole('button', { name: 'Fasilitoinnin asetukset' }).click();
    await facilitator.screenshot({ path: '/tmp/facilitation-settings-fi.png' });
  });
});

/** Whether a card wears the spotlight's ring. */
const spotlit = (card: Locator) => card.evaluate((el) => getComputedStyle(el).outlineWidth === '4px');

const topBar = { x: 0, y: 0, width: 1280, height: 140 };

function formatSeconds(seconds: number): string {
  return `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
}

/** Whether the note's card lies inside its canvas's visible box. */
function isInView(page: Page, text: string): Promise<boolean> {
  return page.evaluate((text) => {
    const card = [...document.querySelectorAll('[data-note-id]')].find((el) =>
      el.textContent?.includes(text),
    );
    const canvas = card?.closest('.canvas');
    if (!card || !canvas) return false;
    const c = card.getBoundingClientRect();
    const v = canvas.getBoundingClientRect();
    return c.top >= v.top && c.bottom <= v.bottom && c.left >= v.left && c.right <= v.right;
  }, text);
}
