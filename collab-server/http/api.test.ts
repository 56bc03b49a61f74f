import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addNote, createWorkshop, readWorkshop, setNoteText, TEMPLATE_BOARD_IDS } from '../../shared';
import { MAX_IMPORT_BYTES } from './api';
import { jsonLogger } from '../log';
import { CLOSE } from '../wire/protocol';
import { SERVER_VERSION, type RunningServer } from '../server';
import {
  apiCall as api,
  importWorkshop,
  passedThrough,
  rawRefusal,
  synced,
  TestBed,
  tokenFor,
  until,
  type ApiReply,
  type TestClient,
  noteTexts,
} from '../test-support';
import { newSigningKey, signToken } from '../auth/tokens';

const bed = new TestBed();
afterEach(() => bed.cleanUp());

/** The organiser token inside the server's organiser login link. */
function organiserToken(server: RunningServer): string {
  const link = new URL(server.organiserLink());
  return new URLSearchParams(link.hash.slice(link.hash.indexOf('?'))).get('organiser') ?? '';
}

/** The room and token of a join link (`…/#/w/ROOM?token=…`). */
function fromJoinUrl(url: unknown): { room: string; token: string } {
  const hash = new URL(String(url)).hash;
  const match = /^#\/w\/([^?]+)\?token=(.+)$/.exec(hash);
  if (!match?.[1] || !match[2]) throw new Error(`not a join link: ${String(url)}`);
  return { room: decodeURIComponent(match[1]), token: decodeURIComponent(match[2]) };
}

async function join(server: RunningServer, link: { room: string; token: string }): Promise<TestClient> {
  const client = bed.connect(server, link.room, { token: link.token });
  await synced(client);
  return client;
}

describe('workshops and links', () => {
  it('an organiser creates a workshop; its facilitator link opens the room with its content', async () => {
    const server = await bed.start();
    const created = await api(server, 'POST', '/api/workshops', organiserToken(server), {
      title: 'Kevätseminaari',
      language: 'fi',
    });
    expect(created).toMatchObject({ status: 201, body: { title: 'Kevätseminaari' } });
    const link = fromJoinUrl(created.body.facilitatorUrl);
    expect(link).toEqual({ room: created.body.room, token: created.body.facilitatorToken });
    expect(link.room).toMatch(/^w-[0-9a-f-]{36}$/);

    const facilitator = await join(server, link);
    const workshop = readWorkshop(facilitator.doc);
    expect(workshop.meta).toMatchObject({ title: 'Kevätseminaari', language: 'fi' });
    expect(workshop.boards.map((b) => b.kind)).toEqual(['needs', 'themes', 'actions']);
  });

  it('an organiser creates a workshop from an example and lists the workshops', async () => {
    const server = await bed.start();
    const organiser = organiserToken(server);
    const plain = await api(server, 'POST', '/api/workshops', organiser, { title: 'Plain', language: 'en' });
    const example = await api(server, 'POST', '/api/workshops', organiser, { example: 'example-voru-et' });
    expect(example).toMatchObject({
      status: 201,
      body: { title: 'Loov Võru maakond – koosloome töötuba' },
    });
    const facilitator = await join(server, fromJoinUrl(example.body.facilitatorUrl));
    expect(readWorkshop(facilitator.doc).meta.title).toBe('Loov Võru maakond – koosloome töötuba');
    expect(readWorkshop(facilitator.doc).notes.length).toBeGreaterThan(0);

    const listed = await api(server, 'GET', '/api/workshops', organiser);
    expect(listed.status).toBe(200);
    const workshops = listed.body.workshops as Record<string, unknown>[];
    expect(workshops.map(({ room, title, language }) => ({ room, title, language }))).toEqual(
      expect.arrayContaining([
        { room: plain.body.room, title: 'Plain', language: 'en' },
        { room: example.body.room, title: 'Loov Võru maakond – koosloome töötuba', language: 'et' },
      ]),
    );
    expect(workshops).toHaveLength(2);
    // Each listed link opens its room.
    for (const w of workshops) expect(fromJoinUrl(w.facilitatorUrl).room).toBe(w.room);
    const again = await join(
      server,
      fromJoinUrl(workshops.find((w) => w.room === plain.body.room)?.facilitatorUrl),
    );
    expect(readWorkshop(again.doc).meta.title).toBe('Plain');
  });

  it('a facilitator makes participant and viewer links that join with those roles', async () => {
    const server = await bed.start();
    const created = await api(server, 'POST', '/api/workshops', organiserToken(server), {
      title: 'Roles',
      language: 'en',
    });
    const room = String(created.body.room);
    const facilitatorToken = String(created.body.facilitatorToken);
    const facilitator = await join(server, { room, token: facilitatorToken });

    const path = `/api/workshops/${room}/links`;
    const participantLink = await api(server, 'POST', path, facilitatorToken, {
      role: 'participant',
      name: 'Aino',
      ttl: '2h',
    });
    expect(participantLink).toMatchObject({ status: 201, body: { role: 'participant' } });
    const expires = Date.parse(String(participantLink.body.expires));
    expect(Math.abs(expires - (Date.now() + 2 * 3600_000))).toBeLessThan(60_000);
    const viewerLink = await api(server, 'POST', path, facilitatorToken, { role: 'viewer' });
    expect(viewerLink).toMatchObject({ status: 201, body: { role: 'viewer' } });

    const participant = await join(server, fromJoinUrl(participantLink.body.url));
    const viewer = await join(server, fromJoinUrl(viewerLink.body.url));
    expect(fromJoinUrl(viewerLink.body.url).token).toBe(viewerLink.body.token);

    // The participant's change reaches everyone; the viewer's does not.
    const note = addNote(facilitator.doc, TEMPLATE_BOARD_IDS.needs, { text: 'from the facilitator' })!;
    await until(participant.doc, () => noteTexts(participant.doc).length === 1);
    setNoteText(participant.doc, note, 'from the participant');
    await until(viewer.doc, () => noteTexts(viewer.doc)[0] === 'from the participant');
    addNote(viewer.doc, TEMPLATE_BOARD_IDS.needs, { text: 'from the viewer' });
    await passedThrough(viewer, facilitator);
    expect(noteTexts(facilitator.doc)).toEqual(['from the participant']);
    expect(server.metrics.viewerUpdatesDropped).toBeGreaterThan(0);
  });
});

