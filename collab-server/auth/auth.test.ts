import { afterEach, describe, expect, it } from 'vitest';
import { addNote, readWorkshop, TEMPLATE_BOARD_IDS } from '../../shared';
import { CLOSE, PERMANENT_CLOSE_CODES } from '../wire/protocol';
import type { RunningServer } from '../server';
import {
  passedThrough,
  rawRefusal,
  refused,
  synced,
  TestBed,
  tokenFor,
  until,
  startWorkshop,
  noteTexts,
} from '../test-support';
import { newSigningKey, signToken } from './tokens';

const bed = new TestBed();
afterEach(() => bed.cleanUp());

const ROOM = 'room-a';

/** Each way a token can be wrong, with the token text, the close code and the metric reason. */
function badTokens(server: RunningServer): { name: string; token: string | null; code: number }[] {
  const viewer = tokenFor(server, ROOM, 'viewer');
  const [body, signature] = viewer.split('.') as [string, string];
  const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
  const promoted = Buffer.from(JSON.stringify({ ...claims, role: 'facilitator' })).toString('base64url');
  return [
    { name: 'missing', token: null, code: CLOSE.tokenMissing },
    { name: 'malformed', token: 'hello-there', code: CLOSE.tokenMalformed },
    {
      name: 'forged',
      token: signToken(newSigningKey(), { room: ROOM, role: 'facilitator', ttlSeconds: 3600 }),
      code: CLOSE.tokenForged,
    },
    { name: 'forged', token: `${promoted}.${signature}`, code: CLOSE.tokenForged },
    {
      name: 'expired',
      token: signToken(server.signingKey, {
        room: ROOM,
        role: 'participant',
        ttlSeconds: 60,
        now: Date.now() - 3600_000,
      }),
      code: CLOSE.tokenExpired,
    },
    { name: 'wrong-room', token: tokenFor(server, 'room-b', 'facilitator'), code: CLOSE.tokenWrongRoom },
    {
      name: 'wrong-role',
      token: signToken(server.signingKey, { room: null, role: 'organiser', ttlSeconds: 3600 }),
      code: CLOSE.tokenWrongRole,
    },
  ];
}

describe('joining a room with a bad token', () => {
  it('closes each bad token with its own code before any document byte is sent', async () => {
    const server = await bed.start();
    // The room is loaded and has content, so a wrongly admitted socket would get frames at once.
    const owner = bed.connect(server, ROOM, 'facilitator');
    await synced(owner);
    startWorkshop(owner.doc, 'Secret plans');

    for (const { name, token, code } of badTokens(server)) {
      const before = server.metrics.rejected.get(`token-${name}`) ?? 0;
      const result = await rawRefusal(server, ROOM, token);
      expect({ name, ...result }).toEqual({
        name,
        code,
        reason: `token ${name}`,
        framesBefore: 0,
      });
      expect(server.metrics.rejected.get(`token-${name}`)).toBe(before + 1);
    }
    expect(server.rooms.connections).toBe(1);
  });

  it('every token refusal is a permanent close code', () => {
    const codes = [
      CLOSE.tokenMissing,
      CLOSE.tokenMalformed,
      CLOSE.tokenForged,
      CLOSE.tokenExpired,
      CLOSE.tokenWrongRoom,
      CLOSE.tokenWrongRole,
    ];
    expect(codes.filter((code) => !PERMANENT_CLOSE_CODES.has(code))).toEqual([]);
  });

  it('a stock client refused with a permanent code stops and does not retry', async () => {
    const server = await bed.start();
    const cases = badTokens(server);
    const clients = cases.map(({ token }) => bed.connect(server, ROOM, { token }));
    const closes = await Promise.all(clients.map(refused));
    expect(closes.map((c) => c.code)).toEqual(cases.map((c) => c.code));
    const attempts = new Map(server.metrics.rejected);
    expect([...attempts.values()].reduce((a, b) => a + b, 0)).toBe(cases.length);

    // Nothing should happen now, so wait a bounded time: y-websocket retries after 200, 400 and
    // 800 ms, so a client that kept retrying would be refused again within 1.5 s.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(new Map(server.metrics.rejected)).toEqual(attempts);
    expect(clients.every((c) => !c.provider.wsconnected && !c.provider.shouldConnect)).toBe(true);
  });
});

describe('viewers', () => {
  it('receive the document and others’ edits, but their own edits reach nobody and are not stored', async () => {
    const dataDir = bed.dir();
    const server = await bed.start({ dataDir });
    // A facilitator writes the workshop (a participant may not write its meta or boards).
    const participant = bed.connect(server, ROOM, 'facilitator');
    await synced(participant);
    startWorkshop(participant.doc, 'Read only for some');
    addNote(participant.doc, TEMPLATE_BOARD_IDS.needs, { text: 'before the viewer' });

    const viewer = bed.connect(server, ROOM, 'viewer');
    await synced(viewer);
    await until(viewer.doc, () => noteTexts(viewer.doc).length === 1);
    expect(readWorkshop(viewer.doc).meta.title).toBe('Read only for some');

    addNote(participant.doc, TEMPLATE_BOARD_IDS.needs, { text: 'while the viewer watches' });
    await until(viewer.doc, () => noteTexts(viewer.doc).length === 2);

    const droppedBefore = server.metrics.viewerUpdatesDropped;
    addNote(viewer.doc, TEMPLATE_BOARD_IDS.needs, { text: 'viewer note 1' });
    addNote(viewer.doc, TEMPLATE_BOARD_IDS.needs, { text: 'viewer note 2' });
    // The viewer's awareness (which viewers may share) reaches the participant after the two
    // edits went through the server, so by now they were handled.
    await passedThrough(viewer, participant);
    expect(server.metrics.viewerUpdatesDropped).toBe(droppedBefore + 2);
    expect(noteTexts(participant.doc)).toEqual(['before the viewer', 'while the viewer watches']);

    const latecomer = bed.connect(server, ROOM, 'participant');
    await synced(latecomer);
    expect(noteTexts(latecomer.doc)).toEqual(['before the viewer', 'while the viewer watches']);

    viewer.provider.destroy();
    await bed.stop(server);
    const restarted = await bed.start({ dataDir });
    const reader = bed.connect(restarted, ROOM, 'participant');
    await synced(reader);
    expect(readWorkshop(reader.doc).meta.title).toBe('Read only for some');
    expect(noteTexts(reader.doc)).toEqual(['before the viewer', 'while the viewer watches']);
  });
});
