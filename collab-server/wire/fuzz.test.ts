/**
 * A fuzz test of the wire (#10, "Must show"): thousands of random frames written by hand on raw
 * TCP sockets — garbage and truncated y-websocket messages in well-formed frames, and frames no
 * client may send (unmasked, reserved opcodes and RSV bits, oversized or lying lengths, broken
 * fragmentation and control frames) — plus upgrade requests cut or reset midway, from sockets
 * with no token, a forged one, a viewer's and a participant's. Meanwhile two honest stock clients
 * edit one room. The server must live, the honest pair must keep syncing during and after, a
 * newcomer must still join, nothing may be logged as an error (an unhandled 'error' event or
 * rejection would fail the run by itself), and the server must then stop when asked.
 *
 * Seeded: the seed is printed; TALKOO_FUZZ_SEED=<seed> repeats a run.
 */
import { connect, type Socket } from 'node:net';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { LogLevel } from '../log';
import type { RunningServer } from '../server';
import {
  connectClient,
  rawHttpStatus,
  startTestServer,
  synced,
  tokenFor,
  until,
  upgradeRequest,
  type TestClient,
} from '../test-support';
import { MESSAGE, SYNC } from './protocol';

const SEED = Number(process.env['TALKOO_FUZZ_SEED'] ?? Date.now() % 2 ** 31);
/** Hostile connections in all, and how many are open at once. */
const CONNECTIONS = 1500;
const PARALLEL = 16;
/** Small frames keep oversized ones cheap to send: ws itself refuses beyond twice this. */
const MAX_MESSAGE_BYTES = 32 * 1024;
const HONEST_ROOM = 'fuzz-honest';
const ROOMS = [HONEST_ROOM, 'fuzz-a', 'fuzz-b'];

/** mulberry32: a small, fast, seeded PRNG. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

type Random = {
  (): number;
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
  bytes(n: number): Buffer;
};

function randomOf(seed: number): Random {
  const next = prng(seed);
  const random = (() => next()) as Random;
  random.int = (n) => Math.floor(next() * n);
  random.pick = (items) => items[Math.floor(next() * items.length)] as (typeof items)[number];
  random.bytes = (n) => Buffer.from(Array.from({ length: n }, () => Math.floor(next() * 256)));
  return random;
}

/** A WebSocket frame as a client writes it (masked unless told), with any header bits asked for. */
function frame(
  random: Random,
  payload: Buffer,
  options: { opcode?: number; fin?: boolean; rsv?: number; mask?: boolean; declared?: number } = {},
): Buffer {
  const { opcode = 2, fin = true, rsv = 0, mask = true, declared = payload.length } = options;
  const head: number[] = [(fin ? 0x80 : 0) | ((rsv & 7) << 4) | (opcode & 0x0f)];
  const maskBit = mask ? 0x80 : 0;
  if (declared < 126) head.push(maskBit | declared);
  else if (declared < 65536) head.push(maskBit | 126, declared >> 8, declared & 0xff);
  else {
    const length = Buffer.alloc(8);
    length.writeBigUInt64BE(BigInt(declared));
    head.push(maskBit | 127, ...length);
  }
  if (!mask) return Buffer.concat([Buffer.from(head), payload]);
  const key = random.bytes(4);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ (key[i % 4] as number)));
  return Buffer.concat([Buffer.from(head), key, masked]);
}

function message(write: (encoder: encoding.Encoder) => void): Buffer {
  const encoder = encoding.createEncoder();
  write(encoder);
  return Buffer.from(encoding.toUint8Array(encoder));
}

/** A valid update of a small random document: it applies (from a participant) or is dropped. */
function validUpdate(random: Random): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = 1 + random.int(1_000_000);
  const map = doc.getMap('fuzz');
  for (let i = random.int(4); i >= 0; i--)
    map.set(`k${random.int(50)}`, random.bytes(random.int(40)).toString('hex'));
  if (random() < 0.3) {
    // Only the second half: it depends on what the server never received.
    const before = Y.encodeStateVector(doc);
    doc.getText('t').insert(0, 'tail');
    return Y.encodeStateAsUpdate(doc, before);
  }
  return Y.encodeStateAsUpdate(doc);
}

