import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as encoding from 'lib0/encoding';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import type { WebSocket } from 'ws';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { addNote, readWorkshop, TEMPLATE_BOARD_IDS } from '../../shared';
import { CLOSE, MESSAGE, SYNC } from './protocol';
import type { RunningServer } from '../server';
import {
  closeOf,
  joinedSocket,
  rawHttpStatus,
  rawRefusal,
  refused,
  synced,
  TestBed,
  tokenFor,
  until,
  waitFor,
  type TestClient,
  startWorkshop,
  noteTexts,
} from '../test-support';

const ROOM = 'room-l';

const bed = new TestBed();
afterEach(() => bed.cleanUp());

/** A raw socket with a participant token that the room has admitted. */
function participantSocket(server: RunningServer): Promise<WebSocket> {
  return joinedSocket(server, ROOM, tokenFor(server, ROOM));
}

/** Two synced clients sharing a workshop. */
async function twoClients(server: RunningServer): Promise<[TestClient, TestClient]> {
  const a = bed.connect(server, ROOM);
  const b = bed.connect(server, ROOM);
  await Promise.all([synced(a), synced(b)]);
  startWorkshop(a.doc);
  await until(b.doc, () => readWorkshop(b.doc).boards.length === 3);
  return [a, b];
}

/** Both clients still edit, and each sees the other's edit. */
async function stillCollaborating(a: TestClient, b: TestClient, tag: string): Promise<void> {
  expect(addNote(a.doc, TEMPLATE_BOARD_IDS.needs, { text: `${tag} from a` })).not.toBeNull();
  expect(addNote(b.doc, TEMPLATE_BOARD_IDS.needs, { text: `${tag} from b` })).not.toBeNull();
  await until(a.doc, () => noteTexts(a.doc).includes(`${tag} from b`));
  await until(b.doc, () => noteTexts(b.doc).includes(`${tag} from a`));
  expect(noteTexts(a.doc)).toEqual(noteTexts(b.doc));
  expect(a.provider.wsconnected && b.provider.wsconnected).toBe(true);
}

/** The `user` field of a client's awareness state as `observer` sees it. */
function userOf(observer: TestClient, clientId: number): Record<string, unknown> | undefined {
  return observer.provider.awareness.getStates().get(clientId)?.user as Record<string, unknown> | undefined;
}

/** Resolves once `holds` is true of `clientId`'s awareness state as `observer` sees it. */
function awarenessOf(
  observer: TestClient,
  clientId: number,
  holds: (state: Record<string, unknown> | undefined) => boolean,
): Promise<void> {
  const awareness = observer.provider.awareness;
  return new Promise((resolve) => {
    const check = (): void => {
      if (!holds(awareness.getStates().get(clientId))) return;
      awareness.off('change', check);
      resolve();
    };
    awareness.on('change', check);
    check();
  });
}

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

/** A real document update: a workshop with a note. */
function realUpdate(): Uint8Array {
  const doc = new Y.Doc();
  startWorkshop(doc);
  addNote(doc, TEMPLATE_BOARD_IDS.needs, { text: 'a note with some text in it' });
  return Y.encodeStateAsUpdate(doc);
}

function syncUpdateFrame(update: Uint8Array): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MESSAGE.sync);
    encoding.writeVarUint(e, SYNC.update);
    encoding.writeVarUint8Array(e, update);
  });
}

const BAD_FRAMES: { name: string; data: () => Uint8Array }[] = [
  { name: 'garbage bytes', data: () => new Uint8Array(12).fill(0xff) },
  {
    name: 'a sync update frame cut short',
    data: () => {
      const whole = syncUpdateFrame(realUpdate());
      return whole.slice(0, Math.floor(whole.length / 2));
    },
  },
  {
    name: 'a whole frame carrying a Yjs update cut short',
    data: () => {
      const update = realUpdate();
      return syncUpdateFrame(update.slice(0, Math.floor(update.length / 2)));
    },
  },
  { name: 'an unknown message type', data: () => frame((e) => encoding.writeVarUint(e, 9)) },
  {
    name: 'an unknown sync message type',
    data: () =>
      frame((e) => {
        encoding.writeVarUint(e, MESSAGE.sync);
        encoding.writeVarUint(e, 7);
      }),
  },
];

