/**
 * The y-websocket wire protocol as the stock client speaks it. Wire format: never renumber.
 * The close codes live in shared/ because clients act on them too.
 */

/** First varuint of every frame. */
export const MESSAGE = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
} as const;

/** Second varuint of a sync frame. */
export const SYNC = { step1: 0, step2: 1, update: 2 } as const;

export { CLOSE, PERMANENT_CLOSE_CODES } from '../../shared/close-codes';
