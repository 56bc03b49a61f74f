import { describe, expect, it } from 'vitest';
import { createBackoff, RECONNECT_BACKOFF, reconnectWindow } from './reconnect';

/** A "random" source that hands out `values` in turn. */
function sequence(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length] ?? 0;
}

describe('reconnect backoff (full jitter)', () => {
  it('waits no longer than the window, which doubles from the base up to the cap', () => {
    const policy = { baseMs: 100, capMs: 1_000 };
    expect([0, 1, 2, 3, 4, 5, 30, 2000].map((n) => reconnectWindow(policy, n))).toEqual([
      100, 200, 400, 800, 1_000, 1_000, 1_000, 1_000,
    ]);
    // The largest draw waits the whole window, never more.
    const backoff = createBackoff(policy, () => 0.999_999);
    const waits = Array.from({ length: 8 }, () => backoff.next());
    expect(waits.map(Math.round)).toEqual([100, 200, 400, 800, 1_000, 1_000, 1_000, 1_000]);
    for (const wait of waits) expect(wait).toBeLessThanOrEqual(policy.capMs);
  });

  it('draws each wait anywhere in its window, from the random source it is given', () => {
    const policy = { baseMs: 100, capMs: 10_000 };
    const backoff = createBackoff(policy, sequence(0, 0.5, 0.25));
    expect([backoff.next(), backoff.next(), backoff.next()]).toEqual([0, 100, 100]);
  });

  it('spreads clients that lost the same server across the window instead of sending them together', () => {
    // 200 clients, each with its own draws, on their fourth attempt (window 2 s with the app's policy).
    let seed = 7;
    const random = (): number => {
      seed = (seed * 16_807) % 2_147_483_647;
      return (seed - 1) / 2_147_483_646;
    };
    const waits = Array.from({ length: 200 }, () => {
      const backoff = createBackoff(RECONNECT_BACKOFF, random);
      for (let i = 0; i < 3; i++) backoff.next();
      return backoff.next();
    });
    const window = reconnectWindow(RECONNECT_BACKOFF, 3);
    const buckets = new Array<number>(10).fill(0);
    for (const wait of waits) {
      expect(wait).toBeGreaterThanOrEqual(0);
      expect(wait).toBeLessThan(window);
      buckets[Math.floor((wait / window) * 10)]!++;
    }
    // Every tenth of the window gets some, none gets more than a quarter of them.
    for (const count of buckets) {
      expect(count).toBeGreaterThan(0);
      expect(count).toBeLessThan(50);
    }
  });

  it('starts again from the first window once a connection synced', () => {
    const backoff = createBackoff({ baseMs: 100, capMs: 10_000 }, () => 0.999_999);
    for (let i = 0; i < 6; i++) backoff.next();
    expect(backoff.attempts()).toBe(6);
    backoff.reset();
    expect(backoff.attempts()).toBe(0);
    expect(Math.round(backoff.next())).toBe(100);
  });

  it('the app waits at most a few seconds: a restarted server is back in use soon', () => {
    expect(RECONNECT_BACKOFF.capMs).toBeLessThanOrEqual(10_000);
    expect(RECONNECT_BACKOFF.baseMs).toBeGreaterThan(0);
  });
});
