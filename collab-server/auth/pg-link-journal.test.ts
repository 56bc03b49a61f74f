/**
 * The link book of a cluster in a real PostgreSQL (auth/pg-link-journal.ts): two books on one
 * database stand for two nodes. What one records the other knows: its links, their codes, and
 * revocations, which close the other's watched connections while it follows; the rows hold the
 * records links.jsonl holds.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import pg from 'pg';
import { LinkBook } from './link-book';
import { openPostgresLinkJournal } from './pg-link-journal';
import { FaultProxy } from '../test-support/fault-proxy';
import { startPostgres, type TestService } from '../test-support/services';

let postgres: TestService;
const books: LinkBook[] = [];
const key = randomBytes(32);

beforeAll(async () => {
  postgres = await startPostgres();
}, 60_000);

afterAll(async () => {
  await Promise.all(books.map((book) => book.close()));
  await postgres?.stop();
});

async function node(warnings: string[] = []): Promise<LinkBook> {
  const warn = (message: string): void => void warnings.push(message);
  const book = await LinkBook.shared(await openPostgresLinkJournal(postgres.url, warn), key, warn);
  books.push(book);
  return book;
}

it('a link made on one node is known on another, code and all, and a book opened later reads it too', async () => {
  const [one, two] = await Promise.all([node(), node()]);
  const made = await one.make({
    room: 'r1',
    role: 'participant',
    ttlSeconds: 3600,
    by: 'organiser',
    withCode: true,
  });
  const code = one.find(made.claims.id)?.code ?? '';
  expect(code).not.toBe('');

  await two.catchUp();
  expect(two.byCode(code)).toMatchObject({ state: 'live', link: { claims: made.claims, by: 'organiser' } });
  expect(two.live('r1').map((link) => link.claims.id)).toEqual([made.claims.id]);
  expect((await node()).find(made.claims.id)).toMatchObject({ claims: made.claims, code });
});

it('a revocation recorded on one node closes what another node watches, and its verify refuses the link', async () => {
  const [one, two] = await Promise.all([node(), node()]);
  const made = await one.make({ room: 'r2', role: 'participant', ttlSeconds: 3600, by: 'organiser' });
  const all = await one.make({ room: 'r2', role: 'viewer', ttlSeconds: 3600, by: 'organiser' });
  two.follow();
  await two.catchUp();
  const cutOff = new Promise<void>((resolve) => two.watch(made.claims, resolve));
  const allCutOff = new Promise<void>((resolve) => two.watch(all.claims, resolve));

  await one.revoke(made.claims.id, 'organiser');
  await cutOff;
  expect(two.verify(made.token, { room: 'r2' })).toEqual({ ok: false, error: 'revoked' });
  expect(two.verify(all.token, { room: 'r2' }).ok).toBe(true);

  await one.revokeAll('r2', 'organiser');
  await allCutOff;
  expect(two.verify(all.token, { room: 'r2' })).toEqual({ ok: false, error: 'revoked' });
  // A link made after, on either node, is in the room's new generation.
  const after = await two.make({ room: 'r2', role: 'viewer', ttlSeconds: 3600, by: 'organiser' });
  await one.catchUp();
  expect(one.verify(after.token, { room: 'r2' }).ok).toBe(true);
});

it('holds the records links.jsonl holds, in the order they were appended', async () => {
  const one = await node();
  const made = await one.make({
    room: 'r3',
    role: 'viewer',
    name: 'Äiti',
    ttlSeconds: 60,
    by: 'command-line',
  });
  await one.revoke(made.claims.id, 'command-line');
  const client = new pg.Client({ connectionString: postgres.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ record: Record<string, unknown> }>(
      "SELECT record FROM talkoo_links WHERE record->>'id' = $1 ORDER BY seq",
      [made.claims.id],
    );
    const { id, room, role, name, iat, exp, gen } = made.claims;
    const [first, second] = rows.map((row) => row.record);
    expect(rows).toHaveLength(2);
    expect(first).toEqual({ kind: 'made', id, room, role, name, iat, exp, gen, by: 'command-line' });
    expect(second).toMatchObject({ kind: 'revoked', id, by: 'command-line' });
    expect(Object.keys(second ?? {}).sort()).toEqual(['at', 'by', 'id', 'kind']);
  } finally {
    await client.end();
  }
});

it('goes on reading and recording after the database ended its sessions (as a restart does)', async () => {
  const one = await node();
  const made = await one.make({ room: 'r4', role: 'viewer', ttlSeconds: 3600, by: 'organiser' });
  const kill = new pg.Client({ connectionString: postgres.url });
  await kill.connect();
  // Every session of the database ends (as when PostgreSQL restarts): the book's too.
  await kill.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid()');
  await kill.end();
  await one.catchUp();
  expect(one.verify(made.token, { room: 'r4' }).ok).toBe(true);
  await one.revoke(made.claims.id, 'organiser');
  expect(one.verify(made.token, { room: 'r4' })).toEqual({ ok: false, error: 'revoked' });
});

it('a node reading while two others append at once misses none of their records', async () => {
  const [one, two, reader] = await Promise.all([node(), node(), node()]);
  let reading = true;
  const reads = (async () => {
    while (reading) await reader.catchUp();
  })();
  const make = (book: LinkBook) =>
    book.make({ room: 'r5', role: 'viewer', ttlSeconds: 3600, by: 'organiser' });
  const made = await Promise.all([
    ...Array.from({ length: 60 }, () => make(one)),
    ...Array.from({ length: 60 }, () => make(two)),
  ]);
  reading = false;
  await reads;
  await reader.catchUp();
  expect(made.filter(({ claims }) => reader.find(claims.id) === null)).toEqual([]);
});

it('closes while the database does not answer, without waiting for the read under way', async () => {
  const proxy = await FaultProxy.start(postgres.port);
  try {
    const warnings: string[] = [];
    const warn = (message: string): void => void warnings.push(message);
    const url = postgres.url.replace(`:${postgres.port}/`, `:${proxy.port}/`);
    const book = await LinkBook.shared(await openPostgresLinkJournal(url, warn), key, warn);
    book.follow();
    // PostgreSQL stops answering (paused, its network blackholed) with a read under way.
    proxy.pause();
    const reading = book.catchUp();
    await book.close();
    await reading;
    expect(warnings).toEqual([]);
  } finally {
    await proxy.close();
  }
  // Less than a query's timeout: a close that waits for the unanswered read fails here.
}, 4000);
