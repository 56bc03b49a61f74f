/**
 * One facilitated session (#11), as four people live it, each in a browser context of their own:
 * the facilitator Alice, the participants Bob (who reads the UI in Swedish) and Carol, and the
 * viewer Vera, in a Finnish workshop. The timer, a private writing round, a secret ballot, a
 * locked board, "bring everyone here", and a viewer who cannot change anything.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { expectNoSeriousViolations } from './a11y';
import { goOffline, joinAs, lane } from './people';
import { setUpE2E } from './setup';

const e2e = setUpE2E();
const contexts: BrowserContext[] = [];
afterAll(async () => {
  for (const context of contexts) await context.close();
});

const TITLE = 'AKKU – kuntien kulttuuritoiminnan kehittäminen, työpaja 1';
const LANE = 'Kuntalaiset ja yhdistykset';
const N1 = 'Kuljetukset syrjäkyliltä iltatapahtumiin puuttuvat';
const N2 = 'Nuoret mukaan kulttuuritoiminnan suunnitteluun';
const SECRET = 'Kirjastoauto kulttuurikiertueeksi kyliin';
const EDITED = 'Kirjastoauto kiertää kylissä';

type Session = { alice: Page; bob: Page; carol: Page; vera: Page };

async function post(url: string, token: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await res.json()) as Record<string, unknown>;
}

/** The Finnish example as a new workshop, its facilitator, one participant link for two people, and a viewer. */
async function session(): Promise<Session> {
  const web = e2e.web();
  const created = await post(`${web.url}/api/workshops`, web.organiserToken, {
    example: 'example-etela-savo-fi',
  });
  const room = String(created.room);
  const token = String(created.facilitatorToken);
  const links = `${web.url}/api/workshops/${room}/links`;
  const participantUrl = String((await post(links, token, { role: 'participant' })).url);
  const viewerUrl = String((await post(links, token, { role: 'viewer' })).url);
  const people: [string, string, string][] = [
    ['Alice', String(created.facilitatorUrl), 'en'],
    ['Bob', participantUrl, 'sv'],
    ['Carol', participantUrl, 'en'],
    ['Vera', viewerUrl, 'en'],
  ];
  const pages: Page[] = [];
  for (const [name, url, language] of people) {
    const context = await e2e.browser().newContext({ viewport: { width: 1280, height: 720 } });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(url);
    await joinAs(page, name);
    await page.getByRole('heading', { level: 1 }).filter({ hasText: TITLE }).waitFor();
    // The UI in the person's own language; the workshop stays Finnish.
    await page.getByRole('combobox', { name: 'Käyttöliittymän kieli' }).selectOption(language);
    pages.push(page);
  }
  const [alice, bob, carol, vera] = pages as [Page, Page, Page, Page];
  return { alice, bob, carol, vera };
}

/** Seconds left on the page's countdown. */
async function secondsLeft(page: Page): Promise<number> {
  const text = (await page.getByRole('timer').textContent()) ?? '';
  const [, minutes, seconds] = /(\d+):(\d\d)/.exec(text) ?? [];
  return Number(minutes) * 60 + Number(seconds);
}

/** The texts of the needs board's notes as the page shows them. */
async function noteTexts(page: Page): Promise<string[]> {
  return (await page.locator('[data-note-id]').allInnerTexts()).map((t) => t.split('\n')[0]!.trim()).sort();
}

