/**
 * The link book: every link made for people (by the API, the server itself and the `token`
 * command) and every revocation, in one append-only file of JSON lines in the data folder
 * (`links.jsonl`, mode 0600). It needs no lock, so the `token` command writes to it while a server
 * runs on the same folder; each process reads what the others appended before it checks a token,
 * and a running server also looks every two seconds.
 *
 * A link is refused once its id is revoked, or once its room's generation was raised past the
 * one it was signed in ("revoke every link of this room"; organiser links have a generation of
 * their own). The book holds no token text: a recorded link's token is signed again from its
 * claims (the same claims give the same token), so the server can hand out the same organiser and
 * facilitator links instead of minting new ones on every call.
 *
 * In a cluster (#14) the records live in PostgreSQL instead (auth/pg-link-journal.ts, the same records
 * in the same format), so every node knows every link, code and revocation: a write is answered
 * once PostgreSQL has it, and each node reads the others' records every second and before it
 * admits a connection.
 *
 * A participant or viewer link made by a facilitator also carries a short code (shared/link-code.ts)
 * that resolves to it while it lives; the code is kept in its "made" record, so it survives a
 * restart. A record whose code is damaged keeps its link without the code.
 *
 * Records (file format, never rename a field):
 *   {"kind":"made","id","room","role","name","iat","exp","gen","by","code"?}
 *   {"kind":"revoked","id","at","by"}
 *   {"kind":"revoked-all","room","gen","at","by"}
 * `by` is "server", "organiser", "command-line" or "link:ID" (a facilitator's link). A damaged line
 * is skipped with a warning; a line cut short by a crash is completed by nothing and skipped.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  openSync,
  readSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { isLinkCode, LINK_CODE_BYTES, linkCodeFromBytes } from '../../shared/link-code';
import { fail, ok, type Result } from '../../shared/result';
import { authorKeyOf, issueIdentity, verifyIdentity } from './identity';
import { keepPrivate, toStderr, type Warn } from './signing-key';
import {
  LINK_ID,
  MAX_TOKEN_TTL_SECONDS,
  newClaims,
  signClaims,
  TOKEN_ROLES,
  verifyToken,
  type TokenClaims,
  type TokenProblem,
  type TokenRole,
} from './tokens';

/** File name of the link book inside the data directory. */
export const LINK_BOOK_FILE = 'links.jsonl';

/** How often a running server reads what other processes appended, ms. */
const FOLLOW_MS = 2000;

/** Who made a link. */
export type LinkMaker = 'server' | 'organiser' | 'command-line' | `link:${string}`;

/** A link as the book recorded it. */
export type MadeLink = {
  readonly claims: TokenClaims;
  readonly by: LinkMaker;
  /** Its short code (stored form, shared/link-code.ts), or null when it was made without one. */
  readonly code: string | null;
};

/** What a short code resolves to: its link, and whether that link still opens its room. */
export type CodedLink = { readonly link: MadeLink; readonly state: 'live' | 'expired' | 'revoked' };

type BookRecord =
  | { readonly kind: 'made'; readonly link: MadeLink }
  | { readonly kind: 'revoked'; readonly id: string; readonly at: number; readonly by: LinkMaker }
  | {
      readonly kind: 'revoked-all';
      readonly room: string | null;
      readonly gen: number;
      readonly at: number;
      readonly by: LinkMaker;
    };

const isInt = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

function parseMaker(value: unknown): LinkMaker | null {
  if (value === 'server' || value === 'organiser' || value === 'command-line') return value;
  return typeof value === 'string' && /^link:[A-Za-z0-9_-]{22}$/.test(value) ? (value as LinkMaker) : null;
}

