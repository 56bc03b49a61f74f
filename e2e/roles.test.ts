/**
 * Roles in the UI: the page offers only what the server would accept from this person (the same
 * policy, shared/policy/policy.ts), writes who wrote what, and a viewer's page changes nothing.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { setAnonymous, setBoardLocked, setRules, TEMPLATE_BOARD_IDS } from '../shared';
import { addNote, joinAs, lane, newWorkshop } from './people';
import { setUpE2E } from './setup';
import { tokenOf } from './web-server';

const e2e = setUpE2E();

/** Opens `url` in a browser context of its own and joins as `name`. */
async function open(url: string, name: string): Promise<Page> {
  const context = await e2e.browser().newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  await page.goto(url);
  await joinAs(page, name);
  await page.getByRole('heading', { level: 1 }).filter({ hasText: 'Vitality from Culture' }).waitFor();
  return page;
}

/** A link for `role` to the workshop of `facilitatorUrl`. */
async function linkFor(facilitatorUrl: string, role: 'participant' | 'viewer'): Promise<string> {
  const room = decodeURIComponent(/#\/w\/([^?]+)/.exec(facilitatorUrl)?.[1] ?? '');
  const response = await fetch(`${e2e.web().url}/api/workshops/${room}/links`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${tokenOf(facilitatorUrl)}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ role, name: role }),
  });
  return ((await response.json()) as { url: string }).url;
}

/** Writes to the workshop as a script with the facilitator's link would (a stock y-websocket client). */
async function asFacilitator(facilitatorUrl: string, write: (doc: Y.Doc) => void): Promise<void> {
  const room = decodeURIComponent(/#\/w\/([^?]+)/.exec(facilitatorUrl)?.[1] ?? '');
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(e2e.web().url.replace('http', 'ws'), room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { token: tokenOf(facilitatorUrl) },
  });
  await new Promise<void>((resolve) => provider.once('sync', () => resolve()));
  write(doc);
  // The update is on the socket before its closing frame: the server gets it, then the close.
  provider.destroy();
  doc.destroy();
}

const saved = (page: Page) => page.getByRole('status').filter({ hasText: 'all changes saved' }).waitFor();

/** The texts of every note on the needs board, lane by lane. */
async function boardTexts(page: Page): Promise<string[]> {
  return page
    .locator('[data-note-id] .note-body')
    .evaluateAll((bodies) => bodies.map((b) => b.firstChild?.textContent ?? ''));
}

const details = (page: Page) => page.getByRole('region', { name: 'Selected note' });

