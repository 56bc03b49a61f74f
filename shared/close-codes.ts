/**
 * WebSocket close codes of the Talkoo collab server, shared with its clients so that they can
 * tell a refused link (stop and say why) from a dropped connection (reconnect).
 * Wire format: never renumber.
 */

/**
 * Close codes the server sends (4000–4999 are application codes). The 4401–4406 and 4410
 * codes are about the token: retrying with the same link cannot help, so clients stop.
 */
export const CLOSE = {
  /** A frame could not be decoded, had an unknown type, or was a text frame. */
  malformedFrame: 4400,
  /** No token was given. */
  tokenMissing: 4401,
  /** The token is not a Talkoo token (cannot be parsed). */
  tokenMalformed: 4402,
  /** The token's signature is wrong (forged, or signed by another server). */
  tokenForged: 4403,
  /** The token opens another room. */
  tokenWrongRoom: 4404,
  /** The token's role cannot join a room (an organiser token). */
  tokenWrongRole: 4405,
  /** The link was revoked by a facilitator or the server's owner (or made before links could be). */
  tokenRevoked: 4406,
  /**
   * A person's own document (`/<room>/me`) was asked for without a valid personal identity (see
   * shared/session-message.ts), or by a viewer, who has none.
   */
  identityInvalid: 4407,
  /** The room has as many connections as it allows. */
  roomFull: 4409,
  /** The token has expired. */
  tokenExpired: 4410,
  /** The workshop was deleted by the server's organiser: nothing is left to join. */
  workshopDeleted: 4411,
  /**
   * A frame or an awareness state was larger than allowed, or a change would grow the workshop
   * beyond its largest size (shared/limits.ts).
   */
  tooLarge: 4413,
  /**
   * Too much from this connection waits to be handled (it was slowed down, and sent on): the
   * standard "try again later", which every client, stock y-websocket included, reconnects after.
   */
  tryAgainLater: 1013,
  /**
   * The room is served by another node of the cluster now (this one drained, or lost the room's
   * lease): reconnect, through any node, to reach it there.
   */
  roomMoved: 4307,
  /** The room could not be loaded from storage. */
  storageFailure: 4500,
  /** The server is shutting down. */
  shuttingDown: 4503,
} as const;

/** Close codes after which reconnecting (with the same token, or the same changes) cannot succeed. */
export const PERMANENT_CLOSE_CODES: ReadonlySet<number> = new Set([
  CLOSE.tokenMissing,
  CLOSE.tokenMalformed,
  CLOSE.tokenForged,
  CLOSE.tokenWrongRoom,
  CLOSE.tokenWrongRole,
  CLOSE.tokenExpired,
  CLOSE.tokenRevoked,
  CLOSE.workshopDeleted,
  CLOSE.identityInvalid,
  // The same frame, or the same change to a workshop at its largest size, would be refused again.
  CLOSE.tooLarge,
]);
