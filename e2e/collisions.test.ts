// Offline edits that collide (#13): two people change the same action's owner while one of them
// is offline. Yjs keeps one value everywhere; the person whose value was replaced is told so on
// the action, with the other's name and value, and puts theirs back with one click, for both.
// The same through a workshop file: two laptops, each with its own server, edit apart; one saves
// a file, the other opens it.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectNoSeriousViolations } from './a11y';
import { addAction, addFromFile, createExample, openByMenu, saveCopy, setUpLaptops } from './laptops';
import { addNote, goOffline, lane } from './people';
import { setUpE2E } from './setup';

const e2e = setUpE2E();

const ACTION = /^Owner: WP1 Network coordination/;
const owner = (page: Page) => page.getByRole('textbox', { name: ACTION });

async function setOwner(page: Page, value: string): Promise<void> {
  await owner(page).fill(value);
  await owner(page).press('Enter');
}

describe('offline edits that collide', () => {
  it('the person whose owner lost sees it on the action, with who changed it, and puts theirs back for both', async () => {
    const [alice, bob] = await e2e.twoPeople();
    for (const page of [alice, bob]) await page.getByRole('tab', { name: 'Action planning' }).click();
    await owner(bob).waitFor();

    await goOffline(bob);
    await setOwner(bob, 'Kirsi Korhonen');
    await setOwner(alice, 'Mikko Mäkinen');
    await bob.context().setOffline(false);

    // One value everywhere, as Yjs decides (by client id: either may win).
    await expect
      .poll(async () => (await owner(alice).inputValue()) === (await owner(bob).inputValue()), {
        timeout: 10_000,
      })
      .toBe(true);
    const kept = await owner(alice).inputValue();
    expect(['Kirsi Korhonen', 'Mikko Mäkinen']).toContain(kept);
    const aliceLost = kept === 'Kirsi Korhonen';
    const [loser, winner] = aliceLost ? [alice, bob] : [bob, alice];
    const lost = aliceLost ? 'Mikko Mäkinen' : 'Kirsi Korhonen';
    const winnerName = aliceLost ? 'Bob' : 'Alice';

    const notice = loser
      .getByRole('status')
      .filter({ hasText: `Your owner “${lost}” was replaced: ${winnerName} changed it to “${kept}”` });
    await notice.waitFor({ timeout: 10_000 });
    // The winner lost nothing and is told nothing.
    expect(await winner.getByRole('button', { name: 'Put mine back' }).count()).toBe(0);
    await expectNoSeriousViolations(loser, 'a collision notice on an action');
    await notice.scrollIntoViewIfNeeded();
    await loser.screenshot({ path: '/tmp/collision-en.png' });

    // A reload keeps the notice; in Finnish it says the same.
    await loser.reload();
    await loser.getByRole('tab', { name: 'Action planning' }).click();
    await loser.getByRole('combobox', { name: 'Interface language' }).selectOption('fi');
    const fiNotice = loser
      .getByRole('status')
      .filter({ hasText: `Arvosi kentässä vastuutaho (”${lost}”) korvautui: ${winnerName} muutti sen` });
    await fiNotice.waitFor();
    await fiNotice.scrollIntoViewIfNeeded();
    await loser.screenshot({ path: '/tmp/collision-fi.png' });

    await fiNotice.getByRole('button', { name: 'Palauta omani' }).click();
    await expect.poll(() => owner(winner).inputValue(), { timeout: 5000 }).toBe(lost);
    expect(
      await loser.getByRole('textbox', { name: /^Vastuutaho: WP1 Network coordination/ }).inputValue(),
    ).toBe(lost);
    expect(await loser.getByRole('button', { name: 'Palauta omani' }).count()).toBe(0);
    // ... and undone like any other.
    await loser.getByRole('button', { name: 'Kumoa' }).click();
    await expect.poll(() => owner(winner).inputValue(), { timeout: 5000 }).toBe(kept);
    // Putting mine back is an edit like any other: the winner is not told of a collision.
    expect(await winner.getByRole('button', { name: 'Put mine back' }).count()).toBe(0);
  });

  it('a theme’s colour and a note’s municipality that lost are told on the theme and on the note card', async () => {
    const [alice, bob] = await e2e.twoPeople();
    const THEME = 'Network coordination and funding';
    const NOTE = 'Small towns lack staff to write EU funding applications';
    for (const page of [alice, bob]) await page.getByRole('tab', { name: 'Theme clustering' }).click();
    const colour = (page: Page) => page.getByRole('combobox', { name: `Colour of theme ${THEME}` });
    const card = (page: Page) =>
      page.getByRole('listitem').filter({ has: page.getByRole('button', { name: NOTE, exact: true }) });
    const tag = (page: Page) => card(page).getByRole('button', { name: /^Municipality:/ });
    /** Chooses the `index`th municipality for the note; returns its name. */
    const chooseTag = async (page: Page, index: number): Promise<string> => {
      await card(page).getByRole('button', { name: NOTE, exact: true }).click();
      await tag(page).click();
      const option = page.getByRole('listbox', { name: 'Municipalities' }).getByRole('option').nth(index);
      const name = (await option.textContent())!.trim();
      await option.click();
      return name;
    };
    await colour(bob).waitFor();

    await goOffline(bob);
    await colour(bob).selectOption('purple');
    const bobs = await chooseTag(bob, 1);
    await colour(alice).selectOption('green');
    const alices = await chooseTag(alice, 2);
    await bob.context().setOffline(false);

    await expect
      .poll(async () => (await colour(alice).inputValue()) === (await colour(bob).inputValue()), {
        timeout: 10_000,
      })
      .toBe(true);
    await expect
      .poll(async () => (await tag(alice).textContent()) === (await tag(bob).textContent()), {
        timeout: 10_000,
      })
      .toBe(true);
    const aliceLostColour = (await colour(alice).inputValue()) === 'purple';
    const colourLoser = aliceLostColour ? alice : bob;
    const colourNotice = colourLoser.getByRole('status').filter({
      hasText: aliceLostColour
        ? 'Your colour “Green” was replaced: Bob changed it to “Purple”'
        : 'Your colour “Purple” was replaced: Alice changed it to “Green”',
    });
    await colourNotice.waitFor({ timeout: 10_000 });
    // On the theme itself.
    expect(
      await colourLoser
        .getByRole('region', { name: THEME })
        .getByRole('status')
        .filter({ hasText: 'Your colour' })
        .count(),
    ).toBe(1);

    const aliceLostTag = (await tag(alice).textContent())!.includes(bobs);
    const tagLoser = aliceLostTag ? alice : bob;
    const [lostTag, keptTag, winnerName] = aliceLostTag ? [alices, bobs, 'Bob'] : [bobs, alices, 'Alice'];
    const tagNotice = card(tagLoser)
      .getByRole('status')
      .filter({
        hasText: `Your municipality “${lostTag}” was replaced: ${winnerName} changed it to “${keptTag}”`,
      });
    await tagNotice.waitFor({ timeout: 10_000 });
    await tagNotice.scrollIntoViewIfNeeded();
    await tagLoser.screenshot({ path: '/tmp/collision-note-en.png' });
    await expectNoSeriousViolations(tagLoser, 'a collision notice on a note and a theme');

    await tagNotice.getByRole('button', { name: 'Put mine back' }).click();
    const winner = aliceLostTag ? bob : alice;
    await expect
      .poll(async () => (await tag(winner).textContent())?.includes(lostTag), { timeout: 5000 })
      .toBe(true);
    await colourNotice.getByRole('button', { name: 'Dismiss' }).click();
    expect(await colourLoser.getByRole('status').filter({ hasText: 'Your colour' }).count()).toBe(0);
  });
});