describe('importing a workshop file', () => {
  it('makes a new room of a workshop state, with everything in it', async () => {
    const server = await bed.start();
    const original = new Y.Doc();
    createWorkshop(original, {
      title: 'Talvityöpaja',
      language: 'fi',
      boardTitles: { needs: 'Tarpeet', themes: 'Teemat', actions: 'Toimenpiteet' },
    });
    addNote(original, TEMPLATE_BOARD_IDS.needs, { text: 'Junassa kirjoitettu' });
    const imported = await importWorkshop(server, organiserToken(server), Y.encodeStateAsUpdate(original));
    expect(imported).toMatchObject({ status: 201, body: { title: 'Talvityöpaja' } });

    const facilitator = await join(server, fromJoinUrl(imported.body.facilitatorUrl));
    expect(noteTexts(facilitator.doc)).toEqual(['Junassa kirjoitettu']);
    const listed = await api(server, 'GET', '/api/workshops', organiserToken(server));
    expect(JSON.stringify(listed.body)).toContain('Talvityöpaja');
  });

  it('refuses what is not a workshop, and callers that are not organisers', async () => {
    const server = await bed.start();
    const organiser = organiserToken(server);
    const garbage = new Uint8Array([0xff, 0x00, 0x13, 0x37, 0x42]);
    expect(await importWorkshop(server, organiser, garbage)).toEqual({
      status: 400,
      body: {
        error: expect.stringMatching(/^This is not a Talkoo workshop/) as unknown,
        code: 'import-unreadable',
      },
    });
    expect(await importWorkshop(server, organiser, Y.encodeStateAsUpdate(new Y.Doc()))).toEqual({
      status: 400,
      body: { error: 'This is not a Talkoo workshop: it has no boards.', code: 'import-no-boards' },
    });
    expect((await importWorkshop(server, null, garbage)).status).toBe(401);
    const tooBig = new Uint8Array(MAX_IMPORT_BYTES + 1);
    expect(await importWorkshop(server, organiser, tooBig)).toEqual({
      status: 413,
      body: {
        error: `The request body is larger than ${MAX_IMPORT_BYTES} bytes.`,
        code: 'body-too-large',
        max: MAX_IMPORT_BYTES,
      },
    });
    expect((await api(server, 'GET', '/api/workshops', organiser)).body).toEqual({ workshops: [] });
  });
});

