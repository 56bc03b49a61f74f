import { afterEach, describe, expect, it } from 'vitest';
import { addNote, createWorkshop, readWorkshop, TEMPLATE_BOARD_IDS } from '../shared';
import { CLOSE } from './wire/protocol';
import type { RunningServer } from './server';
import {
  closeOf,
  connectClient,
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
});