describe('two facilitators, each on their own laptop, merged by file', () => {
  const laptops = setUpLaptops('talkoo-collide-e2e-');

  it('both sides’ work in one workshop, and the owner that lost told on the action with its undo', async () => {
    const dir = laptops.dir();
    let aliceChoice = join(dir, 'Plan.talkoo');
    let bobChoice = aliceChoice;
    const alice = (await laptops.laptop('alice', () => aliceChoice)).page;
    const bob = (await laptops.laptop('bob', () => bobChoice)).page;

    await createExample(alice, 'Alice');
    await saveCopy(alice, aliceChoice);
    await addFromFile(bob, 'Bob');

    // Apart, each on their own laptop: a need each, an action, and the owner both change.
    await addNote(alice, 'Culture towns', 'Alice wrote this apart');
    await addNote(bob, 'Culture towns', 'Bob wrote this apart');
    for (const page of [alice, bob]) await page.getByRole('tab', { name: 'Action planning' }).click();
    await addAction(alice, 'Alice’s mobile library');
    await setOwner(alice, 'Kirsi Korhonen');
    await setOwner(bob, 'Mikko Mäkinen');

    // Alice saves a file, Bob opens it.
    aliceChoice = join(dir, 'From Alice.talkoo');
    await saveCopy(alice, aliceChoice);
    bobChoice = aliceChoice;
    await openByMenu(bob, 'Merged From Alice.talkoo. New from it: 1 need and 1 action.');
    await bob.getByRole('textbox', { name: 'Action: Alice’s mobile library' }).waitFor();

    // Yjs keeps one owner (by client id). If Bob's stayed, Alice is the one to hear of it: she
    // gets Bob's file in turn.
    const bobLost = (await owner(bob).inputValue()) === 'Kirsi Korhonen';
    if (!bobLost) {
      aliceChoice = join(dir, 'From Bob.talkoo');
      bobChoice = aliceChoice;
      await saveCopy(bob, bobChoice);
      await openByMenu(alice, 'Merged From Bob.talkoo');
    }
    const [loser, winner] = bobLost ? [bob, alice] : [alice, bob];
    const [lost, kept, winnerName] = bobLost
      ? ['Mikko Mäkinen', 'Kirsi Korhonen', 'Alice']
      : ['Kirsi Korhonen', 'Mikko Mäkinen', 'Bob'];
    expect(await owner(loser).inputValue()).toBe(kept);
    // One workshop holding both sides' work.
    await loser.getByRole('textbox', { name: 'Action: Alice’s mobile library' }).waitFor();
    const notice = loser
      .getByRole('status')
      .filter({ hasText: `Your owner “${lost}” was replaced: ${winnerName} changed it to “${kept}”` });
    await notice.waitFor({ timeout: 10_000 });
    expect(await winner.getByRole('button', { name: 'Put mine back' }).count()).toBe(0);
    await notice.scrollIntoViewIfNeeded();
    await loser.screenshot({ path: '/tmp/collision-file-en.png' });
    await loser.getByRole('combobox', { name: 'Interface language' }).selectOption('fi');
    const fiNotice = loser.getByRole('status').filter({ hasText: `Arvosi kentässä vastuutaho (”${lost}”)` });
    await fiNotice.waitFor();
    await loser.screenshot({ path: '/tmp/collision-file-fi.png' });
    await loser.getByRole('combobox', { name: 'Käyttöliittymän kieli' }).selectOption('en');

    await notice.getByRole('button', { name: 'Put mine back' }).click();
    await expect.poll(() => owner(loser).inputValue()).toBe(lost);
    // The workshop's own Undo, in the status bar (the merge's toast has an Undo of its own).
    await loser.getByRole('contentinfo').getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => owner(loser).inputValue()).toBe(kept);
    await loser.getByRole('tab', { name: 'Needs analysis' }).click();
    for (const text of ['Alice wrote this apart', 'Bob wrote this apart'])
      expect(await lane(loser, 'Culture towns').getByRole('button', { name: text }).count()).toBe(1);
  });
});