/** One line of the book, or null when it is not a record. */
function parseRecord(line: string): BookRecord | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const r = value as Record<string, unknown>;
  const by = parseMaker(r.by);
  if (by === null) return null;
  const room = r.room === null || typeof r.room === 'string' ? r.room : undefined;
  if (r.kind === 'made') {
    const { id, role, name, iat, exp, gen, code } = r;
    if (typeof id !== 'string' || !LINK_ID.test(id) || typeof name !== 'string') return null;
    if (!(TOKEN_ROLES as readonly unknown[]).includes(role) || room === undefined) return null;
    if (!isInt(iat) || !isInt(exp) || !isInt(gen)) return null;
    const claims: TokenClaims = { v: 2, id, gen, room, role: role as TokenRole, name, iat, exp };
    return { kind: 'made', link: { claims, by, code: isLinkCode(code) ? code : null } };
  }
  if (r.kind === 'revoked') {
    return typeof r.id === 'string' && isInt(r.at) ? { kind: 'revoked', id: r.id, at: r.at, by } : null;
  }
  if (r.kind === 'revoked-all') {
    if (room === undefined || !isInt(r.gen) || !isInt(r.at)) return null;
    return { kind: 'revoked-all', room, gen: r.gen, at: r.at, by };
  }
  return null;
}

function recordLine(record: BookRecord): string {
  if (record.kind !== 'made') return JSON.stringify(record);
  const { id, room, role, name, iat, exp, gen } = record.link.claims;
  const { by, code } = record.link;
  return JSON.stringify({ kind: 'made', id, room, role, name, iat, exp, gen, by, ...(code ? { code } : {}) });
}

/**
 * Where a book's records are kept, one line (a JSON record) each, read in the order they were
 * appended, by this process and the others that share them.
 */
export type LinkJournal = {
  /** Says where the records are, in warnings. */
  readonly name: string;
  /** How often a running server reads what others appended, ms. */
  readonly followMs: number;
  /**
   * The records appended since the last call (by anyone), oldest first: read now from the file,
   * or those that the shared journal's last {@link pull} fetched.
   */
  take(): string[];
  /** Fetches what others appended (the shared journal; resolves at once for the file). Never rejects. */
  pull(): Promise<void>;
  /** Appends one record durably: the file's before it returns, the shared one's when it resolves. */
  append(line: string): void | Promise<void>;
  close(): Promise<void>;
};

/** The journal of one data folder: `links.jsonl`, appended without a lock by each process. */
export class FileJournal implements LinkJournal {
  readonly followMs = FOLLOW_MS;
  /** Bytes of the file read so far (up to the last whole line). */
  private offset = 0;
  /** Why the file could not be read at the last look (said once), or null. */
  private unreadable: string | null = null;

  constructor(
    readonly name: string,
    private readonly warn: Warn,
  ) {}

  take(): string[] {
    const bytes = this.readNew();
    if (!bytes) return [];
    // Only whole lines: a record being appended right now is read at the next look. Counted in
    // bytes: a line cut short inside a letter decodes to a replacement character of another
    // length, and the next look would start inside the following record.
    const end = bytes.lastIndexOf(0x0a);
    if (end < 0) return [];
    this.offset += end + 1;
    return bytes.subarray(0, end).toString('utf8').split('\n');
  }

  /**
   * What was appended since the last look, or null (nothing new, or the file cannot be read: the
   * book keeps what it knows and says so once). It is read before every token check and from a
   * timer: a throw there would end the server.
   */
  private readNew(): Buffer | null {
    try {
      const size = statSync(this.name).size;
      if (size < this.offset) this.offset = 0; // replaced by a shorter file: read it all again
      if (size === this.offset) return null;
      const fd = openSync(this.name, 'r');
      try {
        const bytes = Buffer.alloc(size - this.offset);
        let read = 0;
        while (read < bytes.length) {
          const n = readSync(fd, bytes, read, bytes.length - read, this.offset + read);
          if (n === 0) break;
          read += n;
        }
        this.unreadable = null;
        return bytes.subarray(0, read);
      } finally {
        closeSync(fd);
      }
    } catch (error) {
      const message = `cannot read ${this.name}: ${(error as Error).message}`;
      if (this.unreadable !== message) this.warn(message);
      this.unreadable = message;
      return null;
    }
  }

  pull(): Promise<void> {
    return Promise.resolve();
  }

