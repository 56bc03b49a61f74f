/**
 * Owns the connections to workshop rooms: the Y.Doc, the y-websocket provider and its status,
 * who the server knows this person as (identity, shared/session-message.ts), the server's clock,
 * and this person's own document (drafts and ballots, `/<room>/me`). Components never construct
 * providers: they hold a room through useWorkshopConnection, and the connection closes shortly
 * after the last holder lets go (StrictMode remounts reuse it).
 *
 * The server is the authority: when it refuses one of this device's updates, nothing of it was
 * kept, while the local document has it. The connection then reloads the room (a new document
 * from the server's state, this device's copy discarded) and hands the holders the new one. This
 * person's own new notes, themes and actions that the server never had are kept: once the new
 * document has synced, they are written into it again where the policy still lets them be added
 * (shared/model/salvage.ts).
 */
import { useCallback, useEffect, useSyncExternalStore } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import {
  CLOSE,
  createUndoManager,
  createWorkshopStore,
  migrateWorkshop,
  type WorkshopStore,
} from '../../shared';
import {
  IDENTITY_PARAM,
  PERSONAL_SUFFIX,
  readRefusal,
  readSession,
  REFUSED_MESSAGE,
  SESSION_MESSAGE,
  type Refusal,
  type SessionInfo,
} from '../../shared/session-message';
import { salvageOwnItems } from '../../shared/model/salvage';
import { authorFor, isAuthor, may, type Subject } from '../../shared/policy/policy';
import { workshopView } from '../../shared/policy/view';
import { encodeStoredRequest, readStoredAck, STORED_MESSAGE } from '../../shared/stored-message';
import { HealingProvider } from './healing-provider';
import { recallIdentity, rememberIdentity, type KnownIdentity } from './identity';
import { watchCollisions } from './collisions';
import { hostedHere, placeKey, socketUrl, type Place } from './platform';
import { forget, recall, remember } from './storage';
import { roomToken } from './routes';
import { roleIn } from './session';
import { UnsavedChanges } from './unsaved-changes';

/** Connection state as the status bar shows it. `refused`: the server will not let this link in. */
export type ConnectionStatus = 'connecting' | 'online' | 'offline' | 'refused';

/** Which document a refused change was made in. */
export type RefusedIn = 'workshop' | 'personal';

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
   * Changes made here (in the workshop and in this person's own document) that the server has
   * not yet stored on its disk (sent or not): the count falls only when the server acknowledges
   * them as stored.
   */
  readonly unsent: () => number;
  /** True while connected but still exchanging what changed while apart. */
  readonly syncing: () => boolean;
  /** The server's close code when refused (see shared/close-codes.ts), else null. */
  readonly refusal: () => number | null;
  /** False when the server does not tell when changes are stored (a server older than that). */
  readonly confirmsSaves: () => boolean;
  /**
   * Who the server knows this person as here, once known (kept from an earlier visit, or told on
   * this one); null for a viewer and before a participant's or facilitator's first join.
   */
  readonly identity: () => Pick<KnownIdentity, 'id' | 'authorKey'> | null;
  /** The server's clock, epoch milliseconds (this device's until the server has told its own). */
  readonly serverNow: () => number;
  /**
   * This person's own document in the workshop (drafts of a private writing round, secret
   * ballots), kept on this device and on the server apart from the workshop; null for a viewer.
   * Replaced by a fresh one when the server refuses a change to it.
   */
  readonly personal: () => Y.Doc | null;
  /**
   * Called whenever status(), synced(), unsent(), identity() or personal() change. The
   * connection itself is replaced after a refusal: see useWorkshopConnection.
   */
  readonly onChange: (listener: () => void) => () => void;
  /** Called when the server refused a change made here, just before the reload that takes it back. */
  readonly onRefused: (listener: (refusal: Refusal, where: RefusedIn) => void) => () => void;
  /**
   * Called once on a reloaded connection that wrote again `count` (> 0) of this person's new
   * notes, themes and actions that the server never had; a listener added later still hears of it.
   */
  readonly onSalvaged: (listener: (count: number) => void) => () => void;
  readonly close: () => void;
};

