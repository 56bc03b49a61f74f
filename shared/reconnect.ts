/**
 * How long a client waits before it tries again to reach a server that dropped it: exponential
 * backoff with "full jitter". The wait for attempt n is drawn uniformly from
 * [0, min(cap, base × 2ⁿ)). Pure: no timers, the random source is given, so it is tested as is.
 *
 * Why full jitter rather than none (stock y-websocket) or "decorrelated jitter": when a server
 * restarts, every client lost it at the same moment. Without jitter they all come back on the same
 * schedule, together. Full jitter spreads each attempt evenly over its whole window, needs nothing
 * but the attempt number (so "start again after a good sync" is just attempt 0), and in AWS's
 * comparison ("Exponential Backoff And Jitter", 2015) does the least total work of the jittered
 * variants; decorrelated jitter carries the previous wait along and is no better at spreading.
 */

/** The bounds of the backoff, in milliseconds. */
export type BackoffPolicy = {
  /** The first window: the first attempt after a drop waits up to this. */
  readonly baseMs: number;
  /** No window grows beyond this: a client offline for long still tries this often, on average every cap ÷ 2. */
  readonly capMs: number;
};

/**
 * The app's policy: first try within a quarter second (a dropped Wi-Fi, a proxy's idle cut), then
 * windows of 0.5, 1, 2, 4 s, then at most 5 s: a restarted server is in use again within seconds,
 * and 200 clients coming back spread over whole seconds instead of one instant.
 */
export const RECONNECT_BACKOFF: BackoffPolicy = { baseMs: 250, capMs: 5_000 };

/** The window of attempt `attempt` (0 is the first after a drop): min(cap, base × 2^attempt). */
export function reconnectWindow(policy: BackoffPolicy, attempt: number): number {
  // 2^31 × base is beyond any cap; keeps the power finite for a client offline for days.
  return Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt, 31));
}

/** The attempts of one connection: each next() is the wait before the next attempt. */
export type Backoff = {
  /** The wait before the next attempt, ms; counts the attempt. */
  readonly next: () => number;
  /** After a connection that synced: the next wait is drawn from the first window again. */
  readonly reset: () => void;
  /** Attempts since the last reset. */
  readonly attempts: () => number;
};

/** A backoff by `policy`, drawing from `random` (values in [0, 1), as Math.random). */
export function createBackoff(policy: BackoffPolicy, random: () => number): Backoff {
  let attempt = 0;
  return {
    next: () => random() * reconnectWindow(policy, attempt++),
    reset: () => {
      attempt = 0;
    },
    attempts: () => attempt,
  };
}
