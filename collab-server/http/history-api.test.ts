/**
 * The version history through the server: versions taken on unload and while active, naming who
 * was present; listed, read, restored in place, restored as a new workshop and exported, by a
 * facilitator of that room only (the server refuses everyone else, whatever the UI shows).
 */
import { join as joinPath } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addNote,
  deleteNotes,
  readRestoreNotice,
  readWorkshop,
  ROOT,
  TEMPLATE_BOARD_IDS,
} from '../../shared';
import { decodeWorkshopFile } from '../../shared/workshop-file';
import type { RunningServer, ServerOptions } from '../server';
import { noteTexts, startWorkshop, synced, TestBed, until, waitFor, type TestClient } from '../test-support';
import { signToken } from '../auth/tokens';
import { openLevelStorage, type DocumentStorage } from '../storage/level-storage';

const bed = new TestBed();
afterEach(() => bed.cleanUp());

const ROOM = 'history-room';
const ROOT_NAMES = Object.values(ROOT);
const DAY = 86_400_000;
const NOTES = ['Bus to the library', 'Choir needs a hall', 'Youth club on Fridays', 'Translate the forms'];

type Version = { id: string; time: number; trigger: string; present: { name: string; role: string }[] };

/** A server whose version clock runs `clock.offset` ms ahead of (or behind) the real one. */
async function startAt(
  clock: { offset: number },
  options: Partial<ServerOptions> = {},
): Promise<RunningServer> {
  return bed.start({
    history: { now: () => Date.now() + clock.offset, activeEveryMs: 60 * 60_000 },
    ...options,
  });
}

function token(
  server: RunningServer,
  role: 'facilitator' | 'participant' | 'viewer',
  name: string,
  room = ROOM,
) {
  return signToken(server.signingKey, { room, role, name, ttlSeconds: 3600 });
}

