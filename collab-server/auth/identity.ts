/**
 * Personal identities. A participant link is shared by a whole room of people, so a token says
 * only what a person may do, not who they are: on a person's first connection the server issues
 * an identity of their own, signed with the server's key, which their app keeps and presents
 * (`me=`) from then on. Authorship, ballots and private notes count by its id, so one client
 * cannot pose as twenty voters: every id it claims must be one the server signed for it.
 *
 *   i1.<base64url JSON { r: room, p: id }>.<base64url HMAC-SHA256(key, "identity:" + body)>
 *
 * The "identity:" prefix keeps an identity from ever verifying as a link token and a link token
 * from verifying as an identity, although the same key signs both. Identities do not expire: a
 * person keeps theirs for as long as their app keeps it; what they may do is still their token's.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

const PREFIX = 'i1.';
/** Longer identities are not ours; checked before anything is decoded. */
const MAX_IDENTITY_LENGTH = 512;
const ID_PATTERN = /^[0-9a-f-]{36}$/;

function mac(key: Buffer, purpose: string, body: string): string {
  return createHmac('sha256', key).update(`${purpose}:${body}`).digest('base64url');
}

/** A new identity for someone in `room`: its id and the signed text that proves it. */
export function issueIdentity(key: Buffer, room: string): { id: string; identity: string } {
  const id = randomUUID();
  const body = Buffer.from(JSON.stringify({ r: room, p: id })).toString('base64url');
  return { id, identity: `${PREFIX}${body}.${mac(key, 'identity', body)}` };
}

/** The id an identity proves in `room`, or null when it is missing, forged, malformed or another room's. */
export function verifyIdentity(
  key: Buffer,
  room: string,
  identity: string | null | undefined,
): string | null {
  if (!identity || identity.length > MAX_IDENTITY_LENGTH || !identity.startsWith(PREFIX)) return null;
  const rest = identity.slice(PREFIX.length);
  const dot = rest.indexOf('.');
  if (dot <= 0 || dot !== rest.lastIndexOf('.')) return null;
  const body = rest.slice(0, dot);
  const given = Buffer.from(rest.slice(dot + 1), 'utf8');
  const expected = Buffer.from(mac(key, 'identity', body), 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const claims: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    const { r, p } = (claims ?? {}) as Record<string, unknown>;
    return r === room && typeof p === 'string' && ID_PATTERN.test(p) ? p : null;
  } catch {
    return null;
  }
}

/**
 * The secret with which the person `id` tags what they write in an anonymous workshop
 * (shared/model/authorship.ts): derived from the server's key, so the server can check a tag
 * without storing anything, and only that person is ever told it.
 */
export function authorKeyOf(key: Buffer, room: string, id: string): string {
  return mac(key, 'author', `${room}:${id}`);
}
