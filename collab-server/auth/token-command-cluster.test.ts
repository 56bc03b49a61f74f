// The server's `token` command (cli.ts) run as its own process on a cluster's shared link book
// (#14): with --postgres (and the key file the nodes share) it makes, lists and revokes links in
// talkoo_links, which every node reads, instead of in a data folder's links.jsonl, which no node
// of a cluster reads.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCli } from '../cli-args';
import { CLOSE } from '../wire/protocol';
import type { RunningServer } from '../server';
import { rawRefusal, refused, synced, TestBed } from '../test-support';
import { runCli, useBuiltCli, type CliRun } from '../test-support/built-cli';

const bed = new TestBed();
afterEach(() => bed.cleanUp());

const built = useBuiltCli('talkoo-token-cluster-test-', { redis: true, postgres: true });

/** Runs `cli.mjs token ARGS` (with `env` only, besides PATH) in a new folder. */
function token(args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  // In a folder of its own: a command that fell back to ./talkoo-data must not find the repository's.
  return runCli(built.cli, ['token', ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    cwd: bed.dir(),
  });
}

/** Two nodes of a cluster on one key file, with a workshop made through node one. */
async function cluster(): Promise<{
  one: RunningServer;
  two: RunningServer;
  keyFile: string;
  room: string;
}> {
  const keyFile = join(bed.dir(), 'signing-key');
  const shared = { redisUrl: built.redis.url, postgresUrl: built.postgres.url, keyFile };
  const one = await bed.start({ ...shared, nodeId: 'one' });
  const two = await bed.start({ ...shared, nodeId: 'two' });
  const created = await fetch(`${one.url}/api/workshops`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${one.organiserToken()}` },
    body: JSON.stringify({ title: 'Kylätalo', language: 'fi' }),
  });
  const { room } = (await created.json()) as { room: string };
  return { one, two, keyFile, room };
}

describe('the token command on the link book a cluster shares (--postgres)', () => {
  it('makes a link every node admits, lists it, and revokes it on every node', async () => {
    const { one, two, keyFile, room } = await cluster();
    const book = ['--postgres', built.postgres.url, '--key-file', keyFile];
    const made = await token(['--role', 'participant', '--room', room, '--name', 'Kassa', ...book]);
    expect(made).toMatchObject({ code: 0, stderr: '' });
    const id = String(made.json?.id);
    const participant = bed.connect(two, room, { token: String(made.json?.token) });
    await synced(participant);

    const listed = await token(['--list', '--room', room, ...book]);
    expect(listed.json).toEqual({
      links: expect.arrayContaining([
        expect.objectContaining({ id, role: 'participant', name: 'Kassa', madeBy: 'command-line' }),
      ]) as unknown,
    });

    const cut = refused(participant);
    expect((await token(['--revoke', id, ...book])).json).toEqual({ revoked: id });
    expect(await cut).toMatchObject({ code: CLOSE.tokenRevoked });
    for (const node of [one, two])
      expect(await rawRefusal(node, room, String(made.json?.token))).toMatchObject({
        code: CLOSE.tokenRevoked,
      });
    const after = await token(['--list', '--room', room, ...book]);
    expect(after.json?.links).not.toContainEqual(expect.objectContaining({ id }));
  });

  it('revokes every link of a room, and says so when a link is not in the book', async () => {
    const { two, keyFile, room } = await cluster();
    const book = ['--postgres', built.postgres.url, '--key-file', keyFile];
    const facilitator = bed.connect(two, room, 'facilitator');
    await synced(facilitator);
    const cut = refused(facilitator);
    expect((await token(['--revoke-all', '--room', room, ...book])).json).toEqual({ revokedAll: room });
    expect(await cut).toMatchObject({ code: CLOSE.tokenRevoked });

    expect(await token(['--revoke', 'nope', ...book])).toMatchObject({
      code: 1,
      stdout: '',
      stderr: "talkoo server: there is no link nope in the cluster's link book\n",
    });
  });

  it('reads the cluster from TALKOO_POSTGRES_URL only when TALKOO_REDIS_URL is set too', async () => {
    const { one, keyFile, room } = await cluster();
    const env = { TALKOO_POSTGRES_URL: built.postgres.url, TALKOO_KEY_FILE: keyFile };
    const made = await token(['--role', 'viewer', '--room', room], {
      ...env,
      TALKOO_REDIS_URL: built.redis.url,
    });
    await synced(bed.connect(one, room, { token: String(made.json?.token) }));
    const listed = await token(['--list', '--room', room], { ...env, TALKOO_REDIS_URL: built.redis.url });
    expect(listed.json?.links).toContainEqual(expect.objectContaining({ id: made.json?.id }));

    // A single server on PostgreSQL keeps its links in its data folder: that is what --data-dir names.
    const dataDir = bed.dir();
    const alone = await token(['--list', '--room', room, '--data-dir', dataDir], env);
    expect(alone.json).toEqual({ links: [] });
  });

  it('withdraws the organiser links of the whole cluster, the nodes’ own ones too', async () => {
    const { one, two, keyFile } = await cluster();
    const book = ['--postgres', built.postgres.url, '--key-file', keyFile];
    const organiser = await token(['--role', 'organiser', ...book]);
    const list = (node: RunningServer, bearer: string): Promise<number> =>
      fetch(`${node.url}/api/workshops`, { headers: { Authorization: `Bearer ${bearer}` } }).then(
        (res) => res.status,
      );
    const kept = one.organiserToken();
    expect(await list(two, String(organiser.json?.token))).toBe(200);

    const all = await token(['--revoke-all', '--role', 'organiser', ...book]);
    expect(all.json).toEqual({ revokedAll: 'organiser' });
    for (const node of [one, two]) {
      expect(await list(node, String(organiser.json?.token))).toBe(403);
      expect(await list(node, kept)).toBe(403);
    }
  });

  it('never shows the password of the address', async () => {
    const keyFile = join(bed.dir(), 'signing-key');
    await bed.start({ keyFile });
    const unreachable = await token([
      '--list',
      '--postgres',
      'postgres://talkoo:hunter2@127.0.0.1:1/talkoo',
      '--key-file',
      keyFile,
    ]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain('postgres://talkoo:***@127.0.0.1:1/talkoo');
    expect(unreachable.stderr).not.toContain('hunter2');
  });
});

describe('the token command flags for a cluster', () => {
  const PG = 'postgres://talkoo@db:5432/talkoo';
  it('takes --postgres with --key-file, for making, revoking and listing links', () => {
    expect(parseCli(['token', '--role', 'organiser', '--postgres', PG, '--key-file', 'k'], {})).toMatchObject(
      {
        command: 'token',
        dataDir: null,
        keyFile: 'k',
        postgresUrl: PG,
      },
    );
    expect(parseCli(['token', '--revoke', 'a', '--postgres', PG, '--key-file', 'k'], {})).toEqual({
      command: 'links',
      dataDir: null,
      keyFile: 'k',
      postgresUrl: PG,
      action: { revoke: 'a' },
    });
    expect(() => parseCli(['token', '--list', '--postgres', PG], {})).toThrow(
      "the cluster's link book (--postgres) needs --key-file PATH or TALKOO_KEY_FILE",
    );
    expect(() =>
      parseCli(['token', '--list'], { TALKOO_REDIS_URL: 'redis://r', TALKOO_POSTGRES_URL: PG }),
    ).toThrow(
      "the cluster's link book (TALKOO_POSTGRES_URL, with TALKOO_REDIS_URL set) needs --key-file PATH",
    );
    expect(() =>
      parseCli(['token', '--list', '--postgres', PG, '--key-file', 'k', '--data-dir', 'd'], {}),
    ).toThrow('not both');
    expect(() =>
      parseCli(['token', '--list', '--postgres', 'mysql://x:secret@h/db', '--key-file', 'k'], {}),
    ).toThrow('--postgres must be a postgres:// or postgresql:// URL, not "mysql://x:***@h/db"');
  });

  it('falls back to TALKOO_POSTGRES_URL in a cluster (TALKOO_REDIS_URL set) only, and flags win', () => {
    const node = { TALKOO_POSTGRES_URL: PG, TALKOO_KEY_FILE: 'k' };
    const cluster = { ...node, TALKOO_REDIS_URL: 'redis://cache:6379' };
    expect(parseCli(['token', '--list'], cluster)).toMatchObject({ dataDir: null, postgresUrl: PG });
    expect(parseCli(['token', '--role', 'organiser'], cluster)).toMatchObject({
      dataDir: null,
      postgresUrl: PG,
    });
    expect(parseCli(['token', '--list'], node)).not.toHaveProperty('postgresUrl');
    expect(parseCli(['token', '--list'], node)).toMatchObject({ dataDir: './talkoo-data' });
    expect(parseCli(['token', '--role', 'organiser'], node)).toMatchObject({ dataDir: null });
    expect(parseCli(['token', '--role', 'organiser'], node)).not.toHaveProperty('postgresUrl');
    expect(parseCli(['token', '--list', '--data-dir', 'd'], cluster)).toEqual({
      command: 'links',
      dataDir: 'd',
      keyFile: 'k',
      action: { list: null },
    });
  });
});