async function call(
  server: RunningServer,
  method: 'GET' | 'POST',
  path: string,
  bearer: string | null,
  body?: unknown,
): Promise<Response> {
  return fetch(`${server.url}/api/workshops/${ROOM}${path}`, {
    method,
    headers: {
      ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function versions(server: RunningServer): Promise<Version[]> {
  const res = await call(server, 'GET', '/versions', token(server, 'facilitator', 'Alice'));
  expect(res.status).toBe(200);
  return ((await res.json()) as { versions: Version[] }).versions;
}

/** A document holding a version's state, read through the API. */
async function versionDoc(server: RunningServer, id: string): Promise<Y.Doc> {
  const res = await call(server, 'GET', `/versions/${id}`, token(server, 'facilitator', 'Alice'));
  expect(res.status).toBe(200);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, new Uint8Array(await res.arrayBuffer()));
  return doc;
}

function join(server: RunningServer, role: 'facilitator' | 'participant', name: string): TestClient {
  return bed.connect(server, ROOM, { token: token(server, role, name) });
}

/**
 * Yesterday: Alice (facilitator) writes the four notes while Bea (participant, typing her name
 * into a shared link) is there; both leave and the room unloads. Resolves with the version.
 */
async function yesterday(server: RunningServer, clock: { offset: number }): Promise<Version> {
  const alice = join(server, 'facilitator', 'Alice');
  const bea = bed.connect(server, ROOM, { token: token(server, 'participant', '') });
  await Promise.all([synced(alice), synced(bea)]);
  bea.provider.awareness.setLocalStateField('user', { name: 'Bea' });
  startWorkshop(alice.doc, 'Library day');
  for (const text of NOTES) addNote(alice.doc, TEMPLATE_BOARD_IDS.needs, { text });
  await until(bea.doc, () => noteTexts(bea.doc).length === NOTES.length);
  await waitFor('Bea’s name to reach the server', () =>
    (server.rooms.peek(ROOM)?.people() ?? []).some((p) => p.name === 'Bea'),
  );
  alice.provider.destroy();
  bea.provider.destroy();
  await waitFor('the room to unload', () => server.rooms.size === 0);
  const list = await versions(server);
  const version = list.find((v) => v.trigger === 'unload');
  if (!version) throw new Error(`no unload version in ${JSON.stringify(list)}`);
  clock.offset = 0;
  return version;
}

describe('version history', () => {
  it('keeps a version when a room unloads after changes, with its time and who was present', async () => {
    const clock = { offset: -DAY };
    const server = await startAt(clock);
    const version = await yesterday(server, clock);
    expect(Date.now() - version.time).toBeGreaterThanOrEqual(DAY);
    expect(version.present).toEqual(
      expect.arrayContaining([
        { name: 'Alice', role: 'facilitator' },
        { name: 'Bea', role: 'participant' },
      ]),
    );
    expect(noteTexts(await versionDoc(server, version.id))).toEqual([...NOTES].sort());
  });

  it('keeps a version while a room is active, within the interval after a change', async () => {
    const clock = { offset: 0 };
    const server = await startAt(clock, { history: { activeEveryMs: 100 } });
    const alice = join(server, 'facilitator', 'Alice');
    await synced(alice);
    startWorkshop(alice.doc, 'Active');
    addNote(alice.doc, TEMPLATE_BOARD_IDS.needs, { text: 'Still here' });
    await waitFor('an active version', async () =>
      (await versions(server)).some((v) => v.trigger === 'active'),
    );
    const active = (await versions(server)).find((v) => v.trigger === 'active');
    expect(active?.present).toEqual([{ name: 'Alice', role: 'facilitator' }]);
    expect(noteTexts(await versionDoc(server, active?.id ?? ''))).toEqual(['Still here']);
  });

  it('restores a version in place: every connected client receives it and the content equals the version’s', async () => {
    const clock = { offset: -DAY };
    const server = await startAt(clock);
    const version = await yesterday(server, clock);
    const alice = join(server, 'facilitator', 'Alice');
    // A facilitator: a participant may delete only what they wrote (shared/policy).
    const bob = join(server, 'facilitator', 'Bob');
    await Promise.all([synced(alice), synced(bob)]);
    // Bob deletes half the board.
    const notes = readWorkshop(bob.doc).notes;
    deleteNotes(
      bob.doc,
      notes.slice(0, 2).map((n) => n.id),
    );
    await until(alice.doc, () => noteTexts(alice.doc).length === 2);

    const res = await call(
      server,
      'POST',
      `/versions/${version.id}/restore`,
      token(server, 'facilitator', 'Alice'),
    );
    expect(res.status).toBe(200);
    const expected = readWorkshop(await versionDoc(server, version.id));
    await until(alice.doc, () => noteTexts(alice.doc).length === NOTES.length);
    await until(bob.doc, () => noteTexts(bob.doc).length === NOTES.length);
    // The content is the version's; the document also tells of the restore (see below).
    expect({ ...readWorkshop(alice.doc), lastRestore: null }).toEqual(expected);
    expect({ ...readWorkshop(bob.doc), lastRestore: null }).toEqual(expected);

    // The board as it was before the restore is a version too: the restore can be undone.
    const before = (await versions(server)).find((v) => v.trigger === 'restore');
    expect(noteTexts(await versionDoc(server, before?.id ?? ''))).toHaveLength(2);
    expect(before?.present).toEqual(
      expect.arrayContaining([
        { name: 'Alice', role: 'facilitator' },
        { name: 'Bob', role: 'facilitator' },
      ]),
    );
  });

  it('brings back a workshop whose every top-level map a facilitator cleared, after compaction and unload', async () => {
    const clock = { offset: -DAY };
    const server = await startAt(clock, { compactAfter: 1 });
    const version = await yesterday(server, clock);
    // A facilitator (a script gone wrong): a participant's clearing is refused by the role policy.
    const bob = join(server, 'facilitator', 'Bob');
    await synced(bob);
    bob.doc.transact(() => {
      for (const name of ROOT_NAMES) bob.doc.getMap(name).clear();
    });
    await server.rooms.flushAll();
    bob.provider.destroy();
    await waitFor('the room to unload', () => server.rooms.size === 0);

    const res = await call(
      server,
      'POST',
      `/versions/${version.id}/restore`,
      token(server, 'facilitator', 'Alice'),
    );
    expect(res.status).toBe(200);
    const alice = join(server, 'facilitator', 'Alice');
    await synced(alice);
    await until(alice.doc, () => noteTexts(alice.doc).length === NOTES.length);
    expect({ ...readWorkshop(alice.doc), lastRestore: null }).toEqual(
      readWorkshop(await versionDoc(server, version.id)),
    );
  });

  it('keeps in the history an edit made while the state before a restore was being stored', async () => {
    const clock = { offset: -DAY };
    const dataDir = bed.dir();
    const level = await openLevelStorage(joinPath(dataDir, 'rooms'));
    let paused: () => void = () => undefined;
    const pausing = new Promise<void>((resolve) => (paused = resolve));
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let held = false;
    const storage: DocumentStorage = {
      ...level,
      putVersion: async (room, info, state) => {
        if (info.trigger === 'restore' && !held) {
          held = true;
          paused();
          await gate;
        }
        await level.putVersion(room, info, state);
      },
    };
    const server = await startAt(clock, { dataDir, storage });
    const version = await yesterday(server, clock);
    // A facilitator: a participant may delete only what they wrote (shared/policy).
    const bob = join(server, 'facilitator', 'Bob');
    await synced(bob);
    deleteNotes(
      bob.doc,
      readWorkshop(bob.doc)
        .notes.slice(0, 2)
        .map((n) => n.id),
    );
    const restoring = call(
      server,
      'POST',
      `/versions/${version.id}/restore`,
      token(server, 'facilitator', 'Alice'),
    );
    await pausing;
    // While the state before the restore is being written, Bob adds a note.
    addNote(bob.doc, TEMPLATE_BOARD_IDS.needs, { text: 'Written during the restore' });
    await waitFor('the note to reach the server', () =>
      noteTexts(server.rooms.peek(ROOM)?.doc ?? new Y.Doc()).includes('Written during the restore'),
    );
    open();
    expect((await restoring).status).toBe(200);
    const newest = (await versions(server)).find((v) => v.trigger === 'restore');
    expect(noteTexts(await versionDoc(server, newest?.id ?? ''))).toContain('Written during the restore');
  });

  it('restores a version as a new workshop with its own facilitator link, leaving the room as it is', async () => {
    const clock = { offset: -DAY };
    const server = await startAt(clock);
    const version = await yesterday(server, clock);
    const res = await call(
      server,
      'POST',
      `/versions/${version.id}/copy`,
      token(server, 'facilitator', 'Alice'),
      {
        title: 'Library day (copy)',
      },
    );
    expect(res.status).toBe(201);
    const made = (await res.json()) as { room: string; title: string; facilitatorUrl: string };
    expect(made.room).not.toBe(ROOM);
    expect(made.title).toBe('Library day (copy)');
    const link = new URL(made.facilitatorUrl);
    const copyToken = decodeURIComponent(/token=([^&]+)/.exec(link.hash)?.[1] ?? '');
    const copy = bed.connect(server, made.room, { token: copyToken });
    await synced(copy);
    expect(noteTexts(copy.doc)).toEqual([...NOTES].sort());
    expect(readWorkshop(copy.doc).meta.title).toBe('Library day (copy)');
    // The original room is unchanged and has its own history; the copy starts one of its own.
    expect((await versions(server)).map((v) => v.id)).toContain(version.id);
  });

  it('exports a version as a .talkoo file that holds the version’s content', async () => {
    const clock = { offset: -DAY };
    const server = await startAt(clock);
    const version = await yesterday(server, clock);
    const res = await call(
      server,
      'GET',
      `/versions/${version.id}/file`,
      token(server, 'facilitator', 'Alice'),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename=".*\.talkoo"/);
    const file = decodeWorkshopFile(new Uint8Array(await res.arrayBuffer()));
    if (!file.ok) throw new Error('not a workshop file');
    expect(file.value.header.title).toBe('Library day');
    const doc = new Y.Doc();
    Y.applyUpdate(doc, file.value.state);
    expect(readWorkshop(doc)).toEqual(readWorkshop(await versionDoc(server, version.id)));
  });

  it('refuses participants, viewers, other rooms’ facilitators and callers without a token, on every route', async () => {
    const clock = { offset: -DAY };
    const server = await startAt(clock);
    const version = await yesterday(server, clock);
    const revoked = await server.links.make({
      room: ROOM,
      role: 'facilitator',
      name: 'Ex',
      ttlSeconds: 3600,
      by: 'server',
    });
    await server.links.revoke(revoked.claims.id, 'server');
    const others = [
      { who: 'no token', bearer: null, status: 401 },
      { who: 'revoked facilitator link', bearer: revoked.token, status: 403 },
      { who: 'participant', bearer: token(server, 'participant', 'Bob'), status: 403 },
      { who: 'viewer', bearer: token(server, 'viewer', 'Vic'), status: 403 },
      {
        who: 'facilitator of another room',
        bearer: token(server, 'facilitator', 'Eve', 'other-room'),
        status: 403,
      },
    ];
    const routes: ['GET' | 'POST', string][] = [
      ['GET', '/versions'],
      ['GET', `/versions/${version.id}`],
      ['GET', `/versions/${version.id}/file`],
      ['POST', `/versions/${version.id}/restore`],
      ['POST', `/versions/${version.id}/copy`],
    ];
    for (const { who, bearer, status } of others) {
      for (const [method, path] of routes) {
        const res = await call(server, method, path, bearer, method === 'POST' ? {} : undefined);
        expect({ who, path, status: res.status }).toEqual({ who, path, status });
        expect(((await res.json()) as { error?: unknown }).error).toEqual(expect.any(String));
      }
    }
    // Nothing was restored or copied: the room still has only its own version, and no copy exists.
    expect((await versions(server)).map((v) => v.trigger).sort()).toEqual(['unload']);
    const organiser = server.organiserToken();
    const listed = (await (
      await fetch(`${server.url}/api/workshops`, { headers: { Authorization: `Bearer ${organiser}` } })
    ).json()) as { workshops: { room: string }[] };
    expect(listed.workshops.map((w) => w.room)).toEqual([ROOM]);
  });

  it('answers an unknown version with 404 and a malformed one with 400, in words', async () => {
    const clock = { offset: 0 };
    const server = await startAt(clock);
    const facilitator = token(server, 'facilitator', 'Alice');
    const unknown = await call(server, 'POST', '/versions/000000000000001-abcdef/restore', facilitator);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      error: 'There is no such version of this workshop.',
      code: 'version-not-found',
    });
    const malformed = await call(server, 'GET', '/versions/..%2F..', facilitator);
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({
      error: 'That is not a version id.',
      code: 'version-id-invalid',
    });
  });
});

describe('who restored a version is told to everyone', () => {
  it('the restore writes into the document who restored which version when: the name the facilitator shows, never one the request names', async () => {
    const clock = { offset: -DAY };
    const server = await startAt(clock);
    const version = await yesterday(server, clock);
    // Alice opened a facilitator link that names nobody and typed her name; Bob is a participant.
    const aliceToken = token(server, 'facilitator', '');
    const alice = bed.connect(server, ROOM, { token: aliceToken });
    const bob = join(server, 'participant', 'Bob');
    await Promise.all([synced(alice), synced(bob)]);
    alice.provider.awareness.setLocalStateField('user', { name: 'Alice' });
    await waitFor('Alice’s name to reach the server', () =>
      (server.rooms.peek(ROOM)?.people() ?? []).some((p) => p.name === 'Alice'),
    );
    expect(readRestoreNotice(bob.doc)).toBeNull();

    const asked = Date.now();
    const res = await call(server, 'POST', `/versions/${version.id}/restore`, aliceToken, { by: 'Mallory' });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { notice?: unknown };
    await until(bob.doc, () => readRestoreNotice(bob.doc) !== null);
    const notice = readRestoreNotice(bob.doc);
    expect(notice).toMatchObject({ id: answer.notice, by: 'Alice', versionTime: version.time });
    expect(notice?.at).toBeGreaterThanOrEqual(asked);
    // Whoever opens the workshop afterwards reads it too.
    const later = join(server, 'participant', 'Cecilia');
    await synced(later);
    expect(readRestoreNotice(later.doc)).toEqual(notice);
  });

  it('names the token’s holder when the facilitator is not connected, and each restore anew', async () => {
    const clock = { offset: -DAY };
    const server = await startAt(clock);
    const version = await yesterday(server, clock);
    const bob = join(server, 'participant', 'Bob');
    await synced(bob);
    const first = await call(
      server,
      'POST',
      `/versions/${version.id}/restore`,
      token(server, 'facilitator', 'Dana'),
    );
    expect(first.status).toBe(200);
    await until(bob.doc, () => readRestoreNotice(bob.doc)?.by === 'Dana');
    const firstId = readRestoreNotice(bob.doc)?.id;
    const second = await call(
      server,
      'POST',
      `/versions/${version.id}/restore`,
      token(server, 'facilitator', 'Eero'),
    );
    expect(second.status).toBe(200);
    await until(bob.doc, () => readRestoreNotice(bob.doc)?.by === 'Eero');
    expect(readRestoreNotice(bob.doc)?.id).not.toBe(firstId);
  });

  it('a version restored as a new workshop does not tell the copy’s people of a restore in the original', async () => {
    const clock = { offset: -DAY };
    const server = await startAt(clock);
    const version = await yesterday(server, clock);
    const alice = token(server, 'facilitator', 'Alice');
    expect((await call(server, 'POST', `/versions/${version.id}/restore`, alice)).status).toBe(200);
    await waitFor('the room to unload', () => server.rooms.size === 0);
    const restored = (await versions(server)).find((v) => v.trigger === 'unload' && v.id !== version.id);
    if (!restored) throw new Error('no version after the restore');
    expect(readRestoreNotice(await versionDoc(server, restored.id))?.by).toBe('Alice');

    const res = await call(server, 'POST', `/versions/${restored.id}/copy`, alice);
    expect(res.status).toBe(201);
    const made = (await res.json()) as { room: string; facilitatorUrl: string };
    const copyToken = decodeURIComponent(/token=([^&]+)/.exec(new URL(made.facilitatorUrl).hash)?.[1] ?? '');
    const copy = bed.connect(server, made.room, { token: copyToken });
    await synced(copy);
    expect(noteTexts(copy.doc)).toEqual([...NOTES].sort());
    expect(readRestoreNotice(copy.doc)).toBeNull();
  });
});