describe('malformed frames', () => {
  it.each(BAD_FRAMES)('$name closes only its sender', async ({ data }) => {
    const server = await bed.start();
    const [a, b] = await twoClients(server);
    const bad = await participantSocket(server);
    const closed = closeOf(bad);
    bad.send(data());
    expect((await closed).code).toBe(CLOSE.malformedFrame);
    expect(server.metrics.closed.get('malformed-frame')).toBe(1);
    await stillCollaborating(a, b, 'after');
    expect(server.rooms.connections).toBe(2);
    // Nothing from the bad frame reached the document.
    expect(noteTexts(a.doc)).toEqual(['after from a', 'after from b']);
  });

  it('applies nothing that the closed client sent after the bad frame', async () => {
    const server = await bed.start();
    const [a, b] = await twoClients(server);
    const bad = await participantSocket(server);
    const closed = closeOf(bad);
    // A valid edit of the shared workshop and a valid awareness state, sent right behind a bad frame.
    const ghost = new Y.Doc();
    Y.applyUpdate(ghost, Y.encodeStateAsUpdate(a.doc));
    const before = Y.encodeStateVector(ghost);
    addNote(ghost, TEMPLATE_BOARD_IDS.needs, { text: 'sent after the bad frame' });
    const ghostAwareness = new Awareness(new Y.Doc());
    ghostAwareness.setLocalState({ user: { name: 'ghost' } });
    bad.send(new Uint8Array(12).fill(0xff));
    bad.send(syncUpdateFrame(Y.encodeStateAsUpdate(ghost, before)));
    bad.send(
      frame((e) => {
        encoding.writeVarUint(e, MESSAGE.awareness);
        encoding.writeVarUint8Array(e, encodeAwarenessUpdate(ghostAwareness, [ghostAwareness.clientID]));
      }),
    );
    expect((await closed).code).toBe(CLOSE.malformedFrame);
    // The server handled every frame of the bad socket before its close completed, and b gets
    // broadcasts in order: once b has a's next note, it would have had anything before it.
    await stillCollaborating(a, b, 'after');
    expect(noteTexts(b.doc)).toEqual(['after from a', 'after from b']);
    expect(b.provider.awareness.getStates().has(ghostAwareness.clientID)).toBe(false);
    expect(server.rooms.peek(ROOM)?.awareness.getStates().has(ghostAwareness.clientID)).toBe(false);
    expect(server.metrics.closed.get('malformed-frame')).toBe(1);
    ghostAwareness.destroy();
  });

  it('closes a text frame as malformed', async () => {
    const server = await bed.start();
    const bad = await participantSocket(server);
    const closed = closeOf(bad);
    bad.send('{"type":"sync"}');
    expect((await closed).code).toBe(CLOSE.malformedFrame);
  });
});

