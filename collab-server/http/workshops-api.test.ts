import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import * as Y from 'yjs';
import { addNote, createWorkshop, readWorkshop, TEMPLATE_BOARD_IDS } from '../../shared';
import { MAX_TEMPLATE_BYTES, MAX_TEMPLATES } from '../storage/template-store';
import { CLOSE } from '../wire/protocol';
import type { RunningServer } from '../server';
import { openLevelStorage, type DocumentStorage } from '../storage/level-storage';
import {
  importWorkshop,
  rawRefusal,
  refused,
  serverHasNote,
  synced,
  TestBed,
  until,
  type TestClient,
} from '../test-support';

const bed = new TestBed();
afterEach(() => bed.cleanUp());

type Reply = { status: number; body: Record<string, unknown> };

/** The organiser token inside the server's organiser login link. */
function organiserOf(server: RunningServer): string {
  const link = new URL(server.organiserLink());
  return new URLSearchParams(link.hash.slice(link.hash.indexOf('?'))).get('organiser') ?? '';
}

async function call(
  server: RunningServer,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  token: string | null,
  body?: unknown,
): Promise<Reply> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** The room and token of a join link (`…/#/w/ROOM?token=…`). */
function fromJoinUrl(url: unknown): { room: string; token: string } {
  const match = /^#\/w\/([^?]+)\?token=(.+)$/.exec(new URL(String(url)).hash);
  return { room: decodeURIComponent(match?.[1] ?? ''), token: decodeURIComponent(match?.[2] ?? '') };
}

async function join(server: RunningServer, url: unknown): Promise<TestClient> {
  const { room, token } = fromJoinUrl(url);
  const client = bed.connect(server, room, { token });
  await synced(client);
  return client;
}

async function listed(server: RunningServer, organiser: string): Promise<Record<string, unknown>[]> {
  const reply = await call(server, 'GET', '/api/workshops', organiser);
  expect(reply.status).toBe(200);
  return reply.body.workshops as Record<string, unknown>[];
}

/** The AKKU example: 12 municipalities, three lanes, and its needs, themes and actions. */
async function exampleWorkshop(server: RunningServer, organiser: string): Promise<Record<string, unknown>> {
  const created = await call(server, 'POST', '/api/workshops', organiser, {
    example: 'example-etela-savo-fi',
  });
  expect(created.status).toBe(201);
  return created.body;
}

describe('the workshop list', () => {
  it('lists each workshop with its date, language and counts of needs, themes and actions', async () => {
    const server = await bed.start();
    const organiser = organiserOf(server);
    const example = await exampleWorkshop(server, organiser);
    const facilitator = await join(server, example.facilitatorUrl);
    const w = readWorkshop(facilitator.doc);
    const needs = w.notes.filter((n) => w.boards.find((b) => b.id === n.boardId)?.kind === 'needs').length;
    expect(needs).toBeGreaterThan(0);

    const [entry] = await listed(server, organiser);
    expect(entry).toMatchObject({
      room: example.room,
      title: w.meta.title,
      language: 'fi',
      created: w.meta.created,
      counts: { needs, themes: w.themes.length, actions: w.actions.length },
      archived: false,
    });
  });

  it('keeps the counts of a room that is no longer in memory', async () => {
    const dataDir = bed.dir();
    let server = await bed.start({ dataDir });
    const organiser = organiserOf(server);
    const example = await exampleWorkshop(server, organiser);
    const before = (await listed(server, organiser))[0];
    await bed.stop(server);
    server = await bed.start({ dataDir });
    // The same entry, but for its link (a server makes its own facilitator link again).
    const withoutLink = (entry: Record<string, unknown> | undefined) =>
      Object.fromEntries(Object.entries(entry ?? {}).filter(([key]) => key !== 'facilitatorUrl'));
    expect(withoutLink((await listed(server, organiserOf(server)))[0])).toEqual(withoutLink(before));
    expect(before?.counts).toBeDefined();
    expect(before?.room).toBe(example.room);
  });
});

