import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { setUpE2E } from './setup';

const e2e = setUpE2E();

const PANEL = 'Workshop panel';
const NEED = 'Small towns lack staff to write EU funding applications';
/** The need's card: its text button plus its dot controls. */
const card = (page: Page) =>
  page.locator('[data-note-id]').filter({ has: page.getByRole('button', { name: NEED, exact: true }) });

describe('dot voting', () => {
  it('hides others’ dots until the facilitator reveals, then shows a ranked result to everyone', async () => {
    const [facilitator, participant] = await e2e.twoPeople();
    // The example already carries 7 revealed votes on this need from its outline.
    expect(await card(participant).textContent()).toContain('7 votes');

    await facilitator.getByRole('spinbutton', { name: 'Dots per person' }).fill('3');
    await facilitator.getByRole('button', { name: 'Start voting' }).click();
    await participant.getByText('Voting is open: 3 of 3 dots left').waitFor({ timeout: 1000 });

    await participant.getByRole('button', { name: `Add a dot to ${NEED}` }).click();
    await participant.getByRole('button', { name: `Add a dot to ${NEED}` }).click();
    await participant.getByText('Voting is open: 1 of 3 dots left').waitFor();
    await facilitator.getByRole('button', { name: `Add a dot to ${NEED}` }).click();
    await facilitator.getByText('Voting is open: 2 of 3 dots left').waitFor();

    // Each sees their own dots only; the totals on the card are still the old revealed ones.
    expect(await card(participant).getByLabel('2 of your dots').count()).toBe(1);
    expect(await card(facilitator).getByLabel('1 of your dots').count()).toBe(1);
    expect(await card(facilitator).textContent()).toContain('7 votes');

    // The facilitator sees how many dots each has placed (the server counts them), not where.
    await facilitator.getByRole('list', { name: 'Dots placed' }).getByText('Bob: 2 dots').waitFor();

    await facilitator.getByRole('button', { name: 'Reveal results' }).click();
    const results = participant.getByRole('table', { name: 'Results' });
    await results.getByRole('row', { name: `1 ${NEED} 3` }).waitFor({ timeout: 5000 });
    await card(participant).getByText('10 votes').waitFor();
    // Revealed: no more dots can be placed.
    expect(await participant.getByRole('button', { name: `Add a dot to ${NEED}` }).count()).toBe(0);
  });

  it('a closed round keeps its ranked result; ties share a place; the + is off with no dots left', async () => {
    const [facilitator, participant] = await e2e.twoPeople();
    const [a, b, c] = [
      'Baseline analysis of each town: how do we measure the impact of culture and leisure services?',
      NEED,
      'Research partner to study intangible value creation',
    ];
    await facilitator.getByRole('spinbutton', { name: 'Dots per person' }).fill('3');
    await facilitator.getByRole('button', { name: 'Start voting' }).click();
    for (const title of [a, b, c]) {
      await participant.getByRole('button', { name: `Add a dot to ${title}` }).click();
    }
    await participant.getByText('Voting is open: 0 of 3 dots left').waitFor({ timeout: 1000 });
    // No dots left: every + is off, for the eye and for a screen reader.
    const plus = participant.getByRole('button', { name: `Add a dot to ${a}` });
    expect(await plus.isDisabled()).toBe(true);
    expect(await plus.getAttribute('aria-describedby')).toBeTruthy();
    const look = (el: Element) => {
      const style = getComputedStyle(el);
      return `${style.opacity} ${style.color} ${style.cursor}`;
    };
    const live = participant.getByRole('button', { name: `Remove a dot from ${a}` });
    expect(await plus.evaluate(look)).not.toBe(await live.evaluate(look));

    for (const title of [a, b]) {
      await facilitator.getByRole('button', { name: `Add a dot to ${title}` }).click();
    }
    await facilitator.getByText('Voting is open: 1 of 3 dots left').waitFor();
    await facilitator.getByRole('button', { name: 'Reveal results' }).click();
    await facilitator.getByRole('button', { name: 'Close round' }).click();

    // Closed, the result stays in sight for both: a ranked table where the two tied share place 1.
    for (const page of [facilitator, participant]) {
      // The latest round comes first (the example's own votes are a round before it).
      const result = page.getByRole('table', { name: /^Round \d+: Needs$/ }).first();
      await result.getByRole('row', { name: `1 ${a} 2` }).waitFor({ timeout: 5000 });
      expect(await result.getByRole('row', { name: `1 ${b} 2` }).isVisible()).toBe(true);
      expect(await result.getByRole('row', { name: `3 ${c} 1` }).isVisible()).toBe(true);
    }
  });

  it('puts the next round’s controls, then the open round, above the revealed rounds, in sight', async () => {
    const [facilitator] = await e2e.twoPeople();
    const panel = facilitator.getByRole('complementary', { name: PANEL });
    const history = panel.getByRole('list', { name: 'Revealed rounds' });
    // The example's own votes are a revealed round: its chart is open, below the form.
    await history.getByRole('table').first().waitFor();
    const start = panel.getByRole('button', { name: 'Start voting' });
    const top = async (locator: Locator) => (await locator.boundingBox())?.y ?? Number.NaN;
    const inSight = async (locator: Locator) => {
      const [box, frame] = [await locator.boundingBox(), await panel.boundingBox()];
      return (
        box !== null && frame !== null && box.y >= frame.y && box.y + box.height <= frame.y + frame.height
      );
    };
    expect(await top(start)).toBeLessThan(await top(history));
    expect(await inSight(start)).toBe(true);

    await start.click();
    const open = panel.getByText(/^Voting is open/);
    await open.waitFor();
    expect(await top(open)).toBeLessThan(await top(history));
    expect(await inSight(open)).toBe(true);
  });
});