describe('limits', () => {
  it('closes a frame over the size limit with tooLarge, and only that sender', async () => {
    const server = await bed.start({ limits: { maxMessageBytes: 1024 } });
    const [a, b] = await twoClients(server);
    const bad = await participantSocket(server);
    const closed = closeOf(bad);
    bad.send(new Uint8Array(1500).fill(MESSAGE.queryAwareness));
    expect((await closed).code).toBe(CLOSE.tooLarge);
    await stillCollaborating(a, b, 'after');
  });

  // #10, finding 8: a burst is slowed down, not cut; stock y-websocket never reconnects after 44xx.
  it('applies and relays a burst of 2,000 single-key updates from a stock client, slowed, never closed', async () => {
    const server = await bed.start();
    const [writer, reader] = await twoClients(server);
    const closes: number[] = [];
    writer.provider.on('connection-close', (event: CloseEvent | null) => closes.push(event?.code ?? 0));
    const keys = writer.doc.getMap('burst');
    // Outside a transaction: every set is its own update message.
    for (let i = 0; i < 2000; i++) keys.set(`k${i}`, i);
    await until(reader.doc, () => reader.doc.getMap('burst').size === 2000);
    expect(closes).toEqual([]);
    expect(server.metrics.closed.size).toBe(0);
    await stillCollaborating(writer, reader, 'after the burst');
  });

  it('slows a flood within its backlog, and closes one beyond it with tryAgainLater (1013)', async () => {
    const server = await bed.start({
      limits: { messagesPerSecond: 5, messageBurst: 10, maxBacklogBytes: 200 },
    });
    const slowed = await participantSocket(server);
    let closedEarly = false;
    slowed.on('close', () => (closedEarly = true));
    const before = server.metrics.messagesIn;
    for (let i = 0; i < 30; i++) slowed.send(new Uint8Array([MESSAGE.queryAwareness]));
    // 20 frames over the burst wait in the backlog (20 bytes) and are handled in time.
    await waitFor('the slowed frames handled', () => server.metrics.messagesIn - before === 30);
    expect(closedEarly).toBe(false);
    const flooding = await participantSocket(server);
    const closed = closeOf(flooding);
    for (let i = 0; i < 40; i++) flooding.send(new Uint8Array(20).fill(MESSAGE.queryAwareness));
    expect((await closed).code).toBe(CLOSE.tryAgainLater);
    expect(server.metrics.closed.get('backlog-full')).toBe(1);
  });

  it('refuses a connection beyond the room’s limit with roomFull, before any frame', async () => {
    const server = await bed.start({ limits: { connectionsPerRoom: 2, facilitatorReserve: 0 } });
    const [a, b] = await twoClients(server);
    expect(await rawRefusal(server, ROOM, tokenFor(server, ROOM))).toMatchObject({
      code: CLOSE.roomFull,
      framesBefore: 0,
    });
    expect(server.metrics.rejected.get('room-full')).toBe(1);
    // Another room is not affected.
    const elsewhere = bed.connect(server, 'room-other');
    await synced(elsewhere);
    await stillCollaborating(a, b, 'full');
  });

  it('closes a client whose awareness state is too large; the others never see it', async () => {
    const server = await bed.start({ limits: { maxAwarenessBytes: 1024 } });
    const [a, b] = await twoClients(server);
    const aId = a.doc.clientID;
    const namesSeenByB = new Set<unknown>();
    b.provider.awareness.on('change', () => namesSeenByB.add(userOf(b, aId)?.name));
    a.provider.awareness.setLocalStateField('user', { name: 'Aino' });
    await awarenessOf(b, aId, (state) => state !== undefined);

    const closed = refused(a);
    const gone = awarenessOf(b, aId, (state) => state === undefined);
    a.provider.awareness.setLocalStateField('user', { name: 'x'.repeat(2000) });
    expect((await closed).code).toBe(CLOSE.tooLarge);
    expect(server.metrics.closed.get('too-large')).toBe(1);
    // The server removes a's state when it closes a; b saw nothing of a in between.
    await gone;
    expect([...namesSeenByB]).toEqual(['Aino', undefined]);
    const c = bed.connect(server, ROOM);
    await synced(c);
    await stillCollaborating(c, b, 'after');
  });
});

