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
