/**
 * Owns the connection to a workshop room: the Y.Doc, the y-websocket provider and its status.
 * Components never construct providers; they open a connection through this module.
 */
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
  synced(): boolean;
  status(): ConnectionStatus;
  /** Called whenever status() or synced() change. */
  onChange(listener: () => void): () => void;
  close(): void;
};

/** Opens a workshop room on the server this UI belongs to. */
export function openWorkshop(room: string): WorkshopConnection {
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
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      provider.destroy();
      store.destroy();
      doc.destroy();
    },
  };
}
