/**
 * Secrets the server keeps (#11): a private writing round's notes and an open round's dots reach
 * no other client until the facilitator reveals them. A facilitator and two participants, each in
 * a browser context of their own.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { expectNoSeriousViolations } from './a11y';
import { joinAs, lane, newWorkshop } from './people';
import { setUpE2E } from './setup';

const e2e = setUpE2E();
const contexts: BrowserContext[] = [];
afterAll(async () => {
  for (const context of contexts) await context.close();
});

/** The facilitator (Alice) and two participants (Bob, Carol) on a new workshop. */
async function threePeople(): Promise<[Page, Page, Page]> {
  const { facilitatorUrl, participantUrl } = await newWorkshop(e2e.web());
  const pages: Page[] = [];
  for (const [url, name] of [
    [facilitatorUrl, 'Alice'],
    [participantUrl, 'Bob'],
    [participantUrl, 'Carol'],
  ] as const) {
    const context = await e2e.browser().newContext({ viewport: { width: 1280, height: 720 } });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(url);
    await joinAs(page, name);
    await page.getByRole('heading', { level: 1 }).filter({ hasText: 'Vitality from Culture' }).waitFor();
    pages.push(page);
  }
  return pages as [Page, Page, Page];
}

/** The live region has said `message`. */
const announced = (page: Page, message: string) =>
  page.locator('[aria-live="polite"]').filter({ hasText: message }).waitFor({ state: 'attached' });

const SECRET = 'A rehearsal room that small towns can share';

describe('private writing', () => {
  it('keeps a participant’s new note from everyone else until the facilitator reveals it', async () => {
    const [alice, bob, carol] = await threePeople();
    await alice.getByRole('button', { name: 'Start private writing' }).click();
    await bob.getByText('Private writing: your new notes are private').waitFor();

    await bob.getByRole('button', { name: 'Add note to Culture towns' }).click();
    await bob.getByRole('textbox', { name: 'Note text' }).fill(SECRET);
    await bob.keyboard.press('Enter');
    const drafts = bob.getByRole('list', { name: 'Your private notes' });
    await drafts.getByRole('button', { name: SECRET, exact: true }).waitFor();
    await bob
      .getByText('Private — only you and the server see this until the facilitator reveals it.')
      .first()
      .waitFor();

    // The facilitator learns how many Bob wrote (the server counted it), never what.
    const progress = alice.getByRole('list', { name: 'Private notes per person' });
    await progress.getByText('Bob: 1 note').waitFor();
    await alice.getByText('1 private note written in all').waitFor();
    await alice.screenshot({ path: '/tmp/secrets-ui-private-facilitator-en.png' });
    await bob.screenshot({ path: '/tmp/secrets-ui-private-drafts-en.png' });
    await expectNoSeriousViolations(bob, 'Needs board with private drafts');
    expect(await alice.getByText(SECRET).count()).toBe(0);
    expect(await carol.getByText(SECRET).count()).toBe(0);

    await alice.getByRole('button', { name: 'Reveal notes' }).click();
    for (const page of [alice, bob, carol]) {
      await lane(page, 'Culture towns').getByRole('button', { name: SECRET }).waitFor();
    }
    await announced(carol, 'Notes revealed');
    expect(await bob.getByRole('list', { name: 'Your private notes' }).count()).toBe(0);
  });

  it('shows the private drafts in Finnish too', async () => {
    const [alice, bob] = await threePeople();
    await bob.getByRole('combobox', { name: 'Interface language' }).selectOption('fi');
    await alice.getByRole('button', { name: 'Start private writing' }).click();
    await bob.getByText('Yksityinen kirjoittaminen: uudet lappusi').waitFor();
    await bob.getByRole('button', { name: 'Lisää lappu ryhmään Culture towns' }).click();
    await bob.getByRole('textbox', { name: 'Lapun teksti' }).fill(SECRET);
    await bob.keyboard.press('Enter');
    await bob
      .getByRole('list', { name: 'Yksityiset lappusi' })
      .getByRole('button', { name: SECRET, exact: true })
      .waitFor();
    await bob.screenshot({ path: '/tmp/secrets-ui-private-drafts-fi.png' });
  });
});

