/**
 * The y-websocket wire protocol as the stock client speaks it: message type numbers and the
 * close codes this server uses. Wire format: never renumber.
 */

/** First varuint of every frame. */
export const MESSAGE = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
} as const;

/** WebSocket close codes sent by this server (4000–4999 are application codes). */
export const CLOSE = {
  /** A frame could not be decoded or had an unknown type. */
  malformedFrame: 4400,
  /** The server is shutting down. */
  shuttingDown: 4503,
} as const;