describe('a facilitated session', () => {
  it('holds for a facilitator, two participants and a viewer', async () => {
    const { alice, bob, carol, vera } = await session();
    const everyone = [alice, bob, carol, vera];

    // Bob reads the UI in Swedish while the workshop is Finnish.
    await bob.getByRole('tab', { name: 'Behovsanalys' }).waitFor();
    expect(await bob.locator('html').getAttribute('lang')).toBe('sv');
    expect(await bob.getByText(N1).first().getAttribute('lang')).toBe('fi');
    await bob.screenshot({ path: '/tmp/session-bob-sv.png' });

    // The timer, on the server's clock, seen by all four.
    await alice.getByRole('button', { name: 'Timer', exact: true }).click();
    await alice
      .getByRole('group', { name: 'Start a countdown' })
      .getByRole('button', { name: '5 min' })
      .click();
    for (const page of everyone) await page.getByRole('timer').waitFor();
    const left = await Promise.all(everyone.map(secondsLeft));
    expect(Math.max(...left) - Math.min(...left)).toBeLessThanOrEqual(2);
    expect(Math.min(...left)).toBeGreaterThan(280);

    // A private writing round: Carol's note reaches nobody until Alice reveals it.
    await alice.getByRole('button', { name: 'Start private writing' }).click();
    await carol.getByRole('button', { name: `Add note to ${LANE}` }).click();
    await carol.getByRole('textbox', { name: 'Note text' }).fill(SECRET);
    await carol.keyboard.press('Enter');
    await carol
      .getByRole('list', { name: 'Your private notes' })
      .getByRole('button', { name: SECRET, exact: true })
      .waitFor();
    await alice.getByRole('list', { name: 'Private notes per person' }).getByText('Carol: 1 note').waitFor();
    for (const page of [alice, bob, vera]) expect(await page.getByText(SECRET).count()).toBe(0);
    await alice.getByRole('button', { name: 'Reveal notes' }).click();
    for (const page of everyone)
      await lane(page, LANE).getByRole('button', { name: SECRET, exact: true }).waitFor();

    // A secret ballot: two dots each; nobody sees another's dots until the reveal.
    await alice.getByRole('spinbutton', { name: 'Dots per person' }).fill('2');
    await alice.getByRole('button', { name: 'Start voting' }).click();
    await carol.getByText('Voting is open: 2 of 2 dots left').waitFor();
    await carol.getByRole('button', { name: `Add a dot to ${N1}` }).click();
    await carol.getByRole('button', { name: `Add a dot to ${N2}` }).click();
    await carol.getByText('Voting is open: 0 of 2 dots left').waitFor();
    await bob.getByRole('button', { name: `Lägg en prick på ${N1}` }).click();
    await bob.getByRole('button', { name: `Lägg en prick på ${SECRET}` }).click();
    await alice.getByRole('list', { name: 'Dots placed' }).getByText('Bob: 2 dots').waitFor();
    await alice.getByRole('list', { name: 'Dots placed' }).getByText('Carol: 2 dots').waitFor();
    const card = (page: Page, text: string) =>
      page.locator('[data-note-id]').filter({ has: page.getByRole('button', { name: text, exact: true }) });
    expect(await card(bob, N2).getByLabel('0 av dina prickar').count()).toBe(1);
    expect(await card(carol, SECRET).getByLabel('0 of your dots').count()).toBe(1);
    expect(await vera.getByRole('table', { name: 'Results' }).count()).toBe(0);
    await alice.getByRole('button', { name: 'Reveal results' }).click();
    for (const [page, results] of [
      [alice, 'Results'],
      [bob, 'Resultat'],
      [carol, 'Results'],
      [vera, 'Results'],
    ] as const) {
      const table = page.getByRole('table', { name: results });
      await table.getByRole('row', { name: `1 ${N1} 2` }).waitFor();
      // Ties share a rank.
      await table.getByRole('row', { name: `2 ${N2} 1` }).waitFor();
      await table.getByRole('row', { name: `2 ${SECRET} 1` }).waitFor();
    }
    await bob.screenshot({ path: '/tmp/session-results-sv.png' });
    await expectNoSeriousViolations(bob, 'a participant’s board after a reveal, in Swedish');

    // A locked board refuses a participant's edit, and says why: once locked, the UI offers no
    // edit; an edit made offline before the lock reached Carol is refused by the server when she
    // reconnects, and her board goes back to the server's.
    await goOffline(carol);
    await lane(carol, LANE).getByRole('button', { name: SECRET, exact: true }).press('Enter');
    await carol.getByRole('textbox', { name: 'Note text' }).fill(EDITED);
    await carol.keyboard.press('Enter');
    await lane(carol, LANE).getByRole('button', { name: EDITED, exact: true }).waitFor();
    await alice.getByRole('button', { name: 'Lock this board' }).click();
    await bob.getByText('Processledaren har låst den här tavlan').first().waitFor();
    await carol.context().setOffline(false);
    await carol.getByText('The facilitator has locked this board: your change was not kept.').waitFor();
    await carol.getByText('The facilitator has locked this board.').first().waitFor();
    await lane(carol, LANE).getByRole('button', { name: SECRET, exact: true }).waitFor();
    expect(await carol.getByRole('button', { name: `Add note to ${LANE}` }).count()).toBe(0);
    await lane(carol, LANE).getByRole('button', { name: SECRET, exact: true }).press('Enter');
    expect(await carol.getByRole('textbox', { name: 'Note text' }).count()).toBe(0);
    expect(await alice.getByText(EDITED).count()).toBe(0);
    await carol.screenshot({ path: '/tmp/session-locked-en.png' });
    await alice.getByRole('button', { name: 'Lock this board' }).click();
    await carol.getByRole('button', { name: `Add note to ${LANE}` }).waitFor();

    // "Bring everyone here" moves both participants' views to the facilitator's board.
    await alice.getByRole('tab', { name: 'Theme clustering' }).click();
    await alice.getByRole('button', { name: 'Bring everyone here' }).click();
    await bob.getByRole('tab', { name: 'Temagruppering', selected: true }).waitFor();
    await carol.getByRole('tab', { name: 'Theme clustering', selected: true }).waitFor();

    // The viewer changes nothing: no edit controls, keys do nothing, the board stays everyone's.
    await vera.getByRole('tab', { name: 'Needs analysis' }).click();
    await vera.getByText('View only', { exact: true }).waitFor();
    expect(await vera.getByRole('button', { name: /^Add note/ }).count()).toBe(0);
    expect(await vera.getByRole('button', { name: /^Add a dot/ }).count()).toBe(0);
    await lane(vera, LANE).getByRole('button', { name: SECRET, exact: true }).click();
    await vera.keyboard.press('Delete');
    await vera.keyboard.press('n');
    expect(await vera.getByRole('textbox', { name: 'Note text' }).count()).toBe(0);
    await alice.getByRole('tab', { name: 'Needs analysis' }).click();
    await lane(alice, LANE).getByRole('button', { name: SECRET, exact: true }).waitFor();
    expect(await noteTexts(vera)).toEqual(await noteTexts(alice));
    await expectNoSeriousViolations(vera, 'the viewer’s board');
  });
});
