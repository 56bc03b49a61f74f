import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { addNote, createWorkshop, readWorkshop, TEMPLATE_BOARD_IDS } from '../shared';
import { CLOSE } from './protocol';
import { startServer, type RunningServer } from './server';

let server: RunningServer | undefined;
const providers: WebsocketProvider[] = [];

afterEach(async () => {
  providers.splice(0).forEach((p) => p.destroy());
  await server?.close();
  server = undefined;
});

function connect(url: string, room: string): { doc: Y.Doc; provider: WebsocketProvider } {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(url.replace('http', 'ws'), room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
  });
  providers.push(provider);
  return { doc, provider };
}

function synced(provider: WebsocketProvider): Promise<void> {
  return provider.synced
    ? Promise.resolve()
    : new Promise((resolve) => provider.once('sync', () => resolve()));
}

function until(doc: Y.Doc, predicate: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (predicate()) return resolve();
    const check = (): void => {
      if (!predicate()) return;
      doc.off('update', check);
      resolve();
    };
    doc.on('update', check);
  });
}

describe('collab server (in memory)', () => {
  it('two stock y-websocket clients converge through a room', async () => {
    server = await startServer({ port: 0 });
    const a = connect(server.url, 'room-1');
    const b = connect(server.url, 'room-1');
    await Promise.all([synced(a.provider), synced(b.provider)]);
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
    server = await startServer({ port: 0, examples: true });
    const rooms = (await (await fetch(`${server.url}/api/rooms`)).json()) as { rooms: { name: string }[] };
    expect(rooms.rooms.map((r) => r.name)).toContain('example-voru-et');
    const client = connect(server.url, 'example-voru-et');
    await synced(client.provider);
    expect(readWorkshop(client.doc).meta.title).toBe('Loov Võru maakond – koosloome töötuba');
  });

  it('closes only the sender of a malformed frame', async () => {
    server = await startServer({ port: 0 });
    const good = connect(server.url, 'room-2');
    await synced(good.provider);
    const bad = new WebSocket(`${server.url.replace('http', 'ws')}/room-2`);
    await new Promise((resolve) => bad.once('open', resolve));
    const closed = new Promise<number>((resolve) => bad.once('close', (code) => resolve(code)));
    bad.send(new Uint8Array([0, 2, 0xff, 0xff, 0xff]));
    expect(await closed).toBe(CLOSE.malformedFrame);
    createWorkshop(good.doc, {
      title: 'Still here',
      language: 'en',
      boardTitles: { needs: 'N', themes: 'T', actions: 'A' },
    });
    const other = connect(server.url, 'room-2');
    await synced(other.provider);
    await until(other.doc, () => readWorkshop(other.doc).meta.title === 'Still here');
    expect(good.provider.wsconnected).toBe(true);
  });
});