describe('renaming, duplicating, archiving and deleting a workshop', () => {
  it('an organiser renames a workshop: the people in it see the new title, and the list shows it', async () => {
    const server = await bed.start();
    const organiser = organiserOf(server);
    const example = await exampleWorkshop(server, organiser);
    const facilitator = await join(server, example.facilitatorUrl);

    const renamed = await call(server, 'PATCH', `/api/workshops/${String(example.room)}`, organiser, {
      title: '  Kevät 2027  ',
    });
    expect(renamed).toEqual({
      status: 200,
      body: { room: example.room, title: 'Kevät 2027', archived: false },
    });
    await until(facilitator.doc, () => readWorkshop(facilitator.doc).meta.title === 'Kevät 2027');
    expect((await listed(server, organiser))[0]).toMatchObject({ title: 'Kevät 2027' });
  });

  it('a rename of a workshop nobody has open is stored, and survives a restart', async () => {
    const dataDir = bed.dir();
    let server = await bed.start({ dataDir });
    const organiser = organiserOf(server);
    const example = await exampleWorkshop(server, organiser);
    await call(server, 'PATCH', `/api/workshops/${String(example.room)}`, organiser, { title: 'Uusi nimi' });
    await bed.stop(server);
    server = await bed.start({ dataDir });
    expect((await listed(server, organiserOf(server)))[0]).toMatchObject({ title: 'Uusi nimi' });
    const facilitator = await join(server, (await listed(server, organiserOf(server)))[0]?.facilitatorUrl);
    expect(readWorkshop(facilitator.doc).meta.title).toBe('Uusi nimi');
  });

  it('a duplicate holds the same content under its own title; the original is unchanged', async () => {
    const server = await bed.start();
    const organiser = organiserOf(server);
    const example = await exampleWorkshop(server, organiser);
    const copy = await call(server, 'POST', `/api/workshops/${String(example.room)}/duplicate`, organiser, {
      title: 'Kopio: AKKU',
    });
    expect(copy).toMatchObject({ status: 201, body: { title: 'Kopio: AKKU' } });
    expect(copy.body.room).not.toBe(example.room);
    const original = readWorkshop((await join(server, example.facilitatorUrl)).doc);
    const duplicate = readWorkshop((await join(server, copy.body.facilitatorUrl)).doc);
    expect(duplicate.meta.title).toBe('Kopio: AKKU');
    expect(original.meta.title).not.toBe('Kopio: AKKU');
    expect(duplicate.notes.map((n) => n.text).sort()).toEqual(original.notes.map((n) => n.text).sort());
    expect(duplicate.actions.length).toBe(original.actions.length);
    expect((await listed(server, organiser)).map((w) => w.title)).toContain('Kopio: AKKU');
  });

  it('an archived workshop is listed as archived, also after a restart, until it is restored', async () => {
    const dataDir = bed.dir();
    let server = await bed.start({ dataDir });
    let organiser = organiserOf(server);
    const example = await exampleWorkshop(server, organiser);
    const path = `/api/workshops/${String(example.room)}`;
    expect(await call(server, 'PATCH', path, organiser, { archived: true })).toMatchObject({
      status: 200,
      body: { archived: true },
    });
    // The room is loaded and unloaded meanwhile: its record keeps the mark.
    const facilitator = await join(server, example.facilitatorUrl);
    facilitator.provider.destroy();
    await bed.stop(server);
    server = await bed.start({ dataDir });
    organiser = organiserOf(server);
    expect((await listed(server, organiser))[0]).toMatchObject({ archived: true });
    await call(server, 'PATCH', path, organiser, { archived: false });
    expect((await listed(server, organiser))[0]).toMatchObject({ archived: false });
  });

  it('deleting a workshop says what was lost, closes it for the people in it, and leaves nothing behind', async () => {
    const dataDir = bed.dir();
    let server = await bed.start({ dataDir });
    let organiser = organiserOf(server);
    const example = await exampleWorkshop(server, organiser);
    const kept = await call(server, 'POST', '/api/workshops', organiser, { title: 'Kept', language: 'en' });
    const facilitator = await join(server, example.facilitatorUrl);
    const w = readWorkshop(facilitator.doc);
    const closed = refused(facilitator);

    const deleted = await call(server, 'DELETE', `/api/workshops/${String(example.room)}`, organiser);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({
      deleted: example.room,
      title: w.meta.title,
      counts: { themes: w.themes.length, actions: w.actions.length },
    });
    expect((await closed).code).toBe(CLOSE.workshopDeleted);
    expect((await listed(server, organiser)).map((x) => x.room)).toEqual([kept.body.room]);

    // Its links open nothing: not an empty room in its place.
    const again = bed.connect(server, String(example.room), {
      token: fromJoinUrl(example.facilitatorUrl).token,
    });
    expect((await refused(again)).code).toBe(CLOSE.tokenRevoked);
    expect(await call(server, 'DELETE', `/api/workshops/${String(example.room)}`, organiser)).toMatchObject({
      status: 404,
      body: { code: 'workshop-not-found' },
    });

    await bed.stop(server);
    server = await bed.start({ dataDir });
    organiser = organiserOf(server);
    expect((await listed(server, organiser)).map((x) => x.room)).toEqual([kept.body.room]);
  });
});

