/**
 * One collaboration room: a Y.Doc, its awareness and the peers connected to it. Speaks the
 * standard y-websocket protocol (sync step 1/2, updates, awareness), so the stock client works.
 * Viewers receive everything; their document updates are dropped here, never applied or stored.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { encodeStoredAck, isUpdateFrame, STORED_MESSAGE } from '../../shared/stored-message';
import { MAX_DOCUMENT_BYTES } from '../../shared/limits';
import type { DecodedUpdate } from '../../shared/policy/changes';
import { encodeRefusal, encodeSession } from '../../shared/session-message';
import { CLOSE, MESSAGE, SYNC } from '../wire/protocol';
import { readUpdateShape } from '../wire/update-shape';
import { HeldUpdates } from './held-updates';

/** One connection as a room sees it (ws's WebSocket is wrapped into this by the server). */
export type Peer = {
  readonly role: 'facilitator' | 'participant' | 'viewer';
  /** The display name its token carries ('' when the link names nobody). */
  readonly name?: string;
  /** The id of the link (token) it connected with: who asked for a restore is found by it. */
  readonly link?: string;
  /**
   * The personal identity the server knows it by (auth/identity.ts): its id, the signed identity
   * it is told to present next time, and its anonymous-authorship secret. Viewers have none.
   */
  readonly identity?: { readonly id: string; readonly identity: string; readonly authorKey: string };
  send(data: Uint8Array): void;
  close(code: number, reason: string): void;
  /**
   * The room did this many bytes of work for the frame being handled (updates held aside, merged
   * or applied again): the connection pays it from its byte rate, as it pays what it sends.
   */
  charge?(bytes: number): void;
};

/**
 * What the host's check says of a peer's update: refused (why), accepted, or accepted with what
 * the server writes along with it (`amend`, run inside the transaction that applies the update).
 */
export type Verdict =
  { readonly code: string; readonly path: string } | { readonly amend: () => void } | null;

/**
 * Origin of a peer's update applied together with the server's own writes: it goes to everyone,
 * its sender too, who has not got what the server wrote.
 */
const AMENDED = Symbol('amended');

/** Someone in a room as the version history names them. */
export type Person = { readonly name: string; readonly role: Peer['role'] };

/** How large a room's parts may be, bytes (wire/limits.ts). */
export type RoomLimits = {
  /** Largest awareness state of one client (its JSON). */
  readonly maxAwarenessBytes: number;
  /** Largest document: a change that could grow it beyond is refused. */
  readonly maxDocumentBytes?: number;
};

/** What a room reports to whoever hosts it. */
export type RoomEvents = {
  /** A document update was applied (from a peer, or from the server itself). */
  readonly onUpdate?: (update: Uint8Array, origin: unknown) => void;
  /** A viewer's update was dropped. */
  readonly onViewerUpdateDropped?: () => void;
  /**
   * Judges a peer's update before it is applied (shared/policy): why it is refused, or null to
   * accept it, or what the server writes with it. A refused update is dropped whole (never
   * applied, relayed or stored) and its sender told, if it asked for acknowledgements
   * (shared/session-message.ts).
   */
  readonly check?: (peer: Peer, update: Uint8Array, decoded: DecodedUpdate) => Verdict;
  /** A peer's update was refused by the check (or was a viewer's, with content). */
  readonly onRefused?: (peer: Peer, code: string) => void;
  /** The room closed a peer for a protocol problem. */
  readonly onPeerClosed?: (reason: string) => void;
  /** Bytes of updates that waited for what they build on were dropped: the room held enough. */
  readonly onHeldDropped?: (bytes: number) => void;
  /** A peer joined. */
  readonly onPeerJoined?: (peer: Peer) => void;
  /** A peer's presence (awareness) changed: the name it shows may be new. */
  readonly onPresence?: (peer: Peer) => void;
  /** A peer is leaving; its presence (awareness) is still there to read. */
  readonly onPeerLeaving?: (peer: Peer) => void;
  /**
   * The number of the storage batch that holds everything the room holds now, once stored (see
   * {@link Room.stored}); 0 when nothing has changed since the room loaded.
   */
  readonly batchNow?: () => number;
  /**
   * False while the server holds as many changes as it may without storing them (a full disk):
   * a frame that carries changes then closes its sender with 1013, and its client, which keeps
   * the changes, sends them again when it reconnects.
   */
  readonly acceptsChanges?: () => boolean;
};

