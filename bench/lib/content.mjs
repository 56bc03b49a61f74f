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

/** Adds `count` notes of about `textLength` characters to `doc`, in one transaction. */
export function addNotes(doc, { count, textLength = 160, seed = 1, from = 0 }) {
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
