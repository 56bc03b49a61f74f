/**
 * `talkoo-server migrate` (#14) run as its own process: a data folder's rooms move into PostgreSQL,
 * where a node serves them, and back into a LevelDB folder; a folder a server holds is refused.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { addNote, readWorkshop, TEMPLATE_BOARD_IDS } from '../shared';
import type { RunningServer } from './server';
import { synced, TestBed, waitFor } from './test-support';
import { runCli, useBuiltCli, type CliRun } from './test-support/built-cli';

const bed = new TestBed();
afterEach(() => bed.cleanUp());

const built = useBuiltCli('talkoo-migrate-test-', { postgres: true });

/** Runs `cli.mjs migrate ARGS`: its exit code, the JSON it printed, its stderr. */
async function migrate(args: readonly string[]): Promise<Pick<CliRun, 'code' | 'json' | 'stderr'>> {
  const { code, json, stderr } = await runCli(built.cli, ['migrate', ...args]);
  return { code, json, stderr };
}

async function newWorkshop(server: RunningServer, title: string): Promise<string> {
  const created = await fetch(`${server.url}/api/workshops`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.organiserToken()}` },
    body: JSON.stringify({ title, language: 'fi' }),
  });
  return ((await created.json()) as { room: string }).room;
}

async function titles(server: RunningServer): Promise<string[]> {
  const res = await fetch(`${server.url}/api/workshops`, {
    headers: { Authorization: `Bearer ${server.organiserToken()}` },
  });
  return ((await res.json()) as { workshops: { title: string }[] }).workshops.map(({ title }) => title);
}

/** The notes a facilitator sees in `room` on `server`. */
async function notesIn(server: RunningServer, room: string): Promise<string[]> {
  const client = bed.connect(server, room);
  await synced(client);
  return readWorkshop(client.doc).notes.map(({ text }) => text);
}

describe('talkoo-server migrate', () => {
  it('moves the rooms of a data folder into PostgreSQL, where a node serves them, and back', async () => {
    const level = bed.dir();
    const alone = await bed.start({ dataDir: level });
    const room = await newWorkshop(alone, 'Kyläkokous');
    const writer = bed.connect(alone, room);
    await synced(writer);
    addNote(writer.doc, TEMPLATE_BOARD_IDS.needs, { text: 'Uimaranta kuntoon' });
    const reader = bed.connect(alone, room);
    await waitFor('the note to reach the server', () => readWorkshop(reader.doc).notes.length === 1);
    await bed.stop(alone);

    expect(await migrate(['--data-dir', level, '--postgres', built.postgres.url])).toEqual({
      code: 0,
      json: { moved: [room], skipped: [] },
      stderr: '',
    });
    const onPostgres = await bed.start({ postgresUrl: built.postgres.url });
    expect(await titles(onPostgres)).toEqual(['Kyläkokous']);
    expect(await notesIn(onPostgres, room)).toEqual(['Uimaranta kuntoon']);
    await bed.stop(onPostgres);

    // Run again, it overwrites nothing.
    expect((await migrate(['--data-dir', level, '--postgres', built.postgres.url])).json).toEqual({
      moved: [],
      skipped: [{ room, why: expect.any(String) as unknown }],
    });

    const back = `${bed.dir()}/back`;
    expect(
      await migrate(['--data-dir', back, '--postgres', built.postgres.url, '--to', 'leveldb']),
    ).toMatchObject({
      code: 0,
      json: { moved: [room], skipped: [] },
    });
    const onLevel = await bed.start({ dataDir: back });
    expect(await titles(onLevel)).toEqual(['Kyläkokous']);
    expect(await notesIn(onLevel, room)).toEqual(['Uimaranta kuntoon']);
  });

  it('refuses a data folder a server is using, and one without rooms', async () => {
    const dataDir = bed.dir();
    await bed.start({ dataDir });
    expect(await migrate(['--data-dir', dataDir, '--postgres', built.postgres.url])).toEqual({
      code: 1,
      json: null,
      stderr: `talkoo server: a server is using ${dataDir}: stop it first, then migrate\n`,
    });

    const empty = bed.dir();
    expect(await migrate(['--data-dir', empty, '--postgres', built.postgres.url])).toMatchObject({
      code: 1,
      stderr: `talkoo server: ${empty} holds no rooms (there is no ${empty}/rooms)\n`,
    });
  });
});
