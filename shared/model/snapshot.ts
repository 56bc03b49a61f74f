/**
 * A subscribable snapshot of a workshop document with structural sharing: after a change, every
 * part of the read model that did not change keeps its identity, so a view that selects one note
 * re-renders only when that note changed. The renderer wraps this in useSyncExternalStore.
 */
import type * as Y from 'yjs';
import { readWorkshop } from './read';
import type { Workshop } from './schema';

/** A live, shareable view of one document. */
export type WorkshopStore = {
  readonly getSnapshot: () => Workshop;
  readonly subscribe: (listener: () => void) => () => void;
  readonly destroy: () => void;
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function idOf(value: unknown): unknown {
  return isRecord(value) ? value.id : undefined;
}

/**
 * Returns `next`, except that every part deep-equal to the matching part of `prev` is replaced by
 * that part of `prev` (array items are matched by `id` where they have one). If nothing changed,
 * `prev` itself is returned.
 */
export function shareStructure<T>(prev: unknown, next: T): T {
  if (Object.is(prev, next)) return prev as T;
  if (Array.isArray(prev) && Array.isArray(next)) {
    const byId = new Map<unknown, unknown>();
    for (const item of prev) if (idOf(item) !== undefined) byId.set(idOf(item), item);
    let same = prev.length === next.length;
    const out = next.map((item: unknown, i: number) => {
      const id = idOf(item);
      const shared = shareStructure(id !== undefined ? byId.get(id) : prev[i], item);
      if (shared !== prev[i]) same = false;
      return shared;
    });
    return (same ? prev : out) as T;
  }
  if (isRecord(prev) && isRecord(next)) {
    const keys = Object.keys(next);
    let same = keys.length === Object.keys(prev).length;
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      out[key] = shareStructure(prev[key], next[key]);
      if (out[key] !== prev[key] || !(key in prev)) same = false;
    }
    return (same ? prev : out) as T;
  }
  return next;
}

/** Creates a store over `doc` that updates after every transaction that changed something. */
export function createWorkshopStore(doc: Y.Doc): WorkshopStore {
  let snapshot = readWorkshop(doc);
  const listeners = new Set<() => void>();
  const onUpdate = (): void => {
    const next = shareStructure(snapshot, readWorkshop(doc));
    if (next === snapshot) return;
    snapshot = next;
    for (const listener of [...listeners]) listener();
  };
  doc.on('update', onUpdate);
  return {
    getSnapshot: () => snapshot,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    destroy: () => {
      doc.off('update', onUpdate);
      listeners.clear();
    },
  };
}