describe('one link cannot fill a room (#10, finding 4)', () => {
  it('refuses connections beyond the limit of one link, and lets other links in', async () => {
    const server = await bed.start({ limits: { connectionsPerToken: 3 } });
    const link = tokenFor(server, ROOM, 'viewer');
    const sockets = await Promise.all([0, 1, 2].map(() => joinedSocket(server, ROOM, link)));
    expect(await rawRefusal(server, ROOM, link)).toMatchObject({
      code: CLOSE.tryAgainLater,
      framesBefore: 0,
    });
    expect(server.metrics.rejected.get('token-connections')).toBe(1);
    // Another link is not affected, and a closed connection frees its place.
    await joinedSocket(server, ROOM, tokenFor(server, ROOM, 'participant'));
    const first = sockets[0] as WebSocket;
    const gone = closeOf(first);
    first.close();
    await gone;
    await waitFor('the place freed', () => server.rooms.peek(ROOM)?.size === 3);
    await joinedSocket(server, ROOM, link);
  });

  it('refuses connections beyond the limit of one address', async () => {
    const server = await bed.start({ limits: { connectionsPerAddress: 2 } });
    await joinedSocket(server, ROOM, tokenFor(server, ROOM, 'viewer'));
    await joinedSocket(server, ROOM, tokenFor(server, ROOM, 'participant'));
    expect(await rawRefusal(server, ROOM, tokenFor(server, ROOM, 'participant'))).toMatchObject({
      code: CLOSE.tryAgainLater,
      framesBefore: 0,
    });
    expect(server.metrics.rejected.get('address-connections')).toBe(1);
  });

  it('keeps places for facilitators in a full room', async () => {
    const server = await bed.start({ limits: { connectionsPerRoom: 4, facilitatorReserve: 1 } });
    for (let i = 0; i < 3; i++) await joinedSocket(server, ROOM, tokenFor(server, ROOM, 'viewer'));
    expect(await rawRefusal(server, ROOM, tokenFor(server, ROOM, 'participant'))).toMatchObject({
      code: CLOSE.roomFull,
    });
    await joinedSocket(server, ROOM, tokenFor(server, ROOM, 'facilitator'));
    expect(await rawRefusal(server, ROOM, tokenFor(server, ROOM, 'facilitator'))).toMatchObject({
      code: CLOSE.roomFull,
    });
  });
});

describe('awareness belongs to its connection (#10, finding 4)', () => {
  /** An awareness frame carrying `states` (client id → state), each at clock `clock`. */
  function awarenessFrameOf(states: ReadonlyMap<number, unknown>, clock: number): Uint8Array {
    return frame((e) => {
      encoding.writeVarUint(e, MESSAGE.awareness);
      const update = encoding.createEncoder();
      encoding.writeVarUint(update, states.size);
      for (const [id, state] of states) {
        encoding.writeVarUint(update, id);
        encoding.writeVarUint(update, clock);
        encoding.writeVarString(update, JSON.stringify(state));
      }
      encoding.writeVarUint8Array(e, encoding.toUint8Array(update));
    });
  }

  it("keeps a facilitator's presence when another connection claims its client id", async () => {
    const server = await bed.start();
    const [facilitator, observer] = await twoClients(server);
    const id = facilitator.doc.clientID;
    facilitator.provider.awareness.setLocalStateField('user', { name: 'Aino', role: 'facilitator' });
    await awarenessOf(
      observer,
      id,
      (state) => (state?.user as { name?: string } | undefined)?.name === 'Aino',
    );

    const impostor = await participantSocket(server);
    impostor.send(
      awarenessFrameOf(new Map([[id, { user: { name: 'Mallory', role: 'facilitator' } }]]), 1000),
    );
    // The impostor's own presence, sent after, does arrive: the frame before it was handled.
    const own = 4242;
    impostor.send(awarenessFrameOf(new Map([[own, { user: { name: 'Mallory' } }]]), 1));
    await awarenessOf(observer, own, (state) => state !== undefined);
    expect(userOf(observer, id)).toEqual({ name: 'Aino', role: 'facilitator' });
    expect(server.rooms.peek(ROOM)?.awareness.getStates().get(id)?.user).toEqual({
      name: 'Aino',
      role: 'facilitator',
    });
  });

  it('relays at most four states of one connection, however many one frame carries', async () => {
    const server = await bed.start();
    const [a, b] = await twoClients(server);
    const flooding = await participantSocket(server);
    const many = new Map<number, unknown>(
      Array.from({ length: 500 }, (_, i) => [1_000_000 + i, { user: { name: `p${i}` } }]),
    );
    flooding.send(awarenessFrameOf(many, 1));
    // A frame after it shows it was handled: the flooder's fifth id is no more its own than the 500th.
    flooding.send(awarenessFrameOf(new Map([[1_000_004, { user: { name: 'again' } }]]), 2));
    await awarenessOf(b, 1_000_003, (state) => state !== undefined);
    const held = [...(server.rooms.peek(ROOM)?.awareness.getStates().keys() ?? [])].filter(
      (id) => id >= 1_000_000,
    );
    expect(held.sort()).toEqual([1_000_000, 1_000_001, 1_000_002, 1_000_003]);
    expect(b.provider.awareness.getStates().has(1_000_004)).toBe(false);
    await stillCollaborating(a, b, 'after the flood');
  });

  it("keeps stock clients that echo everyone's states back connected", async () => {
    const server = await bed.start();
    const clients = Array.from({ length: 8 }, () => bed.connect(server, ROOM));
    await Promise.all(clients.map(synced));
    clients.forEach((c, i) => c.provider.awareness.setLocalStateField('user', { name: `p${i}` }));
    const last = clients.at(-1) as TestClient;
    for (const c of clients) await awarenessOf(last, c.doc.clientID, (state) => state !== undefined);
    expect(server.metrics.closed.size).toBe(0);
    expect(clients.every((c) => c.provider.wsconnected)).toBe(true);
  });
});

