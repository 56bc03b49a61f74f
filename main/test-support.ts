/** Helpers for main/'s tests (not part of the app): a small real workshop state. */
import * as Y from 'yjs';

/** The Yjs state of a tiny workshop holding one note with `noteText`. */
export function workshopState(noteText: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap('meta').set('schemaVersion', 1);
  doc.getMap('notes').set('note-1', new Y.Map([['text', new Y.Text(noteText)]]));
  return Y.encodeStateAsUpdate(doc);
}