describe('adding a workshop from a file under its own name', () => {
  const room = 'w-0b6f3d2e-1c4a-4e8b-9d7f-5a2c3b4d5e6f';

  /** A workshop's state as a `.talkoo` file holds it, with one need. */
  function workshopState(title: string, need: string): Uint8Array {
    const doc = new Y.Doc();
    createWorkshop(doc, {
      title,
      language: 'fi',
      boardTitles: { needs: 'Tarpeet', themes: 'Teemat', actions: 'Toimenpiteet' },
    });
    addNote(doc, TEMPLATE_BOARD_IDS.needs, { text: need });
    return Y.encodeStateAsUpdate(doc);
  }

  it('keeps the identity the file names: the room is created under that name, with its content', async () => {
    const server = await bed.start();
    const organiser = organiserOf(server);
    const added = await importWorkshop(
      server,
      organiser,
      workshopState('Annan työpaja', 'Kirjastoauto'),
      room,
    );
    expect(added).toMatchObject({ status: 201, body: { room, title: 'Annan työpaja' } });
    const facilitator = await join(server, added.body.facilitatorUrl);
    expect(readWorkshop(facilitator.doc).notes.map((n) => n.text)).toEqual(['Kirjastoauto']);
    expect((await listed(server, organiser)).map((w) => w.room)).toContain(room);
  });

  it('refuses a room that exists (409) and leaves it as it was', async () => {
    const server = await bed.start();
    const organiser = organiserOf(server);
    await importWorkshop(server, organiser, workshopState('Annan työpaja', 'Kirjastoauto'), room);
    const again = await importWorkshop(server, organiser, workshopState('Toinen', 'Uimahalli'), room);
    expect(again).toEqual({
      status: 409,
      body: {
        error: `This server already has the workshop ${room}: open it instead.`,
        code: 'workshop-exists',
        room,
      },
    });
    const made = await exampleWorkshop(server, organiser);
    expect(
      await importWorkshop(server, organiser, workshopState('T', 'N'), String(made.room)).then(
        (r) => r.status,
      ),
    ).toBe(409);
    const listedRooms = await listed(server, organiser);
    expect(listedRooms.find((w) => w.room === room)?.title).toBe('Annan työpaja');
    const original = await join(server, listedRooms.find((w) => w.room === room)?.facilitatorUrl);
    expect(readWorkshop(original.doc).notes.map((n) => n.text)).toEqual(['Kirjastoauto']);
  });

  it('adds a file sent twice at once only once, with one side of it', async () => {
    const server = await bed.start();
    const organiser = organiserOf(server);
    const replies = await Promise.all([
      importWorkshop(server, organiser, workshopState('A', 'Ensimmäinen'), room),
      importWorkshop(server, organiser, workshopState('B', 'Toinen'), room),
    ]);
    expect(replies.map((r) => r.status).sort()).toEqual([201, 409]);
    const added = replies.find((r) => r.status === 201);
    const facilitator = await join(server, added?.body.facilitatorUrl);
    expect(readWorkshop(facilitator.doc).notes).toHaveLength(1);
  });

  it('adds a file sent twice at once when the first creation fails: the second is not refused for it', async () => {
    const dataDir = bed.dir();
    const level = await openLevelStorage(joinPath(dataDir, 'rooms'));
    // The first creation's write is held, then fails (a disk error).
    let releaseFirst = (): void => undefined;
    let firstHeld = (): void => undefined;
    const held = new Promise<void>((resolve) => (firstHeld = resolve));
    let failures = 1;
    const storage: DocumentStorage = {
      ...level,
      append: async (name, updates) => {
        if (name !== room || failures === 0) return level.append(name, updates);
        failures--;
        firstHeld();
        await new Promise<void>((resolve) => (releaseFirst = resolve));
        throw new Error('I/O error');
      },
    };
    const server = await bed.start({ dataDir, storage });
    const organiser = organiserOf(server);
    const first = importWorkshop(server, organiser, workshopState('A', 'Ensimmäinen'), room);
    await held;
    const second = importWorkshop(server, organiser, workshopState('B', 'Toinen'), room);
    // Let the second reach the server before the first fails.
    await new Promise((resolve) => setTimeout(resolve, 200));
    releaseFirst();

    expect((await first).status).not.toBe(201);
    const added = await second;
    expect(added).toMatchObject({ status: 201, body: { room, title: 'B' } });
    const facilitator = await join(server, added.body.facilitatorUrl);
    expect(readWorkshop(facilitator.doc).notes.map((n) => n.text)).toEqual(['Toinen']);
  });

  it('only for the organiser, and only under a name a server would make', async () => {
    const server = await bed.start();
    const organiser = organiserOf(server);
    const state = workshopState('T', 'N');
    const made = await exampleWorkshop(server, organiser);
    const facilitator = fromJoinUrl(made.facilitatorUrl).token;
    expect(await importWorkshop(server, facilitator, state, room)).toMatchObject({
      status: 403,
      body: { code: 'token-wrong-role' },
    });
    expect((await importWorkshop(server, null, state, room)).status).toBe(401);
    for (const bad of ['import', 'w-1', '../w-0b6f3d2e', `${room}~me~x`, '']) {
      expect(await importWorkshop(server, organiser, state, bad)).toMatchObject({
        status: 400,
        body: { code: 'field-invalid', field: 'room' },
      });
    }
    expect((await listed(server, organiser)).map((w) => w.room)).toEqual([made.room]);
  });
});