/**
 * A peer that asked for stored acknowledgements: its update frames counted so far, the count it
 * was last told, and frames waiting for their batch to be stored (oldest first, batches rising).
 */
type Acks = { received: number; acked: number; readonly waiting: Waiting[] };

/**
 * An update frame waiting for its acknowledgement: the batch that stores it, or, while part of its
 * update is held aside (it builds on what has not arrived, rooms/held-updates.ts), no batch yet and
 * the update, to look again once the document has more.
 */
type Waiting = { readonly n: number; batch: number; held?: Uint8Array };

function syncFrame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE.sync);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

function awarenessFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE.awareness);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** `Y.decodeUpdate(update)`, decoded when first read: a check that never reads it costs nothing. */
function lazilyDecoded(update: Uint8Array): DecodedUpdate {
  let decoded: DecodedUpdate | null = null;
  return {
    get structs() {
      return (decoded ??= Y.decodeUpdate(update)).structs;
    },
    get ds() {
      return (decoded ??= Y.decodeUpdate(update)).ds;
    },
  };
}

/** Thrown for a frame that is well-formed but too large in some part. */
class TooLargeError extends Error {}

/** One client's entry in an awareness update: its id, clock and state as JSON text. */
type AwarenessEntry = { readonly id: number; readonly clock: number; readonly json: string };

/**
 * Client ids one connection may speak for in awareness. A stock client has one (its document's);
 * more would let one connection fill everyone's presence list.
 */
export const MAX_AWARENESS_IDS_PER_PEER = 4;

/** The entries of an awareness update; throws if it is malformed. */
function awarenessEntries(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    const id = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    entries.push({ id, clock, json: decoding.readVarString(decoder) });
  }
  return entries;
}

/** An awareness update of `entries`, in the protocol's encoding. */
function encodeAwarenessEntries(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const { id, clock, json } of entries) {
    encoding.writeVarUint(encoder, id);
    encoding.writeVarUint(encoder, clock);
    encoding.writeVarString(encoder, json);
  }
  return encoding.toUint8Array(encoder);
}

/** A room and everyone in it. */
export class Room {
  readonly doc = new Y.Doc({ gc: true });
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  /** Each peer with the awareness client ids it controls. */
  private readonly peers = new Map<Peer, Set<number>>();
  /** Which peer controls each awareness client id: a connection speaks only for its own ids. */
  private readonly owners = new Map<number, Peer>();
  /** Update frames of asking peers waiting for a part held aside (see {@link count}). */
  private heldFrames = 0;
  /** Peers that asked to be told when their updates are stored. */
  private readonly asking = new Map<Peer, Acks>();
  /** Every batch up to this number is stored. */
  private storedBatch = 0;

  /** Updates waiting for what they build on, kept out of the document (never relayed or stored). */
  private readonly held = new HeldUpdates(this.doc, (bytes) => this.events.onHeldDropped?.(bytes));
  /** The document's encoded size when last measured (-1: not yet), and what peers sent since. */
  private measuredBytes = -1;
  private grownBytes = 0;
  private measuredAt = 0;

