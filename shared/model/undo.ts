/** Per-user undo: tracks only this user's own transactions (LOCAL_ORIGIN). */
import * as Y from 'yjs';
import { roots } from './roots';
import { LOCAL_ORIGIN } from './write';

/**
 * An UndoManager over every root of the workshop that undoes only changes made here: my undo
 * never removes your note. Edits within `captureTimeout` ms merge into one undo step.
 */
export function createUndoManager(doc: Y.Doc, captureTimeout = 500): Y.UndoManager {
  const r = roots(doc);
  return new Y.UndoManager(
    [r.meta, r.boards, r.notes, r.themes, r.actions, r.votes, r.participants, r.facilitation, r.plan],
    { trackedOrigins: new Set([LOCAL_ORIGIN]), captureTimeout },
  );
}