  /** Appends durably (a revocation must outlive a crash). The book has read all it could before. */
  append(line: string): void {
    const fd = openSync(this.name, 'a', 0o600);
    try {
      // A line cut short by a crash is ended first, so it does not swallow this one.
      const torn = fstatSync(fd).size > this.offset;
      writeSync(fd, `${torn ? '\n' : ''}${line}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** What a new link is for. */
export type LinkInput = {
  readonly room: string | null;
  readonly role: TokenRole;
  readonly name?: string;
  readonly ttlSeconds: number;
  readonly by: LinkMaker;
  readonly now?: number;
  /** Give the link a short code (participant and viewer links that a facilitator shares). */
  readonly withCode?: boolean;
};

/** A new link: its token and what it says. */
export type NewLink = { readonly token: string; readonly claims: TokenClaims };

type Watcher = { readonly claims: TokenClaims; readonly revoked: () => void };

/** The links of one data folder, with the key that signs them. */
export class LinkBook {
  private readonly made = new Map<string, MadeLink>();
  /** Link id by short code; the first link recorded with a code keeps it. */
  private readonly codes = new Map<string, string>();
  private readonly revokedIds = new Set<string>();
  /** Generation per room; `null` is the organiser links'. */
  private readonly generations = new Map<string | null, number>();
  private readonly watchers = new Set<Watcher>();
  private follower: NodeJS.Timeout | null = null;

  private constructor(
    private readonly key: Buffer,
    private readonly journal: LinkJournal,
    private readonly warn: Warn,
  ) {}

  /** Opens (creating, mode 0600) the link book of `dataDir`, whose key is `key`. */
  static async open(dataDir: string, key: Buffer, warn: Warn = toStderr): Promise<LinkBook> {
    const path = join(dataDir, LINK_BOOK_FILE);
    closeSync(openSync(path, 'a', 0o600));
    await keepPrivate(path, 0o600, warn);
    const book = new LinkBook(key, new FileJournal(path, warn), warn);
    book.refresh();
    return book;
  }

  /** Opens the book of a journal that others share (a cluster's: auth/pg-link-journal.ts). */
  static async shared(journal: LinkJournal, key: Buffer, warn: Warn = toStderr): Promise<LinkBook> {
    const book = new LinkBook(key, journal, warn);
    await book.catchUp();
    return book;
  }

  /** Reads what this or another process appended since the last look; tells watchers of revocations. */
  refresh(): void {
    for (const line of this.journal.take()) {
      if (line.trim() === '') continue;
      const record = parseRecord(line);
      if (record) this.apply(record);
      else this.warn(`${this.journal.name}: skipped a damaged line: ${line.slice(0, 80)}`);
    }
  }

  /**
   * Records in this (shared) book what the data folder `dataDir`'s own book holds and this one does
   * not: the links, codes and revocations of a server from before it joined a cluster, so nothing
   * revoked there opens again on any node. Resolves with how many records it copied.
   */
  async adopt(dataDir: string): Promise<number> {
    const path = join(dataDir, LINK_BOOK_FILE);
    if (!existsSync(path)) return 0;
    await this.catchUp();
    let copied = 0;
    for (const line of new FileJournal(path, this.warn).take()) {
      if (line.trim() === '') continue;
      const record = parseRecord(line);
      if (!record) this.warn(`${path}: skipped a damaged line: ${line.slice(0, 80)}`);
      if (!record || this.knows(record)) continue;
      await this.append(record);
      copied++;
    }
    return copied;
  }

  /** True when this book holds `record` already (or, for a generation, a higher one). */
  private knows(record: BookRecord): boolean {
    if (record.kind === 'made') return this.made.has(record.link.claims.id);
    if (record.kind === 'revoked') return this.revokedIds.has(record.id);
    return this.generation(record.room) >= record.gen;
  }

  /** True when other nodes share this book's records (a cluster's): {@link catchUp} reads theirs. */
  get shared(): boolean {
    return !(this.journal instanceof FileJournal);
  }

  /** Fetches what other nodes recorded until now (a shared journal), then reads it. Never rejects. */
  async catchUp(): Promise<void> {
    await this.journal.pull();
    this.refresh();
  }

  /** Reads other processes' records (every two seconds; a cluster's every second) until {@link stop}. */
  follow(): void {
    this.follower ??= setInterval(() => void this.catchUp(), this.journal.followMs);
    this.follower.unref();
  }

  /** Stops following; {@link close} also lets go of a shared journal. */
  stop(): void {
    if (this.follower) clearInterval(this.follower);
    this.follower = null;
  }

  async close(): Promise<void> {
    this.stop();
    await this.journal.close();
  }

  private apply(record: BookRecord): void {
    if (record.kind === 'made') {
      const { claims, code } = record.link;
      this.made.set(claims.id, record.link);
      if (code !== null && !this.codes.has(code)) this.codes.set(code, claims.id);
      return;
    }
    if (record.kind === 'revoked') {
      if (this.revokedIds.has(record.id)) return;
      this.revokedIds.add(record.id);
    } else {
      if (record.gen <= this.generation(record.room)) return;
      this.generations.set(record.room, record.gen);
    }
    for (const watcher of [...this.watchers]) {
      if (this.isRevoked(watcher.claims)) {
        this.watchers.delete(watcher);
        watcher.revoked();
      }
    }
  }

  /**
   * Appends one record (durably: a revocation must outlive a crash) and reads it back: from the
   * file at once, from a shared journal once it has it (then every node reads it too).
   */
  private append(record: BookRecord): void | Promise<void> {
    this.refresh();
    const written = this.journal.append(recordLine(record));
    if (!written) return this.refresh();
    // Known here once stored, even when reading it back fails (applying a record twice changes nothing).
    return written.then(() => this.catchUp()).then(() => this.apply(record));
  }

  private generation(room: string | null): number {
    return this.generations.get(room) ?? 0;
  }

  private isRevoked(claims: TokenClaims): boolean {
    return this.revokedIds.has(claims.id) || claims.gen < this.generation(claims.room);
  }

  /** A new link in its room's current generation (as this book knows it), not yet recorded. */
  private newLink(input: LinkInput): MadeLink {
    const claims = newClaims({
      ...input,
      gen: this.generation(input.role === 'organiser' ? null : input.room),
    });
    return { claims, by: input.by, code: input.withCode ? this.newCode() : null };
  }

  /** Signs a new link in its room's current generation; resolves once it is recorded. */
  async make(input: LinkInput): Promise<NewLink> {
    await this.catchUp();
    const link = this.newLink(input);
    await this.append({ kind: 'made', link });
    return { token: signClaims(this.key, link.claims), claims: link.claims };
  }

  /** The newest live link `keep` would hand out again, or null. */
  private kept(input: LinkInput & { readonly renewWithinSeconds: number }): NewLink | null {
    const now = Math.floor((input.now ?? Date.now()) / 1000);
    const room = input.role === 'organiser' ? null : input.room;
    const kept = this.live(room, input.now).find(
      ({ claims, by }) =>
        claims.role === input.role && by === input.by && claims.exp - now > input.renewWithinSeconds,
    );
    return kept ? { token: signClaims(this.key, kept.claims), claims: kept.claims } : null;
  }

  /**
   * The newest live link of `room` and `role` made by `by` that has more than `renewWithin`
   * seconds left, signed again; a new one (recorded) when there is none.
   */
  async keep(input: LinkInput & { readonly renewWithinSeconds: number }): Promise<NewLink> {
    await this.catchUp();
    return this.kept(input) ?? this.make(input);
  }

  /**
   * {@link keep} at once, for the organiser link a server keeps (RunningServer.organiserToken). A
   * shared journal records a new link in the background: it opens rooms as soon as it is signed,
   * and a record that fails is said (the link then is not listed, and is revoked only with all).
   */
  keepNow(input: LinkInput & { readonly renewWithinSeconds: number }): NewLink {
    this.refresh();
    const kept = this.kept(input);
    if (kept) return kept;
    const record = { kind: 'made', link: this.newLink(input) } as const;
    const written = this.append(record);
    if (written) {
      // Known here at once, so the next call hands out the same link.
      this.apply(record);
      written.catch((error: unknown) =>
        this.warn(
          `${this.journal.name}: could not record link ${record.link.claims.id}: ${(error as Error).message}`,
        ),
      );
    }
    return { token: signClaims(this.key, record.link.claims), claims: record.link.claims };
  }

  /** The token of a recorded link, signed again from its claims (the book holds no token text). */
  tokenOf(claims: TokenClaims): string {
    return signClaims(this.key, claims);
  }

  /** A new personal identity in `room`, signed with this book's key (auth/identity.ts). */
  issueIdentity(room: string): { id: string; identity: string } {
    return issueIdentity(this.key, room);
  }

  /** The id a personal identity proves in `room`, or null. */
  verifyIdentity(room: string, identity: string | null | undefined): string | null {
    return verifyIdentity(this.key, room, identity);
  }

  /** The anonymous-authorship secret of identity `id` in `room`. */
  authorKey(room: string, id: string): string {
    return authorKeyOf(this.key, room, id);
  }

  /**
   * Checks a token as {@link verifyToken} does, then that it was not revoked (by id or by its
   * room's generation), with what other processes recorded until now.
   */
  verify(
    token: string | null | undefined,
    expect: { room: string } | { organiser: true },
    now: number = Date.now(),
  ): Result<TokenClaims, TokenProblem> {
    const verdict = verifyToken(this.key, token, expect, now);
    if (!verdict.ok) return verdict;
    this.refresh();
    return this.isRevoked(verdict.value) ? fail('revoked') : ok(verdict.value);
  }

  /** The live links of `room` (null: organiser links): not revoked, not expired; newest first. */
  live(room: string | null, now: number = Date.now()): MadeLink[] {
    const seconds = now / 1000;
    return [...this.made.values()]
      .filter(({ claims }) => claims.room === room && claims.exp > seconds && !this.isRevoked(claims))
      .sort((a, b) => b.claims.iat - a.claims.iat || (a.claims.id < b.claims.id ? -1 : 1));
  }

  /**
   * How many links of `room` were made within the longest life of a link (those that are live or
   * could have been), revoked and expired ones included: what bounds the book's growth per room.
   */
  madeRecently(room: string, now: number = Date.now()): number {
    this.refresh();
    const since = now / 1000 - MAX_TOKEN_TTL_SECONDS;
    let count = 0;
    for (const { claims } of this.made.values()) if (claims.room === room && claims.iat > since) count++;
    return count;
  }

  /** A short code no recorded link has. */
  private newCode(): string {
    for (;;) {
      const code = linkCodeFromBytes(randomBytes(LINK_CODE_BYTES));
      if (!this.codes.has(code)) return code;
    }
  }

  /**
   * The link of a short code (stored form), with whether it still opens its room; null when no
   * link has that code. A revoked link reads as revoked even once it has also expired.
   */
  byCode(code: string, now: number = Date.now()): CodedLink | null {
    this.refresh();
    const id = this.codes.get(code);
    const link = id === undefined ? undefined : this.made.get(id);
    if (!link) return null;
    if (this.isRevoked(link.claims)) return { link, state: 'revoked' };
    return { link, state: link.claims.exp * 1000 > now ? 'live' : 'expired' };
  }

  /** A recorded link, live or not. */
  find(id: string): MadeLink | null {
    this.refresh();
    return this.made.get(id) ?? null;
  }

  /**
   * Revokes a recorded link: it is refused from now on and its open connections are closed.
   * Resolves once the revocation is recorded (in a cluster, known to every node within a second).
   */
  async revoke(id: string, by: LinkMaker, now: number = Date.now()): Promise<MadeLink | null> {
    await this.catchUp();
    const link = this.find(id);
    if (!link) return null;
    if (!this.revokedIds.has(id)) await this.append({ kind: 'revoked', id, at: Math.floor(now / 1000), by });
    return link;
  }

  /** Revokes every link of `room` (null: every organiser link), recorded or not; resolves once recorded. */
  async revokeAll(room: string | null, by: LinkMaker, now: number = Date.now()): Promise<void> {
    await this.catchUp();
    const gen = this.generation(room) + 1;
    await this.append({ kind: 'revoked-all', room, gen, at: Math.floor(now / 1000), by });
  }

  /** Calls `revoked` once if the link of `claims` is revoked; returns the function that stops watching. */
  watch(claims: TokenClaims, revoked: () => void): () => void {
    const watcher: Watcher = { claims, revoked };
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }
}
