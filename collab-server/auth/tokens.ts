/**
 * Signed access tokens (HMAC-SHA256 over a small JSON payload). A token names the room, the role,
 * a display name and an expiry, and carries an id and its room's generation, by which it can be
 * revoked (link-book.ts); the server checks it before any document byte moves.
 * Format (wire, never change without a new `v`): base64url(JSON payload) "." base64url(signature).
 * Version 1 tokens had no id and could not be revoked: they are refused as revoked.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { fail, ok, type Result } from '../../shared/result';

/** Who a token lets in. `organiser` creates workshops; the others join one room. */
export const TOKEN_ROLES = ['organiser', 'facilitator', 'participant', 'viewer'] as const;
export type TokenRole = (typeof TOKEN_ROLES)[number];

/** What a token says. */
export type TokenClaims = {
  readonly v: 2;
  /** The link's id: random, unique, what revokes it (22 base64url characters). */
  readonly id: string;
  /**
   * Its room's generation when it was signed (the organiser links' for an organiser token):
   * revoking every link of a room raises the generation, and older tokens are refused.
   */
  readonly gen: number;
  /** The room it opens; null for organiser tokens. */
  readonly room: string | null;
  readonly role: TokenRole;
  readonly name: string;
  /** Expiry, seconds since the epoch. */
  readonly exp: number;
  /** Issue time, seconds since the epoch. */
  readonly iat: number;
};

/** Why a token was refused. */
export type TokenProblem =
  'missing' | 'malformed' | 'forged' | 'expired' | 'wrong-room' | 'wrong-role' | 'revoked';

/** Longest token accepted (a query parameter; keeps parsing bounded). */
const MAX_TOKEN_LENGTH = 2048;
const MAX_NAME_LENGTH = 80;

/**
 * The longest a link may live: 90 days, a season of workshops. Longer links cannot be signed, and
 * a token that claims a longer life (signed before this cap) is refused as expired.
 */
export const MAX_TOKEN_TTL_SECONDS = 90 * 86_400;

/** A new random signing key. */
export function newSigningKey(): Buffer {
  return randomBytes(32);
}

function sign(key: Buffer, body: string): string {
  return createHmac('sha256', key).update(body).digest('base64url');
}

/** What a new token is for; `id` and `gen` are for the link book (a new id, generation 0). */
export type TokenInput = {
  readonly room: string | null;
  readonly role: TokenRole;
  readonly name?: string;
  readonly ttlSeconds: number;
  readonly now?: number;
  readonly id?: string;
  readonly gen?: number;
};

/** A link id: 16 random bytes, base64url. */
export const LINK_ID = /^[A-Za-z0-9_-]{22}$/;

/** The claims of a new token. Throws RangeError for a lifetime over {@link MAX_TOKEN_TTL_SECONDS}. */
export function newClaims(input: TokenInput): TokenClaims {
  const iat = Math.floor((input.now ?? Date.now()) / 1000);
  if (!(input.ttlSeconds <= MAX_TOKEN_TTL_SECONDS))
    throw new RangeError(`a link lives at most ${MAX_TOKEN_TTL_SECONDS / 86_400} days`);
  return {
    v: 2,
    id: input.id ?? randomBytes(16).toString('base64url'),
    gen: input.gen ?? 0,
    room: input.role === 'organiser' ? null : input.room,
    role: input.role,
    name: (input.name ?? '').slice(0, MAX_NAME_LENGTH),
    iat,
    exp: iat + Math.max(1, Math.floor(input.ttlSeconds)),
  };
}

/**
 * Signs claims into a token. The same claims give the same token (the fields are written in one
 * order), so a recorded link can be handed out again without its token being stored.
 */
export function signClaims(key: Buffer, claims: TokenClaims): string {
  const { v, id, gen, room, role, name, iat, exp } = claims;
  const body = Buffer.from(JSON.stringify({ v, id, gen, room, role, name, iat, exp })).toString('base64url');
  return `${body}.${sign(key, body)}`;
}

/** Signs a new token (unrecorded: links that people get are made by the link book). */
export function signToken(key: Buffer, input: TokenInput): string {
  return signClaims(key, newClaims(input));
}

/** The claims of a payload; 'retired' for a version 1 token, which carries no id. */
function parseClaims(value: unknown): TokenClaims | 'retired' | null {
  if (typeof value !== 'object' || value === null) return null;
  const c = value as Record<string, unknown>;
  if (c.v === 1) return 'retired';
  if (c.v !== 2) return null;
  if (typeof c.id !== 'string' || !LINK_ID.test(c.id)) return null;
  if (!Number.isSafeInteger(c.gen) || (c.gen as number) < 0) return null;
  if (!(TOKEN_ROLES as readonly unknown[]).includes(c.role)) return null;
  if (c.room !== null && typeof c.room !== 'string') return null;
  if (typeof c.name !== 'string' || c.name.length > MAX_NAME_LENGTH) return null;
  if (!Number.isSafeInteger(c.exp) || !Number.isSafeInteger(c.iat)) return null;
  return {
    v: 2,
    id: c.id,
    gen: c.gen as number,
    room: c.room,
    role: c.role as TokenRole,
    name: c.name,
    exp: c.exp as number,
    iat: c.iat as number,
  };
}

/**
 * Checks a token: its signature first (nothing in a forged token is believed), then its expiry,
 * then that it opens `expect.room` (or is an organiser token when `expect.organiser`).
 */
export function verifyToken(
  key: Buffer,
  token: string | null | undefined,
  expect: { room: string } | { organiser: true },
  now: number = Date.now(),
): Result<TokenClaims, TokenProblem> {
  if (!token) return fail('missing');
  if (token.length > MAX_TOKEN_LENGTH) return fail('malformed');
  const dot = token.indexOf('.');
  if (dot <= 0 || dot !== token.lastIndexOf('.')) return fail('malformed');
  const body = token.slice(0, dot);
  // The signature's text is compared, not its decoded bytes: base64 decoding is lenient (padding,
  // the unused bits of the last character), and only the canonical encoding is the token.
  const given = Buffer.from(token.slice(dot + 1), 'utf8');
  const expected = Buffer.from(sign(key, body), 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return fail('forged');
  let claims: TokenClaims | 'retired' | null;
  try {
    claims = parseClaims(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
  } catch {
    claims = null;
  }
  if (!claims) return fail('malformed');
  if (claims === 'retired') return fail('revoked');
  if (claims.exp * 1000 <= now || claims.exp - claims.iat > MAX_TOKEN_TTL_SECONDS) return fail('expired');
  if ('organiser' in expect) return claims.role === 'organiser' ? ok(claims) : fail('wrong-role');
  if (claims.role === 'organiser') return fail('wrong-role');
  if (claims.room !== expect.room) return fail('wrong-room');
  return ok(claims);
}

/** Parses a duration such as `90s`, `30m`, `8h`, `7d` into seconds; null above {@link MAX_TOKEN_TTL_SECONDS}. */
export function parseDuration(text: string): number | null {
  const match = /^(\d{1,6})([smhd])$/.exec(text.trim());
  if (!match) return null;
  const unit = { s: 1, m: 60, h: 3600, d: 86400 }[match[2] as 's' | 'm' | 'h' | 'd'];
  const seconds = Number(match[1]) * unit;
  return seconds > 0 && seconds <= MAX_TOKEN_TTL_SECONDS ? seconds : null;
}
