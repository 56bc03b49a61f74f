/**
 * Who I am on this device: a participant id, a display name (asked once, remembered) and a
 * colour; and my role in a room as my join link's token says. The role only shapes the UI
 * (facilitator controls); the server enforces what a token may do.
 */
import { randomUuid, type ParticipantId, type Role } from '../../shared';
import type { Place } from './platform';
import { roomToken } from './routes';

/** Presence colours: distinct, each readable with white text. */
export const PRESENCE_COLOURS = [
  '#1D5FD1',
  '#B42318',
  '#1A7F37',
  '#8250DF',
  '#BF5700',
  '#0E7490',
  '#A21CAF',
  '#4D5B0F',
];

const ID_KEY = 'talkoo.participant';
const NAME_KEY = 'talkoo.name';

function stored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function store(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Private windows: the value lasts for this page only.
  }
}

let memoryId: string | null = null;

/** This device's participant id (random, kept). */
export function participantId(): ParticipantId {
  const existing = stored(ID_KEY) ?? memoryId;
  if (existing) return existing as ParticipantId;
  memoryId = randomUuid();
  store(ID_KEY, memoryId);
  return memoryId as ParticipantId;
}

/** The remembered display name, or null before the first join. */
export function displayName(): string | null {
  return stored(NAME_KEY);
}

export function rememberName(name: string): void {
  store(NAME_KEY, name.trim().slice(0, 80));
}

/** A stable colour for a participant id. */
export function colourOf(id: string): string {
  let hash = 0;
  for (const ch of id) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return PRESENCE_COLOURS[hash % PRESENCE_COLOURS.length]!;
}

/** My role in the workshop at `place` from my token's (unverified) payload; participant when unknown. */
export function roleIn(place: Place): Role {
  const token = roomToken(place);
  try {
    const body = token?.split('.')[0] ?? '';
    const json: unknown = JSON.parse(atob(body.replace(/-/g, '+').replace(/_/g, '/')));
    const role = (json as { role?: unknown }).role;
    return role === 'facilitator' || role === 'viewer' ? role : 'participant';
  } catch {
    return 'participant';
  }
}
