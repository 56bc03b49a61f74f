/**
 * Talkoo's extension of the y-websocket protocol: the server tells a client when its changes are
 * stored on the server's disk, so "Saved" means saved. Only clients that ask are told (stock
 * y-websocket logs every message type it does not know). Wire format: never renumber.
 *
 *   client → server   [STORED_MESSAGE]         "tell me": sent once, right after the socket opens
 *   server → client   [STORED_MESSAGE, n]      the first n document updates this client sent on
 *                                              this connection (sync step 2 and update messages,
 *                                              counted from 1 in the order sent) are stored durably
 *
 * n only grows on one connection and starts again from 0 on the next. An update is acknowledged
 * once everything the room held when it arrived (its own change, and any change it repeated that
 * another client sent first) has been written with fsync.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/** The message type, far from y-websocket's own (0–3). */
export const STORED_MESSAGE = 100;

/** The client's request to be told. */
export function encodeStoredRequest(): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, STORED_MESSAGE);
  return encoding.toUint8Array(encoder);
}

/** The server's acknowledgement that the first `count` updates are stored. */
export function encodeStoredAck(count: number): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, STORED_MESSAGE);
  encoding.writeVarUint(encoder, count);
  return encoding.toUint8Array(encoder);
}

/** The count of an acknowledgement whose type varuint was already read; throws if truncated. */
export function readStoredAck(decoder: decoding.Decoder): number {
  return decoding.readVarUint(decoder);
}

/**
 * True for a frame that carries a document update in the y-websocket protocol (sync step 2 or
 * update): the frames a stored acknowledgement counts.
 */
export function isUpdateFrame(frame: Uint8Array): boolean {
  // [0 = sync, 1 = step 2 | 2 = update, ...]: both varuints are single bytes here.
  return frame.length >= 2 && frame[0] === 0 && (frame[1] === 1 || frame[1] === 2);
}
