/**
 * Who the server knows this person as at each workshop place: the id it gave (authorship, ballots
 * and private notes count by it), the signed identity to present on every later connection (the
 * `me` URL parameter), and the key for anonymous authorship. Kept on this device per server and
 * room, never per room alone: the same room name on another server is another workshop, where
 * this person is someone else.
 */
import type { ParticipantId } from '../../shared';
import type { SessionInfo } from '../../shared/session-message';
import { placeKey, type Place } from './platform';
import { recall, remember } from './storage';

/** An identity the server gave at one place. */
export type KnownIdentity = {
  readonly id: ParticipantId;
  /** The signed identity to present as the `me` URL parameter. */
  readonly identity: string;
  readonly authorKey: string;
};

/** Where the identity at `place` is kept. Never rename. */
export function identityKey(place: Place): string {
  return `talkoo.identity.${placeKey(place)}`;
}

/** A kept identity read back; null when nothing or something malformed was kept. */
export function parseKnownIdentity(kept: string | null): KnownIdentity | null {
  if (kept === null) return null;
  try {
    const json: unknown = JSON.parse(kept);
    if (typeof json !== 'object' || json === null) return null;
    const { id, identity, authorKey } = json as Record<string, unknown>;
    if (typeof id !== 'string' || typeof identity !== 'string' || typeof authorKey !== 'string') return null;
    if (!id || !identity) return null;
    return { id: id as ParticipantId, identity, authorKey };
  } catch {
    return null;
  }
}

/** The identity this device was given at `place`, or null before the first join there. */
export function recallIdentity(place: Place): KnownIdentity | null {
  return parseKnownIdentity(recall(identityKey(place)));
}

/** Keeps the identity the server gave at `place` (its clock is no part of it) and returns it. */
export function rememberIdentity(place: Place, session: SessionInfo): KnownIdentity {
  const known: KnownIdentity = {
    id: session.id as ParticipantId,
    identity: session.identity,
    authorKey: session.authorKey,
  };
  remember(identityKey(place), JSON.stringify(known));
  return known;
}
