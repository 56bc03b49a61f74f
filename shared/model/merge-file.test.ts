// Merging a workshop file into the workshop it is a copy of: both sides' work, nothing twice,
// nothing of this side replaced, and a count of what the file brought.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { mergeUndoManager, mergeWorkshopState, previewMerge } from './merge-file';
import { readWorkshop } from './read';
import { needs, newWorkshop } from './test-workshop';
import { addAction, addNote, deleteAction, deleteNotes, setActionTitle, setWorkshopTitle } from './write';

function copyOf(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

const FILE = Symbol('file');

describe('merging a workshop file', () => {
  it("adds the other side's offline notes and actions to this side's, and says how many were new", () => {
    const anna = newWorkshop();
    const action = addAction(anna, { title: 'Kulttuuribussi' });
    const bob = copyOf(anna);
    addNote(anna, needs, { text: 'Annan tarve' });
    addAction(anna, { title: 'Annan toimenpide' });
    addNote(bob, needs, { text: 'Bobin tarve' });
    setActionTitle(bob, action, 'Kulttuuribussi kylille');

    const summary = mergeWorkshopState(bob, Y.encodeStateAsUpdate(anna), FILE);

    expect(summary).toEqual({ notes: 1, themes: 0, actions: 1 });
    const merged = readWorkshop(bob);
    expect(merged.notes.map((n) => n.text).sort()).toEqual(['Annan tarve', 'Bobin tarve']);
    expect(merged.actions.map((a) => a.title).sort()).toEqual(['Annan toimenpide', 'Kulttuuribussi kylille']);
    expect(merged.meta.title).toBe('Työpaja');
  });

  it('brings nothing twice: the same file merged again adds nothing', () => {
    const anna = newWorkshop();
    const bob = copyOf(anna);
    addNote(anna, needs, { text: 'Kerran' });
    const file = Y.encodeStateAsUpdate(anna);
    mergeWorkshopState(bob, file, FILE);
    const once = readWorkshop(bob);
    expect(mergeWorkshopState(bob, file, FILE)).toEqual({ notes: 0, themes: 0, actions: 0 });
    expect(readWorkshop(bob)).toEqual(once);
  });

  it('ends where the other side ends when it merges this side’s file: one workshop', () => {
    const anna = newWorkshop();
    const bob = copyOf(anna);
    addNote(anna, needs, { text: 'A' });
    addNote(bob, needs, { text: 'B' });
    const annaFile = Y.encodeStateAsUpdate(anna);
    mergeWorkshopState(anna, Y.encodeStateAsUpdate(bob), FILE);
    mergeWorkshopState(bob, annaFile, FILE);
    expect(readWorkshop(anna)).toEqual(readWorkshop(bob));
  });

  it('writes with the origin given, so the connection sends it on as a change made here', () => {
    const anna = newWorkshop();
    const bob = copyOf(anna);
    addNote(anna, needs, { text: 'A' });
    const origins: unknown[] = [];
    bob.on('update', (_update: Uint8Array, origin: unknown) => origins.push(origin));
    mergeWorkshopState(bob, Y.encodeStateAsUpdate(anna), FILE);
    expect(origins).toEqual([FILE]);
  });
});

describe('what merging a file would do, asked before it is done', () => {
  it('tells the notes, themes and actions a file removes and the title it gives, changing nothing', () => {
    const room = newWorkshop();
    addNote(room, needs, { text: 'Jää' });
    const gone = [
      addNote(room, needs, { text: 'Poistettu 1' }),
      addNote(room, needs, { text: 'Poistettu 2' }),
    ];
    const action = addAction(room, { title: 'Poistettu toimenpide' });
    // A copy of the room's state whose notes and action were deleted and whose title changed.
    const file = copyOf(room);
    deleteNotes(
      file,
      gone.flatMap((id) => (id ? [id] : [])),
    );
    deleteAction(file, action);
    setWorkshopTitle(file, 'Tyhjä');
    addNote(file, needs, { text: 'Uusi' });
    const before = readWorkshop(room);

    const preview = previewMerge(room, Y.encodeStateAsUpdate(file));

    expect(preview).toEqual({
      added: { notes: 1, themes: 0, actions: 0 },
      removed: { notes: 2, themes: 0, actions: 1 },
      title: { from: 'Työpaja', to: 'Tyhjä' },
    });
    expect(readWorkshop(room)).toEqual(before);
  });

  it('tells nothing removed and no new title for a copy that only adds and edits', () => {
    const room = newWorkshop();
    const action = addAction(room, { title: 'Bussi' });
    const file = copyOf(room);
    addNote(file, needs, { text: 'Uusi' });
    setActionTitle(file, action, 'Kulttuuribussi');
    expect(previewMerge(room, Y.encodeStateAsUpdate(file))).toEqual({
      added: { notes: 1, themes: 0, actions: 0 },
      removed: { notes: 0, themes: 0, actions: 0 },
      title: null,
    });
  });
});

describe('undoing a merge', () => {
  it('takes the whole merge back, and only the merge: what was removed returns, what it added goes', () => {
    const room = newWorkshop();
    const gone = addNote(room, needs, { text: 'Poistettu' });
    const file = copyOf(room);
    if (gone) deleteNotes(file, [gone]);
    setWorkshopTitle(file, 'Tyhjä');
    addNote(file, needs, { text: 'Tiedostosta' });
    const before = readWorkshop(room);
    const merging = Symbol('merge');
    const undo = mergeUndoManager(room, merging);

    mergeWorkshopState(room, Y.encodeStateAsUpdate(file), merging);
    expect(readWorkshop(room).notes.map((n) => n.text)).toEqual(['Tiedostosta']);
    // Written here after the merge: an undo of the merge keeps it.
    addNote(room, needs, { text: 'Jälkeen' });
    undo.undo();

    const after = readWorkshop(room);
    expect(after.meta.title).toBe(before.meta.title);
    expect(after.notes.map((n) => n.text).sort()).toEqual(['Jälkeen', 'Poistettu']);
  });
});
