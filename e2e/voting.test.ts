import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { setUpE2E } from './setup';

const e2e = setUpE2E();

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
});
