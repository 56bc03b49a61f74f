/**
 * One collaboration room: a Y.Doc, its awareness and the sockets connected to it. Speaks the
 * standard y-websocket protocol (sync step 1/2, updates, awareness), so the stock client works.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { CLOSE, MESSAGE } from './protocol';

/** The part of a WebSocket a room needs (ws's WebSocket satisfies it). */
export type Peer = {
  send(data: Uint8Array): void;
  close(code: number, reason: string): void;
};

/** Frames a sync message. */
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

/** A room and everyone in it. */
export class Room {
  readonly doc = new Y.Doc({ gc: true });
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  /** Each peer with the awareness client ids it controls. */
  private readonly peers = new Map<Peer, Set<number>>();

  constructor(readonly name: string) {
    // Nobody speaks for the server itself in awareness.
    this.awareness.setLocalState(null);
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      const frame = syncFrame((e) => syncProtocol.writeUpdate(e, update));
      this.broadcast(frame, origin);
    });
    this.awareness.on(
      'update',
      (
        { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
        origin: unknown,
      ) => {
        const changed = [...added, ...updated, ...removed];
        const controlled = origin instanceof Object ? this.peers.get(origin as Peer) : undefined;
        if (controlled) {
          for (const id of added) controlled.add(id);
          for (const id of removed) controlled.delete(id);
        }
        const frame = awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
        this.broadcast(frame, null);
      },
    );
  }

  /** How many sockets are connected. */
  get size(): number {
    return this.peers.size;
  }

  /** Adds a peer and starts the sync handshake (our step 1, and current awareness). */
  join(peer: Peer): void {
    this.peers.set(peer, new Set());
    peer.send(syncFrame((e) => syncProtocol.writeSyncStep1(e, this.doc)));
    const states = [...this.awareness.getStates().keys()];
    if (states.length) {
      peer.send(awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(this.awareness, states)));
    }
  }

  /** Removes a peer and the awareness states it controlled (others see it leave). */
  leave(peer: Peer): void {
    const controlled = this.peers.get(peer);
    this.peers.delete(peer);
    if (controlled?.size) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [...controlled], null);
    }
  }

  /** Handles one frame from `peer`. A frame that cannot be decoded closes only that peer. */
  receive(peer: Peer, data: Uint8Array): void {
    try {
      const decoder = decoding.createDecoder(data);
      const type = decoding.readVarUint(decoder);
      switch (type) {
        case MESSAGE.sync: {
          const encoder = encoding.createEncoder();
          encoding.writeVarUint(encoder, MESSAGE.sync);
          // y-protocols logs and swallows a failing update unless the handler throws: rethrow,
          // so the sender of a malformed update is closed below.
          syncProtocol.readSyncMessage(decoder, encoder, this.doc, peer, (error) => {
            throw error;
          });
          // Only a step 1 produces a reply (our step 2).
          if (encoding.length(encoder) > 1) peer.send(encoding.toUint8Array(encoder));
          break;
        }
        case MESSAGE.awareness:
          awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), peer);
          break;
        case MESSAGE.queryAwareness:
          peer.send(
            awarenessFrame(
              awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.awareness.getStates().keys()]),
            ),
          );
          break;
        default:
          throw new Error(`unknown message type ${type}`);
      }
    } catch (error) {
      peer.close(CLOSE.malformedFrame, `malformed frame: ${(error as Error).message}`.slice(0, 120));
      this.leave(peer);
    }
  }

  private broadcast(frame: Uint8Array, except: unknown): void {
    for (const peer of this.peers.keys()) {
      if (peer !== except) peer.send(frame);
    }
  }

  /** Closes every peer (server shutdown). */
  closeAll(code: number, reason: string): void {
    for (const peer of [...this.peers.keys()]) {
      peer.close(code, reason);
      this.leave(peer);
    }
  }
}
