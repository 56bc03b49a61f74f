import * as decoding from 'lib0/decoding';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { readSession, SESSION_MESSAGE, type SessionInfo } from '../shared/session-message';
import { addNote, joinAs, lane, newWorkshop } from './people';
import { setUpE2E } from './setup';

const e2e = setUpE2E();

/**
 * What the server tells `page` on its workshop sockets (not the personal `/me` ones): the
 * identities it knows the page by, in order, and the URL of every such socket the page opens.
 */
function watchWorkshopSockets(page: Page): { sessions: SessionInfo[]; urls: string[] } {
  const sessions: SessionInfo[] = [];
  const urls: string[] = [];
  page.on('websocket', (socket) => {
    if (new URL(socket.url()).pathname.endsWith('/me')) return;
    urls.push(socket.url());
    socket.on('framereceived', ({ payload }) => {
      if (typeof payload === 'string') return;
      const decoder = decoding.createDecoder(new Uint8Array(payload));
      if (decoding.readVarUint(decoder) !== SESSION_MESSAGE) return;
      const session = readSession(decoder);
      if (session) sessions.push(session);
    });
  });
  return { sessions, urls };
}

async function openWorkshop(
  url: string,
  name: string,
): Promise<{ page: Page; sessions: SessionInfo[]; urls: string[] }> {
  const context = await e2e.browser().newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  const watched = watchWorkshopSockets(page);
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
    const text = 'Alice’s note, not Bob’s to delete';
    await addNote(alice, 'Culture towns', text);
    const note = lane(bob, 'Culture towns').getByRole('button', { name: text });
    await note.waitFor();

    await note.click();
    await bob.keyboard.press('Delete');

    await bob.getByRole('status').getByText('your change was not kept', { exact: false }).waitFor();
    await note.waitFor();
    await bob.getByRole('status').filter({ hasText: 'all changes saved' }).waitFor();
    expect(await lane(alice, 'Culture towns').getByRole('button', { name: text }).count()).toBe(1);
  });
});
