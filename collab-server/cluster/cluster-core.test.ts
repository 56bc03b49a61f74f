/**
 * The cluster core (#14) with real Redis and PostgreSQL and several nodes in this process
 * (startServer): clients of one room through different nodes converge, a token the receiving node
 * refuses is never sent on, a lost lease sends the room's clients to another node, a drained node
 * hands its rooms over, an API call through a node that does not serve its workshop reaches the one
 * that does, and a request never goes round between nodes.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { WebSocket } from 'ws';
import { addNote, createWorkshop, readWorkshop, TEMPLATE_BOARD_IDS } from '../../shared';
import type { RunningServer } from '../server';
import { CLOSE } from '../wire/protocol';
import { apiCall, synced, tokenFor, until, type TestClient } from '../test-support';
import { inProcessCluster } from '../test-support/in-process-cluster';
import { signToken } from '../auth/tokens';

const cluster = inProcessCluster('cluster');
const { startNode, connect, newRoom } = cluster;

beforeAll(() => cluster.start(), 60_000);
afterEach(() => cluster.closeNodes());
afterAll(() => cluster.stop());

function startWorkshop(client: TestClient, title: string): void {
  createWorkshop(client.doc, {
    title,
    language: 'en',
    boardTitles: { needs: 'Needs', themes: 'Themes', actions: 'Actions' },
  });
}

function notes(client: TestClient): string[] {
  return readWorkshop(client.doc)
    .notes.map((note) => note.text)
    .sort();
}

async function health(node: RunningServer): Promise<{ node: { id: string; url: string }; owns: string[] }> {
  const res = await fetch(`${node.url}/healthz`);
  return (await res.json()) as { node: { id: string; url: string }; owns: string[] };
}

/** The close code a raw WebSocket gets (or 0 when it opened and was closed by us). */
function closeCode(url: string): Promise<number> {
  const ws = new WebSocket(url);
  return new Promise((resolve) => {
    ws.once('close', (code) => resolve(code));
    ws.once('error', () => resolve(-1));
  });
}