describe('calls from other origins (the desktop app runs from file://)', () => {
  it('answers the preflight and marks every API reply as readable by any origin', async () => {
    const server = await bed.start();
    const preflight = await fetch(`${server.url}/api/workshops`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'null',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization, content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    expect(preflight.headers.get('access-control-allow-methods')).toMatch(/POST/);

    const listed = await fetch(`${server.url}/api/workshops`, {
      headers: { Origin: 'null', Authorization: `Bearer ${organiserToken(server)}` },
    });
    expect(listed.status).toBe(200);
    expect(listed.headers.get('access-control-allow-origin')).toBe('*');
    const refused = await fetch(`${server.url}/api/workshops`, { headers: { Origin: 'null' } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('API refusals', () => {
  it('says what is wrong, with the right status', async () => {
    const server = await bed.start();
    const organiser = organiserToken(server);
    const created = await api(server, 'POST', '/api/workshops', organiser, { title: 'T', language: 'en' });
    const room = String(created.body.room);
    const facilitator = String(created.body.facilitatorToken);
    const links = `/api/workshops/${room}/links`;
    const forged = signToken(newSigningKey(), { room: null, role: 'organiser', ttlSeconds: 60 });

    const cases: [string, Promise<ApiReply>, number, string | RegExp][] = [
      ['no token', api(server, 'GET', '/api/workshops', null), 401, /needs a token/],
      ['no token for links', api(server, 'POST', links, null, { role: 'viewer' }), 401, /needs a token/],
      ['forged organiser', api(server, 'GET', '/api/workshops', forged), 403, /not signed by this server/],
      [
        'participant makes links',
        api(server, 'POST', links, tokenFor(server, room, 'participant'), { role: 'viewer' }),
        403,
        'Only a facilitator can make links.',
      ],
      [
        'viewer makes links',
        api(server, 'POST', links, tokenFor(server, room, 'viewer'), { role: 'participant' }),
        403,
        'Only a facilitator can make links.',
      ],
      ['facilitator lists', api(server, 'GET', '/api/workshops', facilitator), 403, /does not allow/],
      [
        'facilitator creates',
        api(server, 'POST', '/api/workshops', facilitator, { title: 'x', language: 'en' }),
        403,
        /does not allow/,
      ],
      [
        'facilitator of another room',
        api(server, 'POST', '/api/workshops/other-room/links', facilitator, { role: 'viewer' }),
        403,
        /another workshop/,
      ],
      ['bad JSON', api(server, 'POST', '/api/workshops', organiser, '{"title": '), 400, /not valid JSON/],
      ['JSON array', api(server, 'POST', '/api/workshops', organiser, '[1]'), 400, /JSON object/],
      [
        'unknown example',
        api(server, 'POST', '/api/workshops', organiser, { example: 'example-atlantis' }),
        400,
        /^example: must be one of example-/,
      ],
      [
        'unknown language',
        api(server, 'POST', '/api/workshops', organiser, { title: 'x', language: 'tlh' }),
        400,
        /^language: must be one of/,
      ],
      [
        'empty title',
        api(server, 'POST', '/api/workshops', organiser, { title: '  ', language: 'en' }),
        400,
        'title: must be non-empty text.',
      ],
      [
        'link for the organiser role',
        api(server, 'POST', links, facilitator, { role: 'facilitator' }),
        400,
        /^role: must be participant or viewer/,
      ],
      [
        'bad ttl',
        api(server, 'POST', links, facilitator, { role: 'viewer', ttl: 'forever' }),
        400,
        /^ttl: must be a duration/,
      ],
      [
        'no such workshop',
        api(server, 'POST', '/api/workshops/nowhere/links', tokenFor(server, 'nowhere', 'facilitator'), {
          role: 'viewer',
        }),
        404,
        'There is no such workshop.',
      ],
      [
        'too large body',
        api(server, 'POST', '/api/workshops', organiser, { title: 'x'.repeat(100_000), language: 'en' }),
        413,
        /larger than 65536 bytes/,
      ],
    ];
    for (const [name, reply, status, message] of cases) {
      const { status: got, body } = await reply;
      expect({ name, status: got }).toEqual({ name, status });
      expect(body.error, name).toEqual(
        typeof message === 'string' ? message : expect.stringMatching(message),
      );
    }
    // Nothing was created by the refused calls.
    const listed = await api(server, 'GET', '/api/workshops', organiser);
    expect((listed.body.workshops as unknown[]).length).toBe(1);
  });
});

describe('health, metrics and logs', () => {
  it('GET /healthz reports status, version, rooms, connections and uptime', async () => {
    const server = await bed.start();
    const client = bed.connect(server, 'room-h');
    await synced(client);
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({
      status: 'ok',
      version: SERVER_VERSION,
      rooms: 1,
      connections: 1,
      uptimeSeconds: expect.any(Number) as number,
      unstoredBytes: 0,
      storage: { ok: true },
    });
    expect(body.uptimeSeconds).toBeGreaterThanOrEqual(0);
    // For load balancers: ready while nothing is degraded (storage/disk-full.test.ts has the 503).
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok' });
  });

  it('GET /metrics is Prometheus text with connections, refusals by reason and flush times', async () => {
    const server = await bed.start();
    const client = bed.connect(server, 'room-m');
    await synced(client);
    addNote(client.doc, TEMPLATE_BOARD_IDS.needs, { text: 'x' });
    const forged = signToken(newSigningKey(), { room: 'room-m', role: 'participant', ttlSeconds: 60 });
    expect((await rawRefusal(server, 'room-m', forged)).code).toBe(CLOSE.tokenForged);

    const res = await fetch(`${server.url}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toMatch(/^# TYPE talkoo_connections gauge$/m);
    expect(text).toMatch(/^talkoo_connections 1$/m);
    expect(text).toMatch(/^talkoo_rejected_connections_total\{reason="token-forged"\} 1$/m);
    expect(text).toMatch(/^# TYPE talkoo_flush_seconds histogram$/m);
    expect(text).toMatch(/^talkoo_flush_seconds_bucket\{le="\+Inf"\} \d+$/m);
    // Every sample line is `name{labels} number`.
    for (const line of text
      .trimEnd()
      .split('\n')
      .filter((l) => !l.startsWith('#'))) {
      expect(line).toMatch(/^[a-z_]+(\{[a-z]+="[^"]*"\})? -?[\d.e+-]+$/);
    }
  });

  it('never writes a token into the logs', async () => {
    const lines: string[] = [];
    const server = await bed.start({ log: jsonLogger((line) => lines.push(line)) });
    const tokens: string[] = [];
    const use = (token: string): string => {
      tokens.push(token);
      return token;
    };

    const organiser = use(organiserToken(server));
    const created = await api(server, 'POST', '/api/workshops', organiser, {
      title: 'Logged',
      language: 'en',
    });
    const room = String(created.body.room);
    const facilitator = use(String(created.body.facilitatorToken));
    const participantLink = await api(server, 'POST', `/api/workshops/${room}/links`, facilitator, {
      role: 'participant',
      name: 'Aino',
    });
    const participant = use(String(participantLink.body.token));
    const listed = await api(server, 'GET', '/api/workshops', organiser);
    for (const w of listed.body.workshops as { facilitatorUrl: string }[])
      use(fromJoinUrl(w.facilitatorUrl).token);

    // Joins, a room change, a refusal of each kind, a refused API call and a closed connection.
    const a = await join(server, { room, token: facilitator });
    const b = await join(server, { room, token: participant });
    const note = addNote(a.doc, TEMPLATE_BOARD_IDS.needs, { text: 'logged' })!;
    await until(b.doc, () => noteTexts(b.doc).length === 1);
    setNoteText(b.doc, note, 'logged session');
    await until(a.doc, () => noteTexts(a.doc)[0] === 'logged session');
    const forged = use(signToken(newSigningKey(), { room, role: 'participant', ttlSeconds: 60 }));
    const expired = use(
      signToken(server.signingKey, { room, role: 'participant', ttlSeconds: 1, now: Date.now() - 60_000 }),
    );
    const otherRoom = use(tokenFor(server, 'elsewhere', 'facilitator'));
    for (const token of [forged, expired, otherRoom, organiser]) await rawRefusal(server, room, token);
    await api(server, 'POST', `/api/workshops/${room}/links`, participant, { role: 'viewer' });
    await api(server, 'GET', '/api/workshops', forged);
    b.provider.destroy();
    await bed.stop(server);

    expect(lines.length).toBeGreaterThan(5);
    expect(lines.some((l) => l.includes('connection refused'))).toBe(true);
    // Neither a whole token nor its signature appears anywhere.
    for (const token of tokens) {
      const signature = token.slice(token.indexOf('.') + 1);
      for (const line of lines) {
        expect(line).not.toContain(token);
        expect(line).not.toContain(signature);
      }
    }
    for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
  });
});