const N1 = 'Baseline analysis of each town: how do we measure the impact of culture and leisure services?';
const N2 = 'Small towns lack staff to write EU funding applications';
const N4 = 'Annual seminar rotating between member towns';

describe('secret ballot', () => {
  it('hides each person’s dots from everyone until the reveal, then ranks the result with shared ranks', async () => {
    const [alice, bob, carol] = await threePeople();
    await alice.getByRole('spinbutton', { name: 'Dots per person' }).fill('2');
    await alice.getByRole('spinbutton', { name: 'Most dots on one item' }).fill('1');
    await alice.getByRole('button', { name: 'Start voting' }).click();
    await bob.getByText('Voting is open: 2 of 2 dots left').waitFor();
    await carol.getByText('Voting is open: 2 of 2 dots left').waitFor();

    // Bob: one dot on N1 (then N1 is full for him: at most one on one item), one on N2.
    await bob.getByRole('button', { name: `Add a dot to ${N1}` }).click();
    await bob.getByText('Voting is open: 1 of 2 dots left').waitFor();
    expect(await bob.getByRole('button', { name: `Add a dot to ${N1}` }).isDisabled()).toBe(true);
    await bob.getByText('At most 1 on one item').waitFor();
    await bob.getByRole('button', { name: `Add a dot to ${N2}` }).click();
    await bob.getByText('Voting is open: 0 of 2 dots left').waitFor();
    expect(await bob.getByRole('button', { name: `Add a dot to ${N4}` }).isDisabled()).toBe(true);

    // The facilitator sees that Bob placed two dots; Carol sees none of them on the cards.
    await alice.getByRole('list', { name: 'Dots placed' }).getByText('Bob: 2 dots').waitFor();
    const card = (page: Page, text: string) =>
      page.locator('[data-note-id]').filter({ has: page.getByRole('button', { name: text, exact: true }) });
    expect(await card(carol, N1).getByLabel('0 of your dots').count()).toBe(1);

    await carol.getByRole('button', { name: `Add a dot to ${N1}` }).click();
    await carol.getByRole('button', { name: `Add a dot to ${N4}` }).click();
    await carol.getByText('Voting is open: 0 of 2 dots left').waitFor();
    await alice.getByRole('list', { name: 'Dots placed' }).getByText('Carol: 2 dots').waitFor();
    expect(await card(bob, N4).getByLabel('0 of your dots').count()).toBe(1);
    expect(await card(alice, N1).getByLabel('0 of your dots').count()).toBe(1);
    // Nobody's card counts the open round's dots.
    expect(await card(bob, N1).textContent()).toContain('9 votes');

    await alice.getByRole('button', { name: 'Reveal results' }).click();
    // N1: 2 dots, rank 1; N2 and N4: 1 dot each, sharing rank 2.
    for (const page of [alice, bob, carol]) {
      const results = page.getByRole('table', { name: 'Results' });
      await results.getByRole('row', { name: `1 ${N1} 2` }).waitFor();
      await results.getByRole('row', { name: `2 ${N2} 1` }).waitFor();
      await results.getByRole('row', { name: `2 ${N4} 1` }).waitFor();
      await card(page, N1).getByText('11 votes').waitFor();
    }
    await announced(bob, 'Votes revealed');
    await carol.screenshot({ path: '/tmp/secrets-ui-chart-en.png' });
    await carol.getByRole('combobox', { name: 'Interface language' }).selectOption('sv');
    await carol
      .getByRole('table', { name: 'Resultat' })
      .getByRole('columnheader', { name: 'Plats' })
      .waitFor();
    await carol.screenshot({ path: '/tmp/secrets-ui-chart-sv.png' });

    // Closed, the round stays in the history with its result (after the example's own round).
    await alice.getByRole('button', { name: 'Close round' }).click();
    await bob.getByText('No voting round is open.').waitFor();
    // Past rounds' results stay open in the history.
    await bob.screenshot({ path: '/tmp/secrets-ui-history-en.png' });
    await bob
      .getByRole('table', { name: 'Round 2: Needs' })
      .getByRole('row', { name: `1 ${N1} 2` })
      .waitFor();
  });
});
