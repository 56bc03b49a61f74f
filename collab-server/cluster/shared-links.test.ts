/**
 * One link book for the whole cluster (#14): with real Redis and PostgreSQL and several nodes in
 * this process, a link revoked through one node stays refused when another node serves its room
 * later, a revocation closes the open connections of the link wherever the room is served, deleting
 * a workshop revokes its links on every node, and a short code made through one node resolves
 * through every other.
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { RunningServer, ServerOptions } from '../server';
import { LinkBook } from '../auth/link-book';
import { CLOSE } from '../wire/protocol';
import {
  apiCall,
  refused,
  removeDir,
  startWorkshop,
  synced,
  tempDir,
  tokenFor,
  waitFor,
  type TestClient,
} from '../test-support';
import { inProcessCluster } from '../test-support/in-process-cluster';

const cluster = inProcessCluster('links', { unloadGraceMs: 0 });
const { connect, newRoom } = cluster;

beforeAll(() => cluster.start(), 60_000);
afterEach(() => cluster.closeNodes());
afterAll(() => cluster.stop());

function startNode(nodeId: string, options: Partial<ServerOptions> = {}): Promise<RunningServer> {
  return cluster.startNode({ nodeId, ...options });
}

/** A facilitator in a new workshop `room`, through `node`. */
async function facilitate(node: RunningServer, room: string): Promise<TestClient> {
  const client = connect(node, room);
  await synced(client);
  startWorkshop(client.doc, room);
  return client;
}

async function owns(node: RunningServer): Promise<string[]> {
  const res = await fetch(`${node.url}/healthz`);
  return ((await res.json()) as { owns: string[] }).owns;
}

/** The facilitator leaves; resolves once `node` has stored the room and given it up. */
async function leave(client: TestClient, node: RunningServer, room: string): Promise<void> {
  client.provider.destroy();
  await waitFor(`${room} given up`, async () => !(await owns(node)).includes(room));
}

/** 'joined' once the room has sent its first frame to a socket with `token`, else its close code. */
function joinOrClose(node: RunningServer, room: string, token: string): Promise<'joined' | number> {
  const ws = new WebSocket(`${node.url.replace(/^http/, 'ws')}/${room}?token=${encodeURIComponent(token)}`);
  return new Promise((resolve) => {
    ws.once('message', () => {
      resolve('joined');
      ws.close();
    });
    ws.once('close', (code: number) => resolve(code));
  });
}

/** A participant link of `room` made through `node` by its facilitator. */
async function participantLink(
  node: RunningServer,
  room: string,
): Promise<{ id: string; token: string; code: string }> {
  const made = await apiCall(node, 'POST', `/api/workshops/${room}/links`, tokenFor(node, room), {
    role: 'participant',
  });
  expect(made.status).toBe(201);
  return made.body as { id: string; token: string; code: string };
}

/** Revokes link `id` of `room` through `node`, as the room's facilitator; the answer's status. */
async function revokeLink(node: RunningServer, room: string, id: string): Promise<number> {
  return (await apiCall(node, 'DELETE', `/api/workshops/${room}/links/${id}`, tokenFor(node, room))).status;
}

it('a link revoked through node two stays refused once another node serves its room', async () => {
  const one = await startNode('one');
  const two = await startNode('two');
  const room = newRoom();
  const facilitator = await facilitate(one, room);
  const link = await participantLink(one, room);
  expect(await joinOrClose(two, room, link.token)).toBe('joined');

  expect(await revokeLink(two, room, link.id)).toBe(200);
  await leave(facilitator, one, room);

  expect(await joinOrClose(two, room, link.token)).toBe(CLOSE.tokenRevoked);
  expect(await owns(two)).not.toContain(room);
  expect(await joinOrClose(one, room, link.token)).toBe(CLOSE.tokenRevoked);
});

