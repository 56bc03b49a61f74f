/**
 * The link book of a cluster (#14) in PostgreSQL: the records `links.jsonl` holds (auth/link-book.ts,
 * the same format), one row each in `talkoo_links`, in the order they were appended. Every node
 * appends its own and reads everyone's, so a link made, coded or revoked through one node is known
 * to all.
 *
 * Appends take a lock for the length of their transaction, so rows become visible in the order of
 * their `seq`: a reader that has seen up to some seq never misses a row below it that commits later.
 */
import pg from 'pg';
import type { LinkJournal } from './link-book';
import type { Warn } from './signing-key';

/** How often a node reads what the others appended, ms. */
const FOLLOW_MS = 1000;

/** How long a query may take before it counts as failed, ms. */
const QUERY_TIMEOUT_MS = 10_000;

/** A session that stops inside a transaction (paused, cut off) holds the append lock this long at most. */
const IDLE_IN_TRANSACTION_MS = 5000;

const SCHEMA =
  'CREATE TABLE IF NOT EXISTS talkoo_links (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, record jsonb NOT NULL)';

/** Advisory lock keys: creating the table, and appending (one writer at a time, cluster-wide). */
const SCHEMA_LOCK = 0x74616c6b6f6f4c31n;
const APPEND_LOCK = 0x74616c6b6f6f4c32n;

/** Opens the journal in the database at `url`, creating its table when it is missing. */
export async function openPostgresLinkJournal(url: string, warn: Warn): Promise<LinkJournal> {
  const pool = new pg.Pool({
    connectionString: url,
    max: 3,
    connectionTimeoutMillis: 10_000,
    keepAlive: true,
    // A database that stops answering (paused, cut off) fails a query, instead of holding a node's
    // start, its reads or its close for as long as TCP keeps the connection.
    query_timeout: QUERY_TIMEOUT_MS,
    options: `-c synchronous_commit=on -c idle_in_transaction_session_timeout=${IDLE_IN_TRANSACTION_MS}`,
  });
  // A connection that breaks must not crash the process: its query throws to its caller.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const journal = new PostgresLinkJournal(pool, warn);
  try {
    await journal.transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK.toString()]);
      await client.query(SCHEMA);
    });
    // A node that cannot read the book does not start: it would admit links revoked long ago.
    await journal.read();
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
  return journal;
}

class PostgresLinkJournal implements LinkJournal {
  readonly name = 'talkoo_links';
  readonly followMs = FOLLOW_MS;
  /** The highest seq read (bigint, as text). */
  private seen = '0';
  /** Fetched and not yet taken by the book. */
  private fetched: string[] = [];
  /** The last pull asked for; a pull not yet started serves everyone who asks before it starts. */
  private tail: Promise<void> = Promise.resolve();
  private waiting: Promise<void> | null = null;
  /** Why the last read failed (said once), or null. */
  private unreadable: string | null = null;

  constructor(
    private readonly pool: pg.Pool,
    private readonly warn: Warn,
  ) {}

  async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollback: Error) => (broken = rollback));
      throw error;
    } finally {
      // A connection that could not even roll back is dropped, not handed to the next caller.
      client.release(broken);
    }
  }

  take(): string[] {
    return this.fetched.splice(0);
  }

  pull(): Promise<void> {
    if (this.waiting) return this.waiting;
    const next = this.tail.then(() => {
      this.waiting = null;
      return this.fetch();
    });
    this.waiting = next;
    this.tail = next;
    return next;
  }

  /** Reads the rows after the last one read; throws when it cannot. */
  async read(): Promise<void> {
    const { rows } = await this.pool.query<{ seq: string; line: string }>(
      'SELECT seq::text AS seq, record::text AS line FROM talkoo_links WHERE seq > $1::bigint ORDER BY talkoo_links.seq',
      [this.seen],
    );
    for (const { seq, line } of rows) {
      this.fetched.push(line);
      this.seen = seq;
    }
  }

  /** {@link read}, saying once when it cannot: the book keeps what it knows. */
  private async fetch(): Promise<void> {
    try {
      await this.read();
      this.unreadable = null;
    } catch (error) {
      const message = `cannot read talkoo_links: ${(error as Error).message}`;
      if (this.unreadable !== message) this.warn(message);
      this.unreadable = message;
    }
  }

  async append(line: string): Promise<void> {
    await this.transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [APPEND_LOCK.toString()]);
      await client.query('INSERT INTO talkoo_links (record) VALUES ($1::jsonb)', [line]);
    });
  }

  async close(): Promise<void> {
    await this.tail;
    await this.pool.end();
  }
}
