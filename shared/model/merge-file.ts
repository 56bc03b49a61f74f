/**
 * Merging a workshop file into the workshop it is a copy of (a colleague's `.talkoo` file, saved
 * after both edited offline): a Yjs merge, so what either side wrote is kept once, nothing of
 * this side is replaced, and a field both changed ends as Yjs decides (shared/model/collisions.ts
 * tells who lost). What the file brought is counted, to tell the person who opened it.
 *
 * A file may also remove: a colleague who deleted a note offline, or a copy of the room's state
 * with everything deleted, deletes it here too. So what a merge would do is told before it is
 * done ({@link previewMerge}), and a merge can be taken back as a whole ({@link mergeUndoManager}).
 */
import * as Y from 'yjs';
import { readActions, readMeta, readNotes, readThemes } from './read';
import { roots } from './roots';

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

/** What merging a file would do to a document, told before the merge. */
export type MergePreview = {
  /** Notes, themes and actions the file holds that the document does not. */
  readonly added: MergeSummary;
  /** Notes, themes and actions of the document that the merge would delete. */
  readonly removed: MergeSummary;
  /** The workshop's title before and after, when the merge would change it; else null. */
  readonly title: { readonly from: string; readonly to: string } | null;
};

/**
 * What merging `state` into `doc` would add, remove and rename, found by merging it into a
 * throwaway copy of `doc`'s current state: `doc` is not changed.
 *
 * @throws When `state` is not a Yjs update, as {@link mergeWorkshopState} would.
 */
export function previewMerge(doc: Y.Doc, state: Uint8Array): MergePreview {
  const copy = new Y.Doc();
  try {
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    const before = ids(copy);
    const titleBefore = readMeta(copy).title;
    Y.applyUpdate(copy, state);
    const after = ids(copy);
    const titleAfter = readMeta(copy).title;
    const count = (from: ReturnType<typeof ids>, to: ReturnType<typeof ids>): MergeSummary => {
      const missing = (kind: keyof MergeSummary): number =>
        [...to[kind]].filter((id) => !from[kind].has(id)).length;
      return { notes: missing('notes'), themes: missing('themes'), actions: missing('actions') };
    };
    return {
      added: count(before, after),
      removed: count(after, before),
      title: titleAfter === titleBefore ? null : { from: titleBefore, to: titleAfter },
    };
  } finally {
    copy.destroy();
  }
}

/** True when a merge would remove something or rename the workshop: it is then asked first. */
export function mergeRemoves(preview: MergePreview): boolean {
  const { notes, themes, actions } = preview.removed;
  return notes + themes + actions > 0 || preview.title !== null;
}

/**
 * An undo history of the changes made in `doc` with `origin` (one merge's), over every root of the
 * workshop: its undo() takes the merge back as a whole, and keeps what was written after it.
 * Destroy it when it is no longer offered.
 */
export function mergeUndoManager(doc: Y.Doc, origin: unknown): Y.UndoManager {
  const r = roots(doc);
  return new Y.UndoManager(
    [r.meta, r.boards, r.notes, r.themes, r.actions, r.votes, r.participants, r.facilitation, r.plan],
    // One merge is one step, however long after the last one it came.
    { trackedOrigins: new Set([origin]), captureTimeout: 0 },
  );
}

function ids(doc: Y.Doc): { notes: Set<string>; themes: Set<string>; actions: Set<string> } {
  return {
    notes: new Set(readNotes(doc).map((n) => n.id)),
    themes: new Set(readThemes(doc).map((t) => t.id)),
    actions: new Set(readActions(doc).map((a) => a.id)),
  };
}
