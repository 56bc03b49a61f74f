/**
 * Talkoo's extensions of the y-websocket protocol for who is who and who may do what (see
 * collab-server/README.md, "Who may change what"). Only clients that asked for stored
 * acknowledgements (stored-message.ts) receive them: stock y-websocket clients log every message
 * type they do not know. Wire format: never renumber, never reorder fields.
 *
 *   server → client   [REFUSED_MESSAGE, n, code, path]
 *                     the client's n-th document update on this connection (counted as stored
 *                     acknowledgements count them) was refused whole: nothing of it was applied,
 *                     relayed or stored. `code` says why (a PolicyRefusal code), `path` where
 *                     ("notes/<id>/author"). The client rolls back by loading the room afresh.
 *   server → client   [SESSION_MESSAGE, json]
 *                     once, right after the sync step 1: the identity the server knows this
 *                     connection by (an id and the signed identity to present next time as the
 *                     `me` URL parameter), and the server's clock, so that every client counts a
 *                     timer down from the same time.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/** Message types, after STORED_MESSAGE (100). */
export const REFUSED_MESSAGE = 101;
export const SESSION_MESSAGE = 102;

/** The URL parameter that carries a signed identity. */
export const IDENTITY_PARAM = 'me';

/** The path suffix of a person's own document in a room: `/<room>/me`. */
export const PERSONAL_SUFFIX = '/me';

export type Refusal = {
  /** Which of the sender's update frames on this connection, counted from 1. */
  readonly frame: number;
  readonly code: string;
  readonly path: string;
};

export type SessionInfo = {
  /** The identity's id: authorship, ballots and private notes count by it. */
  readonly id: string;
  /** The signed identity to present next time (`me=`), so the same person keeps the same id. */
  readonly identity: string;
  /** The server's clock when it sent this, epoch milliseconds. */
  readonly now: number;
  /**
   * A secret of this identity's for anonymous authorship (see shared/policy/authorship.ts): with
   * it the client tags what it writes so that only it and the server can tell it is its own.
   */
  readonly authorKey: string;
};

export function encodeRefusal(refusal: Refusal): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, REFUSED_MESSAGE);
  encoding.writeVarUint(encoder, refusal.frame);
  encoding.writeVarString(encoder, refusal.code);
  encoding.writeVarString(encoder, refusal.path);
  return encoding.toUint8Array(encoder);
}

/** A refusal whose type varuint was already read; throws if truncated. */
export function readRefusal(decoder: decoding.Decoder): Refusal {
  const frame = decoding.readVarUint(decoder);
  const code = decoding.readVarString(decoder);
  const path = decoding.readVarString(decoder);
  return { frame, code, path };
}

export function encodeSession(info: SessionInfo): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, SESSION_MESSAGE);
  encoding.writeVarString(encoder, JSON.stringify(info));
  return encoding.toUint8Array(encoder);
}

/** Session info whose type varuint was already read; null when it is not well-formed. */
export function readSession(decoder: decoding.Decoder): SessionInfo | null {
  try {
    const json: unknown = JSON.parse(decoding.readVarString(decoder));
    if (typeof json !== 'object' || json === null) return null;
    const { id, identity, now, authorKey } = json as Record<string, unknown>;
    if (typeof id !== 'string' || typeof identity !== 'string' || typeof authorKey !== 'string') return null;
    if (typeof now !== 'number' || !Number.isFinite(now)) return null;
    return { id, identity, now, authorKey };
  } catch {
    return null;
  }
}