describe('who may change workshops', () => {
  it('only the organiser: a facilitator of the room, a forged or missing token change nothing', async () => {
    const server = await bed.start();
    const organiser = organiserOf(server);
    const a = await exampleWorkshop(server, organiser);
    const b = await call(server, 'POST', '/api/workshops', organiser, { title: 'B', language: 'en' });
    const facilitatorA = fromJoinUrl(a.facilitatorUrl).token;
    for (const room of [a.room, b.body.room]) {
      const path = `/api/workshops/${String(room)}`;
      expect(await call(server, 'PATCH', path, facilitatorA, { title: 'Mine now' })).toMatchObject({
        status: 403,
        body: { code: 'token-wrong-role' },
      });
      expect(await call(server, 'DELETE', path, facilitatorA)).toMatchObject({
        status: 403,
        body: { code: 'token-wrong-role' },
      });
      expect(await call(server, 'POST', `${path}/duplicate`, facilitatorA, {})).toMatchObject({
        status: 403,
      });
      expect(await call(server, 'DELETE', path, null)).toMatchObject({
        status: 401,
        body: { code: 'token-missing' },
      });
      expect(await call(server, 'DELETE', path, `${organiser.slice(0, -3)}abc`)).toMatchObject({
        status: 403,
      });
    }
    expect((await listed(server, organiser)).map((w) => w.title).sort()).toEqual(
      ['B', String(a.title)].sort(),
    );
  });

  it('answers bad requests precisely', async () => {
    const server = await bed.start();
    const organiser = organiserOf(server);
    const a = await exampleWorkshop(server, organiser);
    const path = `/api/workshops/${String(a.room)}`;
    expect(await call(server, 'PATCH', path, organiser, { title: 'x'.repeat(201) })).toMatchObject({
      status: 400,
      body: { code: 'field-too-long', field: 'title', max: 200 },
    });
    expect(await call(server, 'PATCH', path, organiser, { title: '  ' })).toMatchObject({
      status: 400,
      body: { code: 'field-empty', field: 'title' },
    });
    expect(await call(server, 'PATCH', path, organiser, { archived: 'yes' })).toMatchObject({
      status: 400,
      body: { code: 'field-invalid', field: 'archived' },
    });
    expect(await call(server, 'PATCH', path, organiser, {})).toMatchObject({
      status: 400,
      body: { code: 'field-invalid', field: 'title' },
    });
    expect(await call(server, 'PATCH', path, organiser, 'x'.repeat(70_000))).toMatchObject({
      status: 413,
      body: { code: 'body-too-large' },
    });
    expect(await call(server, 'PATCH', '/api/workshops/w-nothing', organiser, { title: 'T' })).toMatchObject({
      status: 404,
      body: { code: 'workshop-not-found' },
    });
    expect(await call(server, 'POST', '/api/workshops/w-nothing/duplicate', organiser, {})).toMatchObject({
      status: 404,
      body: { code: 'workshop-not-found' },
    });
    expect(await call(server, 'GET', path, organiser)).toMatchObject({
      status: 405,
      body: { code: 'method-not-allowed' },
    });
  });
});