/** The IndexedDB database of the local copy of the workshop at `place`. Never rename. */
export function localCopyName(place: Place): string {
  return `talkoo.${placeKey(place)}`;
}

/** The IndexedDB database of this person's own document at `place`. Never rename. */
export function personalCopyName(place: Place): string {
  return `${localCopyName(place)}.me`;
}

/** Where the count of changes not yet saved on the server survives a reload. Never rename. */
export function unsentCountKey(place: Place): string {
  return `talkoo.unsent.${placeKey(place)}`;
}

/** The same for this person's own document. Never rename. */
function personalUnsentKey(place: Place): string {
  return `${unsentCountKey(place)}.me`;
}

/**
 * Keeps a copy of a document in this device's IndexedDB, so it opens and takes edits with no
 * network (a desktop app on a train) and the server merges them on reconnect. Null where the
 * browser offers no IndexedDB; the document then lives only as long as the page. Keyed by server
 * and room: a copy is only ever sent to the server it came from.
 */
function keepLocalCopy(name: string, doc: Y.Doc): IndexeddbPersistence | null {
  try {
    if (typeof indexedDB === 'undefined') return null;
    const local = new IndexeddbPersistence(name, doc);
    // Another window discarding this copy (a refused change) must not wait for this one to close.
    void local._db.then((db) => (db.onversionchange = () => db.close())).catch(() => undefined);
    return local;
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

/**
 * One document synced with one room of the server: its local copy, its provider, its count of
 * changes not yet stored, and what the server says about its updates (stored, refused).
 */
type Channel = {
  readonly doc: Y.Doc;
  readonly provider: HealingProvider;
  readonly local: IndexeddbPersistence | null;
  readonly changes: UnsavedChanges;
  /** Settles once the local copy is in the document (or could not be read). */
  readonly loaded: Promise<void>;
  /** Stops sending, forgets this device's copy and its count: what the server has is what counts. */
  readonly discard: () => Promise<void>;
  readonly close: () => void;
};

type ChannelOptions = {
  readonly place: Place;
  /** The provider's room name: the workshop's, or `<room>/me`. */
  readonly room: string;
  readonly copyName: string;
  readonly unsentKey: string;
  /** URL parameters, kept across reconnects (the provider reads them on every new socket). */
  readonly params: Record<string, string>;
  readonly notify: () => void;
  readonly onSession: (session: SessionInfo) => void;
  /** The server refused an update of this channel's: once per channel. */
  readonly onRefused: (refusal: Refusal) => void;
  /** The server stored a change made here. */
  readonly onStored: () => void;
};

function openChannel(options: ChannelOptions): Channel {
  const { place, notify } = options;
  const doc = new Y.Doc();
  const local = keepLocalCopy(options.copyName, doc);
  // Counted across reopening: edits made offline wait in this device's copy until they are
  // stored. Without such a copy (no IndexedDB) they are gone with the window, and so is their count.
  const changes = new UnsavedChanges(local ? Number(recall(options.unsentKey)) || 0 : 0);
  let discarded = false;
  const saveCount = (): void => {
    if (discarded) return;
    if (local && changes.count() > 0) remember(options.unsentKey, String(changes.count()));
    else forget(options.unsentKey);
  };
  // Before the provider's own listener, which sends the change: the frame then knows it carries one.
  doc.on('update', (_update: Uint8Array, origin: unknown) => {
    // What came from the server or from this device's copy is no change made here.
    if (origin === provider || origin === local) return;
    changes.changed();
    saveCount();
    notify();
  });
  // Only a refused link or a change too large for the workshop (4413) is final; a full room, a
  // rate limit or a restart are retried, after jittered waits (healing-provider.ts).
  const provider = new HealingProvider(socketUrl(place), options.room, doc, {
    params: options.params,
    // Connected once the local copy is in the document, so that it goes in the first sync.
    connect: false,
    WebSocketPolyfill: socketCountingInto(changes),
  });
  provider.messageHandlers[STORED_MESSAGE] = (_encoder, decoder) => {
    if (!changes.acknowledged(readStoredAck(decoder))) return;
    saveCount();
    options.onStored();
    notify();
  };
  provider.messageHandlers[SESSION_MESSAGE] = (_encoder, decoder) => {
    const session = readSession(decoder);
    if (session) options.onSession(session);
  };
  provider.messageHandlers[REFUSED_MESSAGE] = (_encoder, decoder) => {
    const refusal = readRefusal(decoder);
    if (discarded) return;
    // Nothing more goes out from a document the server no longer agrees with.
    discarded = true;
    provider.disconnect();
    options.onRefused(refusal);
  };
  provider.on('connection-close', (event: CloseEvent | null) => {
    // A server older than stored acknowledgements closes a socket that asks for them as a
    // malformed frame, before the sync: ask no more, rather than be closed again and again.
    if (event?.code !== CLOSE.malformedFrame || provider.synced || !changes.confirmsSaves()) return;
    changes.withoutAcknowledgements();
    saveCount();
    notify();
  });
  // The local copy first: what it holds goes out in the first sync step 2, which then carries the
  // changes it counts. A copy that cannot be opened holds nothing to wait for.
  const loaded = local
    ? local._db
        .then(() => local.whenSynced)
        .then(() => undefined)
        .catch(() => undefined)
    : Promise.resolve();
  // After the provider's listener: a change it did not send waits for the next sync.
  doc.on('update', () => changes.settled());
  return {
    doc,
    provider,
    local,
    changes,
    loaded,
    discard: async () => {
      discarded = true;
      provider.destroy();
      forget(options.unsentKey);
      // The refused change is in this copy: it must not come back with the next load.
      await local?.clearData().catch(() => undefined);
    },
    close: () => {
      provider.destroy();
      void local?.destroy();
      doc.destroy();
    },
  };
}

/** What open() tells its owner (the list of open rooms below). */
type OpenOptions = {
  /** The server refused a workshop change: reload once `discarded` (this copy is gone) settles. */
  readonly onRefused: (discarded: Promise<void>) => void;
  /** The server stored a workshop change made here. */
  readonly onStored: () => void;
};

/**
 * Writes into `doc`, just synced with the server, this person's own new items of `previous` (this
 * device's refused copy) that the server never had and that `subject` may add now, each with the
 * author the server expects of them (else it would refuse them again). Returns how many.
 */
function salvageInto(doc: Y.Doc, previous: Y.Doc, subject: Subject): number {
  const view = workshopView(doc);
  const salvaged = salvageOwnItems(
    previous,
    doc,
    (author, id) => isAuthor(subject, author, id),
    ({ root, item }) =>
      item.author === authorFor(subject, view, item.id) &&
      may(subject, view, { kind: 'add', root, boardId: root === 'notes' ? item.boardId : undefined }),
  );
  return salvaged.notes.length + salvaged.themes.length + salvaged.actions.length;
}

/** `previous`: this device's copy that the server refused, whose own new items are kept (see salvageInto). */
function open(place: Place, owner: OpenOptions, previous: Y.Doc | null): WorkshopConnection {
  const token = roomToken(place);
  const role = roleIn(place);
  // Participants and facilitators are someone: they present who they were told they are.
  const someone = token !== null && role !== 'viewer';
  let known = someone ? recallIdentity(place) : null;
  let offset = 0;
  const params = (): Record<string, string> => ({
    ...(token ? { token } : {}),
    ...(known ? { [IDENTITY_PARAM]: known.identity } : {}),
  });
  const listeners = new Set<() => void>();
  const notify = (): void => listeners.forEach((l) => l());
  const refusedListeners = new Set<(refusal: Refusal, where: RefusedIn) => void>();
  const tellRefused = (refusal: Refusal, where: RefusedIn): void =>
    refusedListeners.forEach((l) => l(refusal, where));
  const salvagedListeners = new Set<(count: number) => void>();
  // Told to the first listener when none listened yet (the holders take this connection after it opens).
  let untoldSalvaged = 0;

  const onSession = (session: SessionInfo): void => {
    offset = session.now - Date.now();
    if (someone && (known?.identity !== session.identity || known.id !== session.id)) {
      known = rememberIdentity(place, session);
      // The providers keep their params across reconnects: later sockets carry the identity.
      workshop.provider.params[IDENTITY_PARAM] = known.identity;
      if (personal) personal.provider.params[IDENTITY_PARAM] = known.identity;
    }
    connectPersonal();
    notify();
  };

  const workshop = openChannel({
    place,
    room: place.room,
    copyName: localCopyName(place),
    unsentKey: unsentCountKey(place),
    params: params(),
    notify: () => notify(),
    onSession,
    onRefused: (refusal) => {
      tellRefused(refusal, 'workshop');
      owner.onRefused(workshop.discard());
    },
    onStored: owner.onStored,
  });
  const { doc, provider } = workshop;
  const store = createWorkshopStore(doc);
  const undo = createUndoManager(doc);
  // Offline edits that collide: who writes from here goes out with the first edit, and a value of
  // this person's replaced by one written apart is kept as a notice on its item (collisions.ts).
  const stopCollisions = watchCollisions(place, doc, () =>
    known && role !== 'viewer' ? { role, id: known.id, authorKey: known.authorKey } : null,
  );
  let status: ConnectionStatus = token ? 'connecting' : 'refused';
  let refusal: number | null = token ? null : 4401;
  let synced = false;
  let syncing = false;
  let closed = false;

  // This person's own document: open (and editable offline) at once, connected once the server
  // knows who this is, since the server refuses the personal channel without a valid `me`.
  let personal: Channel | null = null;
  const openPersonal = (): Channel =>
    openChannel({
      place,
      // y-websocket joins the server URL and the room name with '/': the path is `/<room>/me`.
      room: `${place.room}${PERSONAL_SUFFIX}`,
      copyName: personalCopyName(place),
      unsentKey: personalUnsentKey(place),
      params: params(),
      notify: () => notify(),
      onSession: (session) => {
        offset = session.now - Date.now();
      },
      onRefused: (refused) => {
        tellRefused(refused, 'personal');
        void reloadPersonal();
      },
      onStored: () => undefined,
    });
  const reloadPersonal = async (): Promise<void> => {
    const refused = personal;
    if (!refused) return;
    await refused.discard();
    if (!closed && personal === refused) {
      personal = openPersonal();
      notify();
      connectPersonal();
    }
    // After its holders heard of the new one.
    refused.doc.destroy();
  };
  if (someone) personal = openPersonal();

  provider.on('status', ({ status: s }: { status: string }) => {
    if (refusal !== null) return;
    status = s === 'connected' ? 'online' : s === 'connecting' ? 'connecting' : 'offline';
    syncing = status === 'online' && !provider.synced;
    notify();
  });
  provider.on('closed', ({ code }: { code: number }) => {
    // The provider stopped reconnecting: the same link would be refused again. Say why.
    refusal = code;
    status = 'refused';
    personal?.provider.disconnect();
    notify();
  });
  provider.on('sync', (isSynced: boolean) => {
    // Older documents are migrated once their full state has arrived, never before; by a
    // facilitator only: the schema is session state, which the server refuses from anyone else
    // (a viewer's or participant's page would diverge, then reload, again and again).
    if (isSynced && !synced && role === 'facilitator') migrateWorkshop(doc);
    if (isSynced && !synced) salvage();
    synced = synced || isSynced;
    syncing = !isSynced && status === 'online';
    notify();
  });
  // The browser knows first when the network goes: drop the socket at once rather than after a
  // timeout, and reconnect as soon as it is back. Not for this laptop's own server, which needs
  // no network at all.
  const needsNetwork = !hostedHere(place);
  const reachable = (): boolean => !(needsNetwork && !navigator.onLine);
  let loaded = false;
  /** Once the server's state is here: this person's own new items of the refused copy come back. */
  function salvage(): void {
    const copy = previous;
    previous = null;
    if (!copy) return;
    try {
      if (!known || role === 'viewer') return;
      const count = salvageInto(doc, copy, { role, id: known.id, authorKey: known.authorKey });
      if (count === 0) return;
      if (salvagedListeners.size === 0) untoldSalvaged = count;
      salvagedListeners.forEach((l) => l(count));
    } finally {
      copy.destroy();
    }
  }
  function connectPersonal(): void {
    const current = personal;
    if (!current || closed || !known || refusal !== null || !reachable()) return;
    void current.loaded.then(() => {
      if (!closed && personal === current && known && refusal === null && reachable())
        current.provider.connect();
    });
  }
  const goOffline = (): void => {
    if (!needsNetwork) return;
    provider.disconnect();
    personal?.provider.disconnect();
  };
  const goOnline = (): void => {
    if (!needsNetwork || !loaded || refusal !== null || !token) return;
    provider.connect();
    connectPersonal();
  };
  // Back in view (a laptop opened, a tab shown): a server that dropped this page is tried now,
  // not after the rest of a wait that may have grown while nobody looked.
  const retryNow = (): void => {
    if (document.visibilityState !== 'visible') return;
    provider.retryNow();
    personal?.provider.retryNow();
  };
  window.addEventListener('offline', goOffline);
  window.addEventListener('online', goOnline);
  document.addEventListener('visibilitychange', retryNow);
  // Opened with no network at all: say so now, rather than "connecting" until the socket fails
  // (the provider reports no status for a socket that never opened).
  if (!reachable() && refusal === null) status = 'offline';
  void workshop.loaded.then(() => {
    loaded = true;
    if (!closed && token && refusal === null && reachable()) provider.connect();
  });
  connectPersonal();

  return {
    place,
    doc,
    store,
    undo,
    awareness: provider.awareness,
    synced: () => synced,
    status: () => status,
    refusal: () => refusal,
    unsent: () => workshop.changes.count() + (personal?.changes.count() ?? 0),
    confirmsSaves: () => workshop.changes.confirmsSaves(),
    syncing: () => syncing,
    identity: () => known,
    serverNow: () => Date.now() + offset,
    personal: () => personal?.doc ?? null,
    onChange: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onRefused: (listener) => {
      refusedListeners.add(listener);
      return () => refusedListeners.delete(listener);
    },
    onSalvaged: (listener) => {
      salvagedListeners.add(listener);
      if (untoldSalvaged > 0) listener(untoldSalvaged);
      untoldSalvaged = 0;
      return () => salvagedListeners.delete(listener);
    },
    close: () => {
      closed = true;
      // Closed before it synced: what the refused copy held goes with it.
      previous?.destroy();
      previous = null;
      window.removeEventListener('offline', goOffline);
      window.removeEventListener('online', goOnline);
      document.removeEventListener('visibilitychange', retryNow);
      undo.destroy();
      stopCollisions();
      store.destroy();
      workshop.close();
      personal?.close();
    },
  };
}

/**
 * The open rooms, by place. A room's connection is replaced after a refused change; its listeners
 * (the holders' hooks) hear of each replacement.
 */
type Room = {
  connection: WorkshopConnection;
  holders: number;
  /** Reloads since the server last stored a change made here: each waits longer than the last. */
  reloads: number;
  readonly listeners: Set<() => void>;
};

const rooms = new Map<string, Room>();
const LONGEST_RELOAD_WAIT_MS = 30_000;

/**
 * Opens the connection of `place`, to be held by its room in `rooms`; after a refusal, with
 * `previous`, a copy of the refused document.
 */
function openRoom(place: Place, previous: Y.Doc | null = null): WorkshopConnection {
  const key = placeKey(place);
  // Told only while this connection is its room's (never about one already replaced).
  const roomOf = (): Room | undefined => {
    const room = rooms.get(key);
    return room?.connection === connection ? room : undefined;
  };
  const connection: WorkshopConnection = open(
    place,
    {
      onStored: () => {
        const room = roomOf();
        if (room) room.reloads = 0;
      },
      onRefused: (discarded) => {
        const room = roomOf();
        if (room) void reload(place, room, discarded);
      },
    },
    previous,
  );
  return connection;
}

/**
 * Reloads `room` after a refused change: a new connection syncs the server's state into a new
 * document, the holders re-render with it, and the old one closes. A change that is refused again
 * and again (something this client writes by itself) does not reload in a tight loop.
 */
async function reload(place: Place, room: Room, discarded: Promise<void>): Promise<void> {
  const wait = room.reloads === 0 ? 0 : Math.min(LONGEST_RELOAD_WAIT_MS, 1000 * 2 ** (room.reloads - 1));
  room.reloads++;
  await discarded;
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  const key = placeKey(place);
  // Let go of meanwhile (the workshop was left): nothing to reopen.
  if (rooms.get(key) !== room) return;
  const old = room.connection;
  // The old document is destroyed with its connection: a copy of it waits for the new one's sync.
  const previous = new Y.Doc();
  Y.applyUpdate(previous, Y.encodeStateAsUpdate(old.doc));
  room.connection = openRoom(place, previous);
  room.listeners.forEach((l) => l());
  // After the holders took the new one.
  setTimeout(() => old.close(), 0);
}

function acquire(place: Place): Room {
  const key = placeKey(place);
  let room = rooms.get(key);
  if (!room) {
    room = { connection: openRoom(place), holders: 0, reloads: 0, listeners: new Set() };
    rooms.set(key, room);
  }
  return room;
}

function retain(key: string): void {
  const room = rooms.get(key);
  if (room) room.holders++;
}

function release(key: string): void {
  const room = rooms.get(key);
  if (!room) return;
  room.holders--;
  // Closed on the next tick unless someone (a StrictMode remount) took it again.
  setTimeout(() => {
    if (room.holders > 0 || rooms.get(key) !== room) return;
    rooms.delete(key);
    room.connection.close();
  }, 0);
}

/**
 * The connection to the workshop at `place`, opened on first use and kept while a component
 * holds it. After a change the server refused, the holder re-renders with the reloaded one.
 */
export function useWorkshopConnection(place: Place): WorkshopConnection {
  const key = placeKey(place);
  const subscribe = useCallback(
    (listener: () => void) => {
      const { listeners } = acquire(place);
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    // The place is the key.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [key],
  );
  const connection = useSyncExternalStore(subscribe, () => acquire(place).connection);
  useEffect(() => {
    retain(key);
    return () => release(key);
  }, [key]);
  return connection;
}

/** Longest wait for a workshop's first sync before {@link withSettledConnection} goes on without it. */
const LONGEST_SETTLE_WAIT_MS = 15_000;

/** True once `connection` holds what it can: the server's state, or its local copy when cut off. */
function settled(connection: WorkshopConnection): boolean {
  const status = connection.status();
  return connection.synced() || status === 'offline' || status === 'refused';
}

/**
 * Runs `run` with the connection of the workshop at `place` (opened if nobody holds it, and held
 * until `run` returns) once it holds what it can: the server's state after the first sync, or,
 * when the server cannot be reached or refuses this link, its local copy alone. A file merged
 * into it then counts only what it really adds, and goes to the server as a change made here.
 */
export async function withSettledConnection<T>(
  place: Place,
  run: (connection: WorkshopConnection) => T,
): Promise<T> {
  const key = placeKey(place);
  const room = acquire(place);
  retain(key);
  try {
    await new Promise<void>((resolve) => {
      let listening: WorkshopConnection | null = null;
      let stopListening = (): void => undefined;
      // Also told when the room's connection is replaced (a reload after a refused change).
      const check = (): void => {
        if (settled(room.connection)) return finish();
        if (listening === room.connection) return;
        stopListening();
        listening = room.connection;
        stopListening = room.connection.onChange(check);
      };
      const finish = (): void => {
        clearTimeout(timer);
        stopListening();
        room.listeners.delete(check);
        resolve();
      };
      const timer = setTimeout(finish, LONGEST_SETTLE_WAIT_MS);
      room.listeners.add(check);
      check();
    });
    return run(room.connection);
  } finally {
    release(key);
  }
}
