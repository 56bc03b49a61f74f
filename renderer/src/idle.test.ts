import { afterEach, describe, expect, it, vi } from 'vitest';
import { whenIdle } from './idle';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('whenIdle', () => {
  it('uses requestIdleCallback where the browser has it, and cancels through it', () => {
    const calls: (() => void)[] = [];
    const cancelled: number[] = [];
    vi.stubGlobal('requestIdleCallback', (cb: () => void) => calls.push(cb));
    vi.stubGlobal('cancelIdleCallback', (id: number) => cancelled.push(id));
    const fn = vi.fn();
    const cancel = whenIdle(fn);
    expect(fn).not.toHaveBeenCalled();
    calls[0]?.();
    expect(fn).toHaveBeenCalledOnce();
    cancel();
    expect(cancelled).toEqual([1]);
  });

  it('falls back to a short timeout without requestIdleCallback (Safari), which can be cancelled', () => {
    vi.stubGlobal('requestIdleCallback', undefined);
    vi.useFakeTimers();
    const ran = vi.fn();
    whenIdle(ran);
    const cancelledFn = vi.fn();
    whenIdle(cancelledFn)();
    vi.advanceTimersByTime(100);
    expect(ran).toHaveBeenCalledOnce();
    expect(cancelledFn).not.toHaveBeenCalled();
  });
});
