/**
 * Owns the connections to workshop rooms: the Y.Doc, the y-websocket provider and its status.
 * Components never construct providers: they hold a room through useWorkshopConnection, and
 * the connection closes shortly after the last holder lets go (StrictMode remounts reuse it).
 */
import { useEffect } from 'react';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { createWorkshopStore, migrateWorkshop, type WorkshopStore } from '../../shared';
import { serverSocketUrl } from './platform';

/** Connection state as the status bar shows it. */
export type ConnectionStatus = 'connecting' | 'online' | 'offline';

/** One open workshop. */
export type WorkshopConnection = {
  readonly room: string;
  readonly doc: Y.Doc;
  readonly store: WorkshopStore;
  /** True once the first full sync with the server finished. */
  readonly synced: () => boolean;
  readonly status: () => ConnectionStatus;
  /** Called whenever status() or synced() change. */
  readonly onChange: (listener: () => void) => () => void;
  readonly close: () => void;
};

function open(room: string): WorkshopConnection {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(serverSocketUrl(), room, doc);
  const store = createWorkshopStore(doc);
  let status: ConnectionStatus = 'connecting';
  let synced = false;
  const listeners = new Set<() => void>();
  const notify = (): void => listeners.forEach((l) => l());

  provider.on('status', ({ status: s }: { status: string }) => {
    status = s === 'connected' ? 'online' : s === 'connecting' ? 'connecting' : 'offline';
    notify();
  });
  provider.on('sync', (isSynced: boolean) => {
    // Older documents are migrated once their full state has arrived, never before.
    if (isSynced && !synced) migrateWorkshop(doc);
    synced = synced || isSynced;
    notify();
  });

  return {
    room,
    doc,
    store,
    synced: () => synced,
    status: () => status,
    onChange: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => {
      provider.destroy();
      store.destroy();
      doc.destroy();
    },
  };
}

const rooms = new Map<string, { connection: WorkshopConnection; holders: number }>();

function acquire(room: string): WorkshopConnection {
  let entry = rooms.get(room);
  if (!entry) {
    entry = { connection: open(room), holders: 0 };
    rooms.set(room, entry);
  }
  return entry.connection;
}

function retain(room: string): void {
  const entry = rooms.get(room);
  if (entry) entry.holders++;
}

function release(room: string): void {
  const entry = rooms.get(room);
  if (!entry) return;
  entry.holders--;
  // Closed on the next tick unless someone (a StrictMode remount) took it again.
  setTimeout(() => {
    if (entry.holders > 0 || rooms.get(room) !== entry) return;
    rooms.delete(room);
    entry.connection.close();
  }, 0);
}

/** The connection to `room`, opened on first use and kept while a component holds it. */
export function useWorkshopConnection(room: string): WorkshopConnection {
  const connection = acquire(room);
  useEffect(() => {
    retain(room);
    return () => release(room);
  }, [room]);
  return connection;
}
