/**
 * This person's own document (drafts of a private writing round, secret ballots) in React: the
 * same selector hook as the workshop's, over a snapshot that changes with each update of the
 * personal document and whenever the connection replaces it.
 */
import { useMemo } from 'react';
import type * as Y from 'yjs';
import { readBallots, readDrafts, type Note, type RoundId } from '../../shared';
import type { WorkshopConnection } from './connection';
import { useConnection, useSelector } from './use-workshop';

type PersonalStore = {
  readonly subscribe: (listener: () => void) => () => void;
  readonly getSnapshot: () => PersonalSnapshot;
};

/** The personal document at one moment: a new object after each of its updates. */
type PersonalSnapshot = { readonly doc: Y.Doc | null; readonly version: number };

const stores = new WeakMap<WorkshopConnection, PersonalStore>();

function personalStore(connection: WorkshopConnection): PersonalStore {
  const known = stores.get(connection);
  if (known) return known;
  let snapshot: PersonalSnapshot = { doc: connection.personal(), version: 0 };
  const listeners = new Set<() => void>();
  const bump = (): void => {
    snapshot = { doc: connection.personal(), version: snapshot.version + 1 };
    for (const listener of listeners) listener();
  };
  let watched: Y.Doc | null = null;
  const watch = (): void => {
    const doc = connection.personal();
    if (doc === watched) return;
    watched?.off('update', bump);
    watched = doc;
    doc?.on('update', bump);
    bump();
  };
  const store: PersonalStore = {
    subscribe: (listener) => {
      listeners.add(listener);
      if (listeners.size === 1) watch();
      const stop = connection.onChange(watch);
      return () => {
        stop();
        listeners.delete(listener);
        if (listeners.size === 0) {
          watched?.off('update', bump);
          watched = null;
        }
      };
    },
    getSnapshot: () => {
      // The connection may have replaced the document while nobody listened.
      if (snapshot.doc !== connection.personal()) snapshot = { doc: connection.personal(), version: 0 };
      return snapshot;
    },
  };
  stores.set(connection, store);
  return store;
}

/**
 * Selects from this person's own document; `fallback` while there is none (a viewer, or before
 * the server has said who this is). `isEqual` as for useWorkshop.
 */
export function usePersonal<T>(
  selector: (personal: Y.Doc) => T,
  fallback: T,
  isEqual: (a: T, b: T) => boolean = Object.is,
): T {
  const connection = useConnection();
  const store = personalStore(connection);
  return useSelector(
    store.subscribe,
    store.getSnapshot,
    (snapshot) => (snapshot.doc ? selector(snapshot.doc) : fallback),
    isEqual,
  );
}

/** Equal when two values have the same JSON: for small plain selections (drafts, ballots). */
export function sameJson<T>(a: T, b: T): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** My dots in a round, in all and per target (from my own document); null without a round or document. */
export function useMyBallots(
  roundId: RoundId | null,
): { readonly total: number; readonly perItem: ReadonlyMap<string, number> } | null {
  const entries = usePersonal(
    (personal) => (roundId ? [...readBallots(personal, roundId)] : null),
    null,
    sameJson,
  );
  return useMemo(() => {
    if (!entries) return null;
    return { total: entries.reduce((sum, [, n]) => sum + n, 0), perItem: new Map(entries) };
  }, [entries]);
}

const NO_DRAFTS: readonly Note[] = [];

/** My drafts of the private writing round, in the order written. */
export function useMyDrafts(): readonly Note[] {
  return usePersonal((personal) => readDrafts(personal), NO_DRAFTS, sameJson);
}