describe('templates', () => {
  it('saves a workshop’s structure as a template and starts a new workshop from it', async () => {
    const server = await bed.start();
    const organiser = organiserOf(server);
    const example = await exampleWorkshop(server, organiser);
    const source = readWorkshop((await join(server, example.facilitatorUrl)).doc);

    const saved = await call(server, 'POST', '/api/templates', organiser, {
      room: example.room,
      name: 'AKKU-työpajan pohja',
    });
    expect(saved).toMatchObject({
      status: 201,
      body: { name: 'AKKU-työpajan pohja', language: 'fi', counts: { lanes: 3, municipalities: 12 } },
    });
    const id = String(saved.body.id);
    const list = await call(server, 'GET', '/api/templates', organiser);
    expect(list.body.templates).toEqual([saved.body]);
    expect(String(saved.body.created)).toMatch(/^\d{4}-\d\d-\d\dT/);

    const created = await call(server, 'POST', '/api/workshops', organiser, {
      template: id,
      title: 'Työpaja 2',
    });
    expect(created).toMatchObject({ status: 201, body: { title: 'Työpaja 2' } });
    const made = readWorkshop((await join(server, created.body.facilitatorUrl)).doc);
    const needsBoard = (w: typeof made) => w.boards.find((b) => b.kind === 'needs');
    expect(made.meta).toMatchObject({ title: 'Työpaja 2', language: 'fi' });
    expect(needsBoard(made)?.lanes.map((l) => l.title)).toEqual(
      needsBoard(source)?.lanes.map((l) => l.title),
    );
    expect(needsBoard(made)?.municipalities).toEqual(needsBoard(source)?.municipalities);
    expect(made.notes.map((n) => n.text).sort()).toEqual(
      source.notes
        .filter((n) => n.boardId === needsBoard(source)?.id)
        .map((n) => n.text)
        .sort(),
    );
    // The structure, not the results: no themes, no actions.
    expect(made.themes).toEqual([]);
    expect(made.actions).toEqual([]);

    expect(await call(server, 'DELETE', `/api/templates/${id}`, organiser)).toEqual({
      status: 200,
      body: { deleted: id },
    });
    expect((await call(server, 'GET', '/api/templates', organiser)).body.templates).toEqual([]);
    expect(await call(server, 'POST', '/api/workshops', organiser, { template: id })).toMatchObject({
      status: 404,
      body: { code: 'template-not-found' },
    });
  });

  it('keeps templates across a restart; only the organiser may see, save or delete them', async () => {
    const dataDir = bed.dir();
    let server = await bed.start({ dataDir });
    const organiser = organiserOf(server);
    const example = await exampleWorkshop(server, organiser);
    const facilitator = fromJoinUrl(example.facilitatorUrl).token;
    expect(
      await call(server, 'POST', '/api/templates', facilitator, { room: example.room, name: 'Mine' }),
    ).toMatchObject({ status: 403, body: { code: 'token-wrong-role' } });
    const saved = await call(server, 'POST', '/api/templates', organiser, {
      room: example.room,
      name: 'Pohja',
    });
    expect(await call(server, 'GET', '/api/templates', facilitator)).toMatchObject({ status: 403 });
    expect(
      await call(server, 'DELETE', `/api/templates/${String(saved.body.id)}`, facilitator),
    ).toMatchObject({
      status: 403,
    });
    await bed.stop(server);
    server = await bed.start({ dataDir });
    const after = await call(server, 'GET', '/api/templates', organiserOf(server));
    expect(after.body.templates).toEqual([saved.body]);
  });

  it('skips a damaged template file rather than serving it', async () => {
    const dataDir = bed.dir();
    const server = await bed.start({ dataDir });
    const organiser = organiserOf(server);
    const example = await exampleWorkshop(server, organiser);
    const saved = await call(server, 'POST', '/api/templates', organiser, {
      room: example.room,
      name: 'Hyvä',
    });
    const damaged = 't-00000000-0000-4000-8000-000000000000';
    writeFileSync(
      joinPath(dataDir, 'templates', `${damaged}.json`),
      '{"name": "Rikki", "outline": {"title": 1}}',
    );
    expect((await call(server, 'GET', '/api/templates', organiser)).body.templates).toEqual([saved.body]);
    expect(await call(server, 'POST', '/api/workshops', organiser, { template: damaged })).toMatchObject({
      status: 404,
      body: { code: 'template-not-found' },
    });
  });

  it('answers bad template requests precisely', async () => {
    const server = await bed.start();
    const organiser = organiserOf(server);
    const example = await exampleWorkshop(server, organiser);
    expect(
      await call(server, 'POST', '/api/templates', organiser, { room: example.room, name: '' }),
    ).toMatchObject({
      status: 400,
      body: { code: 'field-empty', field: 'name' },
    });
    expect(
      await call(server, 'POST', '/api/templates', organiser, { room: example.room, name: 'x'.repeat(121) }),
    ).toMatchObject({ status: 400, body: { code: 'field-too-long', field: 'name', max: 120 } });
    expect(
      await call(server, 'POST', '/api/templates', organiser, { room: 'w-nothing', name: 'N' }),
    ).toMatchObject({
      status: 404,
      body: { code: 'workshop-not-found' },
    });
    expect(await call(server, 'DELETE', '/api/templates/t-nothing', organiser)).toMatchObject({
      status: 404,
      body: { code: 'template-not-found' },
    });
    expect(await call(server, 'DELETE', '/api/templates/..%2Fsigning-key', organiser)).toMatchObject({
      status: 404,
    });
    expect(await call(server, 'DELETE', '/api/templates/%E0%A4%A', organiser)).toMatchObject({
      status: 404,
      body: { code: 'template-not-found' },
    });
    expect(
      await call(server, 'POST', '/api/workshops', organiser, {
        template: 't-x',
        example: 'example-voru-et',
      }),
    ).toMatchObject({ status: 400, body: { code: 'field-invalid', field: 'template' } });
  });
});

