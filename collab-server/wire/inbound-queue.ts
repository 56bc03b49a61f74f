/**
 * The frames of one connection on their way into its room, at the connection's rate. Over its
 * rate a connection is slowed, not cut: its frames wait here, in order, while the server stops
 * reading its socket until the budget refills. Only a backlog beyond the limit ends it.
 */
import type { WebSocket } from 'ws';
import { ConnectionLimiter, type Limits } from './limits';

/**
 * What the queue needs of its socket: pause and resume reading it (frames already read still
 * arrive), and whether it is open (once closing, nothing more is handled). The WebSocket itself,
 * not an object of closures around it: one of those per connection adds up over thousands.
 */
export type QueueSocket = Pick<WebSocket, 'pause' | 'resume' | 'readyState' | 'OPEN'>;

export class InboundQueue {
  private readonly limiter: ConnectionLimiter;
  private readonly backlog: Buffer[] = [];
  private backlogBytes = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly limits: Limits,
    private readonly socket: QueueSocket,
    /** Handles one frame, in arrival order. */
    private readonly handle: (frame: Buffer) => void,
    /** Called once when a frame cannot be taken: `tooLarge`, or `backlog` for too much waiting. */
    private readonly refuse: (why: 'too-large' | 'backlog-full') => void,
  ) {
    this.limiter = new ConnectionLimiter(limits);
  }

  /** Takes one frame: handled now when within the rate and nothing waits, else queued. */
  push(frame: Buffer): void {
    if (!this.isOpen()) return;
    if (frame.byteLength > this.limits.maxMessageBytes) return this.refuse('too-large');
    if (this.backlog.length === 0 && this.limiter.allow(frame.byteLength)) return this.handle(frame);
    if (this.backlogBytes + frame.byteLength > this.limits.maxBacklogBytes)
      return this.refuse('backlog-full');
    this.backlog.push(frame);
    this.backlogBytes += frame.byteLength;
    this.socket.pause();
    this.timer ??= setTimeout(() => this.drain(), this.limiter.waitFor(frame.byteLength));
  }

  /** Charges what the server sent in answer to a frame: the frames behind it wait for it. */
  charge(bytes: number): void {
    this.limiter.charge(bytes);
  }

  private isOpen(): boolean {
    return this.socket.readyState === this.socket.OPEN;
  }

  /** Forgets what waits (the connection closed). */
  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.backlog.length = 0;
    this.backlogBytes = 0;
  }

  private drain(): void {
    this.timer = null;
    while (this.backlog.length && this.isOpen()) {
      const next = this.backlog[0] as Buffer;
      if (!this.limiter.allow(next.byteLength)) {
        this.timer = setTimeout(() => this.drain(), this.limiter.waitFor(next.byteLength));
        return;
      }
      this.backlog.shift();
      this.backlogBytes -= next.byteLength;
      this.handle(next);
    }
    if (this.isOpen()) this.socket.resume();
  }
}