  constructor(
    readonly name: string,
    private readonly limits: RoomLimits,
    private readonly events: RoomEvents = {},
  ) {
    // Nobody speaks for the server itself in awareness.
    this.awareness.setLocalState(null);
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      this.events.onUpdate?.(update, origin);
      const frame = syncFrame((e) => syncProtocol.writeUpdate(e, update));
      this.broadcast(frame, origin);
    });
    this.awareness.on(
      'update',
      (
        { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
        origin: unknown,
      ) => {
        const controlled = this.peers.get(origin as Peer);
        if (controlled) {
          for (const id of added) {
            controlled.add(id);
            this.owners.set(id, origin as Peer);
          }
        }
        for (const id of removed) {
          const owner = this.owners.get(id);
          this.peers.get(owner as Peer)?.delete(id);
          this.owners.delete(id);
        }
        const changed = [...added, ...updated, ...removed];
        this.broadcast(
          awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed)),
          null,
        );
        if (controlled) this.events.onPresence?.(origin as Peer);
      },
    );
  }

  /** How many peers are connected. */
  get size(): number {
    return this.peers.size;
  }

  /**
   * Who `peer` is: the name it shows in its presence (what the person typed; a shared link names
   * nobody in particular), else its token's name; the role is always its token's.
   */
  personOf(peer: Peer): Person {
    for (const id of this.peers.get(peer) ?? []) {
      const user = (this.awareness.getStates().get(id) as { user?: { name?: unknown } } | undefined)?.user;
      if (typeof user?.name === 'string' && user.name.trim())
        return { name: user.name.trim().slice(0, 80), role: peer.role };
    }
    return { name: peer.name ?? '', role: peer.role };
  }

  /** Everyone connected now. */
  people(): Person[] {
    return this.peerList().map((peer) => this.personOf(peer));
  }

  /** The peers connected now. */
  peerList(): Peer[] {
    return [...this.peers.keys()];
  }

  /** Whether `peer` is connected to this room. */
  has(peer: Peer): boolean {
    return this.peers.has(peer);
  }

  /** Adds a peer and starts the sync handshake (our step 1, then current awareness). */
  join(peer: Peer): void {
    this.peers.set(peer, new Set());
    this.events.onPeerJoined?.(peer);
    peer.send(syncFrame((e) => syncProtocol.writeSyncStep1(e, this.doc)));
    const states = [...this.awareness.getStates().keys()];
    if (states.length)
      peer.send(awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(this.awareness, states)));
  }

  /** Removes a peer and the awareness states it controlled (others see it leave). */
  leave(peer: Peer): void {
    if (this.peers.has(peer)) this.events.onPeerLeaving?.(peer);
    const controlled = this.peers.get(peer);
    if (!this.peers.delete(peer)) return;
    if (controlled?.size) awarenessProtocol.removeAwarenessStates(this.awareness, [...controlled], null);
    for (const id of controlled ?? []) if (this.owners.get(id) === peer) this.owners.delete(id);
    for (const waiting of this.asking.get(peer)?.waiting ?? []) if (waiting.held) this.heldFrames--;
    this.asking.delete(peer);
  }

  /**
   * Batches up to `batch` are durably stored: each asking peer whose waiting updates they cover is
   * told its new count (nothing when its count did not change).
   */
  stored(batch: number): void {
    this.storedBatch = Math.max(this.storedBatch, batch);
    for (const [peer, acks] of this.asking) this.settle(peer, acks);
  }

  /**
   * Batch `failed` could not be stored and its updates wait in batch `retry` now: every update
   * waiting for `failed` or a later batch (which may repeat its content) waits for `retry`.
   */
  postpone(failed: number, retry: number): void {
    for (const acks of this.asking.values())
      for (const waiting of acks.waiting) if (waiting.batch >= failed) waiting.batch = retry;
  }

  /**
   * Counts one update frame of an asking peer, acknowledged once its batch is stored. A frame whose
   * update (`applied`) left a part held aside is acknowledged only once that part is in the
   * document and stored: held parts are never stored (a node drained or restarted meanwhile would
   * have acknowledged what it never wrote).
   */
  private count(peer: Peer, acks: Acks, applied: Uint8Array | null): void {
    acks.received++;
    const held = applied !== null && this.held.bytes > 0 && !this.integrated(applied);
    acks.waiting.push(
      held
        ? { n: acks.received, batch: Infinity, held: applied }
        : { n: acks.received, batch: this.events.batchNow?.() ?? 0 },
    );
    if (held) this.heldFrames++;
    this.settle(peer, acks);
  }

  /** Whether the document holds all of `update`: its structs and the items its deletions name. */
  private integrated(update: Uint8Array): boolean {
    const state = (client: number): number => Y.getState(this.doc.store, client);
    for (const [client, clock] of Y.parseUpdateMeta(update).to) if (state(client) < clock) return false;
    for (const [client, ranges] of Y.decodeUpdate(update).ds.clients)
      for (const { clock, len } of ranges) if (state(client) < clock + len) return false;
    return true;
  }

  /**
   * After the document took more in: frames whose held part is in it now wait for the batch that
   * stores it (the one being gathered), like any other frame.
   */
  private releaseHeldFrames(): void {
    if (this.heldFrames === 0) return;
    for (const acks of this.asking.values())
      for (const waiting of acks.waiting) {
        if (!waiting.held || !this.integrated(waiting.held)) continue;
        waiting.held = undefined;
        waiting.batch = this.events.batchNow?.() ?? 0;
        this.heldFrames--;
      }
  }

  private settle(peer: Peer, acks: Acks): void {
    let n = acks.acked;
    while (acks.waiting[0] && acks.waiting[0].batch <= this.storedBatch) n = acks.waiting.shift()?.n ?? n;
    if (n === acks.acked) return;
    acks.acked = n;
    peer.send(encodeStoredAck(n));
  }

  /** Handles one frame from `peer`. A frame that cannot be decoded closes only that peer. */
  receive(peer: Peer, data: Uint8Array): void {
    const acks = this.asking.get(peer);
    const counted = acks !== undefined && isUpdateFrame(data);
    // [0, 1 | 2, 2, 0, 0] is an empty update (a sync reply with nothing new): always welcome.
    if (
      peer.role !== 'viewer' &&
      isUpdateFrame(data) &&
      data.length > 5 &&
      this.events.acceptsChanges?.() === false
    ) {
      this.events.onPeerClosed?.('cannot-store');
      peer.close(CLOSE.tryAgainLater, 'the server cannot store changes now; try again later');
      this.leave(peer);
      return;
    }
    /** The document update this frame applied, if any. */
    let applied: Uint8Array | null = null;
    try {
      const decoder = decoding.createDecoder(data);
      const type = decoding.readVarUint(decoder);
      switch (type) {
        case MESSAGE.sync:
          applied = this.receiveSync(peer, decoder);
          break;
        case MESSAGE.awareness: {
          const update = decoding.readVarUint8Array(decoder);
          const entries = awarenessEntries(update);
          if (entries.some((entry) => entry.json.length > this.limits.maxAwarenessBytes)) {
            throw new TooLargeError(`awareness state over ${this.limits.maxAwarenessBytes} bytes`);
          }
          // Only this connection's own client ids, at most a few: another's (a facilitator's id
          // reused to overwrite their presence) are dropped, so a reconnect racing its old
          // connection claims its id once the old one has gone. Stock clients echo everyone's
          // states back (y-websocket relays every awareness change), so what is not theirs is
          // dropped, never a reason to close them.
          const own = this.peers.get(peer) ?? new Set<number>();
          let share = MAX_AWARENESS_IDS_PER_PEER - own.size;
          const allowed = entries.filter(({ id, json }) => {
            if (own.has(id)) return true;
            if (this.owners.has(id) || json === 'null' || share <= 0) return false;
            share--;
            return true;
          });
          if (allowed.length === 0) break;
          awarenessProtocol.applyAwarenessUpdate(
            this.awareness,
            allowed.length === entries.length ? update : encodeAwarenessEntries(allowed),
            peer,
          );
          break;
        }
        case MESSAGE.queryAwareness:
          peer.send(
            awarenessFrame(
              awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.awareness.getStates().keys()]),
            ),
          );
          break;
        case MESSAGE.auth:
          // Permissions travel in the token, not in frames: nothing to do.
          break;
        case STORED_MESSAGE:
          // Asked once; update frames are counted from here on (the client asks before any). A
          // client that asks speaks Talkoo's extensions: it is told who the server knows it as.
          if (!this.asking.has(peer)) {
            this.asking.set(peer, { received: 0, acked: 0, waiting: [] });
            if (peer.identity) peer.send(encodeSession({ ...peer.identity, now: Date.now() }));
          }
          break;
        default:
          throw new Error(`unknown message type ${type}`);
      }
      // A viewer's update is dropped, but it is counted too: its acknowledgement then says that
      // what the room held when it arrived is stored (a viewer's sync reply changes nothing).
      if (counted) this.count(peer, acks, applied);
    } catch (error) {
      const tooLarge = error instanceof TooLargeError;
      const reason = tooLarge ? 'too-large' : 'malformed-frame';
      this.events.onPeerClosed?.(reason);
      peer.close(
        tooLarge ? CLOSE.tooLarge : CLOSE.malformedFrame,
        `${tooLarge ? 'too large' : 'malformed frame'}: ${(error as Error).message}`.slice(0, 120),
      );
      this.leave(peer);
    }
  }

  /** Handles a sync message; returns the update it applied to the document, if any. */
  private receiveSync(peer: Peer, decoder: decoding.Decoder): Uint8Array | null {
    const kind = decoding.peekVarUint(decoder);
    if (peer.role === 'viewer' && (kind === SYNC.step2 || kind === SYNC.update)) {
      // Read to the end so a malformed frame is still detected, but apply nothing.
      decoding.readVarUint(decoder);
      const update = decoding.readVarUint8Array(decoder);
      this.events.onViewerUpdateDropped?.();
      // A viewer's sync reply is empty; anything more was a change, and its client is told.
      const { structs, ds } = Y.decodeUpdate(update);
      if (structs.length > 0 || ds.clients.size > 0) this.refuse(peer, { code: 'viewer', path: '' });
      return null;
    }
    if (kind === SYNC.step2 || kind === SYNC.update) {
      decoding.readVarUint(decoder);
      const update = decoding.readVarUint8Array(decoder);
      // Read through whole before anything is applied: a cut-off or garbled update is refused
      // whole. Built (Y.decodeUpdate, the size of an apply again) only if the check reads it.
      const structs = readUpdateShape(update);
      const decoded = lazilyDecoded(update);
      const verdict = this.events.check?.(peer, update, decoded) ?? null;
      if (verdict && 'code' in verdict) {
        this.refuse(peer, verdict);
        return null;
      }
      // Deleting never grows a document: a room at its size can still be trimmed.
      if (structs > 0) this.makeRoomFor(update.byteLength, structs);
      if (verdict) {
        // One transaction: what the server's writes replace is collected before it is relayed or
        // stored, so nobody but the sender ever holds it.
        this.doc.transact(() => {
          Y.applyUpdate(this.doc, update, peer);
          verdict.amend();
        }, AMENDED);
      } else Y.applyUpdate(this.doc, update, peer);
      // What waited for this update came from others: once integrated it goes to everyone.
      this.held.settle(null);
      const work = this.held.takeWork();
      if (work > 0) peer.charge?.(work);
      this.releaseHeldFrames();
      return update;
    }
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE.sync);
    // y-protocols logs and swallows a failing update unless the handler throws: rethrow, so the
    // sender of a malformed message is closed.
    syncProtocol.readSyncMessage(decoder, encoder, this.doc, peer, (error) => {
      throw error;
    });
    if (encoding.length(encoder) > 1) peer.send(encoding.toUint8Array(encoder));
    return null;
  }

  /** Tells `peer`, if it asked for acknowledgements, that the update frame it is sending now was refused. */
  private refuse(peer: Peer, { code, path }: { readonly code: string; readonly path: string }): void {
    this.events.onRefused?.(peer, code);
    const acks = this.asking.get(peer);
    // The frame is counted (and acknowledged) once handled: it is the next one.
    if (acks) peer.send(encodeRefusal({ frame: acks.received + 1, code, path: path.slice(0, 200) }));
  }

  /**
   * Applies an update that comes from no peer (storage, the server itself). What it leaves
   * waiting for missing parts is held aside, never in the document.
   */
  apply(update: Uint8Array, origin: unknown): void {
    Y.applyUpdate(this.doc, update, origin);
    this.held.settle(origin);
    this.held.takeWork();
    this.releaseHeldFrames();
  }

  /** Bytes of updates held aside until what they build on arrives. */
  get heldBytes(): number {
    return this.held.bytes;
  }

  /**
   * Refuses (tooLarge) an update of `bytes` carrying `structs` that could grow the document
   * beyond its largest size. Cheap while far from it: the sizes of updates since the last
   * measurement bound the growth (each struct may split one item at either end, a few bytes
   * more); only near the limit is the document measured again, and at most once a second, so a
   * room at its brink costs no encoding of the whole document per keystroke (between
   * measurements the bound decides, and may refuse a change that would just have fitted).
   */
  private makeRoomFor(bytes: number, structs: number): void {
    const max = this.limits.maxDocumentBytes ?? MAX_DOCUMENT_BYTES;
    const growth = bytes + 64 * structs;
    if (
      this.measuredBytes < 0 ||
      (this.measuredBytes + this.grownBytes + growth > max && performance.now() - this.measuredAt >= 1000)
    ) {
      this.measuredBytes = Y.encodeStateAsUpdate(this.doc).byteLength;
      this.measuredAt = performance.now();
      this.grownBytes = 0;
    }
    if (this.measuredBytes + this.grownBytes + growth > max)
      throw new TooLargeError(`the workshop would grow beyond ${max} bytes`);
    this.grownBytes += growth;
  }

  private broadcast(frame: Uint8Array, except: unknown): void {
    for (const peer of this.peers.keys()) if (peer !== except) peer.send(frame);
  }

  /** Closes every peer (server shutdown). */
  closeAll(code: number, reason: string): void {
    for (const peer of [...this.peers.keys()]) {
      peer.close(code, reason);
      this.leave(peer);
    }
  }

  /** Frees the document (after the room unloaded). */
  destroy(): void {
    this.awareness.destroy();
    this.doc.destroy();
  }
}