describe('awareness and many clients', () => {
  it('removes the awareness of a client that dropped, for everyone else', async () => {
    const server = await bed.start();
    const [a, b] = await twoClients(server);
    const aId = a.doc.clientID;
    a.provider.awareness.setLocalStateField('user', { name: 'Aino', colour: 'teal' });
    await awarenessOf(b, aId, (state) => state !== undefined);
    expect(userOf(b, aId)).toEqual({ name: 'Aino', colour: 'teal' });

    // destroy() closes the socket without a goodbye in awareness: the server must say a left.
    const gone = awarenessOf(b, aId, (state) => state === undefined);
    a.provider.destroy();
    await gone;
    expect(server.rooms.peek(ROOM)?.awareness.getStates().has(aId)).toBe(false);
    // A client joining now does not see a either.
    const c = bed.connect(server, ROOM);
    await synced(c);
    expect(c.provider.awareness.getStates().has(aId)).toBe(false);
  });

  it('fifty clients in one room, each editing, all converge to the same state', async () => {
    const server = await bed.start();
    // Each stock provider in Node listens for the process's 'exit': 50 of them are expected here.
    process.setMaxListeners(process.getMaxListeners() + 50);
    onTestFinished(() => {
      process.setMaxListeners(process.getMaxListeners() - 50);
    });
    const clients = Array.from({ length: 50 }, () => bed.connect(server, ROOM));
    await Promise.all(clients.map(synced));
    const [first] = clients as [TestClient];
    startWorkshop(first.doc);
    await Promise.all(clients.map((c) => until(c.doc, () => readWorkshop(c.doc).boards.length === 3)));
    clients.forEach((c, i) => addNote(c.doc, TEMPLATE_BOARD_IDS.needs, { text: `note ${i}` }));
    await Promise.all(clients.map((c) => until(c.doc, () => readWorkshop(c.doc).notes.length === 50)));
    const expected = readWorkshop(first.doc);
    expect(new Set(expected.notes.map((n) => n.text)).size).toBe(50);
    for (const c of clients) expect(readWorkshop(c.doc)).toEqual(expected);
    expect(server.rooms.connections).toBe(50);
  });
});

describe('requests that cannot be parsed', () => {
  it('answers odd request targets with a status, and keeps serving', async () => {
    const staticDir = bed.dir();
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Talkoo</title>');
    const server = await bed.start({ staticDir });
    // Broken percent-encoding, and targets that are no URL path at all: before, each of these
    // threw in a request handler, which takes down a server process.
    const cases: [string, { upgrade: number; get: number }][] = [
      ['/%E0%A4%A', { upgrade: 400, get: 200 }],
      ['/%', { upgrade: 400, get: 200 }],
      ['//', { upgrade: 400, get: 400 }],
      ['//[::1', { upgrade: 400, get: 400 }],
    ];
    for (const [target, expected] of cases) {
      expect({ target, upgrade: await rawHttpStatus(server, target, true) }).toEqual({
        target,
        upgrade: expected.upgrade,
      });
      expect({ target, get: await rawHttpStatus(server, target) }).toEqual({ target, get: expected.get });
    }
    expect(server.metrics.rejected.get('bad-room-name')).toBe(cases.length);
    const client = bed.connect(server, ROOM);
    await synced(client);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
