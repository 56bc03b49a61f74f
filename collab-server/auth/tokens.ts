/**
 * Signed access tokens (HMAC-SHA256 over a small JSON payload). A token names the room, the role,
 * a display name and an expiry; the server checks it before any document byte moves.
 * Format (wire, never change without a new `v`): base64url(JSON payload) "." base64url(signature).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { fail, ok, type Result } from '../../shared/result';

/** Who a token lets in. `organiser` creates workshops; the others join one room. */
export const TOKEN_ROLES = ['organiser', 'facilitator', 'participant', 'viewer'] as const;
export type TokenRole = (typeof TOKEN_ROLES)[number];

/** What a token says. */
export type TokenClaims = {
  readonly v: 1;
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
export type TokenProblem = 'missing' | 'malformed' | 'forged' | 'expired' | 'wrong-room' | 'wrong-role';

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

/** Signs claims into a token. */
export function signToken(
  key: Buffer,
  input: { room: string | null; role: TokenRole; name?: string; ttlSeconds: number; now?: number },
): string {
  const iat = Math.floor((input.now ?? Date.now()) / 1000);
  if (!(input.ttlSeconds <= MAX_TOKEN_TTL_SECONDS))
    throw new RangeError(`a link lives at most ${MAX_TOKEN_TTL_SECONDS / 86_400} days`);
  const claims: TokenClaims = {
    v: 1,
    room: input.role === 'organiser' ? null : input.room,
    role: input.role,
    name: (input.name ?? '').slice(0, MAX_NAME_LENGTH),
    iat,
    exp: iat + Math.max(1, Math.floor(input.ttlSeconds)),
  };
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${body}.${sign(key, body)}`;
}

function parseClaims(value: unknown): TokenClaims | null {
  if (typeof value !== 'object' || value === null) return null;
  const c = value as Record<string, unknown>;
  if (c.v !== 1) return null;
  if (!(TOKEN_ROLES as readonly unknown[]).includes(c.role)) return null;
  if (c.room !== null && typeof c.room !== 'string') return null;
  if (typeof c.name !== 'string' || c.name.length > MAX_NAME_LENGTH) return null;
  if (!Number.isSafeInteger(c.exp) || !Number.isSafeInteger(c.iat)) return null;
  return {
    v: 1,
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
  let claims: TokenClaims | null;
  try {
    claims = parseClaims(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
  } catch {
    claims = null;
  }
  if (!claims) return fail('malformed');
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
