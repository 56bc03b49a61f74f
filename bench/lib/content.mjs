// Document content for the scenarios: workshop-like notes (a Y.Map of Y.Maps, each with a
// Y.Text and a few fields), generated deterministically so both servers get the same bytes.

import * as Y from 'yjs';

const WORDS = (
  'culture village library festival youth museum volunteers funding harbour music school ' +
  'transport heritage sauna market theatre archive coast forest workshop partners budget ' +
  'schedule indicator owner residents elderly families tourism craft language bridge ferry'
).split(' ');

/** A small deterministic pseudo-random generator (LCG), so runs are comparable. */
function generator(seed) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function sentence(random, length) {
  let text = '';
  while (text.length < length) text += `${WORDS[Math.floor(random() * WORDS.length)]} `;
  return text.slice(0, length);
}

/**
 * Adds `count` notes of about `textLength` characters to `doc`, in one transaction. With `author`
 * and `boardId` the notes carry them, as a participant's new notes must (shared/policy).
 */
export function addNotes(doc, { count, textLength = 160, seed = 1, from = 0, author, boardId }) {
  const random = generator(seed + from);
  const notes = doc.getMap('notes');
  doc.transact(() => {
    for (let i = from; i < from + count; i++) {
      const note = new Y.Map();
      note.set('text', new Y.Text(sentence(random, textLength)));
      note.set('lane', `lane-${i % 6}`);
      note.set('x', Math.round(random() * 4000));
      note.set('y', Math.round(random() * 3000));
      note.set('colour', ['yellow', 'pink', 'green', 'blue'][i % 4]);
      note.set('votes', Math.floor(random() * 5));
      if (boardId !== undefined) note.set('boardId', boardId);
      if (author !== undefined) note.set('author', author);
      notes.set(`note-${String(i).padStart(6, '0')}`, note);
    }
  });
}

/** A document of at least `bytes` bytes when encoded as one update (notes added in batches). */
export function seedDoc(bytes) {
  const doc = new Y.Doc();
  let added = 0;
  // Bounded: 400 batches of 100 notes is far more than any size asked for here.
  for (let batch = 0; batch < 400 && Y.encodeStateAsUpdate(doc).byteLength < bytes; batch++) {
    addNotes(doc, { count: 100, from: added });
    added += 100;
  }
  return doc;
}

/** The board a participant's bench notes go on (any id: the policy asks only that there is one). */
export const BENCH_BOARD = 'board-needs';

/** The note whose text the bench's writers edit, one per room. */
export const MARK_NOTE = 'bench-marks';

/**
 * Adds the room's mark note by `author`, a participant's new note the policy accepts: its writers
 * then type marks into its text (see {@link typeMark}).
 */
export function addMarkNote(doc, author) {
  doc.transact(() => {
    const note = new Y.Map();
    note.set('text', new Y.Text(''));
    note.set('boardId', BENCH_BOARD);
    note.set('author', author);
    note.set('x', 0);
    note.set('y', 0);
    doc.getMap('notes').set(MARK_NOTE, note);
  });
}

/** The mark note's text, or null while it has not arrived. */
export function markText(doc) {
  const note = doc.getMap('notes').get(MARK_NOTE);
  return note instanceof Y.Map ? note.get('text') : null;
}

/**
 * Types `{ seq, at }` at the end of the mark note's text, as one update: a text edit of a note,
 * which the policy lets any participant make, judged like a keystroke.
 */
export function typeMark(doc, seq, at) {
  const text = markText(doc);
  text.insert(text.length, `${seq}@${at}|`);
}

const MARK = /(\d+)@([\d.]+)\|/g;

/**
 * Calls `found(seq, at)` for each mark typed into the mark note by another client, given the
 * events of an observeDeep on the `notes` map.
 */
export function readMarks(events, found) {
  for (const event of events) {
    if (!(event.target instanceof Y.Text)) continue;
    for (const op of event.delta) {
      if (typeof op.insert !== 'string') continue;
      for (const [, seq, at] of op.insert.matchAll(MARK)) found(Number(seq), Number(at));
    }
  }
}
