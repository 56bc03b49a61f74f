/**
 * Restore in place: a version's content written over a live document, as one forward update that
 * every replica converges on.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { EXAMPLE_NAMES, EXAMPLE_OUTLINES } from '../examples';
import { importOutline, parseOutline } from '../outline/outline';
import { readRestoreNotice, readWorkshop } from './read';
import { replaceContent, restoreVersion } from './restore';
import { ROOT } from './schema';
import { deleteNotes, setNoteText, setWorkshopTitle } from './write';

/** A document holding one of the shipped example workshops. */
function example(index = 0): Y.Doc {
  const doc = new Y.Doc();
  const name = EXAMPLE_NAMES[index % EXAMPLE_NAMES.length] ?? EXAMPLE_NAMES[0];
  const parsed = parseOutline(EXAMPLE_OUTLINES[name]);
  if (!parsed.ok) throw new Error('example does not parse');
  importOutline(doc, parsed.value);
  return doc;
}

function copy(doc: Y.Doc): Y.Doc {
  const out = new Y.Doc();
  Y.applyUpdate(out, Y.encodeStateAsUpdate(doc));
  return out;
}

function content(doc: Y.Doc): unknown {
  return Object.fromEntries(Object.values(ROOT).map((name) => [name, doc.getMap(name).toJSON()]));
}

describe('replaceContent', () => {
  it('brings back what was deleted and undoes edits, in one update that a peer applies to the same board', () => {
    const live = example();
    const version = copy(live);
    const peer = copy(live);
    const notes = readWorkshop(live).notes;
    // Half the board deleted, a text and the title changed, and the roots cleared.
    deleteNotes(
      live,
      notes.slice(0, Math.ceil(notes.length / 2)).map((n) => n.id),
    );
    const kept = notes[notes.length - 1];
    if (!kept) throw new Error('example has no notes');
    setNoteText(live, kept.id, 'vandalised');
    setWorkshopTitle(live, 'Gone');
    live.getMap(ROOT.themes).clear();
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(live));
    expect(readWorkshop(peer).notes.length).toBeLessThan(notes.length);

    const updates: Uint8Array[] = [];
    live.on('update', (update: Uint8Array) => updates.push(update));
    expect(replaceContent(live, version, 'restore')).toBe(true);

    expect(updates).toHaveLength(1);
    Y.applyUpdate(peer, updates[0] ?? new Uint8Array());
    expect(content(live)).toEqual(content(version));
    expect(readWorkshop(live)).toEqual(readWorkshop(version));
    expect(readWorkshop(peer)).toEqual(readWorkshop(version));
  });

  it('writes nothing when the content is already the version’s', () => {
    const live = example();
    const updates: Uint8Array[] = [];
    live.on('update', (update: Uint8Array) => updates.push(update));
    expect(replaceContent(live, copy(live))).toBe(false);
    expect(updates).toHaveLength(0);
  });

  it('turns one workshop into an entirely different one (another example)', () => {
    const live = example(0);
    const other = example(1);
    replaceContent(live, other);
    expect(readWorkshop(live)).toEqual(readWorkshop(other));
  });

  it('leaves an unchanged note’s text untouched, so a concurrent edit of it survives the restore', () => {
    const live = example();
    const version = copy(live);
    const [first, second] = readWorkshop(live).notes;
    if (!first || !second) throw new Error('example has too few notes');
    deleteNotes(live, [first.id]);
    const editor = copy(live);
    setNoteText(editor, second.id, `${second.text}!`);
    replaceContent(live, version);
    Y.applyUpdate(live, Y.encodeStateAsUpdate(editor));
    const after = readWorkshop(live);
    expect(after.notes.find((n) => n.id === first.id)?.text).toBe(first.text);
    expect(after.notes.find((n) => n.id === second.id)?.text).toBe(`${second.text}!`);
  });

  it('makes any text equal to any other (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (before, wanted) => {
        const live = new Y.Doc();
        live.getMap(ROOT.meta).set('title', new Y.Text(before));
        const version = new Y.Doc();
        version.getMap(ROOT.meta).set('title', new Y.Text(wanted));
        replaceContent(live, version);
        expect((live.getMap(ROOT.meta).get('title') as Y.Text).toJSON()).toBe(wanted);
      }),
    );
  });
});

describe('restoreVersion', () => {
  const notice = {
    id: 'r-1',
    by: 'Alice',
    versionTime: Date.UTC(2026, 11, 5, 15, 36),
    at: Date.UTC(2026, 11, 6, 9),
  };

  it('restores the content and records who restored which version in the same single update, which a peer reads', () => {
    const live = example();
    const version = copy(live);
    const peer = copy(live);
    expect(readWorkshop(peer).lastRestore).toBeNull();
    setWorkshopTitle(live, 'Gone');
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(live));

    const updates: Uint8Array[] = [];
    live.on('update', (update: Uint8Array) => updates.push(update));
    restoreVersion(live, version, notice, 'restore');

    expect(updates).toHaveLength(1);
    Y.applyUpdate(peer, updates[0] ?? new Uint8Array());
    expect(readWorkshop(peer).meta.title).toBe(readWorkshop(version).meta.title);
    expect(readWorkshop(peer).lastRestore).toEqual(notice);
  });

  it('a restored version that itself carries an older notice tells of the new restore', () => {
    const live = example();
    restoreVersion(live, copy(live), notice, 'restore');
    const older = copy(live);
    const next = { ...notice, id: 'r-2', by: 'Bea', versionTime: notice.at };
    restoreVersion(live, older, next, 'restore');
    expect(readRestoreNotice(live)).toEqual(next);
  });

  it('reads no notice from a value that is not one (anyone can write the document)', () => {
    const doc = example();
    for (const bad of [
      'text',
      5,
      null,
      { id: 'x' },
      { id: '', by: 'A', versionTime: 1, at: 2 },
      { id: 'x', by: 'A', versionTime: 'then', at: 2 },
    ]) {
      doc.getMap(ROOT.meta).set('lastRestore', bad);
      expect(readRestoreNotice(doc)).toBeNull();
    }
    doc.getMap(ROOT.meta).set('lastRestore', { id: 'x', by: 7, versionTime: 1, at: 2 });
    expect(readRestoreNotice(doc)).toEqual({ id: 'x', by: '', versionTime: 1, at: 2 });
  });
});
