// The child side of the benchmark's IPC, used by server-host.mjs and client-worker.mjs: answers
// `{ id, cmd, args }` requests from bench/run.mjs with `{ id, result }` or `{ id, error }`, and
// exits when the parent goes away (finished, crashed or killed), so no child outlives a run.

/**
 * The wall clock minus performance.now(), found at the edges of Date.now()'s millisecond ticks.
 * (performance.timeOrigin is not used: measured here it disagreed with Date.now() by 1.5–2.2 ms,
 * differently in each process, and by far more in a process started under load.) Just after a
 * tick, Date.now() − performance.now() is at most a few microseconds below the true offset, and a
 * preempted sample only ever reads lower, so the largest of a few samples is kept.
 */
function wallClockOffset() {
  let best = -Infinity;
  for (let tick = 0; tick < 5; tick++) {
    const before = Date.now();
    let now = before;
    // Bounded: Date.now() advances within a millisecond.
    for (let spins = 0; now === before && spins < 10_000_000; spins++) now = Date.now();
    best = Math.max(best, now - performance.now());
  }
  return best;
}

const offset = wallClockOffset();

/**
 * Wall-clock milliseconds with sub-millisecond resolution, comparable across processes on the same
 * machine (each calibrates against the shared wall clock): a receiver can subtract a sender's
 * timestamp taken in another process.
 */
export function clock() {
  return offset + performance.now();
}

/** Resolves after `ms` milliseconds. */
export function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Serves `handlers` (command name → async function of the request's args) over the IPC channel.
 * `stop` is called once when the parent disconnects, before the process exits.
 */
export function serve(handlers, stop) {
  if (!process.send) throw new Error('this script is started by bench/run.mjs (it needs an IPC channel)');
  process.on('message', (message) => {
    const { id, cmd, args } = message;
    const handler = handlers[cmd];
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`unknown command ${cmd}`);
        return handler(args ?? {});
      })
      .then(
        (result) => process.send?.({ id, result }),
        (error) =>
          process.send?.({
            id,
            error: error instanceof Error ? (error.stack ?? error.message) : String(error),
          }),
      );
  });
  let stopping = false;
  process.on('disconnect', () => {
    if (stopping) return;
    stopping = true;
    // Bounded: a stop that hangs must not keep the process alive.
    const forced = setTimeout(() => process.exit(0), 5000);
    forced.unref();
    Promise.resolve()
      .then(stop)
      .catch((error) => console.error(error))
      .finally(() => process.exit(0));
  });
}
