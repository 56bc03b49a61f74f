/**
 * Room leases in Redis (#14): which node of a cluster serves which room, with a fencing token per
 * holder (see contracts.ts). Keys, a wire format shared by every node of a cluster (never rename):
 *
 * - `talkoo:lease:<room>`: JSON {node, url, fence, instance} of the holder, expiring after the
 *   lease's ttl;
 * - `talkoo:fence:<room>`: the room's last fencing token, an integer counter that never expires;
 * - `talkoo:node:<id>`: JSON {url, instance} of the node, renewed with its leases, so a node gone
 *   quiet drops out (a bare url from a node of an earlier version).
 *
 * `instance` is made up at each start: two nodes started with one id would otherwise take each
 * other's rooms for their own. A node starts only once no other instance holds its id's entry (a
 * node that died leaves it for at most a ttl), and takes a lease of its id left by an earlier
 * instance again only while that instance is not the one alive.
 *
 * A node gives a room up on its own before Redis can let another node take it: each lease has a
 * local deadline, the moment its last successful claim or renewal was SENT plus the ttl less a
 * margin of one renewal period. A renewal that fails (Redis unreachable, a command timing out)
 * changes nothing, so a node cut off from Redis forgets each lease at its deadline, while Redis
 * keeps it until at least the ttl after that same renewal arrived.
 */
import { randomBytes } from 'node:crypto';
import type { Redis as RedisClient } from 'ioredis';
import { silentLogger } from '../log';
import type { ClusterNode, Lease, LeaseHolder, LeaseOptions, Leases } from './contracts';

const DEFAULT_TTL_MS = 10_000;
const MAX_TTL_MS = 15_000;
/** The longest a command may go unanswered before it fails (and the connection is dropped). */
const MAX_COMMAND_MS = 1_000;
/** How long reconnecting waits at most between attempts. */
const MAX_RECONNECT_MS = 2_000;
/** How many SCAN calls nodes() makes at most (a hundred keys each). */
const MAX_SCANS = 100;

const leaseKey = (room: string): string => `talkoo:lease:${room}`;
const fenceKey = (room: string): string => `talkoo:fence:${room}`;
const nodeKey = (node: string): string => `talkoo:node:${node}`;
const NODE_PREFIX = 'talkoo:node:';

/**
 * KEYS: lease, fence, the node's entry. ARGV: node, url, floor, ttl, instance. Returns {1, value}
 * when this node took the lease, {0, value} when another node holds it. A lease under this node's
 * own id that the node does not know it holds (its claim's answer was lost, or it restarted) is
 * taken again with a new token: nobody serves the room under the old one. Unless the instance that
 * holds it is the one alive under this id (the node's entry is its): two nodes run with one id.
 */
const CLAIM = `
local current = redis.call('GET', KEYS[1])
if current then
  local ok, holder = pcall(cjson.decode, current)
  if not (ok and type(holder) == 'table' and holder.node == ARGV[1]) then
    return {0, current}
  end
  if type(holder.instance) == 'string' and holder.instance ~= ARGV[5] then
    local entry = redis.call('GET', KEYS[3])
    if entry then
      local okEntry, live = pcall(cjson.decode, entry)
      if okEntry and type(live) == 'table' and live.instance == holder.instance then
        return {0, current}
      end
    end
  end
end
local fence = redis.call('INCR', KEYS[2])
local floor = tonumber(ARGV[3])
if fence <= floor then
  fence = floor + 1
  redis.call('SET', KEYS[2], fence)
end
local value = cjson.encode({node = ARGV[1], url = ARGV[2], fence = fence, instance = ARGV[5]})
redis.call('SET', KEYS[1], value, 'PX', ARGV[4])
return {1, value}
`;

/**
 * KEYS: the node's entry, then each lease. ARGV: ttl, the entry, then the value each lease must
 * still have. Renews the node's entry unless another instance holds it, and each lease still this
 * node's; returns {1 when another instance holds the entry else 0, the positions (from 1) of the
 * leases that are not this node's any more}.
 */
