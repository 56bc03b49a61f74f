/**
 * What a paste on a board becomes: one note per non-empty line. A paste of more lines than a
 * person would mean by accident (a whole document) is asked about first, saying how many; one
 * with a line too long for a note, or with more lines than any import takes, is refused whole.
 */
import { MAX_NOTE_TEXT } from '../../../shared';

/** Up to this many lines become notes without asking. */
export const ASK_ABOVE_LINES = 50;

/** At most this many notes from one paste: as many rows as a CSV import takes. */
export const MAX_PASTED_NOTES = 5_000;

export type PastePlan =
  | { readonly kind: 'none' }
  | { readonly kind: 'add'; readonly lines: readonly string[] }
  | { readonly kind: 'ask'; readonly lines: readonly string[] }
  | { readonly kind: 'line-too-long' }
  | { readonly kind: 'too-many'; readonly count: number };

/** The notes a pasted `text` would make, and whether to ask or refuse first. */
export function planPaste(text: string): PastePlan {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  if (lines.length === 0) return { kind: 'none' };
  if (lines.some((line) => line.length > MAX_NOTE_TEXT)) return { kind: 'line-too-long' };
  if (lines.length > MAX_PASTED_NOTES) return { kind: 'too-many', count: lines.length };
  return { kind: lines.length > ASK_ABOVE_LINES ? 'ask' : 'add', lines };
}
