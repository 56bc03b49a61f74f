/**
 * The one read path from Yjs into React: components select what they show from the workshop
 * snapshot, and re-render only when their selection changed (the snapshot shares structure).
 */
import { createContext, useContext, useRef, useSyncExternalStore } from 'react';
import type { Workshop } from '../../shared';
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
 * Selects from the open workshop. `isEqual` decides when a new selection counts as unchanged
 * (use `sameItems` for selectors that filter or map into a new array).
 */
export function useWorkshop<T>(
  selector: (workshop: Workshop) => T,
  isEqual: (a: T, b: T) => boolean = Object.is,
): T {
  const { store } = useConnection();
  const cache = useRef<{ snapshot: Workshop; value: T } | null>(null);
  const select = (): T => {
    const snapshot = store.getSnapshot();
    const cached = cache.current;
    if (cached?.snapshot === snapshot) return cached.value;
    const value = selector(snapshot);
    const kept = cached && isEqual(cached.value, value) ? cached.value : value;
    cache.current = { snapshot, value: kept };
    return kept;
  };
  return useSyncExternalStore(store.subscribe, select);
}