const RENEW = `
local entry = redis.call('GET', KEYS[1])
local usurped = 0
if entry == false or entry == ARGV[2] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[1])
else
  usurped = 1
end
local lost = {}
for i = 2, #KEYS do
  if redis.call('GET', KEYS[i]) == ARGV[i + 1] then
    redis.call('PEXPIRE', KEYS[i], ARGV[1])
  else
    lost[#lost + 1] = i - 1
  end
end
return {usurped, lost}
`;

/** KEYS: a lease (or the node's entry). ARGV: the value it must still have. Deletes it only then. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

/** A lease held here: what Redis stores for it, and when this node gives it up unless renewed. */
type Held = { readonly lease: Lease; readonly value: string; deadline: number };

/** A lease's value as Redis stores it, or an error naming the room when it is not one. */
function parseHolder(room: string, value: string): LeaseHolder {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    parsed = null;
  }
  if (typeof parsed === 'object' && parsed !== null) {
    const { node, url, fence } = parsed as Record<string, unknown>;
    if (
      typeof node === 'string' &&
      typeof url === 'string' &&
      Number.isSafeInteger(fence) &&
      Number(fence) > 0
    ) {
      return { node, url, fence: Number(fence) };
    }
  }
  throw new Error(`the lease of room ${room} in Redis is unreadable`);
}

/** The [taken, value] pair the claim script answers. */
function parseClaimReply(room: string, reply: unknown): { readonly taken: boolean; readonly value: string } {
  if (Array.isArray(reply) && reply.length === 2 && (reply[0] === 0 || reply[0] === 1)) {
    const value: unknown = reply[1];
    if (typeof value === 'string') return { taken: reply[0] === 1, value };
  }
  throw new Error(`Redis answered a claim of room ${room} with something else than a lease`);
}

/** Whether another instance holds the node's entry, and the lost lease positions, as the renewal script answers. */
function parseRenewReply(reply: unknown): { readonly usurped: boolean; readonly lost: number[] } {
  if (Array.isArray(reply) && reply.length === 2 && (reply[0] === 0 || reply[0] === 1)) {
    const lost: unknown = reply[1];
    if (Array.isArray(lost) && lost.every((n) => Number.isSafeInteger(n)))
      return { usurped: reply[0] === 1, lost: lost.map(Number) };
  }
  throw new Error('Redis answered a lease renewal with something else than lease positions');
}

