import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCli } from './cli-args';
import { startServer } from './server';
import { removeDir, tempDir as newTempDir } from './test-support';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach(removeDir));

/** A temp data dir removed after the test. */
function tempDir(): string {
  const dir = newTempDir();
  dirs.push(dir);
  return dir;
}

const VORU = readFileSync(join(import.meta.dirname, '..', 'shared', 'examples', 'voru-et.json'), 'utf8');

describe('creating rooms from outline files', () => {
  it('creates a room from a valid outline, listed for the organiser', async () => {
    const server = await startServer({
      port: 0,
      dataDir: tempDir(),
      outlines: [{ room: 'voru', text: VORU, source: 'voru.json' }],
    });
    try {
      const organiser = server.organiserToken();
      const res = await fetch(`${server.url}/api/workshops`, {
        headers: { Authorization: `Bearer ${organiser}` },
      });
      const body = (await res.json()) as { workshops: { room: string; title: string; language: string }[] };
      expect(body.workshops).toEqual([
        expect.objectContaining({
          room: 'voru',
          title: 'Loov Võru maakond – koosloome töötuba',
          language: 'et',
        }),
      ]);
    } finally {
      await server.close();
    }
  });

  it('refuses a malformed outline with the field and problem, and starts nothing', async () => {
    const broken = VORU.replace('"budgetEur": 14000', '"budgetEur": "a lot"');
    const other = { room: 'fine', text: VORU, source: 'fine.json' };
    const dataDir = tempDir();
    await expect(
      startServer({
        port: 0,
        dataDir,
        outlines: [other, { room: 'bad', text: broken, source: 'plan.json' }],
      }),
    ).rejects.toThrow(
      'plan.json is not a valid workshop outline:\n  actions[0].budgetEur: must be a number of 0 or more, not "a lot"',
    );
    // Nothing was created, not even the valid room listed before it.
    const server = await startServer({ port: 0, dataDir });
    try {
      expect(await server.rooms.acquire('fine').then((r) => r.doc.getMap('meta').size)).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('refuses a file that is not JSON', async () => {
    await expect(
      startServer({
        port: 0,
        dataDir: tempDir(),
        outlines: [{ room: 'x', text: '{"title":', source: 'x.json' }],
      }),
    ).rejects.toThrow(/x\.json is not a valid workshop outline:\n {2}The file is not valid JSON/);
  });
});

describe('command line', () => {
  it('reads host, port, data dir, static folder, examples and imports', () => {
    const argv = [
      '--host',
      '0.0.0.0',
      '--port',
      '0',
      '--data-dir',
      'd',
      '--static',
      'dist/renderer',
      '--examples',
    ];
    expect(parseCli([...argv, '--import', 'r1=a.json', '--import', 'r2=b.json'])).toEqual({
      command: 'serve',
      host: '0.0.0.0',
      port: 0,
      dataDir: 'd',
      staticDir: 'dist/renderer',
      examples: true,
      imports: [
        { room: 'r1', path: 'a.json' },
        { room: 'r2', path: 'b.json' },
      ],
    });
  });

  it('reads a token command', () => {
    const argv = [
      'token',
      '--data-dir',
      'd',
      '--room',
      'r1',
      '--role',
      'viewer',
      '--name',
      'Aino',
      '--ttl',
      '2h',
    ];
    expect(parseCli(argv)).toEqual({
      command: 'token',
      dataDir: 'd',
      room: 'r1',
      role: 'viewer',
      name: 'Aino',
      ttlSeconds: 7200,
      url: 'http://127.0.0.1:4455',
    });
    expect(() => parseCli(['token', '--role', 'participant'])).toThrow('--room is required for a room token');
    expect(() => parseCli(['token', '--role', 'king', '--room', 'r'])).toThrow('--role must be one of');
  });

  it("reads the token command's revoke and list forms (#10, finding 5)", () => {
    expect(parseCli(['token', '--revoke', 'abc', '--data-dir', 'd'])).toEqual({
      command: 'links',
      dataDir: 'd',
      action: { revoke: 'abc' },
    });
    expect(parseCli(['token', '--revoke-all', '--room', 'r1'])).toMatchObject({
      action: { revokeAll: 'r1' },
    });
    expect(parseCli(['token', '--revoke-all', '--role', 'organiser'])).toMatchObject({
      action: { revokeAll: null },
    });
    expect(parseCli(['token', '--list'])).toMatchObject({ action: { list: null } });
    expect(() => parseCli(['token', '--revoke-all'])).toThrow('--revoke-all needs --room ROOM');
    expect(() => parseCli(['token', '--revoke', 'a', '--list'])).toThrow('give one of');
    expect(() => parseCli(['token', '--list', '--ttl', '2h'])).toThrow('unknown option --ttl for token');
  });

  it('says what is wrong with a bad flag', () => {
    expect(() => parseCli(['--port', '99999'])).toThrow('--port must be 0–65535');
    expect(() => parseCli(['--import', 'nofile'])).toThrow('--import takes ROOM=FILE, not "nofile"');
    expect(() => parseCli(['--verbose', 'yes'])).toThrow('unknown option --verbose for serve');
    expect(() => parseCli(['--host'])).toThrow('--host needs a value');
  });
});

describe('command line of a cluster node (#14)', () => {
  const REDIS = 'redis://10.0.0.5:6379';
  const POSTGRES = 'postgres://talkoo@10.0.0.6:5432/talkoo';

  it('reads --redis, --postgres, --key-file, --advertise and --node-id', () => {
    const argv = ['serve', '--redis', REDIS, '--postgres', POSTGRES, '--key-file', '/keys/signing-key'];
    const more = ['--advertise', 'http://node1:4455/', '--node-id', 'node-1.a_b'];
    expect(parseCli([...argv, ...more], {})).toEqual({
      command: 'serve',
      host: '127.0.0.1',
      port: 4455,
      dataDir: './talkoo-data',
      examples: false,
      imports: [],
      redisUrl: REDIS,
      postgresUrl: POSTGRES,
      keyFile: '/keys/signing-key',
      advertiseUrl: 'http://node1:4455',
      nodeId: 'node-1.a_b',
    });
  });

  it('takes TALKOO_REDIS_URL, TALKOO_POSTGRES_URL, TALKOO_KEY_FILE and TALKOO_ADVERTISE_URL; flags win', () => {
    const env = {
      TALKOO_REDIS_URL: 'rediss://cache:6380',
      TALKOO_POSTGRES_URL: 'postgresql://db/talkoo',
      TALKOO_KEY_FILE: '/run/key',
      TALKOO_ADVERTISE_URL: 'https://node2.example.org',
    };
    expect(parseCli([], env)).toMatchObject({
      redisUrl: 'rediss://cache:6380',
      postgresUrl: 'postgresql://db/talkoo',
      keyFile: '/run/key',
      advertiseUrl: 'https://node2.example.org',
    });
    expect(parseCli(['--redis', REDIS, '--key-file', 'k', '--advertise', 'http://n:1'], env)).toMatchObject({
      redisUrl: REDIS,
      postgresUrl: 'postgresql://db/talkoo',
      keyFile: 'k',
      advertiseUrl: 'http://n:1',
    });
    expect(parseCli([], { TALKOO_REDIS_URL: '' })).not.toHaveProperty('redisUrl');
  });

  it('runs one node on PostgreSQL alone, but never Redis without PostgreSQL', () => {
    expect(parseCli(['--postgres', POSTGRES], {})).toMatchObject({ postgresUrl: POSTGRES });
    expect(() => parseCli(['--redis', REDIS], {})).toThrow(
      'the nodes of a cluster share their rooms in PostgreSQL: give --postgres too',
    );
    expect(() => parseCli([], { TALKOO_REDIS_URL: REDIS })).toThrow('give --postgres too');
  });

  it('says what is wrong with an address or a node id', () => {
    const bad =
      (argv: string[]): (() => unknown) =>
      () =>
        parseCli(['--postgres', POSTGRES, ...argv], {});
    expect(bad(['--redis', 'http://cache:6379'])).toThrow(
      '--redis must be a redis:// or rediss:// URL, not "http://cache:6379"',
    );
    expect(bad(['--redis', 'cache:6379'])).toThrow('--redis must be a redis:// or rediss:// URL');
    expect(() => parseCli(['--postgres', 'mysql://db/talkoo'], {})).toThrow(
      '--postgres must be a postgres:// or postgresql:// URL, not "mysql://db/talkoo"',
    );
    expect(() => parseCli([], { TALKOO_POSTGRES_URL: 'db:5432' })).toThrow(
      'TALKOO_POSTGRES_URL must be a postgres:// or postgresql:// URL, not "db:5432"',
    );
    expect(bad(['--advertise', 'node1:4455'])).toThrow(
      '--advertise must be an http:// or https:// origin such as http://node1:4455, not "node1:4455"',
    );
    expect(bad(['--advertise', 'http://node1:4455/talkoo'])).toThrow(
      '--advertise must be an http:// or https:// origin',
    );
    expect(bad(['--advertise', 'ws://node1:4455'])).toThrow(
      '--advertise must be an http:// or https:// origin',
    );
    expect(bad(['--node-id', 'node 1'])).toThrow(
      '--node-id must be 1–64 letters, digits, dots, dashes or underscores, not "node 1"',
    );
    expect(bad(['--node-id', 'n'.repeat(65)])).toThrow('--node-id must be 1–64 letters');
  });

  it('never echoes the password of a mistyped address', () => {
    const message = (argv: string[], env: Record<string, string> = {}): string => {
      try {
        parseCli(argv, env);
      } catch (error) {
        return (error as Error).message;
      }
      return 'accepted';
    };
    expect(message([], { TALKOO_POSTGRES_URL: 'postgress://talkoo:S3cretPw@db/talkoo' })).toBe(
      'TALKOO_POSTGRES_URL must be a postgres:// or postgresql:// URL, not "postgress://talkoo:***@db/talkoo"',
    );
    expect(message([], { TALKOO_REDIS_URL: 'redis//:S3cretPw@r:6379', TALKOO_POSTGRES_URL: POSTGRES })).toBe(
      'TALKOO_REDIS_URL must be a redis:// or rediss:// URL, not "redis//:***@r:6379"',
    );
    // Redis takes a lone name before @ as the password.
    expect(message(['--postgres', POSTGRES, '--redis', 'http://S3cretPw@cache:6379'])).toBe(
      '--redis must be a redis:// or rediss:// URL, not "http://***@cache:6379"',
    );
    expect(message(['--postgres', POSTGRES, '--advertise', 'http://admin:S3cret@pw@node1:4455/x'])).toBe(
      '--advertise must be an http:// or https:// origin such as http://node1:4455, not "http://admin:***@node1:4455/x"',
    );
  });

  it('signs a token with a key file, with or without a data folder', () => {
    const argv = ['token', '--role', 'participant', '--room', 'r1', '--key-file', '/keys/k'];
    expect(parseCli(argv, {})).toMatchObject({ command: 'token', keyFile: '/keys/k', dataDir: null });
    expect(parseCli([...argv, '--data-dir', 'd'], {})).toMatchObject({ keyFile: '/keys/k', dataDir: 'd' });
    expect(parseCli(['token', '--role', 'organiser'], { TALKOO_KEY_FILE: '/run/key' })).toMatchObject({
      keyFile: '/run/key',
      dataDir: null,
    });
    expect(parseCli(['token', '--role', 'organiser'], {})).toMatchObject({ dataDir: './talkoo-data' });
    expect(parseCli(['token', '--list', '--key-file', 'k', '--data-dir', 'd'], {})).toEqual({
      command: 'links',
      dataDir: 'd',
      keyFile: 'k',
      action: { list: null },
    });
  });

  it('reads migrate and drain', () => {
    expect(parseCli(['migrate', '--data-dir', 'd', '--postgres', POSTGRES], {})).toEqual({
      command: 'migrate',
      dataDir: 'd',
      postgresUrl: POSTGRES,
      to: 'postgres',
    });
    expect(
      parseCli(['migrate', '--data-dir', 'd', '--to', 'leveldb'], { TALKOO_POSTGRES_URL: POSTGRES }),
    ).toEqual({
      command: 'migrate',
      dataDir: 'd',
      postgresUrl: POSTGRES,
      to: 'leveldb',
    });
    expect(() => parseCli(['migrate', '--postgres', POSTGRES], {})).toThrow('migrate needs --data-dir DIR');
    expect(() => parseCli(['migrate', '--data-dir', 'd'], {})).toThrow('migrate needs --postgres URL');
    expect(() =>
      parseCli(['migrate', '--data-dir', 'd', '--postgres', POSTGRES, '--to', 'mysql'], {}),
    ).toThrow('--to must be postgres or leveldb');
    expect(parseCli(['drain', '--url', 'http://node1:4455/', '--key-file', 'k'], {})).toEqual({
      command: 'drain',
      url: 'http://node1:4455',
      keyFile: 'k',
    });
    expect(parseCli(['drain', '--url', 'http://node1:4455'], { TALKOO_KEY_FILE: 'k' })).toMatchObject({
      keyFile: 'k',
    });
    expect(() => parseCli(['drain', '--key-file', 'k'], {})).toThrow('drain needs --url URL');
    expect(() => parseCli(['drain', '--url', 'http://n:1'], {})).toThrow('drain needs --key-file PATH');
  });
});
