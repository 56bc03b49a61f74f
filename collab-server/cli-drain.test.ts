/**
 * `talkoo-server drain` (#14) run as its own process against a node of a real cluster (Redis,
 * PostgreSQL, two nodes on one key file): the node hands its rooms over and its clients carry on.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addNote, createWorkshop, readWorkshop, TEMPLATE_BOARD_IDS } from '../shared';
import type { RunningServer } from './server';
import { buildServerCli, removeDir, synced, TestBed, waitFor } from './test-support';
import { startPostgres, startRedis, type TestService } from './test-support/services';

const run = promisify(execFile);
const bed = new TestBed();
afterEach(() => bed.cleanUp());

let cli = '';
let buildDir = '';
let redis: TestService;
let postgres: TestService;
beforeAll(async () => {
  [{ cli, dir: buildDir }, redis, postgres] = await Promise.all([
    buildServerCli('talkoo-drain-test-'),
    startRedis(),
    startPostgres(),
  ]);
});
afterAll(async () => {
  await Promise.all([redis?.stop(), postgres?.stop()]);
  removeDir(buildDir);
});

/** Runs `cli.mjs drain ARGS`: its exit code, its stdout read as JSON when it is, its stderr. */
async function drain(args: readonly string[]): Promise<{ code: number; json: unknown; stderr: string }> {
  const { code, stdout, stderr } = await run(process.execPath, [cli, 'drain', ...args]).then(
    (done) => ({ code: 0, ...done }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
  return { code, json: stdout ? (JSON.parse(stdout) as unknown) : null, stderr };
}

async function owns(server: RunningServer): Promise<string[]> {
  return ((await (await fetch(`${server.url}/healthz`)).json()) as { owns: string[] }).owns;
}

describe('talkoo-server drain', () => {
  it("hands the node's rooms to another node, and its clients carry on there", async () => {
    const keyFile = join(bed.dir(), 'signing-key');
    const cluster = { redisUrl: redis.url, postgresUrl: postgres.url, keyFile };
    const one = await bed.start({ ...cluster, nodeId: 'one' });
    const two = await bed.start({ ...cluster, nodeId: 'two' });
    const room = 'torikokous';
    const client = bed.connect(one, room);
    await synced(client);
    createWorkshop(client.doc, {
      title: 'Torikokous',
      language: 'fi',
      boardTitles: { needs: 'Tarpeet', themes: 'Teemat', actions: 'Toimet' },
    });
    expect(await owns(one)).toEqual([room]);

    expect(await drain(['--url', one.url, '--key-file', keyFile])).toEqual({
      code: 0,
      json: { node: 'one', url: one.url, rooms: 1, owns: [] },
      stderr: '',
    });
    expect(await owns(one)).toEqual([]);

    // The client reconnects through node one, which now passes it on to the room's new owner.
    const other = bed.connect(two, room);
    await synced(other);
    addNote(client.doc, TEMPLATE_BOARD_IDS.needs, { text: 'Penkit torille' });
    await waitFor('the note to reach the other client', () =>
      readWorkshop(other.doc).notes.some(({ text }) => text === 'Penkit torille'),
    );
    expect(await owns(two)).toEqual([room]);
  });

  it('says why when the node refuses, with exit code 1', async () => {
    const keyFile = join(bed.dir(), 'signing-key');
    const one = await bed.start({ redisUrl: redis.url, postgresUrl: postgres.url, keyFile, nodeId: 'one' });
    const otherKey = join(bed.dir(), 'signing-key');
    await bed.start({ keyFile: otherKey });
    expect(await drain(['--url', one.url, '--key-file', otherKey])).toEqual({
      code: 1,
      json: null,
      stderr: `talkoo server: ${one.url} refused to drain (HTTP 403: The token was not signed by this server.)\n`,
    });
    expect(await drain(['--url', 'http://127.0.0.1:1', '--key-file', keyFile])).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^talkoo server: cannot reach http:\/\/127\.0\.0\.1:1: /) as unknown,
    });
  });
});