/** The payload of a y-websocket message, well-formed or garbage, maybe cut short. */
function payload(random: Random): Buffer {
  const whole = random.pick<() => Buffer>([
    () =>
      message(
        (e) => (
          encoding.writeVarUint(e, MESSAGE.sync),
          encoding.writeVarUint(e, SYNC.step1),
          encoding.writeVarUint8Array(e, random.bytes(random.int(20)))
        ),
      ),
    () =>
      message(
        (e) => (
          encoding.writeVarUint(e, MESSAGE.sync),
          encoding.writeVarUint(e, random.pick([SYNC.step2, SYNC.update])),
          encoding.writeVarUint8Array(e, random.bytes(random.int(200)))
        ),
      ),
    () =>
      message(
        (e) => (
          encoding.writeVarUint(e, MESSAGE.sync),
          encoding.writeVarUint(e, random.pick([SYNC.step2, SYNC.update])),
          encoding.writeVarUint8Array(e, validUpdate(random))
        ),
      ),
    () =>
      message(
        (e) => (
          encoding.writeVarUint(e, MESSAGE.awareness),
          encoding.writeVarUint8Array(e, random.bytes(random.int(100)))
        ),
      ),
    () =>
      message((e) => {
        encoding.writeVarUint(e, MESSAGE.awareness);
        const states = message((s) => {
          const count = 1 + random.int(6);
          encoding.writeVarUint(s, count);
          for (let i = 0; i < count; i++) {
            encoding.writeVarUint(s, random.int(2 ** 31));
            encoding.writeVarUint(s, random.int(1000));
            encoding.writeVarString(
              s,
              random() < 0.5 ? 'null' : JSON.stringify({ user: { name: random.bytes(8).toString('hex') } }),
            );
          }
        });
        encoding.writeVarUint8Array(e, states);
      }),
    () => Buffer.from([MESSAGE.queryAwareness]),
    () =>
      message(
        (e) => (
          encoding.writeVarUint(e, MESSAGE.auth),
          encoding.writeVarUint(e, 0),
          encoding.writeVarString(e, 'x')
        ),
      ),
    () => Buffer.from([100]),
    () => message((e) => encoding.writeVarUint(e, random.int(2 ** 32))),
    () => random.bytes(random.int(64)),
    () => Buffer.alloc(0),
  ])();
  return random() < 0.2 && whole.length > 1 ? whole.subarray(0, random.int(whole.length)) : whole;
}

/** One frame, most of them well-formed around a random message, the rest illegal in some way. */
function hostileFrame(random: Random): { bytes: Buffer; last?: boolean } {
  const kind = random.int(100);
  if (kind < 55) return { bytes: frame(random, payload(random)) };
  if (kind < 60) return { bytes: frame(random, payload(random), { mask: false }) };
  if (kind < 65)
    return {
      bytes: frame(random, payload(random), { opcode: random.pick([3, 4, 5, 6, 7, 11, 12, 13, 14, 15]) }),
    };
  if (kind < 70) return { bytes: frame(random, payload(random), { rsv: 1 + random.int(7) }) };
  if (kind < 73)
    return {
      bytes: frame(random, random.bytes(20), { declared: 2 ** 20 + random.int(2 ** 30) }),
      last: true,
    };
  if (kind < 75)
    return { bytes: frame(random, Buffer.alloc(0), { declared: Number.MAX_SAFE_INTEGER }), last: true };
  if (kind < 77)
    return { bytes: frame(random, random.bytes(MAX_MESSAGE_BYTES + 1 + random.int(MAX_MESSAGE_BYTES / 2))) };
  if (kind < 81) {
    // Declares more than it sends: the socket then ends mid-frame.
    const whole = frame(random, random.bytes(10 + random.int(300)));
    return { bytes: whole.subarray(0, 1 + random.int(whole.length - 1)), last: true };
  }
  if (kind < 84) return { bytes: frame(random, random.bytes(126 + random.int(100)), { opcode: 9 }) }; // ping over 125
  if (kind < 86)
    return { bytes: frame(random, random.bytes(4), { opcode: random.pick([8, 9, 10]), fin: false }) };
  if (kind < 89) return { bytes: frame(random, payload(random), { opcode: 0 }) }; // continuation of nothing
  if (kind < 92) return { bytes: frame(random, payload(random), { fin: false }) }; // a fragment; more may follow
  if (kind < 95) return { bytes: frame(random, Buffer.from([0xc3, 0x28, 0xff]), { opcode: 1 }) }; // text, bad UTF-8
  if (kind < 97) return { bytes: frame(random, random.bytes(random.pick([1, 2, 3, 40])), { opcode: 8 }) }; // close, odd code
  return {
    bytes: frame(
      random,
      message((e) => encoding.writeVarString(e, 'a text frame')),
      { opcode: 1 },
    ),
  };
}

