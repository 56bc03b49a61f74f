/**
 * Runs `fn` once the browser is idle (within a second at the latest); returns a function that
 * cancels it. Safari has no requestIdleCallback: there a 50 ms timeout stands in for it.
 */
export function whenIdle(fn: () => void): () => void {
  if (typeof requestIdleCallback === 'function') {
    const idle = requestIdleCallback(() => fn(), { timeout: 1000 });
    return () => cancelIdleCallback(idle);
  }
  const timer = setTimeout(fn, 50);
  return () => clearTimeout(timer);
}
