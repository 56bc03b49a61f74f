/**
 * `talkoo-server drain` (#14) run as its own process against a node of a real cluster (Redis,
 * PostgreSQL, two nodes on one key file): the node hands its rooms over and its clients carry on.
 */
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { addNote, createWorkshop, readWorkshop, TEMPLATE_BOARD_IDS } from '../shared';
import type { RunningServer } from './server';
import { synced, TestBed, waitFor } from './test-support';
import { runCli, useBuiltCli, type CliRun } from './test-support/built-cli';

const run = promisify(execFile);
const bed = new TestBed();
afterEach(() => bed.cleanUp());

const built = useBuiltCli('talkoo-drain-test-', { redis: true, postgres: true });

/** Runs `cli.mjs drain ARGS`: its exit code, the JSON it printed, its stderr. */
async function drain(args: readonly string[]): Promise<Pick<CliRun, 'code' | 'json' | 'stderr'>> {
  const { code, json, stderr } = await runCli(built.cli, ['drain', ...args]);
  return { code, json, stderr };
}

async function owns(server: RunningServer): Promise<string[]> {
  return ((await (await fetch(`${server.url}/healthz`)).json()) as { owns: string[] }).owns;
}

describe('talkoo-server drain', () => {
  it("hands the node's rooms to another node, and its clients carry on there", async () => {
    const keyFile = join(bed.dir(), 'signing-key');
    const cluster = { redisUrl: built.redis.url, postgresUrl: built.postgres.url, keyFile };
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
    const one = await bed.start({
      redisUrl: built.redis.url,
      postgresUrl: built.postgres.url,
      keyFile,
      nodeId: 'one',
    });
    const otherKey = join(bed.dir(), 'signing-key');
    const alone = await bed.start({ keyFile: otherKey });
    expect(await drain(['--url', one.url, '--key-file', otherKey])).toEqual({
      code: 1,
      json: null,
      stderr: `talkoo server: ${one.url} refused to drain (HTTP 403: The token was not signed by this server.)\n`,
    });
    expect(await drain(['--url', alone.url, '--key-file', otherKey])).toEqual({
      code: 1,
      json: null,
      stderr: `talkoo server: ${alone.url} is not a node of a cluster (it was started without --redis)\n`,
    });
    await bed.stop(alone);
    const { port } = new URL(alone.url);
    expect(await drain(['--url', alone.url, '--key-file', keyFile])).toEqual({
      code: 1,
      json: null,
      stderr: `talkoo server: cannot reach ${alone.url}: connect ECONNREFUSED 127.0.0.1:${port}\n`,
    });
  });
});

describe('a node configured by its environment', () => {
  it('joins the cluster from TALKOO_* variables, and drain finds the key file the same way', async () => {
    const keyFile = join(bed.dir(), 'signing-key');
    const env = {
      ...process.env,
      TALKOO_REDIS_URL: built.redis.url,
      TALKOO_POSTGRES_URL: built.postgres.url,
      TALKOO_KEY_FILE: keyFile,
    };
    const child = spawn(
      process.execPath,
      [built.cli, 'serve', '--port', '0', '--data-dir', bed.dir(), '--node-id', 'envnode'],
      {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      let log = '';
      child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
      child.stderr.resume();
      type Line = { message?: string; url?: string; advertise?: string };
      const listening = (): Line | undefined =>
        log
          .slice(0, log.lastIndexOf('\n') + 1)
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as Line)
          .find(({ message }) => message === 'listening');
      await waitFor('the node to listen', () => listening() !== undefined);
      const { url, advertise } = listening()!;
      expect(advertise).toBe(url);
      const health = (await (await fetch(`${url}/healthz`)).json()) as { node: unknown; owns: unknown };
      expect(health).toMatchObject({ node: { id: 'envnode', url }, owns: [] });
      expect(readFileSync(keyFile, 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);

      const drained = await run(process.execPath, [built.cli, 'drain', '--url', String(url)], { env });
      expect(JSON.parse(drained.stdout)).toEqual({ node: 'envnode', url, rooms: 0, owns: [] });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exit).toBe(0);
  });
});
