/**
 * Live presence over Yjs awareness: who is here (name, colour, role), where their cursor is on
 * which board, which note they are editing, and what their canvas shows (so that others can
 * follow them). Cursor and view updates are sent at most 10 per second.
 */
import { useCallback, useEffect, useRef } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import type { BoardKind, NoteId, Role } from '../../shared';
import { useSelector } from './use-workshop';

/** What one canvas shows: its board, the content point at its centre, and its zoom. */
export type SharedView = {
  readonly board: BoardKind;
  readonly x: number;
  readonly y: number;
  readonly zoom: number;
};

/** What each client shares. Everything read from others is parsed with defaults. */
export type Presence = {
  readonly clientId: number;
  readonly id: string;
  readonly name: string;
  readonly colour: string;
  readonly role: Role;
  readonly cursor: {
    readonly board: BoardKind;
    readonly x: number;
    readonly y: number;
    readonly at: number;
  } | null;
  readonly editing: NoteId | null;
  /** The board they look at (also the action plan, which has no canvas), or null. */
  readonly board: BoardKind | null;
  /** What their canvas shows, or null (no canvas: the action plan, or not sent yet). */
  readonly view: SharedView | null;
};

const isBoardKind = (value: unknown): value is BoardKind =>
  value === 'needs' || value === 'themes' || value === 'actions';

const finiteOrNull = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

function parseView(value: unknown): SharedView | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const x = finiteOrNull(v.x);
  const y = finiteOrNull(v.y);
  const zoom = finiteOrNull(v.zoom);
  if (!isBoardKind(v.board) || x === null || y === null || zoom === null || zoom <= 0) return null;
  return { board: v.board, x, y, zoom };
}

function parsePresence(clientId: number, state: unknown): Presence | null {
  if (typeof state !== 'object' || state === null) return null;
  const s = state as Record<string, unknown>;
  const user = (typeof s.user === 'object' && s.user !== null ? s.user : {}) as Record<string, unknown>;
  if (typeof user.id !== 'string') return null;
  const c = (typeof s.cursor === 'object' && s.cursor !== null ? s.cursor : {}) as Record<string, unknown>;
  const board: BoardKind | null =
    c.board === 'needs' || c.board === 'themes' || c.board === 'actions' ? c.board : null;
  const x = typeof c.x === 'number' && Number.isFinite(c.x) ? c.x : null;
  const y = typeof c.y === 'number' && Number.isFinite(c.y) ? c.y : null;
  const at = typeof c.at === 'number' && Number.isFinite(c.at) ? c.at : 0;
  const cursor = board !== null && x !== null && y !== null ? { board, x, y, at } : null;
  return {
    clientId,
    id: user.id,
    name: typeof user.name === 'string' ? user.name.slice(0, 80) : '',
    colour: typeof user.colour === 'string' && /^#[0-9a-f]{6}$/i.test(user.colour) ? user.colour : '#57606A',
    role: user.role === 'facilitator' || user.role === 'viewer' ? user.role : 'participant',
    cursor,
    editing: typeof s.editing === 'string' ? (s.editing as NoteId) : null,
    board: isBoardKind(s.board) ? s.board : null,
    view: parseView(s.view),
  };
}

/** The parsed peers of each awareness, dropped on every change. */
const cache = new WeakMap<Awareness, readonly Presence[]>();
const EMPTY: readonly Presence[] = [];

function peersOf(awareness: Awareness): readonly Presence[] {
  const cached = cache.get(awareness);
  if (cached) return cached;
  const list: Presence[] = [];
  awareness.getStates().forEach((state, clientId) => {
    if (clientId === awareness.clientID) return;
    const p = parsePresence(clientId, state);
    if (p) list.push(p);
  });
  const result = list.length ? list : EMPTY;
  cache.set(awareness, result);
  return result;
}

/**
 * Selects from everyone present except this client. Components re-render only when their
 * selection changes, so a cursor moving does not re-render every note.
 */
export function usePeers<T = readonly Presence[]>(
  awareness: Awareness,
  selector: (peers: readonly Presence[]) => T = (peers) => peers as T,
  isEqual?: (a: T, b: T) => boolean,
): T {
  const subscribe = useCallback(
    (listener: () => void): (() => void) => {
      const onChange = (): void => {
        cache.delete(awareness);
        listener();
      };
      awareness.on('change', onChange);
      return () => awareness.off('change', onChange);
    },
    [awareness],
  );
  return useSelector(subscribe, () => peersOf(awareness), selector, isEqual);
}

/** Sends this client's cursor (in canvas coordinates) at most every 100 ms. */
export function useCursorSender(awareness: Awareness, board: BoardKind): (x: number, y: number) => void {
  const last = useRef(0);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (pending.current) clearTimeout(pending.current);
      awareness.setLocalStateField('cursor', null);
    },
    [awareness, board],
  );
  return (x, y) => {
    const send = (): void => {
      last.current = Date.now();
      pending.current = null;
      awareness.setLocalStateField('cursor', { board, x: Math.round(x), y: Math.round(y), at: Date.now() });
    };
    const wait = 100 - (Date.now() - last.current);
    if (wait <= 0) send();
    else pending.current ??= setTimeout(send, wait);
  };
}

/**
 * Sends what this client's canvas shows (centre in content coordinates and zoom) at most every
 * 100 ms, always the latest; cleared when the canvas goes.
 */
export function useViewSender(
  awareness: Awareness,
  board: BoardKind,
): (view: Omit<SharedView, 'board'>) => void {
  const latest = useRef<Omit<SharedView, 'board'> | null>(null);
  const sent = useRef<SharedView | null>(null);
  const last = useRef(0);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (pending.current) clearTimeout(pending.current);
      pending.current = null;
      // Another canvas (the next board's) may have sent its view already: that one stays.
      const state = awareness.getLocalState() as { view?: unknown } | null;
      if (state?.view && state.view === sent.current) awareness.setLocalStateField('view', null);
    },
    [awareness, board],
  );
  return useCallback(
    (view) => {
      latest.current = view;
      const send = (): void => {
        last.current = Date.now();
        pending.current = null;
        const v = latest.current;
        if (!v) return;
        sent.current = {
          board,
          x: Math.round(v.x),
          y: Math.round(v.y),
          zoom: Math.round(v.zoom * 1000) / 1000,
        };
        awareness.setLocalStateField('view', sent.current);
      };
      const wait = 100 - (Date.now() - last.current);
      if (wait <= 0) send();
      else pending.current ??= setTimeout(send, wait);
    },
    [awareness, board],
  );
}
