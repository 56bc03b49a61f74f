/**
 * Owns the connections to workshop rooms: the Y.Doc, the y-websocket provider and its status.
 * Components never construct providers: they hold a room through useWorkshopConnection, and
 * the connection closes shortly after the last holder lets go (StrictMode remounts reuse it).
 */
import { useEffect } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import {
  CLOSE,
  createUndoManager,
  createWorkshopStore,
  migrateWorkshop,
  PERMANENT_CLOSE_CODES,
  type WorkshopStore,
} from '../../shared';
import { encodeStoredRequest, readStoredAck, STORED_MESSAGE } from '../../shared/stored-message';
import { hostedHere, placeKey, socketUrl, type Place } from './platform';
import { forget, recall, remember } from './storage';
import { roomToken } from './routes';
import { UnsavedChanges } from './unsaved-changes';

/** Connection state as the status bar shows it. `refused`: the server will not let this link in. */
export type ConnectionStatus = 'connecting' | 'online' | 'offline' | 'refused';

/** One open workshop. */
export type WorkshopConnection = {
  /** The server and room: what this device keeps for the workshop is keyed by both. */
  readonly place: Place;
  readonly doc: Y.Doc;
  readonly store: WorkshopStore;
  /** This user's undo history (never undoes other people's changes). */
  readonly undo: Y.UndoManager;
  /** Live presence: cursors, names, who edits what. */
  readonly awareness: Awareness;
  /** True once the first full sync with the server finished. */
  readonly synced: () => boolean;
  readonly status: () => ConnectionStatus;
  /**
   * Changes made here that the server has not yet stored on its disk (sent or not): the count
   * falls only when the server acknowledges them as stored.
   */
  readonly unsent: () => number;
  /** True while connected but still exchanging what changed while apart. */
  readonly syncing: () => boolean;
  /** The server's close code when refused (see shared/close-codes.ts), else null. */
  readonly refusal: () => number | null;
  /** False when the server does not tell when changes are stored (a server older than that). */
  readonly confirmsSaves: () => boolean;
  /** Called whenever status() or synced() change. */
  readonly onChange: (listener: () => void) => () => void;
  readonly close: () => void;
};

/** The IndexedDB database of the local copy of the workshop at `place`. Never rename. */
export function localCopyName(place: Place): string {
  return `talkoo.${placeKey(place)}`;
}

/** Where the count of changes not yet saved on the server survives a reload. Never rename. */
export function unsentCountKey(place: Place): string {
  return `talkoo.unsent.${placeKey(place)}`;
}

/**
 * Keeps a copy of the workshop in this device's IndexedDB, so it opens and takes edits with no
 * network (a desktop app on a train) and the server merges them on reconnect. Null where the
 * browser offers no IndexedDB; the workshop then lives only as long as the page. Keyed by server
 * and room: a copy is only ever sent to the server it came from.
 */
function keepLocalCopy(place: Place, doc: Y.Doc): IndexeddbPersistence | null {
  try {
    return typeof indexedDB === 'undefined' ? null : new IndexeddbPersistence(localCopyName(place), doc);
  } catch {
    return null;
  }
}

/**
 * The browser's WebSocket, telling `changes` of every frame it sends and asking the server, first
 * thing on each socket, to tell when this client's updates are stored.
 */
function socketCountingInto(changes: UnsavedChanges): typeof WebSocket {
  return class extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      changes.connected();
      // Registered before the provider's onopen, so the request goes before its sync step 1.
      this.addEventListener('open', () => {
        if (changes.confirmsSaves()) super.send(new Uint8Array(encodeStoredRequest()));
      });
    }

    override send(data: string | Blob | BufferSource): void {
      super.send(data);
      if (data instanceof Uint8Array) changes.sent(data);
      else if (data instanceof ArrayBuffer) changes.sent(new Uint8Array(data));
    }
  };
}

