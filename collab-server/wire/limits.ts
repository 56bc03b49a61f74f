/** Per-connection limits: a token bucket for messages and one for bytes. */
import { MAX_DOCUMENT_BYTES, MAX_FRAME_BYTES } from '../../shared/limits';

/** The limits a server enforces. */
export type Limits = {
  /** Largest single frame, bytes: a whole document of `maxDocumentBytes` fits in one. */
  readonly maxMessageBytes: number;
  /**
   * Largest document a room holds, bytes: a change that would grow it beyond is refused, and its
   * sender closed with tooLarge (permanent: the same change would be refused again).
   */
  readonly maxDocumentBytes: number;
  /** Sustained messages per second per connection, and the burst allowed above it. */
  readonly messagesPerSecond: number;
  readonly messageBurst: number;
  /**
   * Sustained bytes per second per connection, and the burst allowed above it: what it sends, and
   * what its requests make the server send back to it (a sync step 1 is answered with the whole
   * document, so a few bytes could otherwise ask for megabytes again and again).
   */
  readonly bytesPerSecond: number;
  readonly byteBurst: number;
  /** Connections one room accepts. */
  readonly connectionsPerRoom: number;
  /** Of those, places only facilitators may take, so a full room never locks them out. */
  readonly facilitatorReserve: number;
  /** Connections one link (token) may hold open across the server: a shared participant link. */
  readonly connectionsPerToken: number;
  /** Connections one address may hold open: a venue's Wi-Fi is one address behind its router. */
  readonly connectionsPerAddress: number;
  /** Largest awareness state of one client (its JSON), bytes. */
  readonly maxAwarenessBytes: number;
  /**
   * Bytes of frames a connection may have waiting while it is over its rate: it is slowed down
   * (the server stops reading its socket until its budget refills), and closed with "try again
   * later" only when more than this waits.
   */
  readonly maxBacklogBytes: number;
  /**
   * Bytes the server may have waiting to be sent to one connection: a client that stops reading
   * (while it asks for the whole document again and again, say) is cut off beyond it, rather than
   * have the server hold every answer in memory. Its client reconnects once it reads again.
   */
  readonly maxOutboundBytes: number;
};

/** Defaults sized for a workshop: generous for typing and dragging, tight for floods. */
export const DEFAULT_LIMITS: Limits = {
  maxMessageBytes: MAX_FRAME_BYTES,
  maxDocumentBytes: MAX_DOCUMENT_BYTES,
  // A stock client writing 2,000 keys outside a transaction sends 2,000 updates at once.
  messagesPerSecond: 500,
  messageBurst: 1000,
  bytesPerSecond: 2 * 1024 * 1024,
  // A whole document synced from an offline copy is one frame: the burst pays for it.
  byteBurst: MAX_FRAME_BYTES,
  connectionsPerRoom: 200,
  facilitatorReserve: 10,
  connectionsPerToken: 150,
  connectionsPerAddress: 1200,
  maxAwarenessBytes: 8 * 1024,
  // One largest frame may wait rather than close its sender.
  maxBacklogBytes: MAX_FRAME_BYTES,
  // A whole document on its way, and as much again of changes behind it.
  maxOutboundBytes: 2 * MAX_FRAME_BYTES,
};

/** A token bucket: `take` spends, time refills up to `capacity`. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly capacity: number,
    now: number = Date.now(),
  ) {
    this.tokens = capacity;
    this.last = now;
  }

  /**
   * Spends `amount`; false (and nothing spent) when the bucket does not hold that much. A full
   * bucket pays for more than its capacity (it then refills from below zero), so no single
   * amount waits forever.
   */
  take(amount: number, now: number = Date.now()): boolean {
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (amount > this.tokens && this.tokens < this.capacity) return false;
    this.tokens -= amount;
    return true;
  }

  /** Spends `amount` whatever the bucket holds (it may go below zero, and refills from there). */
  spend(amount: number, now: number = Date.now()): void {
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    this.tokens -= amount;
  }

  /** Gives back what a `take` spent. */
  refund(amount: number): void {
    this.tokens = Math.min(this.capacity, this.tokens + amount);
  }

  /** Milliseconds until the bucket holds `amount` (or is full, for more than it holds). */
  waitFor(amount: number): number {
    const needed = Math.min(amount, this.capacity) - this.tokens;
    return needed <= 0 ? 0 : Math.ceil((needed / this.perSecond) * 1000);
  }
}

/** Both buckets of one connection. */
export class ConnectionLimiter {
  private readonly messages: TokenBucket;
  private readonly bytes: TokenBucket;

  constructor(limits: Limits, now: number = Date.now()) {
    this.messages = new TokenBucket(limits.messagesPerSecond, limits.messageBurst, now);
    this.bytes = new TokenBucket(limits.bytesPerSecond, limits.byteBurst, now);
  }

  /** Accounts one incoming message; false (nothing spent) when it goes over either rate. */
  allow(size: number, now: number = Date.now()): boolean {
    if (!this.messages.take(1, now)) return false;
    if (this.bytes.take(size, now)) return true;
    this.messages.refund(1);
    return false;
  }

  /** Accounts bytes sent in answer to this connection's messages: later messages wait for them. */
  charge(bytes: number, now: number = Date.now()): void {
    this.bytes.spend(bytes, now);
  }

  /** Milliseconds until a message of `size` bytes would be allowed. */
  waitFor(size: number): number {
    return Math.max(this.messages.waitFor(1), this.bytes.waitFor(size), 1);
  }
}