/**
 * What a hostile socket asks for: a room name that is not one, or a room with no token, a forged
 * one, a viewer's or a participant's.
 */
function target(random: Random, server: RunningServer): string {
  if (random() < 0.15)
    return random.pick(['/bad%20room!', '/%zz', `/${'r'.repeat(129)}`, '/a/b', '/', '/..']);
  const room = random.pick(ROOMS);
  const who = random.int(4);
  if (who === 0) return `/${room}`;
  if (who === 1) return `/${room}?token=${encodeURIComponent(random.bytes(30).toString('base64url'))}`;
  const token = tokenFor(server, room, who === 2 ? 'viewer' : 'participant');
  return `/${room}?token=${encodeURIComponent(token)}`;
}

type Outcome = { frames: number };

/**
 * One hostile connection: an upgrade request (whole, or cut and reset midway), then random frames
 * written in random pieces, eagerly or after the answer; it ends by closing, resetting, or
 * waiting for the server to close it (at most a moment).
 */
function hostileConnection(server: RunningServer, random: Random): Promise<Outcome> {
  const { hostname, port } = new URL(server.url);
  const request = upgradeRequest(hostname, target(random, server));
  const style = random.int(10);
  const frames: Buffer[] = [];
  for (let i = random.int(16); i >= 0; i--) {
    const next = hostileFrame(random);
    frames.push(next.bytes);
    if (next.last) break;
  }
  const bytes = Buffer.concat(frames);
  const cuts = Array.from({ length: random.int(4) }, () => random.int(bytes.length + 1)).sort(
    (a, b) => a - b,
  );
  const ending = random.int(3);
  return new Promise((resolve) => {
    let done = false;
    /** Frames written to the socket (all of them once sending started: the server may stop reading). */
    let written = 0;
    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (!socket.destroyed) socket.destroy();
      resolve({ frames: written });
    };
    const timer = setTimeout(finish, 400);
    const socket: Socket = connect(Number(port), hostname, () => {
      if (style === 0) {
        // Reset partway through the request itself.
        socket.write(request.slice(0, random.int(request.length)), () => {
          socket.resetAndDestroy();
          finish();
        });
        return;
      }
      socket.write(request);
      if (style === 1) {
        socket.resetAndDestroy();
        return finish();
      }
      if (style < 5) send();
    });
    let sending = false;
    const send = (): void => {
      if (sending) return;
      sending = true;
      written = frames.length;
      let from = 0;
      for (const cut of [...cuts, bytes.length]) {
        if (socket.destroyed) return;
        socket.write(bytes.subarray(from, cut));
        from = cut;
      }
      if (ending === 0) socket.end();
      else if (ending === 1) socket.resetAndDestroy();
    };
    socket.on('data', () => send());
    socket.on('error', finish);
    socket.on('close', finish);
  });
}

