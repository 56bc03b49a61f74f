// Links can be seen and withdrawn (#10, finding 5): a facilitator lists the links made for its
// room and revokes one, which refuses it from then on and closes its open connections at once;
// the server keeps one organiser link and one facilitator link per listed workshop instead of
// minting fresh ones on every call, and records them in the data folder's link book.
import { readFileSync, statSync } from 'node:fs';
import { join as pathJoin } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLOSE } from '../wire/protocol';
import type { RunningServer } from '../server';
import { apiCall as api, rawRefusal, refused, synced, TestBed, type TestClient } from '../test-support';

const bed = new TestBed();
afterEach(() => bed.cleanUp());

/** A new workshop made by the server's organiser; its room and facilitator token. */
async function workshop(server: RunningServer, title = 'Kylätalo'): Promise<{ room: string; token: string }> {
  const created = await api(server, 'POST', '/api/workshops', server.organiserToken(), {
    title,
    language: 'fi',
  });
  expect(created.status).toBe(201);
  return { room: String(created.body.room), token: String(created.body.facilitatorToken) };
}

async function join(server: RunningServer, room: string, token: string): Promise<TestClient> {
  const client = bed.connect(server, room, { token });
  await synced(client);
  return client;
}

type Listed = { id: string; role: string; name: string; made: string; expires: string; madeBy: string };

describe('links a facilitator can see and revoke', () => {
  it('lists the links made for the room, and a revoked link is cut off at once and refused after', async () => {
    const server = await bed.start();
    const { room, token: facilitator } = await workshop(server);
    const links = `/api/workshops/${room}/links`;
    const aino = await api(server, 'POST', links, facilitator, { role: 'participant', name: 'Aino' });
    const wall = await api(server, 'POST', links, facilitator, { role: 'viewer', name: 'Wall' });
    expect(aino.status).toBe(201);

    const listed = await api(server, 'GET', links, facilitator);
    expect(listed.status).toBe(200);
    const rows = listed.body.links as Listed[];
    expect(rows.map(({ role, name, madeBy }) => ({ role, name, madeBy }))).toEqual(
      expect.arrayContaining([
        { role: 'participant', name: 'Aino', madeBy: 'you' },
        { role: 'viewer', name: 'Wall', madeBy: 'you' },
        { role: 'facilitator', name: '', madeBy: 'organiser' },
      ]),
    );
    const ainoRow = rows.find((row) => row.name === 'Aino');
    expect(ainoRow?.id).toBe(aino.body.id);
    expect(Date.parse(ainoRow?.expires ?? '')).toBe(Date.parse(String(aino.body.expires)));

    const ainoToken = String(aino.body.token);
    const ainoClient = await join(server, room, ainoToken);
    const wallClient = await join(server, room, String(wall.body.token));
    const cut = refused(ainoClient);

    const revoked = await api(server, 'DELETE', `${links}/${String(aino.body.id)}`, facilitator);
    expect(revoked).toMatchObject({ status: 200, body: { revoked: aino.body.id } });
    expect(await cut).toMatchObject({ code: CLOSE.tokenRevoked });
    expect(await rawRefusal(server, room, ainoToken)).toMatchObject({
      code: CLOSE.tokenRevoked,
      framesBefore: 0,
    });
    // The other link stays in, and the revoked one is no longer listed.
    expect(wallClient.provider.wsconnected).toBe(true);
    const after = (await api(server, 'GET', links, facilitator)).body.links as Listed[];
    expect(after.map((row) => row.name)).not.toContain('Aino');
    expect(after.map((row) => row.name)).toContain('Wall');
  });

  it('only a facilitator of that room lists or revokes, never its own link; a revocation outlives a restart', async () => {
    const dataDir = bed.dir();
    const server = await bed.start({ dataDir });
    const a = await workshop(server, 'A');
    const b = await workshop(server, 'B');
    const links = `/api/workshops/${a.room}/links`;
    const made = await api(server, 'POST', links, a.token, { role: 'participant', name: 'Eero' });
    const id = String(made.body.id);
    const participant = String(made.body.token);

    expect((await api(server, 'GET', links, participant)).status).toBe(403);
    expect((await api(server, 'DELETE', `${links}/${id}`, participant)).status).toBe(403);
    expect((await api(server, 'GET', links, b.token)).status).toBe(403);
    expect((await api(server, 'DELETE', `${links}/${id}`, b.token)).status).toBe(403);
    // B's facilitator cannot reach A's link through B's own room either.
    expect((await api(server, 'DELETE', `/api/workshops/${b.room}/links/${id}`, b.token)).status).toBe(404);
    const own = (await api(server, 'GET', links, a.token)).body.links as (Listed & { current: boolean })[];
    const ownId = own.find((row) => row.current)?.id;
    expect(ownId).toBeTruthy();
    expect(await api(server, 'DELETE', `${links}/${ownId}`, a.token)).toMatchObject({
      status: 409,
      body: { error: 'This is the link you are using: another facilitator can revoke it.' },
    });
    expect((await api(server, 'DELETE', `${links}/no-such-link`, a.token)).status).toBe(404);

    expect((await api(server, 'DELETE', `${links}/${id}`, a.token)).status).toBe(200);
    expect((await api(server, 'POST', links, participant, { role: 'viewer' })).body).toEqual({
      error: 'This link was revoked.',
      code: 'token-revoked',
    });
    await bed.stop(server);
    const restarted = await bed.start({ dataDir });
    expect((await rawRefusal(restarted, a.room, participant)).code).toBe(CLOSE.tokenRevoked);
    expect((await api(restarted, 'GET', links, a.token)).status).toBe(200);
  });

  it('the server keeps one organiser link and one facilitator link per workshop, recorded once, across restarts', async () => {
    const dataDir = bed.dir();
    const server = await bed.start({ dataDir });
    const organiser = server.organiserToken();
    expect(server.organiserToken()).toBe(organiser);
    const { room } = await workshop(server);
    const listed = async (s: RunningServer): Promise<string> => {
      const body = (await api(s, 'GET', '/api/workshops', organiser)).body;
      const [only] = body.workshops as { facilitatorUrl: string }[];
      // The token, not the whole link: a restarted server listens on another port.
      return new URLSearchParams(only?.facilitatorUrl.split('?')[1]).get('token') ?? '';
    };
    const first = await listed(server);
    expect(await listed(server)).toBe(first);
    await bed.stop(server);
    const restarted = await bed.start({ dataDir });
    expect(restarted.organiserToken()).toBe(organiser);
    expect(await listed(restarted)).toBe(first);

    const book = pathJoin(dataDir, 'links.jsonl');
    if (process.platform !== 'win32') expect(statSync(book).mode & 0o777).toBe(0o600);
    const made = readFileSync(book, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { kind: string; role?: string; room?: string | null });
    // One organiser link, one facilitator link from creating the workshop (the listing reuses it).
    expect(made.filter((r) => r.kind === 'made').map((r) => [r.role, r.room])).toEqual([
      ['organiser', null],
      ['facilitator', room],
    ]);
  });
});