function open(place: Place): WorkshopConnection {
  const doc = new Y.Doc();
  const local = keepLocalCopy(place, doc);
  const token = roomToken(place);
  // Counted across reopening: edits made offline wait in this device's copy until they are
  // stored. Without such a copy (no IndexedDB) they are gone with the window, and so is their count.
  const unsentKey = unsentCountKey(place);
  const changes = new UnsavedChanges(local ? Number(recall(unsentKey)) || 0 : 0);
  const saveCount = (): void => {
    if (local && changes.count() > 0) remember(unsentKey, String(changes.count()));
    else forget(unsentKey);
  };
  // Before the provider's own listener, which sends the change: the frame then knows it carries one.
  doc.on('update', (_update: Uint8Array, origin: unknown) => {
    // What came from the server or from this device's copy is no change made here.
    if (origin === provider || origin === local) return;
    changes.changed();
    saveCount();
    notify();
  });
  const provider = new WebsocketProvider(socketUrl(place), place.room, doc, {
    params: token ? { token } : {},
    // Connected once the local copy is in the document (below), so that it goes in the first sync.
    connect: false,
    // Only a refused token or a change too large for the workshop (4413) is final; a full room, a
    // rate limit or a restart are retried.
    shouldReconnect: (event: CloseEvent) => !PERMANENT_CLOSE_CODES.has(event.code),
    WebSocketPolyfill: socketCountingInto(changes),
  });
  provider.messageHandlers[STORED_MESSAGE] = (_encoder, decoder) => {
    if (!changes.acknowledged(readStoredAck(decoder))) return;
    saveCount();
    notify();
  };
  const store = createWorkshopStore(doc);
  const undo = createUndoManager(doc);
  let status: ConnectionStatus = token ? 'connecting' : 'refused';
  let refusal: number | null = token ? null : 4401;
  let synced = false;
  let syncing = false;
  const listeners = new Set<() => void>();
  const notify = (): void => listeners.forEach((l) => l());

  provider.on('status', ({ status: s }: { status: string }) => {
    if (refusal !== null) return;
    status = s === 'connected' ? 'online' : s === 'connecting' ? 'connecting' : 'offline';
    syncing = status === 'online' && !provider.synced;
    notify();
  });
  provider.on('connection-close', (event: CloseEvent | null) => {
    // A server older than stored acknowledgements closes a socket that asks for them as a
    // malformed frame, before the sync: ask no more, rather than be closed again and again.
    if (event?.code !== CLOSE.malformedFrame || provider.synced || !changes.confirmsSaves()) return;
    changes.withoutAcknowledgements();
    saveCount();
    notify();
  });
  provider.on('closed', ({ code }: { code: number }) => {
    // The provider stopped reconnecting: the same link would be refused again. Say why.
    refusal = code;
    status = 'refused';
    notify();
  });
  provider.on('sync', (isSynced: boolean) => {
    // Older documents are migrated once their full state has arrived, never before.
    if (isSynced && !synced) migrateWorkshop(doc);
    synced = synced || isSynced;
    syncing = !isSynced && status === 'online';
    notify();
  });
  // The browser knows first when the network goes: drop the socket at once rather than after a
  // timeout, and reconnect as soon as it is back. Not for this laptop's own server, which needs
  // no network at all.
  const needsNetwork = !hostedHere(place);
  const goOffline = (): void => {
    if (needsNetwork) provider.disconnect();
  };
  let loaded = false;
  const goOnline = (): void => {
    if (needsNetwork && loaded && refusal === null && token) provider.connect();
  };
  window.addEventListener('offline', goOffline);
  window.addEventListener('online', goOnline);
  // Opened with no network at all: say so now, rather than "connecting" until the socket fails
  // (the provider reports no status for a socket that never opened).
  if (needsNetwork && !navigator.onLine && refusal === null) status = 'offline';
  // The local copy first: what it holds goes out in the first sync step 2, which then carries the
  // changes it counts. A copy that cannot be opened holds nothing to wait for.
  const copyLoaded = local ? local._db.then(() => local.whenSynced).then(() => undefined) : Promise.resolve();
  let closed = false;
  void copyLoaded
    .catch(() => undefined)
    .then(() => {
      loaded = true;
      if (!closed && token && refusal === null && !(needsNetwork && !navigator.onLine)) provider.connect();
    });
  // After the provider's listener: a change it did not send waits for the next sync.
  doc.on('update', () => changes.settled());

  return {
    place,
    doc,
    store,
    undo,
    awareness: provider.awareness,
    synced: () => synced,
    status: () => status,
    refusal: () => refusal,
    unsent: () => changes.count(),
    confirmsSaves: () => changes.confirmsSaves(),
    syncing: () => syncing,
    onChange: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => {
      closed = true;
      window.removeEventListener('offline', goOffline);
      window.removeEventListener('online', goOnline);
      undo.destroy();
      provider.destroy();
      void local?.destroy();
      store.destroy();
      doc.destroy();
    },
  };
}

const rooms = new Map<string, { connection: WorkshopConnection; holders: number }>();

function acquire(place: Place): WorkshopConnection {
  const key = placeKey(place);
  let entry = rooms.get(key);
  if (!entry) {
    entry = { connection: open(place), holders: 0 };
    rooms.set(key, entry);
  }
  return entry.connection;
}

function retain(key: string): void {
  const entry = rooms.get(key);
  if (entry) entry.holders++;
}

function release(key: string): void {
  const entry = rooms.get(key);
  if (!entry) return;
  entry.holders--;
  // Closed on the next tick unless someone (a StrictMode remount) took it again.
  setTimeout(() => {
    if (entry.holders > 0 || rooms.get(key) !== entry) return;
    rooms.delete(key);
    entry.connection.close();
  }, 0);
}

/** The connection to the workshop at `place`, opened on first use and kept while a component holds it. */
export function useWorkshopConnection(place: Place): WorkshopConnection {
  const connection = acquire(place);
  const key = placeKey(place);
  useEffect(() => {
    retain(key);
    return () => release(key);
  }, [key]);
  return connection;
}
