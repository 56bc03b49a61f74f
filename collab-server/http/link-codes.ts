/**
 * Short link codes (shared/link-code.ts) over HTTP, for anyone who holds one (no token):
 *   GET /api/link-codes/:code → { room, role, token, url, expires } of the code's live link
 *   GET /j/:code              → 302 to the web client (`../#/?join=CODE`), which resolves the code
 * A code is a credential of 40 bits, so guessing is what to stop: each address (an IPv6 address
 * by its /48, which one site or one attacker holds whole) may try
 * {@link WRONG_CODES_PER_ADDRESS} codes that open nothing, and one more every
 * {@link WRONG_CODE_REFILL_MS}; past that it is refused (429) whatever it asks, a right code too.
 * Codes that open something cost nothing: a venue's people behind one address all scan the same
 * code. Text that is not a code at all cannot hit one, and is refused without a cost.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { formatLinkCode, parseLinkCode, SHORT_LINK_PATH } from '../../shared/link-code';
import type { LinkBook } from '../auth/link-book';
import { ApiError, sendApiError, sendJson } from './api-error';
import { CORS_HEADERS } from './api';
import { SECURITY_HEADERS } from './static-files';

/** Codes that open nothing one address may try at once. */
export const WRONG_CODES_PER_ADDRESS = 20;
/** One more such try is allowed this often, ms (120 an hour). */
export const WRONG_CODE_REFILL_MS = 30_000;
/** Addresses remembered at most; beyond, those that could try a whole budget again are forgotten first. */
const MAX_ADDRESSES = 10_000;

/**
 * The part of a client address that one party holds: an IPv4 address, or an IPv6 /48 (what a
 * site is given, and what a free tunnel broker hands anyone: counted by /64, one attacker would
 * have 65,536 budgets).
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  if (!address.includes(':')) return address;
  // Expand `::` to read the first four groups.
  const [head = '', tail = ''] = address.split('%')[0]!.split('::');
  const left = head ? head.split(':') : [];
  const right = address.includes('::') ? (tail ? tail.split(':') : []) : [];
  const groups = [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 3)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/48`;
}

/** A budget of failed tries per address that refills with time (a token bucket). */
export class AttemptLimit {
  private readonly buckets = new Map<string, { left: number; at: number }>();

  constructor(
    private readonly size: number = WRONG_CODES_PER_ADDRESS,
    private readonly refillMs: number = WRONG_CODE_REFILL_MS,
  ) {}

  private left(key: string, now: number): number {
    const bucket = this.buckets.get(key);
    if (!bucket) return this.size;
    return Math.min(this.size, bucket.left + (now - bucket.at) / this.refillMs);
  }

  /** Seconds until `address` may try again; 0 when it may now. */
  waitSeconds(address: string, now: number = Date.now()): number {
    const left = this.left(addressKey(address), now);
    return left >= 1 ? 0 : Math.ceil(((1 - left) * this.refillMs) / 1000);
  }

  /** Counts a failed try of `address`. */
  failed(address: string, now: number = Date.now()): void {
    const key = addressKey(address);
    const left = this.left(key, now);
    this.buckets.delete(key); // re-inserted last: the map stays ordered by last failure
    this.buckets.set(key, { left: Math.max(0, left - 1), at: now });
    if (this.buckets.size > MAX_ADDRESSES) this.forget(now);
  }

  /** Forgets addresses whose budget is whole again, then the longest quiet ones. */
  private forget(now: number): void {
    for (const [key] of this.buckets) if (this.left(key, now) >= this.size) this.buckets.delete(key);
    for (const [key] of this.buckets) {
      if (this.buckets.size <= MAX_ADDRESSES) break;
      this.buckets.delete(key);
    }
  }
}

export type LinkCodeContext = {
  readonly links: LinkBook;
  readonly attempts: AttemptLimit;
  /** The browser join link of a room and token (http/api.ts joinUrl). */
  readonly joinUrl: (room: string, token: string) => string;
};

/** What the code `typed` opens, for the client at `address`; throws the refusal, in words. */
export function resolveLinkCode(ctx: LinkCodeContext, typed: string, address: string): unknown {
  const wait = ctx.attempts.waitSeconds(address);
  if (wait > 0)
    throw new ApiError(
      429,
      'code-rate-limit',
      `Too many codes that open nothing were tried from this address: try again in ${wait} seconds.`,
      { seconds: wait },
    );
  const code = parseLinkCode(typed);
  if (code === null)
    throw new ApiError(400, 'code-malformed', 'A link code has eight letters and digits, such as K7MX-42QP.');
  const found = ctx.links.byCode(code);
  if (found?.state !== 'live') ctx.attempts.failed(address);
  const shown = formatLinkCode(code);
  if (!found)
    throw new ApiError(404, 'code-unknown', `No link has the code ${shown}: check it for typos.`, {
      linkCode: shown,
    });
  const { claims } = found.link;
  if (found.state === 'revoked')
    throw new ApiError(410, 'code-revoked', `The link of the code ${shown} was revoked.`, {
      linkCode: shown,
    });
  const expires = new Date(claims.exp * 1000).toISOString();
  if (found.state === 'expired')
    throw new ApiError(410, 'code-expired', `The link of the code ${shown} expired at ${expires}.`, {
      linkCode: shown,
      expired: expires,
    });
  const token = ctx.links.tokenOf(claims);
  const room = claims.room ?? '';
  return { room, role: claims.role, token, url: ctx.joinUrl(room, token), expires };
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return '';
  }
}

/**
 * Answers `GET /api/link-codes/:code` and the short links `/j/:code`; false for other paths.
 * A short link is answered with a redirect to the web client, which resolves the code (and says
 * why it does not open, in the person's language). Relative: a laptop's server may be reached at
 * another address than the one its links were made with.
 */
export function handleLinkCodes(
  ctx: LinkCodeContext,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): boolean {
  const api = /^\/api\/link-codes\/([^/]{1,64})$/.exec(path);
  if (api?.[1]) {
    for (const [name, value] of Object.entries(CORS_HEADERS)) res.setHeader(name, value);
    const typed = decoded(api[1]);
    const answer = (): void => {
      try {
        if (req.method !== 'GET')
          throw new ApiError(405, 'method-not-allowed', 'Use GET.', { allowed: 'GET' });
        sendJson(res, 200, resolveLinkCode(ctx, typed, req.socket.remoteAddress ?? ''));
      } catch (error) {
        if (error instanceof ApiError && error.code === 'code-rate-limit')
          res.setHeader('Retry-After', String(error.fields.seconds));
        sendApiError(res, error);
      }
    };
    // A node of a cluster first reads the codes the others made until now.
    if (ctx.links.shared) void ctx.links.catchUp().then(answer);
    else answer();
    return true;
  }
  const match = SHORT_LINK_PATH.exec(path);
  if (!match?.[1] || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
  const typed = decoded(match[1]);
  const code = parseLinkCode(typed);
  res.writeHead(302, {
    ...SECURITY_HEADERS,
    Location: `../#/?join=${code ? formatLinkCode(code) : encodeURIComponent(typed)}`,
    'Cache-Control': 'no-store',
  });
  res.end();
  return true;
}
