/**
 * Merging a workshop file into the workshop it is a copy of (a colleague's `.talkoo` file, saved
 * after both edited offline): a Yjs merge, so what either side wrote is kept once, nothing of
 * this side is replaced, and a field both changed ends as Yjs decides (shared/model/collisions.ts
 * tells who lost). What the file brought is counted, to tell the person who opened it.
 */
import * as Y from 'yjs';
import { readActions, readNotes, readThemes } from './read';

/** How many notes, themes and actions a merged file held that this document did not. */
export type MergeSummary = {
  readonly notes: number;
  readonly themes: number;
  readonly actions: number;
};

/**
 * Applies `state` (a workshop file's Yjs state) to `doc` in one update with `origin`, and counts
 * the notes, themes and actions that were new. Merging the same file again adds nothing.
 *
 * @throws When `state` is not a Yjs update (the file decoder's checksum makes that rare).
 */
export function mergeWorkshopState(doc: Y.Doc, state: Uint8Array, origin: unknown): MergeSummary {
  const before = ids(doc);
  Y.applyUpdate(doc, state, origin);
  const after = ids(doc);
  const added = (kind: keyof typeof before): number =>
    [...after[kind]].filter((id) => !before[kind].has(id)).length;
  return { notes: added('notes'), themes: added('themes'), actions: added('actions') };
}

function ids(doc: Y.Doc): { notes: Set<string>; themes: Set<string>; actions: Set<string> } {
  return {
    notes: new Set(readNotes(doc).map((n) => n.id)),
    themes: new Set(readThemes(doc).map((t) => t.id)),
    actions: new Set(readActions(doc).map((a) => a.id)),
  };
}