/** The url in a node's entry (JSON {url, instance}, or a bare url from an earlier version). */
function urlOfEntry(entry: string): string {
  try {
    const parsed: unknown = JSON.parse(entry);
    if (typeof parsed === 'object' && parsed !== null) {
      const { url } = parsed as Record<string, unknown>;
      if (typeof url === 'string') return url;
    }
  } catch {
    // a bare url
  }
  return entry;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Connects to Redis and returns this node's leases, renewing the ones it takes every `renewMs`.
 * Rejects when Redis cannot be reached now or the options cannot keep a lease safe.
 */
export async function openLeases(options: LeaseOptions): Promise<Leases> {
  const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  const renewMs = options.renewMs ?? Math.floor(ttlMs / 3);
  if (!(ttlMs > 0 && ttlMs <= MAX_TTL_MS))
    throw new Error(`a lease lives at most ${MAX_TTL_MS} ms, not ${ttlMs}`);
  // The local deadline is a renewal period short of the ttl; it must leave room for one renewal.
  if (!(renewMs > 0 && renewMs * 2 < ttlMs)) {
    throw new Error(`leases must be renewed more often than every ${ttlMs / 2} ms, not every ${renewMs} ms`);
  }
  const marginMs = renewMs;
  const commandMs = Math.min(MAX_COMMAND_MS, renewMs);
  const log = options.log ?? silentLogger;
  const { node, url, onLost } = options;

  // Loaded by the first node that joins a cluster: a server alone never loads it (start-up, memory).
  const { Redis } = await import('ioredis');
  const redis: RedisClient = new Redis(options.redisUrl, {
    lazyConnect: true,
    // A command waits neither for a connection (no offline queue) nor on a silent one: it fails
    // after commandMs, and a connection that stays silent that long is dropped and made again.
    enableOfflineQueue: false,
    commandTimeout: commandMs,
    socketTimeout: commandMs,
    connectTimeout: commandMs,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    retryStrategy: (attempt) => Math.min(attempt * 100, MAX_RECONNECT_MS),
    maintNotifications: 'disabled',
  });
  // Reported once per outage, not at every reconnection attempt.
  let troubled = false;
  redis.on('error', (error: Error) => {
    if (troubled) return;
    troubled = true;
    log('warn', 'redis unreachable', { node, error: error.message });
  });
  redis.on('ready', () => {
    if (!troubled) return;
    troubled = false;
    log('info', 'redis reachable', { node });
  });
  const instance = randomBytes(8).toString('hex');
  const entry = JSON.stringify({ url, instance });
  /**
   * Takes this node's entry when no other instance holds it. One left by a node that died runs
   * out within a ttl; one still there a renewal later than that is renewed: its node lives.
   */
  async function takeEntry(): Promise<void> {
    const until = Date.now() + ttlMs + renewMs;
    for (let attempt = 0; ; attempt++) {
      if ((await redis.set(nodeKey(node), entry, 'PX', ttlMs, 'NX')) === 'OK') return;
      if (Date.now() >= until)
        throw new Error(`another node runs with id ${node}: give each node an id of its own (--node-id)`);
      if (attempt === 0) log('warn', 'node id in use, waiting for it to run out', { node });
      await sleep(Math.max(10, Math.floor(renewMs / 2)));
    }
  }
  try {
    await redis.connect();
    await takeEntry();
  } catch (error) {
    redis.disconnect();
    throw error;
  }

  const held = new Map<string, Held>();
  const claiming = new Map<string, Promise<{ readonly taken: Lease } | { readonly holder: LeaseHolder }>>();
  let closed = false;
  let renewing = false;
  /** Another instance holds this node's entry (reported once, until it is this node's again). */
  let usurped = false;
  let renewTimer: ReturnType<typeof setTimeout> | undefined;
  let expiryTimer: ReturnType<typeof setTimeout> | undefined;

  function lose(room: string, why: 'taken' | 'expired'): void {
    held.delete(room);
    try {
      onLost(room, why);
    } catch (error) {
      log('error', 'lease loss handler failed', { node, room, error: String(error) });
    }
  }

  /** Forgets every lease whose deadline has passed, and wakes up at the next one. */
  function expireDue(): void {
    if (expiryTimer) clearTimeout(expiryTimer);
    expiryTimer = undefined;
    const now = Date.now();
    let next = Infinity;
    for (const [room, lease] of [...held]) {
      if (lease.deadline <= now) {
        log('warn', 'lease expired unrenewed', { node, room });
        lose(room, 'expired');
      } else next = Math.min(next, lease.deadline);
    }
    if (next < Infinity && !closed) expiryTimer = setTimeout(expireDue, next - now);
  }

  function scheduleRenewal(delayMs: number): void {
    if (closed) return;
    if (renewTimer) clearTimeout(renewTimer);
    renewTimer = setTimeout(() => void renew(), delayMs);
  }

  async function renew(): Promise<void> {
    if (closed || renewing) return;
    renewing = true;
    const batch = [...held.values()];
    const sentAt = Date.now();
    let ok = false;
    try {
      const reply = parseRenewReply(
        await redis.eval(
          RENEW,
          1 + batch.length,
          nodeKey(node),
          ...batch.map((h) => leaseKey(h.lease.room)),
          ttlMs,
          entry,
          ...batch.map((h) => h.value),
        ),
      );
      ok = true;
      if (reply.usurped && !usurped) log('error', 'another node runs with this id', { node });
      usurped = reply.usurped;
      const lost = reply.lost;
      const lostSet = new Set(lost);
      batch.forEach((h, i) => {
        // Only the lease that was sent: it may have been released, or lost and claimed anew.
        if (held.get(h.lease.room) !== h) return;
        if (lostSet.has(i + 1)) {
          log('warn', 'lease taken by another node', { node, room: h.lease.room });
          lose(h.lease.room, 'taken');
        } else h.deadline = sentAt + ttlMs - marginMs;
      });
    } catch (error) {
      log('warn', 'lease renewal failed', {
        node,
        error: error instanceof Error ? error.message : String(error),
      });
    } finally {
      renewing = false;
    }
    expireDue();
    // After a failure, try again soon: the deadline is at most two periods away.
    scheduleRenewal(ok ? renewMs : Math.max(10, Math.floor(renewMs / 4)));
  }

  async function claimFromRedis(
    room: string,
    floor: number,
  ): Promise<{ readonly taken: Lease } | { readonly holder: LeaseHolder }> {
    const sentAt = Date.now();
    const reply = parseClaimReply(
      room,
      await redis.eval(
        CLAIM,
        3,
        leaseKey(room),
        fenceKey(room),
        nodeKey(node),
        node,
        url,
        floor,
        ttlMs,
        instance,
      ),
    );
    const holder = parseHolder(room, reply.value);
    if (!reply.taken) return { holder };
    const lease: Lease = { room, fence: holder.fence };
    if (!closed) {
      held.set(room, { lease, value: reply.value, deadline: sentAt + ttlMs - marginMs });
      expireDue();
    }
    return { taken: lease };
  }

  scheduleRenewal(renewMs);

  return {
    node,

    claim(room, floor) {
      if (!Number.isSafeInteger(floor) || floor < 0) {
        return Promise.reject(new Error(`a fencing floor is a whole number >= 0, not ${floor}`));
      }
      const mine = held.get(room);
      if (mine) return Promise.resolve({ taken: mine.lease });
      // One claim of a room at a time: a second would find this node's own fresh lease.
      const pending = claiming.get(room);
      if (pending) return pending;
      const claim = claimFromRedis(room, floor).finally(() => claiming.delete(room));
      claiming.set(room, claim);
      return claim;
    },

    async holder(room) {
      const value = await redis.get(leaseKey(room));
      return value === null ? null : parseHolder(room, value);
    },

    held: (room) => held.get(room)?.lease,

    heldAll: () => [...held.values()].map((h) => h.lease),

    async release(room) {
      const mine = held.get(room);
      if (!mine) return;
      held.delete(room);
      expireDue();
      await redis.eval(RELEASE, 1, leaseKey(room), mine.value);
    },

    async nodes() {
      const keys = new Set<string>();
      let cursor = '0';
      for (let scans = 0; scans < MAX_SCANS; scans++) {
        const [next, found] = await redis.scan(cursor, 'MATCH', `${NODE_PREFIX}*`, 'COUNT', 100);
        for (const key of found) keys.add(key);
        cursor = next;
        if (cursor === '0') break;
      }
      if (keys.size === 0) return [];
      const names = [...keys].sort();
      const entries = await redis.mget(...names);
      const nodes: ClusterNode[] = [];
      names.forEach((key, i) => {
        const found = entries[i];
        // A node whose key expired between SCAN and MGET is gone.
        if (typeof found === 'string')
          nodes.push({ node: key.slice(NODE_PREFIX.length), url: urlOfEntry(found) });
      });
      return nodes;
    },

    async close() {
      if (closed) return;
      closed = true;
      if (renewTimer) clearTimeout(renewTimer);
      if (expiryTimer) clearTimeout(expiryTimer);
      held.clear();
      const bounded = async (work: Promise<unknown>): Promise<void> => {
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([
          work.catch(() => undefined),
          new Promise((resolve) => (timer = setTimeout(resolve, commandMs))),
        ]);
        clearTimeout(timer);
      };
      // Drop out of the node list at once (unless another instance holds the entry); leases not
      // released run out on their own.
      await bounded(redis.eval(RELEASE, 1, nodeKey(node), entry));
      await bounded(redis.quit());
      redis.disconnect();
    },
  };
}
