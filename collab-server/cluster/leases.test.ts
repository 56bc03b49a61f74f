/**
 * Room leases in Redis (#14): two nodes on one real Redis (test-support/services.ts), one of them
 * reaching it through a loopback proxy that pauses its connection (a node cut off from Redis while
 * the other still reaches it). Leases live 600 ms here, so expiry takes a moment, not seconds.
 */
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FaultProxy } from '../test-support/fault-proxy';
import { startRedis, type TestService } from '../test-support/services';
import { waitFor } from '../test-support';
import type { Lease, Leases } from './contracts';
import { openLeases } from './leases';

const TTL_MS = 600;

let redis: TestService;
/** A plain client of the test's own, to look at keys and change them behind a node's back. */
let raw: Redis;
const opened: Leases[] = [];
const proxies: FaultProxy[] = [];

beforeAll(async () => {
  redis = await startRedis();
  raw = new Redis(redis.url);
});

afterEach(async () => {
  logged = [];
  await Promise.all(opened.splice(0).map((leases) => leases.close()));
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
});

afterAll(async () => {
  raw.disconnect();
  await redis.stop();
});

/** What a node was told it lost, in order, shared by the nodes of a test to order their events. */
type Events = string[];

/** What the nodes logged, as "node: message room". */
let logged: string[] = [];

/** Opens a node's leases on the test's Redis (or on `redisUrl`), recording its losses in `events`. */
async function node(name: string, events: Events = [], redisUrl = redis.url): Promise<Leases> {
  const leases = await openLeases({
    redisUrl,
    node: name,
    url: `http://${name}.test:4000`,
    ttlMs: TTL_MS,
    onLost: (room, why) => events.push(`${name} lost ${room}: ${why}`),
    log: (_level, message, fields) =>
      logged.push(`${name}: ${message} ${typeof fields?.room === 'string' ? fields.room : ''}`.trim()),
  });
  opened.push(leases);
  return leases;
}

/** A node whose connection to Redis passes through a proxy the test can pause. */
async function proxiedNode(name: string, events: Events): Promise<{ leases: Leases; proxy: FaultProxy }> {
  const proxy = await FaultProxy.start(redis.port);
  proxies.push(proxy);
  return { leases: await node(name, events, `redis://127.0.0.1:${proxy.port}`), proxy };
}

async function take(leases: Leases, room: string, floor = 0): Promise<Lease> {
  const result = await leases.claim(room, floor);
  if (!('taken' in result))
    throw new Error(`${leases.node} did not get ${room}: ${result.holder.node} holds it`);
  return result.taken;
}

