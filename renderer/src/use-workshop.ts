/**
 * The one read path from Yjs into React: components select what they show from the workshop
 * snapshot, and re-render only when their selection changed (the snapshot shares structure).
 */
import { createContext, useContext, useRef, useSyncExternalStore } from 'react';
import type { Note, Workshop } from '../../shared';
import type { WorkshopConnection } from './connection';

/** The open workshop's connection: its document (for writes), store (for reads) and undo. */
export const WorkshopContext = createContext<WorkshopConnection | null>(null);

/** The open workshop's connection. */
export function useConnection(): WorkshopConnection {
  const connection = useContext(WorkshopContext);
  if (!connection) throw new Error('useConnection needs a WorkshopContext provider');
  return connection;
}

/** Equal when both arrays hold the same items (by identity) in the same order. */
export function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

/**
 * Selects from any external store: re-renders only when `isEqual` says the selection changed.
 * The selection is computed once per store snapshot.
 */
export function useSelector<S, T>(
  subscribe: (listener: () => void) => () => void,
  getSnapshot: () => S,
  selector: (snapshot: S) => T,
  isEqual: (a: T, b: T) => boolean = Object.is,
): T {
  const cache = useRef<{ snapshot: S; selector: (snapshot: S) => T; value: T } | null>(null);
  const select = (): T => {
    const snapshot = getSnapshot();
    const cached = cache.current;
    // A selector may close over props (a list of ids): a new render brings a new selector,
    // which must run even when the store has not changed.
    if (cached && Object.is(cached.snapshot, snapshot) && cached.selector === selector) return cached.value;
    const value = selector(snapshot);
    const kept = cached && isEqual(cached.value, value) ? cached.value : value;
    cache.current = { snapshot, selector, value: kept };
    return kept;
  };
  return useSyncExternalStore(subscribe, select);
}

/**
 * Selects from the open workshop. `isEqual` decides when a new selection counts as unchanged
 * (use `sameItems` for selectors that filter or map into a new array).
 */
export function useWorkshop<T>(
  selector: (workshop: Workshop) => T,
  isEqual: (a: T, b: T) => boolean = Object.is,
): T {
  const { store } = useConnection();
  return useSelector(store.subscribe, store.getSnapshot, selector, isEqual);
}

const noteIndexes = new WeakMap<Workshop, ReadonlyMap<string, Note>>();

/** A note by id in O(1): the index is built once per snapshot. */
export function noteById(workshop: Workshop, id: string): Note | undefined {
  let index = noteIndexes.get(workshop);
  if (!index) {
    index = new Map(workshop.notes.map((n) => [n.id, n]));
    noteIndexes.set(workshop, index);
  }
  return index.get(id);
}
