/**
 * Routes live in the URL hash: `#/` (home; `#/?organiser=TOKEN` signs an organiser in) and
 * `#/w/ROOM?token=TOKEN` (a join link). Tokens from links are remembered on this device and
 * removed from the address bar, so they do not end up in screenshots or browser history.
 */

import { recall, remember } from './storage';

/** What the hash asks for. */
export type Route =
  | { readonly kind: 'home' }
  | { readonly kind: 'workshop'; readonly room: string }
  | { readonly kind: 'bench'; readonly notes: number };

const ORGANISER_KEY = 'talkoo.organiser';
const roomKey = (room: string): string => `talkoo.token.${room}`;

/** Reads the current hash, storing and stripping any token it carries. */
export function readRoute(): Route {
  const hash = window.location.hash.replace(/^#/, '') || '/';
  const [path = '/', query = ''] = hash.split('?', 2);
  const params = new URLSearchParams(query);
  const workshop = /^\/w\/([^/]+)$/.exec(path);
  const room = workshop?.[1] ? decodeURIComponent(workshop[1]) : null;
  const organiser = params.get('organiser');
  const token = params.get('token');
  if (organiser) remember(ORGANISER_KEY, organiser);
  if (room && token) remember(roomKey(room), token);
  if (organiser || token) history.replaceState(null, '', `#${path}`);
  if (path === '/bench') {
    const notes = Number(params.get('notes') ?? '1000');
    return { kind: 'bench', notes: Number.isInteger(notes) && notes > 0 ? Math.min(notes, 20_000) : 1000 };
  }
  return room ? { kind: 'workshop', room } : { kind: 'home' };
}

/** The organiser token of this device, if one was given. */
export function organiserToken(): string | null {
  return recall(ORGANISER_KEY);
}

/** The token this device holds for `room`, if any. */
export function roomToken(room: string): string | null {
  return recall(roomKey(room));
}

const RECENT_KEY = 'talkoo.recent';

/** A workshop opened on this device. */
export type RecentWorkshop = { readonly room: string; readonly title: string; readonly opened: string };

/** Workshops opened on this device, newest first (titles as last seen). */
export function recentWorkshops(): RecentWorkshop[] {
  try {
    const list: unknown = JSON.parse(recall(RECENT_KEY) ?? '[]');
    if (!Array.isArray(list)) return [];
    return list.flatMap((item: unknown) => {
      const { room, title, opened } = (item ?? {}) as Record<string, unknown>;
      return typeof room === 'string' && typeof title === 'string' && typeof opened === 'string'
        ? [{ room, title, opened }]
        : [];
    });
  } catch {
    return [];
  }
}

/** Remembers that `room` (titled `title`) was opened now; keeps the 12 newest. */
export function rememberWorkshop(room: string, title: string): void {
  const rest = recentWorkshops().filter((w) => w.room !== room);
  remember(
    RECENT_KEY,
    JSON.stringify([{ room, title, opened: new Date().toISOString() }, ...rest].slice(0, 12)),
  );
}

/** The in-app link that opens `room` with `token`. */
export function workshopHref(room: string, token: string): string {
  return `#/w/${encodeURIComponent(room)}?token=${encodeURIComponent(token)}`;
}