describe('a cluster of nodes in one process', () => {
  it('converges two clients of one room on two nodes, the room served by the first', async () => {
    const [one, two] = [await startNode({ nodeId: 'one' }), await startNode({ nodeId: 'two' })];
    const room = newRoom();
    const a = connect(one, room);
    await synced(a);
    startWorkshop(a, 'Across nodes');
    const b = connect(two, room);
    await synced(b);
    await until(b.doc, () => readWorkshop(b.doc).meta.title === 'Across nodes');
    addNote(b.doc, TEMPLATE_BOARD_IDS.needs, { text: 'from node two' });
    addNote(a.doc, TEMPLATE_BOARD_IDS.needs, { text: 'from node one' });
    await until(a.doc, () => notes(a).length === 2);
    await until(b.doc, () => notes(b).length === 2);
    expect(notes(a)).toEqual(['from node one', 'from node two']);
    expect(readWorkshop(a.doc)).toEqual(readWorkshop(b.doc));
    // Served by node one alone: node two loaded nothing, and says who it is.
    expect((await health(one)).owns).toContain(room);
    expect(await health(two)).toMatchObject({ node: { id: 'two', url: two.url }, owns: [] });
    expect(two.rooms.peek(room)).toBeUndefined();
    const metrics = await (await fetch(`${one.url}/metrics`)).text();
    expect(metrics).toContain(`talkoo_room_owned{room="${room}"} 1`);
    expect(metrics).toContain('talkoo_cluster_nodes 2');
    expect(await (await fetch(`${two.url}/metrics`)).text()).toContain(
      'talkoo_proxied_total{kind="websocket"} 1',
    );
  });

  it('refuses a bad token at the node it reaches, never sending it on', async () => {
    const [one, two] = [await startNode(), await startNode()];
    const room = newRoom();
    const a = connect(one, room);
    await synced(a);
    const forged = signToken(Buffer.alloc(32, 7), { room, role: 'facilitator', name: 'x', ttlSeconds: 60 });
    const ws = `${two.url.replace(/^http/, 'ws')}/${room}`;
    const before = await (await fetch(`${one.url}/metrics`)).text();
    expect(await closeCode(`${ws}?token=${encodeURIComponent(forged)}`)).toBe(CLOSE.tokenForged);
    expect(await closeCode(ws)).toBe(CLOSE.tokenMissing);
    const other = tokenFor(two, 'another-room');
    expect(await closeCode(`${ws}?token=${encodeURIComponent(other)}`)).toBe(CLOSE.tokenWrongRoom);
    // A person's own document asked for with a valid token but no valid identity.
    const mine = `${ws}/me?token=${encodeURIComponent(tokenFor(two, room, 'participant'))}&me=forged`;
    expect(await closeCode(mine)).toBe(CLOSE.identityInvalid);
    // Node one saw none of them: its refusal counters did not move.
    const after = await (await fetch(`${one.url}/metrics`)).text();
    const refusals = (text: string): string[] =>
      text.split('\n').filter((line) => line.startsWith('talkoo_rejected_connections_total'));
    expect(refusals(after)).toEqual(refusals(before));
    expect((await health(two)).owns).toEqual([]);
    expect(two.rooms.size).toBe(0);
  });

  it('routes an API rename through the node that does not serve the workshop to the one that does', async () => {
    const [one, two] = [await startNode(), await startNode()];
    const made = await apiCall(one, 'POST', '/api/workshops', one.organiserToken(), {
      title: 'Old title',
      language: 'en',
    });
    expect(made.status).toBe(201);
    const room = made.body.room as string;
    const a = connect(one, room);
    await synced(a);
    expect(readWorkshop(a.doc).meta.title).toBe('Old title');
    const renamed = await fetch(`${two.url}/api/workshops/${room}`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${two.organiserToken()}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: 'New title' }),
    });
    expect(renamed.status).toBe(200);
    expect(await renamed.json()).toMatchObject({ room, title: 'New title' });
    // The open document on node one took the new title at once.
    await until(a.doc, () => readWorkshop(a.doc).meta.title === 'New title');
    expect(two.rooms.peek(room)).toBeUndefined();
  });

  it('archives a workshop no node has loaded: the node asked holds its lease while it writes, then gives it up', async () => {
    const [one, two] = [await startNode(), await startNode()];
    const made = await apiCall(one, 'POST', '/api/workshops', one.organiserToken(), {
      title: 'Put away',
      language: 'en',
    });
    const room = made.body.room as string;
    expect((await health(one)).owns).toEqual([]);
    const archived = await fetch(`${two.url}/api/workshops/${room}`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${two.organiserToken()}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ archived: true }),
    });
    expect(archived.status).toBe(200);
    expect(await archived.json()).toMatchObject({ room, archived: true });
    const listed = await apiCall(one, 'GET', '/api/workshops', one.organiserToken());
    const workshops = listed.body.workshops as { room: string; archived?: boolean }[];
    expect(workshops.find((workshop) => workshop.room === room)).toMatchObject({ archived: true });
    expect((await health(two)).owns).toEqual([]);
  });

  it('starts a node with the examples while another node serves one of them', async () => {
    const one = await startNode({ examples: true });
    const a = connect(one, 'example-voru-et');
    await synced(a);
    const two = await startNode({ examples: true });
    const b = connect(two, 'example-voru-et');
    await synced(b);
    expect(readWorkshop(b.doc).meta.title).toBe(readWorkshop(a.doc).meta.title);
    expect((await health(one)).owns).toContain('example-voru-et');
  });

  it('never sends a request on twice: a node asked by another serves it or answers 503', async () => {
    const [one, two] = [await startNode(), await startNode()];
    const room = newRoom();
    const a = connect(one, room);
    await synced(a);
    // As if node one had sent it here: node two does not hold the room and may not send it back.
    const res = await fetch(`${two.url}/api/workshops/${room}/links`, {
      headers: { Authorization: `Bearer ${tokenFor(two, room)}`, 'x-talkoo-via': 'one' },
    });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { code: string }).code).toBe('workshop-moving');
    const ws = new WebSocket(`${two.url.replace(/^http/, 'ws')}/${room}?token=${tokenFor(two, room)}`, {
      headers: { 'x-talkoo-via': 'one' },
    });
    const status = await new Promise<number>((resolve) => {
      ws.once('unexpected-response', (_req, answer) => resolve(answer.statusCode ?? 0));
      ws.once('open', () => resolve(101));
      ws.once('error', () => undefined);
    });
    ws.terminate();
    expect(status).toBe(503);
  });

  it('sends the clients of a room whose lease was lost to the node that took it, losing nothing', async () => {
    const one = await startNode({ nodeId: 'loser', leaseTtlMs: 3000 });
    const two = await startNode({ nodeId: 'winner' });
    const room = newRoom();
    const a = connect(one, room);
    await synced(a);
    startWorkshop(a, 'Taken over');
    addNote(a.doc, TEMPLATE_BOARD_IDS.needs, { text: 'first' });
    await one.rooms.storeNow(room);
    // Node one's lease vanishes (as if it expired while node one was paused): node two takes it.
    const direct = new Redis(cluster.redis.url);
    await direct.del(`talkoo:lease:${room}`);
    await direct.quit();
    const c = connect(two, room);
    await synced(c);
    expect((await health(two)).owns).toContain(room);
    // Node one still serves its copy for a moment: what a writes there cannot be stored (fenced),
    // so a is sent on to node two and writes it there.
    addNote(a.doc, TEMPLATE_BOARD_IDS.needs, { text: 'second' });
    await until(c.doc, () => notes(c).length === 2);
    expect(notes(c)).toEqual(['first', 'second']);
    expect(one.rooms.peek(room)).toBeUndefined();
    // And a sees what c writes, through node one.
    addNote(c.doc, TEMPLATE_BOARD_IDS.needs, { text: 'third' });
    await until(a.doc, () => notes(a).length === 3);
  });

  it('answers 503 for a room whose holder accepts connections but never answers (frozen), so the client tries again', async () => {
    const one = await startNode();
    const room = newRoom();
    // A holder that the kernel still connects to, but that says nothing (as under SIGSTOP).
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const held = new Redis(cluster.redis.url);
    try {
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
      await held.set(`talkoo:lease:${room}`, JSON.stringify({ node: 'frozen', url, fence: 1 }), 'PX', 60_000);
      const ws = new WebSocket(`${one.url.replace(/^http/, 'ws')}/${room}?token=${tokenFor(one, room)}`);
      const status = await new Promise<number>((resolve) => {
        ws.once('unexpected-response', (_req, answer) => resolve(answer.statusCode ?? 0));
        ws.once('open', () => resolve(101));
        ws.once('error', () => resolve(-1));
      });
      ws.terminate();
      expect(status).toBe(503);
    } finally {
      await held.quit();
      silent.close();
    }
  }, 15_000);

  it('hands a drained node’s rooms over: its clients reconnect through it to another node and converge', async () => {
    const [one, two] = [await startNode({ nodeId: 'drained' }), await startNode({ nodeId: 'taker' })];
    const room = newRoom();
    const a = connect(one, room);
    await synced(a);
    const b = connect(two, room);
    await synced(b);
    startWorkshop(a, 'Drained');
    addNote(a.doc, TEMPLATE_BOARD_IDS.needs, { text: 'before the drain' });
    await until(b.doc, () => notes(b).length === 1);
    const answer = await apiCall(one, 'POST', '/api/node/drain', one.organiserToken());
    expect(answer).toEqual({ status: 202, body: { rooms: 1 } });
    // Both clients come back (a through node one, which now sends everything on) to node two.
    addNote(a.doc, TEMPLATE_BOARD_IDS.needs, { text: 'after the drain' });
    await until(b.doc, () => notes(b).length === 2);
    expect(notes(b)).toEqual(['after the drain', 'before the drain']);
    expect((await health(one)).owns).toEqual([]);
    expect((await health(two)).owns).toContain(room);
    expect(one.rooms.peek(room)).toBeUndefined();
  });
});