describe('a deleted workshop’s storage', () => {
  it('holds nothing of it: no record, no updates, no versions', async () => {
    const dataDir = bed.dir();
    const server = await bed.start({ dataDir });
    const organiser = organiserOf(server);
    const example = await exampleWorkshop(server, organiser);
    const room = String(example.room);
    const facilitator = await join(server, example.facilitatorUrl);
    facilitator.doc.getMap('meta').set('title', 'Changed');
    await call(server, 'DELETE', `/api/workshops/${room}`, organiser);
    await bed.stop(server);
    const storage = await openLevelStorage(joinPath(dataDir, 'rooms'));
    try {
      expect(await storage.exists(room)).toBe(false);
      expect(await storage.load(room)).toEqual([]);
      expect(await storage.listVersions(room)).toEqual([]);
    } finally {
      await storage.close();
    }
  });
});

describe('deleting a workshop while someone joins it', () => {
  /** A server whose room loads wait while `hold()` holds them; `loading` resolves once one waits. */
  async function heldServer(dataDir: string) {
    const level = await openLevelStorage(joinPath(dataDir, 'rooms'));
    let held: Promise<void> | null = null;
    let release: () => void = () => undefined;
    let loadStarted: () => void = () => undefined;
    const loading = new Promise<void>((resolve) => (loadStarted = resolve));
    const storage = {
      ...level,
      load: async (room: string) => {
        if (held) {
          loadStarted();
          await held;
        }
        return level.load(room);
      },
    };
    const server = await bed.start({ dataDir, storage });
    return {
      server,
      loading,
      hold: (): void => {
        held = new Promise<void>((resolve) => (release = resolve));
      },
      release: () => {
        held = null;
        release();
      },
    };
  }

  /** A held server (heldServer) with a new workshop on it: its organiser, room and facilitator token. */
  async function heldWorkshop(dataDir: string) {
    const held = await heldServer(dataDir);
    const organiser = organiserOf(held.server);
    const made = await call(held.server, 'POST', '/api/workshops', organiser, {
      title: 'Poistuva',
      language: 'fi',
    });
    return { ...held, organiser, ...fromJoinUrl(made.body.facilitatorUrl) };
  }

  /**
   * Starts deleting `room` and waits until the delete has begun: its links are revoked (before it
   * waits for the room's load). The answer comes with `deleting`.
   */
  async function deleteBegun(
    server: Awaited<ReturnType<typeof heldServer>>['server'],
    organiser: string,
    room: string,
    token: string,
  ) {
    const deleting = call(server, 'DELETE', `/api/workshops/${room}`, organiser);
    while (server.links.verify(token, { room }).ok) await new Promise((resolve) => setImmediate(resolve));
    return { deleting };
  }

  it('someone joining their own document when it was deleted is told it was deleted', async () => {
    const dataDir = bed.dir();
    const { server, loading, hold, release, organiser, room, token } = await heldWorkshop(dataDir);
    const { identity } = server.links.issueIdentity(room);
    hold();
    const ws = new WebSocket(
      `${server.url.replace(/^http/, 'ws')}/${room}/me?token=${encodeURIComponent(token)}&me=${encodeURIComponent(identity)}`,
    );
    const closed = new Promise<number>((resolve) => ws.once('close', (code: number) => resolve(code)));
    await loading;
    const { deleting } = await deleteBegun(server, organiser, room, token);
    release();
    expect((await deleting).status).toBe(200);
    expect(await closed).toBe(CLOSE.workshopDeleted);
  });

  it('someone whose join was under way when it was deleted is told it was deleted, and nothing of it is stored', async () => {
    const dataDir = bed.dir();
    const { server, loading, hold, release, organiser, room, token } = await heldWorkshop(dataDir);
    hold();
    const joining = rawRefusal(server, room, token);
    await loading;
    const { deleting } = await deleteBegun(server, organiser, room, token);
    release();

    expect((await deleting).status).toBe(200);
    expect((await joining).code).toBe(CLOSE.workshopDeleted);
    await bed.stop(server);
    const after = await openLevelStorage(joinPath(dataDir, 'rooms'));
    try {
      expect(await after.exists(room)).toBe(false);
      expect(await after.load(room)).toEqual([]);
    } finally {
      await after.close();
    }
  });

  it('renaming, duplicating or saving as a template a workshop being deleted says there is no such workshop', async () => {
    const dataDir = bed.dir();
    const { server, loading, hold, release, organiser, room, token } = await heldWorkshop(dataDir);
    hold();
    // Someone's join holds the room's load, so the delete waits for it.
    const joining = rawRefusal(server, room, token);
    await loading;
    const { deleting } = await deleteBegun(server, organiser, room, token);

    const gone = { status: 404, body: { code: 'workshop-not-found' } };
    try {
      expect(await call(server, 'PATCH', `/api/workshops/${room}`, organiser, { title: 'U' })).toMatchObject(
        gone,
      );
      expect(await call(server, 'POST', `/api/workshops/${room}/duplicate`, organiser, {})).toMatchObject(
        gone,
      );
      expect(await call(server, 'POST', '/api/templates', organiser, { room, name: 'P' })).toMatchObject(
        gone,
      );
    } finally {
      // The held load goes on whatever was answered, so the server can close.
      release();
    }
    expect((await deleting).status).toBe(200);
    expect((await joining).code).toBe(CLOSE.workshopDeleted);
    expect(await listed(server, organiser)).toEqual([]);
  });
});

