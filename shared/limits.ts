/**
 * How large a workshop may be, in one place: the server's room size, its frame and import limits
 * and the `.talkoo` file format all follow from it, so whatever one part accepts the others
 * accept too: a saved workshop reopens, and a whole document synced from an offline copy fits in
 * one frame.
 */

/**
 * Largest workshop document (its Yjs state), bytes. A workshop of thousands of notes is about
 * 1 MiB; 16 MiB leaves room for years of edits while a room stays cheap to hold in memory.
 */
export const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

/**
 * Room in a frame beyond the document it carries: the message and sync types and the update's
 * length (a few bytes), with a margin.
 */
export const FRAME_OVERHEAD_BYTES = 64 * 1024;

/** Largest frame a client may send: a whole document fits in one. */
export const MAX_FRAME_BYTES = MAX_DOCUMENT_BYTES + FRAME_OVERHEAD_BYTES;
