/**
 * One client connection's life, from the upgraded socket to its close:
 *
 *   token → (refused) closed
 *   token → places → loading → joined → closed
 *
 * The token is checked before any document byte is sent; one link and one address hold at most
 * their share of connections; the room is loaded completely before the peer joins it; frames that
 * arrive meanwhile wait, in order. Every socket has an error handler from its first byte: ws
 * reports an illegal frame (unmasked, a reserved opcode or RSV bit, too large) as an 'error', which
 * with no listener would end the process, whatever phase the connection is in.
 */
import type { RawData, WebSocket } from 'ws';
import type { LinkBook } from '../auth/link-book';
import type { TokenClaims, TokenProblem } from '../auth/tokens';
import type { Metrics } from '../http/metrics';
import type { Logger } from '../log';
import type { Peer, Room } from '../rooms/room';
import { RoomRemovedError, type RoomManager } from '../rooms/room-manager';
import { personalRoomName } from '../rooms/personal-rooms';
import { RoomElsewhereError } from '../cluster/ownership';
import { InboundQueue } from './inbound-queue';
import type { Limits } from './limits';
import { CLOSE } from './protocol';

/** What every connection shares: the server's key, limits, rooms and counters. */
export type ConnectionContext = {
  /** Checks tokens (signature, expiry, room, revocation) and tells of revocations. */
  readonly links: LinkBook;
  readonly limits: Limits;
  readonly rooms: RoomManager;
  readonly metrics: Metrics;
  readonly log: Logger;
  readonly counts: ConnectionCounts;
};

/** Where a connection is in its life. */
export type ConnectionPhase = 'token' | 'loading' | 'joined' | 'closed';

const TOKEN_CLOSE: Readonly<Record<TokenProblem, number>> = {
  missing: CLOSE.tokenMissing,
  malformed: CLOSE.tokenMalformed,
  forged: CLOSE.tokenForged,
  'wrong-room': CLOSE.tokenWrongRoom,
  'wrong-role': CLOSE.tokenWrongRole,
  expired: CLOSE.tokenExpired,
  revoked: CLOSE.tokenRevoked,
};

/** Open connections per link (its id) and per client address, across every room. */
export class ConnectionCounts {
  private readonly perToken = new Map<string, number>();
  private readonly perAddress = new Map<string, number>();

  constructor(private readonly limits: Limits) {}

  /** Takes a place for `link` from `address`, or says which share is used up. */
  take(link: string, address: string): 'token-connections' | 'address-connections' | null {
    if ((this.perToken.get(link) ?? 0) >= this.limits.connectionsPerToken) return 'token-connections';
    if ((this.perAddress.get(address) ?? 0) >= this.limits.connectionsPerAddress)
      return 'address-connections';
    add(this.perToken, link, 1);
    add(this.perAddress, address, 1);
    return null;
  }

  /** Gives back a place `take` gave. */
  release(link: string, address: string): void {
    add(this.perToken, link, -1);
    add(this.perAddress, address, -1);
  }
}

function add(map: Map<string, number>, key: string, delta: number): void {
  const next = (map.get(key) ?? 0) + delta;
  if (next > 0) map.set(key, next);
  else map.delete(key);
}

let connectionCount = 0;

/** One upgraded socket, from its token check to its close. */
export class ClientConnection {
  readonly id = ++connectionCount;
  private phaseNow: ConnectionPhase = 'token';
  /** Frames that arrive before the peer joins its room wait here, in order. */
  private readonly early: Buffer[] = [];
  private earlyBytes = 0;
  private queue: InboundQueue | null = null;
  private role: Peer['role'] = 'viewer';
  /** The link whose place this connection holds (given back at its close). */
  private placeOf: string | null = null;
  /** Leaves the room it joined (at its close). */
  private leaveRoom: (() => void) | null = null;

  /** Read once: slices of the request's URL, they would keep that whole URL alive. */
  private token: string | null;
  private identityParam: string | null;
  /** True for the person's own document in the room (`/<room>/me`), not the workshop. */
  private readonly personal: boolean;
  /** Who the server knows this connection as (none for a viewer). */
  private identity: Peer['identity'];