describe('templates at their limits', () => {
  it('a workshop too large for a template is refused as such (413), not as storage that failed', async () => {
    const server = await bed.start();
    const organiser = organiserOf(server);
    const made = await call(server, 'POST', '/api/workshops', organiser, { title: 'Iso', language: 'fi' });
    const facilitator = await join(server, made.body.facilitatorUrl);
    const needs = readWorkshop(facilitator.doc).boards.find((b) => b.kind === 'needs')!.id;
    // Example notes past the template's largest size: 1,000 notes of 4,500 characters.
    facilitator.doc.transact(() => {
      for (let i = 0; i < 1000; i++) addNote(facilitator.doc, needs, { text: `${i} ${'x'.repeat(4500)}` });
    });
    await serverHasNote(server, String(made.body.room), `999 ${'x'.repeat(4500)}`);
    expect(
      await call(server, 'POST', '/api/templates', organiser, { room: made.body.room, name: 'Liian iso' }),
    ).toMatchObject({ status: 413, body: { code: 'template-too-large', max: MAX_TEMPLATE_BYTES } });
    expect((await call(server, 'GET', '/api/templates', organiser)).body.templates).toEqual([]);
  });

  it('saves at most MAX_TEMPLATES templates, however many are saved at once', async () => {
    const dataDir = bed.dir();
    const server = await bed.start({ dataDir });
    const organiser = organiserOf(server);
    const made = await call(server, 'POST', '/api/workshops', organiser, { title: 'Pohja', language: 'fi' });
    const first = await call(server, 'POST', '/api/templates', organiser, {
      room: made.body.room,
      name: 'T',
    });
    const folder = joinPath(dataDir, 'templates');
    const file = readFileSync(joinPath(folder, `${String(first.body.id)}.json`));
    for (let i = 1; i < MAX_TEMPLATES - 1; i++)
      writeFileSync(joinPath(folder, `t-00000000-0000-4000-8000-${String(i).padStart(12, '0')}.json`), file);
    const saves = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        call(server, 'POST', '/api/templates', organiser, { room: made.body.room, name: `T${i}` }),
      ),
    );
    expect(saves.map((s) => s.status).sort()).toEqual([201, 429, 429, 429, 429]);
    const list = await call(server, 'GET', '/api/templates', organiser);
    expect(list.body.templates).toHaveLength(MAX_TEMPLATES);
  });
});

