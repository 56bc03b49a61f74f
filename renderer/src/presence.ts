/**
 * Live presence over Yjs awareness: who is here (name, colour, role), where their cursor is on
 * which board, and which note they are editing. Cursor updates are sent at most 10 per second.
 */
import { useCallback, useEffect, useRef } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import type { BoardKind, NoteId, Role } from '../../shared';
import { useSelector } from './use-workshop';

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
};

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
