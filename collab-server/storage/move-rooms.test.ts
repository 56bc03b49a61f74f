/**
 * Moving rooms between LevelDB and PostgreSQL (#14, `talkoo-server migrate`): LevelDB in a temporary
 * folder → a real PostgreSQL → another LevelDB keeps every room, its state, versions and people's
 * documents; a room the target has is never overwritten; a move cut short is finished by the next.
 */
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addNote, TEMPLATE_BOARD_IDS } from '../../shared';
import { startPostgres, type TestService } from '../test-support/services';
import { noteTexts, removeDir, startWorkshop, tempDir } from '../test-support';
import { openLevelStorage, type DocumentStorage, type VersionInfo } from './level-storage';
import { moveRooms } from './move-rooms';
import { openPostgresStorage } from './pg-storage';

let postgres: TestService;
let databases = 0;
const opened: DocumentStorage[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  postgres = await startPostgres();
});
afterEach(async () => {
  for (const storage of opened.splice(0)) await storage.close();
  for (const dir of dirs.splice(0)) removeDir(dir);
});
afterAll(() => postgres.stop());

async function sql(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

async function level(): Promise<DocumentStorage> {
  const dir = tempDir('talkoo-move-');
  dirs.push(dir);
  const storage = await openLevelStorage(join(dir, 'rooms'));
  opened.push(storage);
  return storage;
}

/** PostgreSQL storage on a new empty database, and that database's URL. */
async function postgresStorage(): Promise<{ storage: DocumentStorage; url: string }> {
  const name = `move_${++databases}`;
  await sql(postgres.url, `CREATE DATABASE ${name}`);
  const url = postgres.url.replace(/\/talkoo$/, `/${name}`);
  const storage = await openPostgresStorage({ url });
  opened.push(storage);
  return { storage, url };
}

const info = (title: string) => ({ created: '2026-12-06T10:00:00.000Z', title, language: 'et' });

/** Stores a workshop as a server does: one update per change, so several updates to merge. */
async function storeWorkshop(
  storage: DocumentStorage,
  room: string,
  notes: readonly string[],
): Promise<void> {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  startWorkshop(doc, room);
  for (const text of notes) addNote(doc, TEMPLATE_BOARD_IDS.needs, { text });
  for (const update of updates) await storage.append(room, [update]);
  const version: VersionInfo = {
    id: `00000000000000${notes.length}-abcdef`,
    time: 1_700_000_000_000,
    trigger: 'active',
    present: [{ name: 'Mari', role: 'participant' }],
    bytes: Y.encodeStateAsUpdate(doc).length,
  };
  await storage.putVersion(room, version, Y.encodeStateAsUpdate(doc));
  doc.destroy();
}

async function docOf(storage: DocumentStorage, room: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  for (const update of await storage.load(room)) Y.applyUpdate(doc, update);
  return doc;
}

/** Everything a storage holds of its rooms, comparable across storages. */
async function contents(storage: DocumentStorage) {
  const rooms = await storage.list();
  const documents = (await storage.documents()).sort();
  const states = await Promise.all(
    documents.map(async (name) => {
      const doc = await docOf(storage, name);
      return { name, vector: [...Y.encodeStateVector(doc)], state: [...Y.encodeStateAsUpdate(doc)] };
    }),
  );
  const versions = await Promise.all(
    documents.map(async (name) => {
      const list = await storage.listVersions(name);
      const states = await Promise.all(
        list.map(async (v) => [...((await storage.loadVersion(name, v.id)) ?? [])]),
      );
      return { name, list, states };
    }),
  );
  return { rooms, documents, states, versions };
}

async function fill(storage: DocumentStorage): Promise<void> {
  await storeWorkshop(storage, 'w-one', ['kahvi', 'tee']);
  await storeWorkshop(storage, 'w-one~me~p1', ['my draft']);
  await storage.create('w-one', info('One'));
  await storeWorkshop(storage, 'w_two', ['vesi']);
  await storage.create('w_two', info('Two'));
  await storage.describe('w_two', { counts: { needs: 1, themes: 0, actions: 0 }, archived: '2026-12-01' });
  // A room created but never written to.
  await storage.create('w-empty', info('Empty'));
}

describe('moving rooms', () => {
  it('moves every room from LevelDB to PostgreSQL and on to another LevelDB unchanged', async () => {
    const first = await level();
    await fill(first);
    const { storage: shared } = await postgresStorage();
    const last = await level();

    expect(await moveRooms(first, shared)).toEqual({ moved: ['w-empty', 'w-one', 'w_two'], skipped: [] });
    expect(await moveRooms(shared, last)).toEqual({ moved: ['w-empty', 'w-one', 'w_two'], skipped: [] });

    const before = await contents(first);
    expect(before.documents).toEqual(['w-one', 'w-one~me~p1', 'w_two']);
    expect(before.versions.every((v) => v.list.length === 1)).toBe(true);
    expect(await contents(shared)).toEqual(before);
    expect(await contents(last)).toEqual(before);
    expect(noteTexts(await docOf(last, 'w-one'))).toEqual(['kahvi', 'tee']);
    // Each document is one merged update in the target.
    expect(await shared.load('w-one')).toHaveLength(1);
  });

  it('skips a room the target has already and leaves the target’s copy as it was', async () => {
    const source = await level();
    await fill(source);
    const target = await level();
    await storeWorkshop(target, 'w-one', ['theirs']);
    await target.create('w-one', info('Theirs'));

    const report = await moveRooms(source, target);
    expect(report.moved).toEqual(['w-empty', 'w_two']);
    expect(report.skipped.map((s) => s.room)).toEqual(['w-one']);
    expect(noteTexts(await docOf(target, 'w-one'))).toEqual(['theirs']);
    expect(await target.load('w-one~me~p1')).toEqual([]);
    expect((await target.list()).find((r) => r.room === 'w-one')?.title).toBe('Theirs');

    expect(await moveRooms(source, target)).toEqual({
      moved: [],
      skipped: ['w-empty', 'w-one', 'w_two'].map((room) => ({ room, why: expect.any(String) as string })),
    });
  });

  it('does not list a room whose move was cut short, and finishes it on the next run', async () => {
    const source = await level();
    await fill(source);
    const { storage: target, url } = await postgresStorage();
    // The database refuses the document of w-one's participant: w-one's move stops half way.
    await sql(
      url,
      `CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'cut'; END $$ LANGUAGE plpgsql;
       CREATE TRIGGER cut BEFORE INSERT ON talkoo_updates
         FOR EACH ROW WHEN (NEW.room = 'w-one~me~p1') EXECUTE FUNCTION refuse();`,
    );
    await expect(moveRooms(source, target)).rejects.toThrow(/cut/);
    expect((await target.list()).map((r) => r.room)).toEqual(['w-empty']);

    await sql(url, 'DROP TRIGGER cut ON talkoo_updates');
    const report = await moveRooms(source, target);
    expect(report.moved).toEqual(['w-one', 'w_two']);
    expect(report.skipped.map((s) => s.room)).toEqual(['w-empty']);
    expect(await contents(target)).toEqual(await contents(source));
    expect(await target.load('w-one')).toHaveLength(1);
  });
});