describe('renaming and duplicating while the disk is full', () => {
  it('says the rename or the copy was not stored rather than that it was; once the disk takes writes again, the rename is stored', async () => {
    const dataDir = bed.dir();
    const level = await openLevelStorage(joinPath(dataDir, 'rooms'));
    let full = false;
    const refuse = (): Promise<never> => Promise.reject(new Error('ENOSPC: no space left on device'));
    const storage = {
      ...level,
      append: (room: string, updates: readonly Uint8Array[]) =>
        full ? refuse() : level.append(room, updates),
      create: (room: string, info: Parameters<typeof level.create>[1]) =>
        full ? refuse() : level.create(room, info),
      describe: (room: string, info: Parameters<typeof level.describe>[1]) =>
        full ? refuse() : level.describe(room, info),
    };
    const server = await bed.start({ dataDir, storage });
    const organiser = organiserOf(server);
    const made = await call(server, 'POST', '/api/workshops', organiser, { title: 'Vanha', language: 'fi' });
    const path = `/api/workshops/${String(made.body.room)}`;
    full = true;
    expect(await call(server, 'PATCH', path, organiser, { title: 'Uusi' })).toMatchObject({
      status: 503,
      body: { code: 'workshop-not-stored' },
    });
    expect(await call(server, 'PATCH', path, organiser, { archived: true })).toMatchObject({
      status: 503,
      body: { code: 'workshop-not-stored' },
    });
    expect(await call(server, 'POST', `${path}/duplicate`, organiser, {})).toMatchObject({
      status: 503,
      body: { code: 'copy-not-stored' },
    });
    full = false;
    expect(await call(server, 'PATCH', path, organiser, { title: 'Uusi' })).toMatchObject({ status: 200 });
    expect((await listed(server, organiser)).map((w) => w.title)).toEqual(['Uusi']);
  });
});

describe('deleting a workshop whose links cannot be withdrawn', () => {
  /** A server whose link book can no longer be written once `breakLinks` is called (its file made a folder). */
  async function serverWithLinkBook(options: { removeFails?: boolean } = {}) {
    const dataDir = bed.dir();
    const level = await openLevelStorage(joinPath(dataDir, 'rooms'));
    const storage = options.removeFails
      ? { ...level, remove: () => Promise.reject(new Error('ENOSPC: no space left on device')) }
      : level;
    const server = await bed.start({ dataDir, storage });
    const organiser = organiserOf(server);
    const made = await call(server, 'POST', '/api/workshops', organiser, { title: 'Kylä', language: 'fi' });
    const breakLinks = (): void => {
      const book = joinPath(dataDir, 'links.jsonl');
      renameSync(book, `${book}.away`);
      mkdirSync(book);
    };
    return {
      server,
      organiser,
      room: String(made.body.room),
      facilitatorUrl: made.body.facilitatorUrl,
      breakLinks,
    };
  }

  it('says the workshop was deleted but its links were not withdrawn, not that they were', async () => {
    const { server, organiser, room, facilitatorUrl, breakLinks } = await serverWithLinkBook();
    breakLinks();
    const reply = await call(server, 'DELETE', `/api/workshops/${room}`, organiser);
    expect(reply).toMatchObject({ status: 503, body: { code: 'delete-links-not-revoked' } });
    expect(String(reply.body.error)).toMatch(
      /^The workshop was deleted, but its links could not be withdrawn/,
    );
    expect(await listed(server, organiser)).toEqual([]);
    // As it says: the link still opens the workshop's address.
    await join(server, facilitatorUrl);
  });

  it('says neither the workshop nor its links went when both could not be stored', async () => {
    const { server, organiser, room, breakLinks } = await serverWithLinkBook({ removeFails: true });
    breakLinks();
    const reply = await call(server, 'DELETE', `/api/workshops/${room}`, organiser);
    expect(reply).toMatchObject({ status: 503, body: { code: 'delete-not-stored-links-open' } });
    expect(String(reply.body.error)).toMatch(
      /^The workshop could not be deleted .*, and its links still open it/,
    );
    expect(String(reply.body.error)).not.toContain('revoked');
  });

  it('still says its links no longer open it when only the deletion could not be stored', async () => {
    const { server, organiser, room } = await serverWithLinkBook({ removeFails: true });
    const reply = await call(server, 'DELETE', `/api/workshops/${room}`, organiser);
    expect(reply).toMatchObject({ status: 503, body: { code: 'delete-not-stored' } });
    expect(String(reply.body.error)).toContain('its links are revoked');
  });
});
