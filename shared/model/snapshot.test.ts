import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createWorkshopStore, shareStructure } from './snapshot';
import { addNote, createWorkshop, setNoteText, TEMPLATE_BOARD_IDS } from './write';

function workshop(): Y.Doc {
  const doc = new Y.Doc();
  createWorkshop(doc, {
    title: 'T',
    language: 'en',
    boardTitles: { needs: 'Needs', themes: 'Themes', actions: 'Actions' },
  });
  return doc;
}

describe('workshop store', () => {
  it('keeps unchanged notes identical after another note changes', () => {
    const doc = workshop();
    const a = addNote(doc, TEMPLATE_BOARD_IDS.needs, { text: 'a' })!;
    const b = addNote(doc, TEMPLATE_BOARD_IDS.needs, { text: 'b' })!;
    const store = createWorkshopStore(doc);
    const before = store.getSnapshot();
    setNoteText(doc, a, 'a, edited');
    const after = store.getSnapshot();
    expect(after).not.toBe(before);
    expect(after.notes.find((n) => n.id === a)?.text).toBe('a, edited');
    expect(after.notes.find((n) => n.id === b)).toBe(before.notes.find((n) => n.id === b));
    expect(after.boards).toBe(before.boards);
    expect(after.meta).toBe(before.meta);
  });

  it('notifies subscribers on remote updates and stays silent when nothing changed', () => {
    const doc = workshop();
    const remote = new Y.Doc();
    Y.applyUpdate(remote, Y.encodeStateAsUpdate(doc));
    const store = createWorkshopStore(doc);
    let calls = 0;
    const unsubscribe = store.subscribe(() => calls++);
    addNote(remote, TEMPLATE_BOARD_IDS.needs, { text: 'from afar' });
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(remote));
    expect(calls).toBe(1);
    expect(store.getSnapshot().notes.map((n) => n.text)).toEqual(['from afar']);
    // Applying the same update again changes nothing and notifies nobody.
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(remote));
    expect(calls).toBe(1);
    unsubscribe();
    store.destroy();
  });

  it('shares structure by id even when items move in a list', () => {
    const prev = [
      { id: 'x', v: 1 },
      { id: 'y', v: 2 },
    ];
    const next = shareStructure(prev, [
      { id: 'y', v: 2 },
      { id: 'x', v: 1 },
    ]);
    expect(next).not.toBe(prev);
    expect(next[0]).toBe(prev[1]);
    expect(next[1]).toBe(prev[0]);
  });
});
