import * as encoding from 'lib0/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addNote, createWorkshop, deleteNotes, readWorkshop, TEMPLATE_BOARD_IDS } from '../shared';
import { CLOSE, MESSAGE, SYNC } from './wire/protocol';
import type { RunningServer } from './server';
import {
  closeOf,
  connectClient,
  noteTexts,
  rawSocket,
  startTestServer,
  synced,
  tokenFor,
  until,
  type TestClient,
} from './test-support';

let server: RunningServer | undefined;
const clients: TestClient[] = [];

afterEach(async () => {
  clients.splice(0).forEach((c) => c.provider.destroy());
  await server?.close();
  server = undefined;
});

function connect(
  s: RunningServer,
  room: string,
  role: 'facilitator' | 'participant' | 'viewer' = 'facilitator',
): TestClient {
  const client = connectClient(s, room, tokenFor(s, room, role));
  clients.push(client);
  return client;
}

describe('collab server rooms', () => {
  it('two stock y-websocket clients converge through a room', async () => {
    server = await startTestServer();
    const a = connect(server, 'room-1');
    const b = connect(server, 'room-1');
    await Promise.all([synced(a), synced(b)]);
    createWorkshop(a.doc, {
      title: 'Shared',
      language: 'en',
      boardTitles: { needs: 'Needs', themes: 'Themes', actions: 'Actions' },
    });
    await until(b.doc, () => readWorkshop(b.doc).boards.length === 3);
    addNote(b.doc, TEMPLATE_BOARD_IDS.needs, { text: 'from b' });
    await until(a.doc, () => readWorkshop(a.doc).notes.length === 1);
    expect(readWorkshop(a.doc)).toEqual(readWorkshop(b.doc));
  });

  it('serves the example workshops as rooms', async () => {
    server = await startTestServer({ examples: true });
    const client = connect(server, 'example-voru-et');
    await synced(client);
    expect(readWorkshop(client.doc).meta.title).toBe('Loov Võru maakond – koosloome töötuba');
  });

  it('closes only the sender of a malformed frame', async () => {
    server = await startTestServer();
    const good = connect(server, 'room-2');
    await synced(good);
    const bad = await rawSocket(server, 'room-2', tokenFor(server, 'room-2'));
    const closed = closeOf(bad);
    bad.send(new Uint8Array([0, 2, 0xff, 0xff, 0xff]));
    expect((await closed).code).toBe(CLOSE.malformedFrame);
    createWorkshop(good.doc, {
      title: 'Still here',
      language: 'en',
      boardTitles: { needs: 'N', themes: 'T', actions: 'A' },
    });
    const other = connect(server, 'room-2');
    await synced(other);
    await until(other.doc, () => readWorkshop(other.doc).meta.title === 'Still here');
    expect(good.provider.wsconnected).toBe(true);
  });

  it("refuses whole a facilitator's update cut off in its deletions: nothing of it is applied or relayed", async () => {
    server = await startTestServer();
    const good = connect(server, 'room-3');
    await synced(good);
    createWorkshop(good.doc, {
      title: 'Cut',
      language: 'en',
      boardTitles: { needs: 'N', themes: 'T', actions: 'A' },
    });
    const doomed = addNote(good.doc, TEMPLATE_BOARD_IDS.needs, { text: 'deleted by the cut update' });
    if (!doomed) throw new Error('no needs board');
    addNote(good.doc, TEMPLATE_BOARD_IDS.needs, { text: 'kept' });
    const watcher = connect(server, 'room-3');
    await until(watcher.doc, () => noteTexts(watcher.doc).length === 2);
    // Someone's offline copy adds a note and deletes one; its update loses its last byte, which
    // belongs to the deletions (Yjs applies new items before it reads those).
    const offline = new Y.Doc();
    Y.applyUpdate(offline, Y.encodeStateAsUpdate(good.doc));
    const before = Y.encodeStateVector(offline);
    addNote(offline, TEMPLATE_BOARD_IDS.needs, { text: 'added by the cut update' });
    deleteNotes(offline, [doomed]);
    const update = Y.encodeStateAsUpdate(offline, before);
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE.sync);
    encoding.writeVarUint(encoder, SYNC.update);
    encoding.writeVarUint8Array(encoder, update.subarray(0, update.length - 1));
    const bad = await rawSocket(server, 'room-3', tokenFor(server, 'room-3'));
    const closed = closeOf(bad);
    bad.send(encoding.toUint8Array(encoder));
    expect((await closed).code).toBe(CLOSE.malformedFrame);
    const late = connect(server, 'room-3');
    await synced(late);
    expect(noteTexts(late.doc)).toEqual(['deleted by the cut update', 'kept']);
    expect(noteTexts(watcher.doc)).toEqual(['deleted by the cut update', 'kept']);
  });
});
