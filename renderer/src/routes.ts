/**
 * Routes live in the URL hash: `#/` (home; `#/?organiser=TOKEN` signs an organiser in) and
 * `#/w/ROOM?token=TOKEN` (a join link). Tokens from links are remembered on this device and
 * removed from the address bar, so they do not end up in screenshots or browser history.
 * In the desktop app a workshop on another server than this laptop's carries that server too:
 * `#/w/ROOM?server=ORIGIN`. Tokens and the recent list are kept per server and room (see Place).
 */

import { httpOrigin, placeKey, placeOf, serverParam, type Place } from './platform';
import { recall, remember } from './storage';

/** What the hash asks for. */
export type Route =
  | { readonly kind: 'home' }
  | { readonly kind: 'workshop'; readonly place: Place }
  | { readonly kind: 'bench'; readonly notes: number }
  /** The annual wheel's benchmark: `#/bench/wheel?actions=N`. */
  | { readonly kind: 'bench-wheel'; readonly actions: number };

const ORGANISER_KEY = 'talkoo.organiser';
/** Where the token for the workshop at `place` is kept. Never rename. */
export function tokenKey(place: Place): string {
  return `talkoo.token.${placeKey(place)}`;
}

/** Reads the current hash, storing and stripping any token it carries. */
export function readRoute(): Route {
  const hash = window.location.hash.replace(/^#/, '') || '/';
  const [path = '/', query = ''] = hash.split('?', 2);
  const params = new URLSearchParams(query);
  const workshop = /^\/w\/([^/]+)$/.exec(path);
  const room = workshop?.[1] ? decodeURIComponent(workshop[1]) : null;
  const organiser = params.get('organiser');
  const token = params.get('token');
  const server = params.get('server');
  const origin = server === null ? null : httpOrigin(server);
  // A server that is not an http(s) origin names no workshop: Home, and its token is not kept.
  const place = room && (server === null || origin !== null) ? placeOf(room, origin) : null;
  if (organiser) remember(ORGANISER_KEY, organiser);
  if (place && token) remember(tokenKey(place), token);
  if (organiser || token) history.replaceState(null, '', place ? workshopHref(place) : `#${path}`);
  if (path === '/bench/wheel') {
    const actions = Number(params.get('actions') ?? '500');
    return {
      kind: 'bench-wheel',
      actions: Number.isInteger(actions) && actions > 0 ? Math.min(actions, 5000) : 500,
    };
  }
  if (path === '/bench') {
    const notes = Number(params.get('notes') ?? '1000');
    return { kind: 'bench', notes: Number.isInteger(notes) && notes > 0 ? Math.min(notes, 20_000) : 1000 };
  }
  return place ? { kind: 'workshop', place } : { kind: 'home' };
}

/** The organiser token of this device, if one was given. */
export function organiserToken(): string | null {
  return recall(ORGANISER_KEY);
}

/** The token this device holds for the workshop at `place`, if any. */
export function roomToken(place: Place): string | null {
  return recall(tokenKey(place));
}

const RECENT_KEY = 'talkoo.recent';

/** A workshop opened on this device. */
export type RecentWorkshop = Place & { readonly title: string; readonly opened: string };

/**
 * Workshops opened on this device, newest first (titles as last seen). An entry an earlier
 * Talkoo wrote names no server: it belongs to `serverOf(room)` (see legacy-storage.ts).
 */
export function recentWorkshops(serverOf: (room: string) => string | null = () => null): RecentWorkshop[] {
  try {
    const list: unknown = JSON.parse(recall(RECENT_KEY) ?? '[]');
    if (!Array.isArray(list)) return [];
    return list.flatMap((item: unknown) => {
      const { server, room, title, opened } = (item ?? {}) as Record<string, unknown>;
      if (typeof room !== 'string' || typeof title !== 'string' || typeof opened !== 'string') return [];
      const at = typeof server === 'string' ? server : serverOf(room);
      return at === null ? [] : [{ server: at, room, title, opened }];
    });
  } catch {
    return [];
  }
}

/** Remembers `list` as the recent workshops, the 12 newest. */
export function rememberRecent(list: readonly RecentWorkshop[]): void {
  remember(RECENT_KEY, JSON.stringify(list.slice(0, 12)));
}

/** Remembers that the workshop at `place` (titled `title`) was opened now. */
export function rememberWorkshop(place: Place, title: string): void {
  const key = placeKey(place);
  const rest = recentWorkshops().filter((w) => placeKey(w) !== key);
  rememberRecent([
    { server: place.server, room: place.room, title, opened: new Date().toISOString() },
    ...rest,
  ]);
}

/** The in-app link that opens the workshop at `place`, with `token` when given. */
export function workshopHref(place: Place, token: string | null = null): string {
  const params = new URLSearchParams();
  const server = serverParam(place);
  if (server !== null) params.set('server', server);
  if (token !== null) params.set('token', token);
  const query = params.toString();
  return `#/w/${encodeURIComponent(place.room)}${query ? `?${query}` : ''}`;
}
