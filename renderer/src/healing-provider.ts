/**
 * The y-websocket provider every workshop connection uses (connection.ts), and the integration
 * tests with it (collab-server/heal.test.ts), so both run the same reconnect behaviour:
 *
 * - After a dropped connection it tries again after a jittered, exponentially growing wait
 *   (shared/reconnect.ts), not stock y-websocket's `min(2ⁿ × 100 ms, 2.5 s)` that sends every
 *   client of a restarted server back at the same instants. The waits start again from the
 *   shortest once a connection has synced.
 * - A close with a permanent code (shared/close-codes.ts) stops it for good: the provider's
 *   `closed` event says which code, and the page says why.
 * - `retryNow()` tries at once when there is reason to think the server is reachable again (the
 *   page became visible, the network came back).
 *
 * Stock y-websocket is not forked: on a drop this takes over the scheduling through the provider's
 * documented levers. Its `connection-close` event comes before the provider schedules its own
 * retry; clearing `shouldConnect` there turns that retry into a no-op (as the provider does itself
 * for a permanent close), and this class calls `connect()` when its own wait is over.
 */
import { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { PERMANENT_CLOSE_CODES } from '../../shared/close-codes';
import { createBackoff, RECONNECT_BACKOFF, type Backoff } from '../../shared/reconnect';

/** The stock provider's options, as its constructor takes them. */
type ProviderOptions = NonNullable<ConstructorParameters<typeof WebsocketProvider>[3]>;

/** The stock options, less the two this class decides (`shouldReconnect`, `maxBackoffTime`). */
export type HealingProviderOptions = Omit<ProviderOptions, 'shouldReconnect' | 'maxBackoffTime'> & {
  /** The waits between attempts; the app's policy with Math.random unless a test gives its own. */
  readonly backoff?: Backoff;
};

/** Whether the server's close `code` leaves any point in trying again (same link, same changes). */
export function reconnectsAfter(code: number): boolean {
  return !PERMANENT_CLOSE_CODES.has(code);
}

/** Stock y-websocket with jittered reconnects: see the module comment. */
export class HealingProvider extends WebsocketProvider {
  private readonly backoff: Backoff;
  private retry: ReturnType<typeof setTimeout> | null = null;

  constructor(serverUrl: string, room: string, doc: Y.Doc, options: HealingProviderOptions = {}) {
    const { backoff, connect = true, ...rest } = options;
    // Connected below, once this class's own fields exist (the stock constructor calls connect()).
    super(serverUrl, room, doc, {
      ...rest,
      connect: false,
      shouldReconnect: (event: CloseEvent) => reconnectsAfter(event.code),
    });
    this.backoff = backoff ?? createBackoff(RECONNECT_BACKOFF, Math.random);
    this.on('connection-close', (event: CloseEvent | null) => this.dropped(event));
    this.on('sync', (synced: boolean) => {
      if (synced) this.backoff.reset();
    });
    if (connect) this.connect();
  }

  /** True while waiting to try again after a drop. */
  get retryPending(): boolean {
    return this.retry !== null;
  }

  override connect(): void {
    this.cancelRetry();
    super.connect();
  }

  override disconnect(): void {
    this.cancelRetry();
    super.disconnect();
  }

  override destroy(): void {
    this.cancelRetry();
    super.destroy();
  }

  /** Tries at once if waiting to try again (nothing otherwise: a closed or refused one stays so). */
  retryNow(): void {
    if (this.retry !== null) this.connect();
  }

  /** Called by the stock provider for every closed socket, before it schedules its own retry. */
  private dropped(event: CloseEvent | null): void {
    // Closed on purpose here (disconnect, destroy): nothing to retry.
    if (!this.shouldConnect) return;
    // A permanent refusal: the stock provider stops and emits `closed` with the code.
    if (event && !this.shouldReconnect(event, this)) return;
    // The stock retry, scheduled right after this, finds shouldConnect false and does nothing.
    this.shouldConnect = false;
    this.cancelRetry();
    this.retry = setTimeout(() => {
      this.retry = null;
      super.connect();
    }, this.backoff.next());
  }

  private cancelRetry(): void {
    if (this.retry === null) return;
    clearTimeout(this.retry);
    this.retry = null;
  }
}
