// Merging a workshop file into the workshop it is a copy of: both sides' work, nothing twice,
// nothing of this side replaced, and a count of what the file brought.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { mergeWorkshopState } from './merge-file';
import { readWorkshop } from './read';
import { needs, newWorkshop } from './test-workshop';
import { addAction, addNote, setActionTitle } from './write';

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
