/**
 * The link book of a cluster (#14) in PostgreSQL: the records `links.jsonl` holds (auth/link-book.ts,
 * the same format), one row each in `talkoo_links`, in the order they were appended. Every node
 * appends its own and reads everyone's, so a link made, coded or revoked through one node is known
 * to all.
 *
 * Appends take a lock for the length of their transaction, so rows become visible in the order of
 * their `seq`: a reader that has seen up to some seq never misses a row below it that commits later.
 */
import type pg from 'pg';
import { endPool, openPool, transaction } from '../storage/pg-pool';
import type { LinkJournal } from './link-book';
import type { Warn } from './signing-key';

/** How often a node reads what the others appended, ms. */
const FOLLOW_MS = 1000;

/** How long a closing journal lets an append under way finish before it cuts its connection, ms. */
const CLOSE_GRACE_MS = 1000;

const SCHEMA =
  'CREATE TABLE IF NOT EXISTS talkoo_links (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, record jsonb NOT NULL)';

/** Advisory lock keys: creating the table, and appending (one writer at a time, cluster-wide). */
const SCHEMA_LOCK = 0x74616c6b6f6f4c31n;
const APPEND_LOCK = 0x74616c6b6f6f4c32n;

/** Opens the journal in the database at `url`, creating its table when it is missing. */
export async function openPostgresLinkJournal(url: string, warn: Warn): Promise<LinkJournal> {
  // A database that stops answering (paused, cut off) fails a query after a while, instead of
  // holding a node's start or its reads for as long as TCP keeps the connection; a session that
  // stops inside an append holds the append lock a few seconds at most.
  const pool = await openPool(url, { max: 3 });
  const journal = new PostgresLinkJournal(pool, warn);
  try {
    await transaction(pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK.toString()]);
      await client.query(SCHEMA);
    });
    // A node that cannot read the book does not start: it would admit links revoked long ago.
    await journal.read();
  } catch (error) {
    await endPool(pool, CLOSE_GRACE_MS);
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
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly warn: Warn,
  ) {}

  take(): string[] {
    return this.fetched.splice(0);
  }

  pull(): Promise<void> {
    if (this.closed) return Promise.resolve();
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
      // A read cut by close() is no news.
      if (this.closed) return;
      const message = `cannot read talkoo_links: ${(error as Error).message}`;
      if (this.unreadable !== message) this.warn(message);
      this.unreadable = message;
    }
  }

  async append(line: string): Promise<void> {
    await transaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [APPEND_LOCK.toString()]);
      await client.query('INSERT INTO talkoo_links (record) VALUES ($1::jsonb)', [line]);
    });
  }

  /** Reads no more; a read under way is not waited for (the database may not answer it). */
  async close(): Promise<void> {
    this.closed = true;
    await endPool(this.pool, CLOSE_GRACE_MS);
  }
}
