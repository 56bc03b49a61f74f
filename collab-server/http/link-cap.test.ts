/**
 * The link book cannot be grown without bound through the API (#10, review): every link a
 * facilitator makes is a durable line in links.jsonl, read by every start and kept in memory, so a
 * workshop holds at most MAX_LINKS_PER_ROOM links made within the longest life of a link.
 */
import { statSync } from 'node:fs';
import { join as pathJoin } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LINK_BOOK_FILE } from '../auth/link-book';
import { TestBed } from '../test-support';
import { MAX_LINKS_PER_ROOM } from './api';

const bed = new TestBed();
afterEach(() => bed.cleanUp());

describe('links per workshop', () => {
  it('refuses a link beyond the most a workshop may have made, in words, and records nothing', async () => {
    const dataDir = bed.dir();
    const server = await bed.start({ dataDir });
    const created = await fetch(`${server.url}/api/workshops`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.organiserToken()}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: 'Kylätalo', language: 'fi' }),
    });
    const { room, facilitatorToken } = (await created.json()) as { room: string; facilitatorToken: string };
    // The workshop's facilitator link is one; the rest are made as a facilitator's calls would.
    for (let i = 1; i < MAX_LINKS_PER_ROOM - 1; i++)
      await server.links.make({ room, role: 'viewer', ttlSeconds: 1, by: 'organiser' });
    const make = () =>
      fetch(`${server.url}/api/workshops/${room}/links`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${facilitatorToken}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ role: 'participant', ttl: '1s' }),
      });
    expect((await make()).status).toBe(201);
    const size = statSync(pathJoin(dataDir, LINK_BOOK_FILE)).size;
    const refused = await make();
    expect(refused.status).toBe(429);
    const answer = (await refused.json()) as { error: string; code: string; max: number };
    expect(answer.error).toMatch(new RegExp(`${MAX_LINKS_PER_ROOM} links`));
    // The code and the limit, for a client to say it in its own language.
    expect([answer.code, answer.max]).toEqual(['link-cap', MAX_LINKS_PER_ROOM]);
    expect(statSync(pathJoin(dataDir, LINK_BOOK_FILE)).size).toBe(size);
  });
});