describe('roles in the UI', () => {
  it('lets a participant delete their own note after a reload: the server still knows it is theirs', async () => {
    const [, bob] = await e2e.twoPeople();
    const text = 'Bob’s own note';
    await addNote(bob, 'Culture towns', text);
    await saved(bob);
    await bob.reload();
    const note = lane(bob, 'Culture towns').getByRole('button', { name: text });
    await note.click();
    await bob.keyboard.press('Delete');
    await note.waitFor({ state: 'detached' });
    await saved(bob);
    expect(await bob.getByText('your change was not kept', { exact: false }).count()).toBe(0);
    // The server kept the delete: a fresh load does not bring the note back.
    await bob.reload();
    await saved(bob);
    expect(await lane(bob, 'Culture towns').getByRole('button', { name: text }).count()).toBe(0);
  });

  it('a participant creates, edits and deletes their own note, and is offered no delete of the facilitator’s', async () => {
    const [alice, bob] = await e2e.twoPeople();
    await addNote(alice, 'Culture towns', 'Alice’s note');
    await addNote(bob, 'Culture towns', 'Bob’s note');
    await saved(bob);

    // Edit: Enter on the note opens its editor.
    await lane(bob, 'Culture towns').getByRole('button', { name: 'Bob’s note' }).press('Enter');
    await bob.getByRole('textbox', { name: 'Note text' }).fill('Bob’s note, edited');
    await bob.keyboard.press('Enter');
    await lane(alice, 'Culture towns').getByRole('button', { name: 'Bob’s note, edited' }).waitFor();

    // The facilitator's note: written by Alice, and Bob is offered no delete.
    await lane(bob, 'Culture towns').getByRole('button', { name: 'Alice’s note' }).click();
    await details(bob).getByText('Written by Alice').waitFor();
    expect(await details(bob).getByRole('button', { name: 'Delete note' }).count()).toBe(0);
    await bob.keyboard.press('Delete');
    expect(await lane(bob, 'Culture towns').getByRole('button', { name: 'Alice’s note' }).count()).toBe(1);

    // His own: written by him, and deleted for everyone.
    await lane(bob, 'Culture towns').getByRole('button', { name: 'Bob’s note, edited' }).click();
    await details(bob).getByText('Written by you').waitFor();
    await details(bob).getByRole('button', { name: 'Delete note' }).click();
    await lane(alice, 'Culture towns')
      .getByRole('button', { name: 'Bob’s note, edited' })
      .waitFor({ state: 'detached' });
    await saved(bob);
    expect(await bob.getByText('your change was not kept', { exact: false }).count()).toBe(0);
    await bob.screenshot({ path: '/tmp/roles-participant.png' });
  });

  it('a viewer sees no edit controls, N adds nothing, and their board stays the facilitator’s', async () => {
    const { facilitatorUrl } = await newWorkshop(e2e.web());
    const alice = await open(facilitatorUrl, 'Alice');
    const viewer = await open(await linkFor(facilitatorUrl, 'viewer'), 'Vera');
    await viewer.getByText('View only', { exact: true }).waitFor();
    await lane(viewer, 'Culture towns').getByRole('listitem').first().waitFor();

    for (const name of [
      /^Add note/,
      /^Delete group/,
      /^Rename group/,
      /^Move group/,
      'Add stakeholder group',
      'Import from CSV',
    ])
      expect(await viewer.getByRole('button', { name }).count(), String(name)).toBe(0);
    const first = lane(viewer, 'Culture towns').getByRole('listitem').first().getByRole('button').first();
    await first.click();
    await viewer.keyboard.press('n');
    await viewer.keyboard.press('Delete');
    await first.dblclick();
    expect(await viewer.getByRole('textbox', { name: 'Note text' }).count()).toBe(0);
    await viewer.getByRole('region', { name: 'Needs analysis' }).dblclick({ position: { x: 5, y: 5 } });
    expect(await viewer.getByRole('textbox', { name: 'Note text' }).count()).toBe(0);

    // The other boards offer nothing either.
    await viewer.getByRole('tab', { name: 'Theme clustering' }).click();
    await viewer.getByRole('list', { name: 'Network coordination and funding' }).waitFor();
    for (const name of [/^Delete theme/, /^Rename theme/, 'Add theme', /^New action/])
      expect(await viewer.getByRole('button', { name }).count(), String(name)).toBe(0);
    expect(await viewer.getByRole('combobox', { name: /^Merge/ }).count()).toBe(0);
    await viewer.getByRole('tab', { name: 'Action planning' }).click();
    await viewer.getByRole('table', { name: 'Action planning' }).waitFor();
    expect(await viewer.getByRole('button', { name: /^Delete action/ }).count()).toBe(0);
    expect(await viewer.getByRole('button', { name: 'Add action' }).count()).toBe(0);
    const titles = viewer.getByRole('textbox', { name: /^Action: / });
    expect(await titles.count()).toBeGreaterThan(0);
    expect(await titles.first().getAttribute('readonly')).not.toBeNull();

    await viewer.getByRole('tab', { name: 'Needs analysis' }).click();
    await lane(viewer, 'Culture towns').getByRole('listitem').first().waitFor();
    await viewer.screenshot({ path: '/tmp/roles-viewer.png' });
    await addNote(alice, 'Culture towns', 'Written after the viewer came');
    await lane(viewer, 'Culture towns')
      .getByRole('button', { name: 'Written after the viewer came' })
      .waitFor();
    expect(await boardTexts(viewer)).toEqual(await boardTexts(alice));
    expect(await viewer.getByText('not yet saved', { exact: false }).count()).toBe(0);
  });

  it('a locked board shows a participant why, and offers no add', async () => {
    const { facilitatorUrl, participantUrl } = await newWorkshop(e2e.web());
    const bob = await open(participantUrl, 'Bob');
    await bob.getByRole('button', { name: 'Add note to Culture towns' }).waitFor();
    await asFacilitator(facilitatorUrl, (doc) => setBoardLocked(doc, TEMPLATE_BOARD_IDS.needs, true));
    await bob.getByText('The facilitator has locked this board').waitFor();
    expect(await bob.getByRole('button', { name: /^Add note/ }).count()).toBe(0);
    const before = await boardTexts(bob);
    await lane(bob, 'Culture towns').getByRole('listitem').first().getByRole('button').first().click();
    await bob.keyboard.press('n');
    expect(await bob.getByRole('textbox', { name: 'Note text' }).count()).toBe(0);
    expect(await boardTexts(bob)).toEqual(before);
    await bob.screenshot({ path: '/tmp/roles-locked.png' });

    await asFacilitator(facilitatorUrl, (doc) => setBoardLocked(doc, TEMPLATE_BOARD_IDS.needs, false));
    await bob.getByRole('button', { name: 'Add note to Culture towns' }).waitFor();
    expect(await bob.getByText('The facilitator has locked this board').count()).toBe(0);
  });

  it('when the facilitator narrows the rules, a participant edits only their own notes and adds no themes', async () => {
    const { facilitatorUrl } = await newWorkshop(e2e.web());
    const alice = await open(facilitatorUrl, 'Alice');
    const bob = await open(await linkFor(facilitatorUrl, 'participant'), 'Bob');
    await addNote(alice, 'Culture towns', 'Alice’s to word');
    await addNote(bob, 'Culture towns', 'Bob’s to word');
    await asFacilitator(facilitatorUrl, (doc) => setRules(doc, { editOthers: false, addThemes: false }));

    await bob.getByRole('tab', { name: 'Theme clustering' }).click();
    await bob.getByRole('list', { name: 'Network coordination and funding' }).waitFor();
    await expect.poll(() => bob.getByRole('button', { name: 'Add theme' }).count()).toBe(0);
    expect(await bob.getByRole('button', { name: /^Rename theme/ }).count()).toBe(0);
    await bob.getByRole('tab', { name: 'Needs analysis' }).click();

    await lane(bob, 'Culture towns').getByRole('button', { name: 'Alice’s to word' }).press('Enter');
    expect(await bob.getByRole('textbox', { name: 'Note text' }).count()).toBe(0);
    await lane(bob, 'Culture towns').getByRole('button', { name: 'Bob’s to word' }).press('Enter');
    await bob.getByRole('textbox', { name: 'Note text' }).fill('Bob’s, reworded');
    await bob.keyboard.press('Enter');
    await lane(alice, 'Culture towns').getByRole('button', { name: 'Bob’s, reworded' }).waitFor();
    await saved(bob);
    expect(await bob.getByText('your change was not kept', { exact: false }).count()).toBe(0);
  });

  it('in an anonymous workshop nobody sees who wrote a note', async () => {
    const { facilitatorUrl } = await newWorkshop(e2e.web());
    const alice = await open(facilitatorUrl, 'Alice');
    const bob = await open(await linkFor(facilitatorUrl, 'participant'), 'Bob');
    await addNote(bob, 'Culture towns', 'Said before');
    await lane(alice, 'Culture towns').getByRole('button', { name: 'Said before' }).click();
    await details(alice).getByText('Written by Bob').waitFor();

    await asFacilitator(facilitatorUrl, (doc) => setAnonymous(doc, true));
    await details(alice).getByText('Written by Bob').waitFor({ state: 'detached' });
    await addNote(bob, 'Culture towns', 'Said anonymously');
    await saved(bob);
    for (const [page, text] of [
      [alice, 'Said anonymously'],
      [bob, 'Said anonymously'],
      [alice, 'Said before'],
    ] as const) {
      await lane(page, 'Culture towns').getByRole('button', { name: text }).click();
      await details(page).waitFor();
      expect(
        await details(page)
          .getByText(/Written by/)
          .count(),
      ).toBe(0);
    }
    // Still his to delete: the server knows him by his anonymous tag.
    await details(bob).getByRole('button', { name: 'Delete note' }).click();
    await lane(alice, 'Culture towns').getByRole('button', { name: 'Said anonymously' }).waitFor({
      state: 'detached',
    });
    expect(await bob.getByText('your change was not kept', { exact: false }).count()).toBe(0);
  });
});