describe('the wire under fuzzing', () => {
  let server: RunningServer;
  let stopped = false;
  const errors: string[] = [];
  beforeAll(async () => {
    console.log(`wire fuzz seed ${SEED} (repeat with TALKOO_FUZZ_SEED=${SEED})`);
    server = await startTestServer({
      limits: { maxMessageBytes: MAX_MESSAGE_BYTES },
      log: (level: LogLevel, text: string, fields?: Record<string, unknown>) => {
        if (level === 'error') errors.push(`${text} ${JSON.stringify(fields)}`);
      },
    });
  });
  afterAll(async () => {
    if (!stopped) await server?.close();
  });

  it(
    `lives through ${CONNECTIONS} hostile connections while two honest clients keep syncing`,
    { timeout: 60_000 },
    async () => {
      const random = randomOf(SEED);
      // Both facilitators: their edits (keys of a map of their own) are session state to the role
      // policy, which would refuse them from a participant (shared/policy).
      const a = connectClient(server, HONEST_ROOM, tokenFor(server, HONEST_ROOM, 'facilitator'));
      const b = connectClient(server, HONEST_ROOM, tokenFor(server, HONEST_ROOM, 'facilitator'));
      const honest: TestClient[] = [a, b];
      const closes: number[] = [];
      for (const client of honest)
        client.provider.on('connection-close', (event: CloseEvent | null) => closes.push(event?.code ?? 0));
      await Promise.all(honest.map(synced));

      // One edit a round, taking turns; each waits until the other has it.
      let rounds = 0;
      let fuzzing = true;
      const edit = async (): Promise<void> => {
        const [from, to] = rounds % 2 === 0 ? [a, b] : [b, a];
        const key = `r${rounds}`;
        from.doc.getMap('honest').set(key, rounds);
        await until(to.doc, () => to.doc.getMap('honest').get(key) === rounds);
        rounds++;
      };
      const editing = (async () => {
        while (fuzzing) await edit();
      })();

      let frames = 0;
      let next = 0;
      await Promise.all(
        Array.from({ length: PARALLEL }, async () => {
          while (next < CONNECTIONS) {
            next++;
            const outcome = await hostileConnection(server, randomOf(random.int(2 ** 31)));
            frames += outcome.frames;
          }
        }),
      );
      const roundsDuring = rounds;
      fuzzing = false;
      await editing;
      const { rejected, closed } = server.metrics;
      console.log(
        `wire fuzz: ${CONNECTIONS} connections, ${frames} frames, ${roundsDuring} honest rounds meanwhile;`,
        `refused ${JSON.stringify(Object.fromEntries(rejected))}, closed ${JSON.stringify(Object.fromEntries(closed))}, viewer updates dropped ${server.metrics.viewerUpdatesDropped}`,
      );

      expect(frames).toBeGreaterThan(5000);
      expect(roundsDuring).toBeGreaterThan(0);
      // The frames reached every layer: token checks, rooms' decoders, their viewer rule.
      expect(rejected.get('token-missing')).toBeGreaterThan(0);
      expect(rejected.get('token-malformed')).toBeGreaterThan(0);
      expect(server.metrics.viewerUpdatesDropped).toBeGreaterThan(0);
      expect(closed.get('malformed-frame')).toBeGreaterThan(0);
      // After: the pair still edits, a newcomer joins and sees everything, health is fine.
      for (let i = 0; i < 4; i++) await edit();
      const newcomer = connectClient(server, HONEST_ROOM, tokenFor(server, HONEST_ROOM, 'viewer'));
      honest.push(newcomer);
      await synced(newcomer);
      await until(newcomer.doc, () => newcomer.doc.getMap('honest').size >= rounds);
      expect(await rawHttpStatus(server, '/healthz')).toBe(200);
      expect(closes).toEqual([]);
      expect(errors).toEqual([]);
      for (const client of honest) client.provider.destroy();
      // And it stops when asked: no socket it was handed stays open (a refused one it no longer
      // read did, and kept the shutdown waiting for good).
      await server.close();
      stopped = true;
    },
  );
});