it("closes a revoked link's open connection on the node serving its room, though the link was made on another", async () => {
  const one = await startNode('one');
  const two = await startNode('two');
  const room = newRoom();
  // The link is made while node two serves the room, then the room moves to node one.
  const first = await facilitate(two, room);
  const link = await participantLink(two, room);
  await leave(first, two, room);
  await facilitate(one, room);
  const participant = connect(two, room, link.token);
  await synced(participant);
  const closed = refused(participant);

  expect(await revokeLink(two, room, link.id)).toBe(200);
  expect((await closed).code).toBe(CLOSE.tokenRevoked);
  expect(await owns(one)).toContain(room);
});

it("deleting a workshop through node two refuses its links on every node, whoever serves the room's name next", async () => {
  const one = await startNode('one');
  const two = await startNode('two');
  const organiser = two.organiserToken();
  const created = await apiCall(one, 'POST', '/api/workshops', organiser, { title: 'Gone', language: 'en' });
  expect(created.status).toBe(201);
  const room = created.body.room as string;
  const facilitator = connect(one, room, created.body.facilitatorToken as string);
  await synced(facilitator);
  const link = await participantLink(one, room);

  const deleted = await apiCall(two, 'DELETE', `/api/workshops/${room}`, organiser);
  expect(deleted.status).toBe(200);
  await leave(facilitator, one, room);

  expect(await joinOrClose(two, room, link.token)).toBe(CLOSE.tokenRevoked);
  expect(await joinOrClose(two, room, tokenFor(two, room))).toBe(CLOSE.tokenRevoked);
  expect(await joinOrClose(one, room, tokenFor(one, room))).toBe(CLOSE.tokenRevoked);
});

it('a short code made through node two resolves through node one, and through a node started after', async () => {
  const one = await startNode('one');
  const two = await startNode('two');
  const room = newRoom();
  await facilitate(one, room);
  const link = await participantLink(two, room);

  for (const node of [one, two, await startNode('three')]) {
    const res = await fetch(`${node.url}/api/link-codes/${encodeURIComponent(link.code)}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ room, role: 'participant', token: link.token });
  }
});

it("a node that joins the cluster brings its data folder's links along: what was revoked there stays refused on every node, and its codes resolve", async () => {
  const one = await startNode('one');
  const room = newRoom();
  // A server's own book, from before it was a node of this cluster.
  const dataDir = tempDir('talkoo-links-before-');
  const before = await LinkBook.open(dataDir, one.signingKey);
  const revoked = await before.make({ room, role: 'participant', ttlSeconds: 3600, by: 'organiser' });
  await before.revoke(revoked.claims.id, 'organiser');
  const coded = await before.make({
    room,
    role: 'participant',
    ttlSeconds: 3600,
    by: 'organiser',
    withCode: true,
  });
  const code = before.find(coded.claims.id)?.code ?? '';
  const gone = newRoom();
  const goneLink = await before.make({ room: gone, role: 'viewer', ttlSeconds: 3600, by: 'organiser' });
  await before.revokeAll(gone, 'organiser');
  await before.close();

  await startNode('two', { dataDir });
  await facilitate(one, room);
  expect(await joinOrClose(one, room, revoked.token)).toBe(CLOSE.tokenRevoked);
  expect(await joinOrClose(one, gone, goneLink.token)).toBe(CLOSE.tokenRevoked);
  const res = await fetch(`${one.url}/api/link-codes/${code}`);
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ room, token: coded.token });
  removeDir(dataDir);
});

it("a workshop's links are refused by every node's API as soon as its deletion is answered", async () => {
  const one = await startNode('one');
  const two = await startNode('two');
  const organiser = one.organiserToken();
  const created = await apiCall(one, 'POST', '/api/workshops', organiser, { title: 'Gone', language: 'en' });
  const room = created.body.room as string;
  const facilitator = created.body.facilitatorToken as string;
  expect((await apiCall(two, 'GET', `/api/workshops/${room}/links`, facilitator)).status).toBe(200);

  expect((await apiCall(one, 'DELETE', `/api/workshops/${room}`, organiser)).status).toBe(200);
  const asked = await apiCall(two, 'GET', `/api/workshops/${room}/links`, facilitator);
  expect(asked).toMatchObject({ status: 403, body: { code: 'token-revoked' } });
});
