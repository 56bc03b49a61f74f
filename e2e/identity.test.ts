import * as decoding from 'lib0/decoding';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { readSession, SESSION_MESSAGE, type SessionInfo } from '../shared/session-message';
import { addNote, goOffline, joinAs, lane, newWorkshop } from './people';
import { setUpE2E } from './setup';

const e2e = setUpE2E();

type Watched = {
  /** What the server said on the workshop sockets: who it knows the page as, in order. */
  readonly sessions: SessionInfo[];
  /** The URL of every workshop socket the page opened. */
  readonly urls: string[];
  /** The URL of every socket to the person's own document (`/<room>/me`). */
  readonly personalUrls: string[];
};

function watchSockets(page: Page): Watched {
  const sessions: SessionInfo[] = [];
  const urls: string[] = [];
  const personalUrls: string[] = [];
  page.on('websocket', (socket) => {
    if (new URL(socket.url()).pathname.endsWith('/me')) return void personalUrls.push(socket.url());
    urls.push(socket.url());
    socket.on('framereceived', ({ payload }) => {
      if (typeof payload === 'string') return;
      const decoder = decoding.createDecoder(new Uint8Array(payload));
      if (decoding.readVarUint(decoder) !== SESSION_MESSAGE) return;
      const session = readSession(decoder);
      if (session) sessions.push(session);
    });
  });
  return { sessions, urls, personalUrls };
}

async function openWorkshop(url: string, name: string): Promise<{ page: Page } & Watched> {
  const context = await e2e.browser().newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  const watched = watchSockets(page);
  await page.goto(url);
  await joinAs(page, name);
  await page.getByRole('heading', { level: 1 }).filter({ hasText: 'Vitality from Culture' }).waitFor();
  await expect.poll(() => watched.sessions.length).toBe(1);
  return { page, ...watched };
}

describe('identity', () => {
  it('gives whoever joins by a shared link an identity of their own, kept across reloads', async () => {
    const { participantUrl } = await newWorkshop(e2e.web());
    const bob = await openWorkshop(participantUrl, 'Bob');
    const [first] = bob.sessions;
    expect(first?.id).toBeTruthy();
    expect(bob.urls[0]).not.toContain('me=');
    // Their own document (drafts, ballots) is joined once the server has said who they are.
    await expect.poll(() => bob.personalUrls.length).toBe(1);
    expect(new URL(bob.personalUrls[0] ?? '').searchParams.get('me')).toBe(first?.identity);

    // The same person again: the page presents the identity it was given and keeps its id.
    await bob.page.reload();
    await bob.page.getByRole('heading', { level: 1 }).filter({ hasText: 'Vitality from Culture' }).waitFor();
    await expect.poll(() => bob.sessions.length).toBe(2);
    expect(bob.sessions[1]?.id).toBe(first?.id);
    expect(new URL(bob.urls[1] ?? '').searchParams.get('me')).toBe(first?.identity);

    // Another person with the same link is someone else.
    const carol = await openWorkshop(participantUrl, 'Carol');
    expect(carol.sessions[0]?.id).toBeTruthy();
    expect(carol.sessions[0]?.id).not.toBe(first?.id);
  });

  it('takes back a change the server refused, says why, and shows the board as the server has it', async () => {
    const [alice, bob] = await e2e.twoPeople();
    // The page offers only what the policy allows, so the refused change is one made offline:
    // Bob adds a note while the facilitator locks the board.
    await goOffline(bob);
    const text = 'Written offline on a board locked meanwhile';
    await addNote(bob, 'Culture towns', text);
    await alice.getByRole('button', { name: 'Lock this board' }).click();
    await bob.context().setOffline(false);

    await bob.getByRole('status').getByText('your change was not kept', { exact: false }).waitFor();
    await bob.getByText('The facilitator has locked this board', { exact: false }).first().waitFor();
    await lane(bob, 'Culture towns').getByRole('button', { name: text }).waitFor({ state: 'detached' });
    await bob.getByRole('status').filter({ hasText: 'all changes saved' }).waitFor();
    expect(await lane(alice, 'Culture towns').getByRole('button', { name: text }).count()).toBe(0);
  });

  it('keeps the new note of a refused change that may still be added, and says so', async () => {
    const [alice, bob] = await e2e.twoPeople();
    // Offline, Bob adds a note and rewords one he did not write, while the facilitator stops
    // participants editing others' items: the server refuses his changes whole, but his new note
    // may still be added.
    await goOffline(bob);
    const added = 'Written offline and still welcome';
    await addNote(bob, 'Culture towns', added);
    const theirs = 'Small towns lack staff to write EU funding applications';
    await lane(bob, 'Culture towns').getByRole('button', { name: theirs }).dblclick();
    const editor = bob.getByRole('textbox', { name: 'Note text' });
    await editor.press('End');
    await editor.pressSequentially(', reworded offline');
    await bob.keyboard.press('Enter');
    await lane(bob, 'Culture towns')
      .getByRole('button', { name: `${theirs}, reworded offline` })
      .waitFor();
    await alice.getByRole('button', { name: 'Facilitation settings' }).click();
    const settings = alice.getByRole('dialog', { name: 'Facilitation settings' });
    await settings.getByRole('checkbox', { name: 'Edit others’ items' }).uncheck();
    await settings.getByRole('button', { name: 'Done' }).click();
    await alice.getByRole('status').filter({ hasText: 'all changes saved' }).waitFor();
    await bob.context().setOffline(false);

    await bob.getByRole('status').getByText('your change was not kept', { exact: false }).waitFor();
    await bob.getByRole('status').getByText('not yet saved was kept', { exact: false }).waitFor();
    await lane(bob, 'Culture towns').getByRole('button', { name: theirs, exact: true }).waitFor();
    await lane(bob, 'Culture towns').getByRole('button', { name: added }).waitFor();
    await bob.getByRole('status').filter({ hasText: 'all changes saved' }).waitFor();
    await lane(alice, 'Culture towns').getByRole('button', { name: added }).waitFor();
    await lane(alice, 'Culture towns').getByRole('button', { name: theirs, exact: true }).waitFor();
    expect(await alice.getByText('reworded offline', { exact: false }).count()).toBe(0);
  });
});