  constructor(
    private readonly ctx: ConnectionContext,
    private readonly ws: WebSocket,
    private readonly roomName: string,
    private readonly address: string,
    asked: { readonly token: string | null; readonly identity: string | null; readonly personal: boolean },
  ) {
    this.token = asked.token;
    this.identityParam = asked.identity;
    this.personal = asked.personal;
    ws.on('error', (error) =>
      ctx.log('warn', 'socket error', { connection: this.id, room: roomName, error: error.message }),
    );
    // Once the server has closed a connection (ws is then CLOSING), frames still in flight from
    // it are ignored: they are neither applied nor counted again.
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (ws.readyState === ws.OPEN) this.frame(data, isBinary);
    });
    // ws emits 'close' once; on() spares the wrapper once() would add to every connection.
    ws.on('close', () => this.closed());
  }

  get phase(): ConnectionPhase {
    return this.phaseNow;
  }

  /** Runs the connection's life until it has joined its room (or was refused). */
  async start(): Promise<void> {
    // A node of a cluster first reads what the others recorded: a link revoked through any of them.
    if (this.ctx.links.shared) {
      await this.ctx.links.catchUp();
      if (this.phaseNow === 'closed') return;
    }
    const claims = this.checkToken();
    if (!claims || !this.takePlace(claims.id)) return;
    this.role = claims.role === 'organiser' ? 'viewer' : claims.role;
    if (!this.identify()) return;
    this.phaseNow = 'loading';
    await this.join(claims);
  }

  /**
   * Who this connection is: the personal identity it presented, or (on a first join to the
   * workshop) a new one. A person's own document opens only to a valid identity.
   */
  private identify(): boolean {
    const { ctx, roomName } = this;
    const presented = this.identityParam;
    this.identityParam = null;
    if (this.role === 'viewer') {
      if (!this.personal) return true;
      ctx.metrics.reject('identity-invalid');
      this.refuse(CLOSE.identityInvalid, 'viewers have no personal document', 'identity invalid');
      return false;
    }
    const known = ctx.links.verifyIdentity(roomName, presented);
    if (!known && this.personal) {
      ctx.metrics.reject('identity-invalid');
      this.refuse(CLOSE.identityInvalid, 'no valid identity', 'identity invalid');
      return false;
    }
    const { id, identity } = known
      ? { id: known, identity: presented ?? '' }
      : ctx.links.issueIdentity(roomName);
    this.identity = { id, identity, authorKey: ctx.links.authorKey(roomName, id) };
    return true;
  }

  private checkToken(): TokenClaims | null {
    const { ctx } = this;
    const verdict = ctx.links.verify(this.token, { room: this.roomName });
    this.token = null;
    if (verdict.ok) return verdict.value;
    ctx.metrics.reject(`token-${verdict.error}`);
    this.refuse(TOKEN_CLOSE[verdict.error], `token ${verdict.error}`, `token ${verdict.error}`);
    return null;
  }

  /** One link or one address cannot take every place: beyond its share it is told to retry later. */
  private takePlace(link: string): boolean {
    const { ctx } = this;
    const over = ctx.counts.take(link, this.address);
    if (over === null) {
      this.placeOf = link;
      return true;
    }
    ctx.metrics.reject(over);
    const reason =
      over === 'token-connections' ? 'too many connections on this link' : 'too many connections';
    this.refuse(CLOSE.tryAgainLater, reason, over);
    return false;
  }

  private async join(claims: TokenClaims): Promise<void> {
    const { ctx, ws } = this;
    // A person's own document is checked against its workshop, which stays loaded meanwhile.
    const names =
      this.personal && this.identity
        ? [this.roomName, personalRoomName(this.roomName, this.identity.id)]
        : [this.roomName];
    const roomName = names[names.length - 1]!;
    const releaseAll = (): void => names.forEach((name) => ctx.rooms.release(name));
    let room: Room | undefined;
    try {
      for (const name of names) room = await ctx.rooms.acquire(name);
    } catch (error) {
      if (error instanceof RoomRemovedError) {
        ctx.metrics.reject('workshop-deleted');
        this.refuse(CLOSE.workshopDeleted, 'workshop deleted', 'workshop deleted');
        releaseAll();
        return;
      }
      if (error instanceof RoomElsewhereError) {
        // Another node took the room just now: the client reconnects, and reaches it there.
        ctx.metrics.reject('room-moved');
        this.refuse(CLOSE.roomMoved, 'room moved to another node', 'room moved');
        releaseAll();
        return;
      }
      ctx.log('error', 'room could not be loaded', { room: roomName, error: (error as Error).message });
      ctx.metrics.reject('storage-failure');
      this.refuse(CLOSE.storageFailure, 'room could not be loaded', 'storage failure');
      releaseAll();
      return;
    }
    if (!room || ws.readyState !== ws.OPEN) {
      releaseAll();
      return;
    }
    const places =
      this.role === 'facilitator'
        ? ctx.limits.connectionsPerRoom
        : ctx.limits.connectionsPerRoom - ctx.limits.facilitatorReserve;
    if (room.size >= places) {
      ctx.metrics.reject('room-full');
      this.refuse(CLOSE.roomFull, 'room is full', 'room full');
      releaseAll();
      return;
    }
    /** Bytes sent to this peer while one of its frames is handled (the answers it asked for); null between frames. */
    let answered: number | null = null;
    /** A connection's first sync step 1 is its join: its answer, the whole document, is free. */
    let joinAnswered = false;
    const peer: Peer = {
      role: this.role,
      name: claims.name,
      link: claims.id,
      identity: this.identity,
      send: (data) => {
        if (ws.readyState !== ws.OPEN) return;
        if (answered !== null) answered += data.byteLength;
        ctx.metrics.messagesOut++;
        ctx.metrics.bytesOut += data.byteLength;
        ws.send(data);
        if (ws.bufferedAmount > ctx.limits.maxOutboundBytes) this.cutOff();
      },
      close: (code, reason) => ws.close(code, reason),
      charge: (bytes) => {
        if (answered !== null) answered += bytes;
      },
    };
    this.queue = new InboundQueue(
      ctx.limits,
      ws,
      (bytes) => {
        ctx.metrics.messagesIn++;
        ctx.metrics.bytesIn += bytes.byteLength;
        // [0 = sync, 0 = step 1]: "send me what I lack".
        const free = !joinAnswered && bytes[0] === 0 && bytes[1] === 0;
        joinAnswered ||= free;
        answered = 0;
        try {
          room.receive(peer, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
        } finally {
          // What its requests make the server send (or do) counts against its byte rate too.
          if (answered > 0 && !free) this.queue?.charge(answered);
          answered = null;
        }
      },
      (why) =>
        why === 'too-large'
          ? this.closeWith(CLOSE.tooLarge, `frame over ${ctx.limits.maxMessageBytes} bytes`, why)
          : this.closeWith(CLOSE.tryAgainLater, 'too much waiting; try again later', why),
    );
    // A revoked link is cut off at once, not at its next connection.
    const unwatch = ctx.links.watch(claims, () =>
      this.closeWith(CLOSE.tokenRevoked, 'token revoked', 'token-revoked'),
    );
    this.leaveRoom = () => {
      unwatch();
      room.leave(peer);
      releaseAll();
    };
    this.phaseNow = 'joined';
    room.join(peer);
    ctx.log('info', 'connected', { connection: this.id, room: roomName, role: this.role, name: claims.name });
    for (const frame of this.early.splice(0)) this.queue.push(frame);
  }

  private frame(data: RawData, isBinary: boolean): void {
    if (!isBinary)
      return this.closeWith(CLOSE.malformedFrame, 'text frames are not accepted', 'malformed-frame');
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    if (this.queue) return this.queue.push(bytes);
    if (this.phaseNow === 'closed') return;
    this.earlyBytes += bytes.byteLength;
    if (this.earlyBytes > this.ctx.limits.maxBacklogBytes)
      return this.closeWith(CLOSE.tryAgainLater, 'too much waiting; try again later', 'backlog-full');
    this.early.push(bytes);
  }

  /** Refuses the connection before it joined a room. */
  private refuse(code: number, reason: string, logged: string): void {
    this.ctx.log('warn', 'connection refused', { connection: this.id, room: this.roomName, reason: logged });
    this.ws.close(code, reason);
  }

  /** Closes a connection for something it sent. */
  private closeWith(code: number, reason: string, metric: string): void {
    this.ctx.metrics.close(metric);
    this.ctx.log('warn', 'connection closed', {
      connection: this.id,
      room: this.roomName,
      role: this.role,
      reason,
    });
    // A slowed connection is paused: read again, or the client's reply to the close is never
    // read and the close waits for its timeout.
    this.ws.resume();
    this.ws.close(code, reason);
  }

  /**
   * Drops a connection that does not read what it is sent: a close frame would wait behind
   * everything it has not read, so the socket goes at once (its client sees 1006 and reconnects).
   */
  private cutOff(): void {
    this.ctx.metrics.close('slow-reader');
    this.ctx.log('warn', 'connection cut off', {
      connection: this.id,
      room: this.roomName,
      role: this.role,
      reason: `more than ${this.ctx.limits.maxOutboundBytes} bytes wait to be sent to it`,
    });
    this.ws.terminate();
  }

  private closed(): void {
    if (this.phaseNow === 'closed') return;
    const joined = this.phaseNow === 'joined';
    this.phaseNow = 'closed';
    this.early.length = 0;
    this.queue?.clear();
    // One 'close' listener for all it gives back: each once() wrapper costs memory per connection.
    if (this.placeOf !== null) this.ctx.counts.release(this.placeOf, this.address);
    this.leaveRoom?.();
    if (joined)
      this.ctx.log('info', 'disconnected', { connection: this.id, room: this.roomName, role: this.role });
  }
}
