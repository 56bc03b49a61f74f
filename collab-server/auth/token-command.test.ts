// The server's `token` command (cli.ts) run as its own process while a server runs on the same
// data folder: it needs the key and the link book only, never the LevelDB store the server holds
// locked; its JSON is the last line on standard output, warnings go to standard error.
import { execFile } from 'node:child_process';
import { chmodSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE } from '../wire/protocol';
import type { RunningServer } from '../server';
import { buildServerCli, rawRefusal, refused, removeDir, synced, TestBed } from '../test-support';
import { runCli } from '../test-support/built-cli';

const run = promisify(execFile);
const bed = new TestBed();
afterEach(() => bed.cleanUp());

let cli = '';
let buildDir = '';
beforeAll(async () => {
  ({ cli, dir: buildDir } = await buildServerCli('talkoo-token-test-'));
});
afterAll(() => removeDir(buildDir));

/** Runs `cli.mjs token ARGS`; resolves with the parsed last line of stdout and all of stderr. */
async function token(args: readonly string[]): Promise<{ json: Record<string, unknown>; stderr: string }> {
  const { stdout, stderr } = await run(process.execPath, [cli, 'token', ...args]);
  const lines = stdout.split('\n').filter(Boolean);
  return { json: JSON.parse(lines[lines.length - 1] ?? '') as Record<string, unknown>, stderr };
}

async function links(server: RunningServer, room: string, facilitator: string): Promise<unknown[]> {
  const res = await fetch(`${server.url}/api/workshops/${room}/links`, {
    headers: { Authorization: `Bearer ${facilitator}` },
  });
  return ((await res.json()) as { links: unknown[] }).links;
}

describe('the token command while a server runs on the same data folder', () => {
  it('makes a link the running server admits and lists, and revokes it; warnings on stderr', async () => {
    const dataDir = bed.dir();
    const server = await bed.start({ dataDir });
    const created = await fetch(`${server.url}/api/workshops`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.organiserToken()}` },
      body: JSON.stringify({ title: 'Torikokous', language: 'fi' }),
    });
    const { room, facilitatorToken } = (await created.json()) as { room: string; facilitatorToken: string };
    if (process.platform !== 'win32') chmodSync(dataDir, 0o755);

    const made = await token([
      '--role',
      'participant',
      '--room',
      room,
      '--name',
      'Kassa',
      '--data-dir',
      dataDir,
      '--url',
      server.url,
    ]);
    if (process.platform !== 'win32') expect(made.stderr).toMatch(/warning: .* could be read by other users/);
    expect(made.json).toMatchObject({
      role: 'participant',
      url: expect.stringContaining(`/#/w/${room}?token=`) as unknown,
    });
    const participant = bed.connect(server, room, { token: String(made.json.token) });
    await synced(participant);
    expect(await links(server, room, facilitatorToken)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: made.json.id,
          role: 'participant',
          name: 'Kassa',
          madeBy: 'command-line',
        }),
      ]),
    );

    // The server reads the book written by another process and cuts the open connection off.
    const cut = refused(participant);
    const revoked = await token(['--revoke', String(made.json.id), '--data-dir', dataDir]);
    expect(revoked.json).toEqual({ revoked: made.json.id });
    expect(await cut).toMatchObject({ code: CLOSE.tokenRevoked });
    expect(await rawRefusal(server, room, String(made.json.token))).toMatchObject({
      code: CLOSE.tokenRevoked,
    });
  });

  it('a revoked organiser link no longer creates workshops, and the server then keeps a new one', async () => {
    const dataDir = bed.dir();
    const server = await bed.start({ dataDir });
    const organiser = await token(['--role', 'organiser', '--data-dir', dataDir, '--url', server.url]);
    const kept = server.organiserToken();
    const list = (bearer: string): Promise<number> =>
      fetch(`${server.url}/api/workshops`, { headers: { Authorization: `Bearer ${bearer}` } }).then(
        (res) => res.status,
      );
    expect(await list(String(organiser.json.token))).toBe(200);

    await token(['--revoke', String(organiser.json.id), '--data-dir', dataDir]);
    expect(await list(String(organiser.json.token))).toBe(403);
    expect(await list(kept)).toBe(200);

    const keptId = JSON.parse(Buffer.from(kept.split('.')[0] ?? '', 'base64url').toString('utf8')) as {
      id: string;
    };
    await token(['--revoke', keptId.id, '--data-dir', dataDir]);
    expect(await list(kept)).toBe(403);
    const renewed = server.organiserToken();
    expect(renewed).not.toBe(kept);
    expect(await list(renewed)).toBe(200);
  });

  it("revokes every link of a room at once; the organiser's list then hands out a new facilitator link", async () => {
    const dataDir = bed.dir();
    const server = await bed.start({ dataDir });
    const organiser = { Authorization: `Bearer ${server.organiserToken()}` };
    const created = await fetch(`${server.url}/api/workshops`, {
      method: 'POST',
      headers: organiser,
      body: JSON.stringify({ title: 'Kyläilta', language: 'fi' }),
    });
    const { room, facilitatorToken } = (await created.json()) as { room: string; facilitatorToken: string };
    const facilitator = bed.connect(server, room, { token: facilitatorToken });
    await synced(facilitator);
    const cut = refused(facilitator);

    const all = await token(['--revoke-all', '--room', room, '--data-dir', dataDir]);
    expect(all.json).toEqual({ revokedAll: room });
    expect(await cut).toMatchObject({ code: CLOSE.tokenRevoked });
    expect(await rawRefusal(server, room, facilitatorToken)).toMatchObject({ code: CLOSE.tokenRevoked });

    const listed = (await (await fetch(`${server.url}/api/workshops`, { headers: organiser })).json()) as {
      workshops: { facilitatorUrl: string }[];
    };
    const renewed = new URLSearchParams(listed.workshops[0]?.facilitatorUrl.split('?')[1]).get('token') ?? '';
    expect(renewed).not.toBe(facilitatorToken);
    await synced(bed.connect(server, room, { token: renewed }));
  });

  it('refuses to revoke a link it does not know, with a message and exit code 1', async () => {
    const dataDir = bed.dir();
    await bed.start({ dataDir });
    const failed = await runCli(cli, ['token', '--revoke', 'nope', '--data-dir', dataDir]);
    expect(failed).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'talkoo server: there is no link nope in this data folder\n',
    });
  });
});

