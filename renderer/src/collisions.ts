/**
 * Offline edits that collided, as this person is told of them (shared/model/collisions.ts): a
 * value of theirs that Yjs replaced by one written apart is kept here, per workshop place, until
 * they dismiss it or put theirs back, so that a reload does not lose it. The connection starts
 * watching when it opens a workshop ({@link watchCollisions}); the items show their notices
 * (boards/collision-notice.tsx).
 */
import { useSyncExternalStore } from 'react';
import * as Y from 'yjs';
import { isAnonymousTag } from '../../shared';
import { observeCollisions, recordClientOnEdit, type Collision } from '../../shared/model/collisions';
import { authorFor, isAuthor, type Subject } from '../../shared/policy/policy';
import { workshopView } from '../../shared/policy/view';
import { placeKey, type Place } from './platform';
import { recall, remember } from './storage';

/** One of my values that was replaced, as shown on its item. */
export type CollisionNotice = {
  /** Unique per notice (a new collision of the same field replaces the older notice). */
  readonly key: string;
  readonly root: Collision['root'];
  readonly id: string;
  readonly field: string;
  readonly lost: unknown;
  readonly won: unknown;
  /** The name of who wrote the value kept; null when it may not be said or is not known ("someone"). */
  readonly by: string | null;
};

/** Most notices kept per workshop place: the newest. */
const MAX_NOTICES = 50;

/** Where the notices of `place` are kept. Never rename. */
function noticesKey(place: Place): string {
  return `talkoo.collisions.${placeKey(place)}`;
}

function parseNotices(kept: string | null): CollisionNotice[] {
  if (!kept) return [];
  try {
    const json: unknown = JSON.parse(kept);
    if (!Array.isArray(json)) return [];
    return json.filter((n): n is CollisionNotice => {
      if (typeof n !== 'object' || n === null) return false;
      const { key, root, id, field, by } = n as Record<string, unknown>;
      return (
        typeof key === 'string' &&
        (root === 'notes' || root === 'themes' || root === 'actions') &&
        typeof id === 'string' &&
        typeof field === 'string' &&
        (by === null || typeof by === 'string')
      );
    });
  } catch {
    return [];
  }
}

const cache = new Map<string, readonly CollisionNotice[]>();
const listeners = new Set<() => void>();

/** The notices kept for `place`, newest last. */
export function collisionNotices(place: Place): readonly CollisionNotice[] {
  const key = noticesKey(place);
  let notices = cache.get(key);
  if (!notices) {
    notices = parseNotices(recall(key));
    cache.set(key, notices);
  }
  return notices;
}

function keep(place: Place, notices: readonly CollisionNotice[]): void {
  const key = noticesKey(place);
  const kept = notices.slice(-MAX_NOTICES);
  cache.set(key, kept);
  remember(key, JSON.stringify(kept));
  listeners.forEach((l) => l());
}

/** Forgets the notice `key` at `place` (dismissed, or my value put back). */
export function dismissCollision(place: Place, key: string): void {
  const notices = collisionNotices(place);
  if (notices.some((n) => n.key === key))
    keep(
      place,
      notices.filter((n) => n.key !== key),
    );
}

/** The notices of `place` on item `id` of `root`; re-renders when they change. */
export function useCollisionNotices(
  place: Place,
  root: Collision['root'],
  id: string,
): readonly CollisionNotice[] {
  const all = useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => collisionNotices(place),
  );
  return all.filter((n) => n.root === root && n.id === id);
}

/** The roster name of participant `id` in `doc`, if it has one. */
function rosterName(doc: Y.Doc, id: string): string | null {
  const entry = doc.getMap<unknown>('participants').get(id);
  const name = entry instanceof Y.Map ? (entry as Y.Map<unknown>).get('name') : undefined;
  return typeof name === 'string' && name.trim() !== '' ? name.trim() : null;
}

/**
 * Watches the workshop `doc` at `place` for this person (`subject()`, null while the server has
 * not told who they are, and for a viewer): records who writes from here with the first edit,
 * and keeps a notice of each of their values replaced by one written apart. Returns a function
 * that stops.
 */
export function watchCollisions(place: Place, doc: Y.Doc, subject: () => Subject | null): () => void {
  const view = workshopView(doc);
  const stopRecording = recordClientOnEdit(doc, (key) => {
    const who = subject();
    return who?.id ? authorFor(who, view, key) : null;
  });
  const stopObserving = observeCollisions(doc, (found) => {
    const who = subject();
    if (!who) return;
    const mine = found.filter((c) => c.loser !== null && isAuthor(who, c.loser, String(c.loserClient)));
    if (mine.length === 0) return;
    const same = (n: CollisionNotice, c: Collision): boolean =>
      n.root === c.root && n.id === c.id && n.field === c.field;
    const named = (c: Collision): string | null =>
      // In an anonymous workshop nobody is named, not even by a record written before it was.
      view.anonymous || c.winner === null || isAnonymousTag(c.winner) ? null : rosterName(doc, c.winner);
    const fresh = mine.map((c): CollisionNotice => ({
      key: `${c.root}/${c.id}/${c.field}/${c.winnerClient}/${Date.now()}`,
      root: c.root,
      id: c.id,
      field: c.field,
      lost: c.lost,
      won: c.won,
      by: named(c),
    }));
    keep(place, [...collisionNotices(place).filter((n) => !mine.some((c) => same(n, c))), ...fresh]);
  });
  return () => {
    stopRecording();
    stopObserving();
  };
}
