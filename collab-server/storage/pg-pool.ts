/**
 * A PostgreSQL connection pool as the cluster (#14) uses it: the room storage (pg-storage.ts) and
 * the link journal (auth/pg-link-journal.ts) open theirs here, so both wait the same bounded time for
 * a database that stops answering, and both drop a connection that did not answer instead of
 * handing it to the next caller. The connection string is never logged.
 */
import type pg from 'pg';
import { FencedError } from '../cluster/contracts';

/** Well within a lease's life (10 s): our transactions never wait on their client for long. */
export const IDLE_IN_TRANSACTION_MS = 5_000;

/**
 * How long a query may go unanswered (and a new connection, or a free one of the pool, take).
 * PostgreSQL that stops answering (paused, its network blackholed: no reset ever comes) would
 * otherwise hold a write, a read or a node's close for good. A timed-out query throws, as any fault
 * does, and its caller tries again later.
 */
export const QUERY_TIMEOUT_MS = 5_000;

/** How long a connection may be silent before the kernel asks whether its peer is still there. */
const KEEPALIVE_IDLE_MS = 10_000;

/** The connections each pool opened and has not yet removed: {@link endPool} cuts those still busy. */
const clientsOf = new WeakMap<pg.Pool, Set<pg.PoolClient>>();

/**
 * node-postgres, loaded by the first pool: a server without PostgreSQL (a laptop, one server on
 * LevelDB) never loads it, so it starts as fast and holds as little as before the cluster (#14).
 */
let driver: typeof pg | undefined;

/** Opens a pool of at most `max` connections to the database at `url`. */
export async function openPool(url: string, options: { readonly max: number }): Promise<pg.Pool> {
  driver ??= (await import('pg')).default;
  const pool = new driver.Pool({
    connectionString: url,
    max: options.max,
    connectionTimeoutMillis: QUERY_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
    keepAlive: true,
    keepAliveInitialDelayMillis: KEEPALIVE_IDLE_MS,
    // Durable on commit whatever the server's default says. A node that stops in a transaction
    // (paused, cut off) holds its locks: the server ends that session after IDLE_IN_TRANSACTION_MS,
    // so another node waiting for them waits that long at most.
    options: `-c synchronous_commit=on -c idle_in_transaction_session_timeout=${IDLE_IN_TRANSACTION_MS}`,
  });
  const clients = new Set<pg.PoolClient>();
  clientsOf.set(pool, clients);
  // A connection that breaks (the server restarts, ends a session) must not crash the process,
  // idle or in use: its query throws to its caller, and the next one opens another connection.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => {
    clients.add(client);
    client.on('error', () => undefined);
  });
  pool.on('remove', (client) => clients.delete(client));
  return pool;
}

/**
 * True when a connection still answers after `error` in a transaction: PostgreSQL refused a
 * statement, or we did (fencing). Not after a timeout or a broken connection: a ROLLBACK would wait
 * behind the unanswered query, and the server rolls back the transaction when its session ends.
 */
function answering(error: unknown): boolean {
  return (driver !== undefined && error instanceof driver.DatabaseError) || error instanceof FencedError;
}

/** Runs `work` in one transaction on one connection of `pool`: committed when it resolves, else rolled back. */
export async function transaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | true | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    if (answering(error)) await client.query('ROLLBACK').catch((rollback: Error) => (broken = rollback));
    else broken = true;
    throw error;
  } finally {
    // A connection that did not answer, or could not even roll back, is dropped (its session
    // ends, rolling back), not handed to the next caller.
    client.release(broken);
  }
}

/**
 * Ends `pool`: what is under way may finish within `graceMs`; connections still open then (a query
 * unanswered, a goodbye unacknowledged: the database paused, its network blackholed) are cut, and
 * a query on one throws to its caller.
 */
export async function endPool(pool: pg.Pool, graceMs: number): Promise<void> {
  const ended = pool.end().catch(() => undefined);
  if ((await within(ended, graceMs)) === 'ended') return;
  for (const client of clientsOf.get(pool) ?? []) {
    if (driver && client instanceof driver.Client) client.connection.stream.destroy();
  }
  await within(ended, graceMs);
}

/** Waits for `work` at most `ms`. */
async function within(work: Promise<unknown>, ms: number): Promise<'ended' | 'late'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms)));
  try {
    return await Promise.race([work.then(() => 'ended' as const), late]);
  } finally {
    clearTimeout(timer);
  }
}
