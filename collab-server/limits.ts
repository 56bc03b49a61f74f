/** Per-connection limits: a token bucket for messages and one for bytes. */

/** The limits a server enforces. */
export type Limits = {
  /** Largest single frame, bytes. */
  readonly maxMessageBytes: number;
  /** Sustained messages per second per connection, and the burst allowed above it. */
  readonly messagesPerSecond: number;
  readonly messageBurst: number;
  /** Sustained bytes per second per connection, and the burst allowed above it. */
  readonly bytesPerSecond: number;
  readonly byteBurst: number;
  /** Connections one room accepts. */
  readonly connectionsPerRoom: number;
  /** Largest awareness state of one client (its JSON), bytes. */
  readonly maxAwarenessBytes: number;
};

/** Defaults sized for a workshop: generous for typing and dragging, tight for floods. */
export const DEFAULT_LIMITS: Limits = {
  maxMessageBytes: 8 * 1024 * 1024,
  messagesPerSecond: 200,
  messageBurst: 400,
  bytesPerSecond: 2 * 1024 * 1024,
  byteBurst: 16 * 1024 * 1024,
  connectionsPerRoom: 200,
  maxAwarenessBytes: 8 * 1024,
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

  /** Spends `amount`; false (and nothing spent) when the bucket does not hold that much. */
  take(amount: number, now: number = Date.now()): boolean {
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (amount > this.tokens) return false;
    this.tokens -= amount;
    return true;
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

  /** Accounts one incoming message; false when it goes over either rate. */
  allow(size: number, now: number = Date.now()): boolean {
    return this.messages.take(1, now) && this.bytes.take(size, now);
  }
}
