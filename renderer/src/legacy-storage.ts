/**
 * An earlier Talkoo kept each workshop on this device by room alone: its local copy (IndexedDB
 * `talkoo.ROOM`), its token, its count of unsent changes and its recent-list entry. Now they are
 * kept per server and room (see Place), so that a link naming the same room on another server gets
 * none of them. At start, before the first render, each is adopted by the one workshop the device
 * had on record for that room (legacyServerOf: the page's own server in a browser; in the desktop
 * app the server its last link named, else this laptop), and only by it. Nothing is removed
 * before its new copy is written; what cannot be moved stays where it was for the next start.
 */
import * as Y from 'yjs';
import { legacyServerKey, legacyServerOf, type Place } from './platform';
import { localCopyName, unsentCountKey } from './connection';
import { rememberRecent, recentWorkshops, tokenKey } from './routes';
import { forget, keysStartingWith, recall, remember } from './storage';

/** A name an earlier Talkoo gave by room alone: new names hold a '/' between server and room. */
const ROOM_ONLY = /^[^/]+$/;

/** Adopts what was kept by room alone; never fails (what it cannot move stays). */
export async function adoptRoomOnlyStorage(): Promise<void> {
  try {
    // Entries with no server go to the server on record, while that record is still here.
    rememberRecent(recentWorkshops(legacyServerOf));
    const rooms = new Set<string>();
    for (const prefix of ['talkoo.token.', 'talkoo.unsent.', 'talkoo.server.']) {
      for (const key of keysStartingWith(prefix)) {
        const room = key.slice(prefix.length);
        if (ROOM_ONLY.test(room)) rooms.add(room);
      }
    }
    const copies = await roomOnlyCopies();
    for (const room of copies ?? []) rooms.add(room);
    for (const room of rooms) {
      const place: Place = { server: legacyServerOf(room), room };
      move(`talkoo.token.${room}`, tokenKey(place));
      move(`talkoo.unsent.${room}`, unsentCountKey(place));
      // Without a list of databases a copy may still be waiting: keep the record for it.
      if (copies === null) continue;
      if (copies.has(room)) {
        try {
          await adoptCopy(`talkoo.${room}`, localCopyName(place));
        } catch {
          continue;
        }
      }
      forget(legacyServerKey(room));
    }
  } catch {
    // Storage unavailable: nothing was kept that could be adopted.
  }
}

/** Moves one stored value; a value already at `to` (a newer token) wins. */
function move(from: string, to: string): void {
  const value = recall(from);
  if (value === null) return;
  if (recall(to) === null) remember(to, value);
  forget(from);
}

/** Rooms whose copy was kept by room alone; null where the browser cannot list its databases. */
async function roomOnlyCopies(): Promise<Set<string> | null> {
  if (typeof indexedDB === 'undefined' || typeof indexedDB.databases !== 'function') return null;
  const rooms = new Set<string>();
  for (const { name } of await indexedDB.databases()) {
    const room = name?.startsWith('talkoo.') ? name.slice('talkoo.'.length) : null;
    if (room && ROOM_ONLY.test(room)) rooms.add(room);
  }
  return rooms;
}

/** Writes everything in the copy `from` into the copy `to` (merged into one update), then deletes `from`. */
async function adoptCopy(from: string, to: string): Promise<void> {
  const source = await openCopy(from);
  let updates: Uint8Array[];
  try {
    const stored: unknown[] = await request(
      source.transaction('updates', 'readonly').objectStore('updates').getAll(),
    );
    updates = stored.filter((update): update is Uint8Array => update instanceof Uint8Array);
  } finally {
    source.close();
  }
  if (updates.length > 0) {
    const target = await openCopy(to);
    try {
      const tx = target.transaction('updates', 'readwrite');
      tx.objectStore('updates').add(Y.mergeUpdates(updates));
      await completed(tx);
    } finally {
      target.close();
    }
  }
  await new Promise<void>((resolve, reject) => {
    const deletion = indexedDB.deleteDatabase(from);
    deletion.onsuccess = () => resolve();
    // Another tab still has it open: it is deleted once that tab lets go.
    deletion.onblocked = () => resolve();
    deletion.onerror = () => reject(deletion.error ?? new Error(`could not delete ${from}`));
  });
}

/** Opens a local copy's database with y-indexeddb's layout (an auto-numbered store of updates). */
function openCopy(name: string): Promise<IDBDatabase> {
  const opening = indexedDB.open(name);
  opening.onupgradeneeded = () => {
    const db = opening.result;
    if (!db.objectStoreNames.contains('updates')) db.createObjectStore('updates', { autoIncrement: true });
    if (!db.objectStoreNames.contains('custom')) db.createObjectStore('custom');
  };
  return request(opening);
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function completed(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}