describe('the token command with the key file a cluster shares (#14)', () => {
  /** A server whose key is the file `keys/signing-key`, with a workshop; its facilitator token. */
  async function serverWithKeyFile(): Promise<{
    server: RunningServer;
    keyFile: string;
    room: string;
    dataDir: string;
    facilitatorToken: string;
  }> {
    const keys = bed.dir();
    const keyFile = join(keys, 'signing-key');
    const dataDir = bed.dir();
    const server = await bed.start({ dataDir, keyFile });
    const created = await fetch(`${server.url}/api/workshops`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.organiserToken()}` },
      body: JSON.stringify({ title: 'Kevätkokous', language: 'fi' }),
    });
    const { room, facilitatorToken } = (await created.json()) as { room: string; facilitatorToken: string };
    return { server, keyFile, room, dataDir, facilitatorToken };
  }

  it('signs a link with the key file alone: it opens the room but is in no link book', async () => {
    const { server, keyFile, room, dataDir, facilitatorToken } = await serverWithKeyFile();
    const made = await token([
      '--role',
      'participant',
      '--room',
      room,
      '--key-file',
      keyFile,
      '--url',
      server.url,
    ]);
    expect(made.json).toMatchObject({
      role: 'participant',
      url: expect.stringContaining(`/#/w/${room}?token=`) as unknown,
    });
    await synced(bed.connect(server, room, { token: String(made.json.token) }));
    expect(await links(server, room, facilitatorToken)).not.toEqual(
      expect.arrayContaining([expect.objectContaining({ id: made.json.id })]),
    );
    expect(existsSync(join(dataDir, 'signing-key'))).toBe(false);

    // Withdrawing every link of the room still withdraws it, where the book is.
    await token(['--revoke-all', '--room', room, '--data-dir', dataDir, '--key-file', keyFile]);
    expect(await rawRefusal(server, room, String(made.json.token))).toMatchObject({
      code: CLOSE.tokenRevoked,
    });
  });

  it('records the link in the link book of a data folder named too', async () => {
    const { server, keyFile, room, dataDir, facilitatorToken } = await serverWithKeyFile();
    const made = await token([
      '--role',
      'viewer',
      '--room',
      room,
      '--key-file',
      keyFile,
      '--data-dir',
      dataDir,
    ]);
    await synced(bed.connect(server, room, { token: String(made.json.token) }));
    expect(await links(server, room, facilitatorToken)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: made.json.id, role: 'viewer', madeBy: 'command-line' }),
      ]),
    );
    expect(existsSync(join(dataDir, 'signing-key'))).toBe(false);
  });

  it("refuses a node's data folder without the key file, instead of signing with a key of its own", async () => {
    const { dataDir, room } = await serverWithKeyFile();
    const failed = await runCli(cli, ['token', '--role', 'viewer', '--room', room, '--data-dir', dataDir]);
    expect(failed).toMatchObject({
      code: 1,
      stdout: '',
      stderr: `talkoo server: ${dataDir} has a link book but no signing key: its server signs with a shared key file; give it with --key-file\n`,
    });
    expect(existsSync(join(dataDir, 'signing-key'))).toBe(false);
  });

  it('never makes a key file up: a missing one is an error, and none is created', async () => {
    const keyFile = join(bed.dir(), 'signing-key');
    const failed = await runCli(cli, ['token', '--role', 'organiser', '--key-file', keyFile]);
    expect(failed).toMatchObject({
      code: 1,
      stdout: '',
      stderr: `talkoo server: there is no key file ${keyFile} (a node creates it when it first starts with --key-file)\n`,
    });
    expect(existsSync(keyFile)).toBe(false);
  });
});