/** Claims `room` on `leases` again and again until it is free to take. */
async function takeOnceFree(leases: Leases, room: string, events: Events = []): Promise<Lease> {
  let lease: Lease | undefined;
  await waitFor(`${leases.node} to take ${room}`, async () => {
    const result = await leases.claim(room, 0);
    if ('taken' in result) {
      lease = result.taken;
      events.push(`${leases.node} took ${room}`);
    }
    return lease !== undefined;
  });
  return lease!;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let roomNumber = 0;
/** A room name no other test uses. */
function newRoom(): string {
  return `room-${++roomNumber}-${Date.now().toString(36)}`;
}

describe('room leases', () => {
  it('gives a free room to the first node that claims it and names that holder to the others', async () => {
    const [a, b] = [await node('a'), await node('b')];
    const room = newRoom();
    expect(await a.holder(room)).toBeNull();

    const lease = await take(a, room);
    expect(lease.room).toBe(room);
    expect(lease.fence).toBeGreaterThan(0);
    expect(a.held(room)).toEqual(lease);
    expect(a.heldAll()).toEqual([lease]);
    expect(await a.claim(room, 0)).toEqual({ taken: lease });

    const holder = { node: 'a', url: 'http://a.test:4000', fence: lease.fence };
    expect(await b.claim(room, 0)).toEqual({ holder });
    expect(await b.holder(room)).toEqual(holder);
    expect(b.held(room)).toBeUndefined();
    expect(b.heldAll()).toEqual([]);
  });

  it('gives every new holder of a room a higher fencing token, never one at or below the floor', async () => {
    const [a, b] = [await node('a'), await node('b')];
    const room = newRoom();
    const first = await take(a, room);
    await a.release(room);
    expect(a.held(room)).toBeUndefined();
    expect(await a.holder(room)).toBeNull();
    const second = await take(b, room);
    await b.release(room);
    const third = await take(a, room);
    expect(second.fence).toBeGreaterThan(first.fence);
    expect(third.fence).toBeGreaterThan(second.fence);

    const other = newRoom();
    expect((await take(a, other, 41)).fence).toBe(42);
    await a.release(other);
    expect((await take(b, other, 0)).fence).toBe(43);
    await b.release(other);
    // A floor below the counter changes nothing: the counter goes on rising.
    expect((await take(a, other, 10)).fence).toBe(44);
  });

  it('keeps a renewed lease for many times its lifetime', async () => {
    const events: Events = [];
    const [a, b] = [await node('a', events), await node('b', events)];
    const room = newRoom();
    const lease = await take(a, room);
    // Nothing to wait for: the lease must simply not end.
    await sleep(5 * TTL_MS);
    expect(events).toEqual([]);
    expect(a.held(room)).toEqual(lease);
    expect(await b.claim(room, 0)).toEqual({
      holder: { node: 'a', url: 'http://a.test:4000', fence: lease.fence },
    });
  });

  it("releases a lease only while it is the node's own", async () => {
    const events: Events = [];
    const [a, b] = [await node('a', events), await node('b', events)];
    const room = newRoom();
    const lease = await take(a, room);
    await b.release(room);
    expect((await a.holder(room))?.node).toBe('a');

    // Another holder's lease written behind a's back: a's release must leave it alone.
    const intruder = JSON.stringify({ node: 'c', url: 'http://c.test:4000', fence: lease.fence + 1 });
    await raw.set(`talkoo:lease:${room}`, intruder, 'PX', 60_000);
    await a.release(room);
    expect(a.held(room)).toBeUndefined();
    expect(await raw.get(`talkoo:lease:${room}`)).toBe(intruder);
    expect(await b.holder(room)).toEqual({ node: 'c', url: 'http://c.test:4000', fence: lease.fence + 1 });
  });

  it('lets another node take the room of a closed node once its lease expires', async () => {
    const [a, b] = [await node('a'), await node('b')];
    const room = newRoom();
    const lease = await take(a, room);
    expect((await b.nodes()).map((n) => n.node).sort()).toEqual(['a', 'b']);
    await a.close();
    expect(a.heldAll()).toEqual([]);
    expect(await b.nodes()).toEqual([{ node: 'b', url: 'http://b.test:4000' }]);
    // Not released: the room stays a's until its lease runs out.
    expect(await b.claim(room, 0)).toEqual({
      holder: { node: 'a', url: 'http://a.test:4000', fence: lease.fence },
    });
    const taken = await takeOnceFree(b, room);
    expect(taken.fence).toBeGreaterThan(lease.fence);
  });

  it('gives a restarted node its rooms back at once, under new tokens', async () => {
    const before = await node('a');
    const room = newRoom();
    const lease = await take(before, room);
    await before.close();
    const b = await node('b');
    const after = await node('a');
    expect(await b.claim(room, 0)).toEqual({
      holder: { node: 'a', url: 'http://a.test:4000', fence: lease.fence },
    });
    const again = await take(after, room);
    expect(again.fence).toBeGreaterThan(lease.fence);
    expect(await b.holder(room)).toEqual({ node: 'a', url: 'http://a.test:4000', fence: again.fence });
  });

  it('refuses to start a second node under the id of a live one, which keeps its rooms', async () => {
    const events: Events = [];
    const a = await node('twin', events);
    const room = newRoom();
    const lease = await take(a, room);
    await expect(node('twin', events)).rejects.toThrow(
      'another node runs with id twin: give each node an id of its own (--node-id)',
    );
    await sleep(2 * TTL_MS);
    expect(events).toEqual([]);
    expect(a.held(room)).toEqual(lease);
    const b = await node('b');
    expect(await b.holder(room)).toEqual({ node: 'twin', url: 'http://twin.test:4000', fence: lease.fence });
    expect(await b.nodes()).toEqual([
      { node: 'b', url: 'http://b.test:4000' },
      { node: 'twin', url: 'http://twin.test:4000' },
    ]);
  });

  it('starts under the id of a node that died without closing, taking its rooms under new tokens', async () => {
    // What a node killed mid-flight leaves: its entry (for a ttl more) and a lease of a room.
    const room = newRoom();
    const dead = { url: 'http://gone.test:4000', instance: 'dead-instance' };
    await raw.set('talkoo:node:gone', JSON.stringify(dead), 'PX', TTL_MS);
    await raw.set(`talkoo:fence:${room}`, 7);
    await raw.set(`talkoo:lease:${room}`, JSON.stringify({ node: 'gone', ...dead, fence: 7 }), 'PX', 60_000);

    const again = await node('gone');
    const lease = await take(again, room);
    expect(lease.fence).toBe(8);
    expect(await again.holder(room)).toEqual({ node: 'gone', url: 'http://gone.test:4000', fence: 8 });
  });

  it('never takes a room from another live instance of its id (its own entry taken while it was cut off)', async () => {
    const a = await node('cut');
    const room = newRoom();
    const other = { url: 'http://cut-twin.test:4000', instance: 'other-instance' };
    await raw.set('talkoo:node:cut', JSON.stringify(other), 'PX', 60_000);
    await raw.set(`talkoo:lease:${room}`, JSON.stringify({ node: 'cut', ...other, fence: 3 }), 'PX', 60_000);
    expect(await a.claim(room, 0)).toEqual({
      holder: { node: 'cut', url: 'http://cut-twin.test:4000', fence: 3 },
    });
    await waitFor('a to notice its id is used', () => logged.includes('cut: another node runs with this id'));
    await raw.del('talkoo:node:cut', `talkoo:lease:${room}`);
  });

  it('gives a room up on a node cut off from Redis before another node can take it', async () => {
    const events: Events = [];
    const { leases: a, proxy } = await proxiedNode('a', events);
    const b = await node('b', events);
    const room = newRoom();
    const lease = await take(a, room);

    proxy.pause();
    await takeOnceFree(b, room, events);
    expect(events).toEqual([`a lost ${room}: expired`, `b took ${room}`]);
    expect(a.held(room)).toBeUndefined();
    expect(logged).toContain('a: redis unreachable');
    expect(logged).toContain(`a: lease expired unrenewed ${room}`);

    proxy.resume();
    await waitFor('a to reach Redis again', () => a.holder(room).then(Boolean, () => false));
    expect(a.held(room)).toBeUndefined();
    expect(a.heldAll()).toEqual([]);
    const holder = await a.claim(room, 0);
    expect('holder' in holder && holder.holder.node).toBe('b');
    await a.release(room);
    const now = await b.holder(room);
    expect(now?.node).toBe('b');
    expect(now?.fence).toBeGreaterThan(lease.fence);
    expect(b.held(room)).toBeDefined();
  });

  it('tells a node at its next renewal that its lease was taken behind its back', async () => {
    const events: Events = [];
    const a = await node('a', events);
    const room = newRoom();
    const kept = newRoom();
    await take(a, room);
    const stays = await take(a, kept);
    await raw.set(
      `talkoo:lease:${room}`,
      JSON.stringify({ node: 'c', url: 'http://c.test:4000', fence: 99 }),
      'PX',
      60_000,
    );
    await waitFor('a to hear of its loss', () => events.length > 0);
    expect(events).toEqual([`a lost ${room}: taken`]);
    expect(a.held(room)).toBeUndefined();
    expect(a.heldAll()).toEqual([stays]);
    expect(logged).toEqual([`a: lease taken by another node ${room}`]);
  });

  it('fails a claim on a connection that no longer answers instead of waiting for ever', async () => {
    const { leases: a, proxy } = await proxiedNode('a', []);
    proxy.pause();
    await expect(a.claim(newRoom(), 0)).rejects.toThrow();
  });

  it('refuses a claim with a floor that is no fencing token', async () => {
    const a = await node('a');
    await expect(a.claim(newRoom(), -1)).rejects.toThrow(/floor/);
    await expect(a.claim(newRoom(), 1.5)).rejects.toThrow(/floor/);
  });

  it('refuses to open on a Redis that cannot be reached', async () => {
    const proxy = await FaultProxy.start(redis.port);
    const url = `redis://127.0.0.1:${proxy.port}`;
    await proxy.close();
    await expect(
      openLeases({
        redisUrl: url,
        node: 'a',
        url: 'http://a.test:4000',
        ttlMs: TTL_MS,
        onLost: () => undefined,
      }),
    ).rejects.toThrow();
  });
});
