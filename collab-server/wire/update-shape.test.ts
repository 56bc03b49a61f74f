import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addNote, createWorkshop, deleteNotes, setNoteText, TEMPLATE_BOARD_IDS } from '../../shared';
import { MalformedUpdateError, readUpdateShape } from './update-shape';

/** Updates of every kind of content and struct Yjs writes, each as a client would send it. */
function updates(): Uint8Array[] {
  const doc = new Y.Doc({ gc: true });
  const sent: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => sent.push(update));
  createWorkshop(doc, {
    title: 'Shapes',
    language: 'fi',
    boardTitles: { needs: 'N', themes: 'T', actions: 'A' },
  });
  const note = addNote(doc, TEMPLATE_BOARD_IDS.needs, { text: 'hyvä ääni 👍' });
  if (!note) throw new Error('no needs board');
  setNoteText(doc, note, 'hyvä ääni 👍, sano');
  deleteNotes(doc, [note]);
  const values = doc.getArray<unknown>('values');
  values.push([null, -5, 2 ** 40, 1.5, 0.1, true, false, 'teksti', new Uint8Array([1, 2])]);
  values.push([{ nested: [1, { deeper: 'x' }], big: 2n ** 60n }, [], {}]);
  const text = doc.getText('rich');
  text.insert(0, 'bold', { bold: true });
  text.insertEmbed(4, { image: 'a.png' });
  const xml = doc.getXmlFragment('xml');
  const element = new Y.XmlElement('p');
  element.setAttribute('class', 'c');
  element.insert(0, [new Y.XmlText('x')]);
  xml.insert(0, [element]);
  doc.getMap('hooks').set('hook', new Y.XmlHook('hook'));
  doc.getMap('docs').set('sub', new Y.Doc({ guid: 'sub-doc' }));
  doc.getArray('legacy').insert(0, ['x']);
  values.delete(0, 3);
  sent.push(Y.encodeStateAsUpdate(doc));
  // A merge of updates with a gap between them carries a skipped range.
  sent.push(Y.mergeUpdates([sent[0] as Uint8Array, sent[3] as Uint8Array]));
  return sent;
}

describe('readUpdateShape', () => {
  it('reads every kind of update Yjs writes to its end, counting its structs as Y.decodeUpdate does', () => {
    for (const update of updates())
      expect(readUpdateShape(update)).toBe(Y.decodeUpdate(update).structs.length);
  });

  it('refuses every update cut off anywhere, its deletions too', () => {
    for (const update of updates()) {
      for (let end = 0; end < update.length; end++)
        expect(() => readUpdateShape(update.subarray(0, end))).toThrow(MalformedUpdateError);
    }
  });

  it('refuses content and values Yjs does not know', () => {
    // One client, one struct: an item of content kind 11 under the root "r".
    expect(() => readUpdateShape(new Uint8Array([1, 1, 7, 0, 11, 1, 1, 0x72, 0, 0]))).toThrow(
      MalformedUpdateError,
    );
    // The same item as one value (content 8) with the unknown tag 100.
    expect(() => readUpdateShape(new Uint8Array([1, 1, 7, 0, 8, 1, 1, 0x72, 1, 100, 0]))).toThrow(
      MalformedUpdateError,
    );
    // Values Yjs knows: a string "x", and undefined (which Y.Array does not take, but Yjs reads).
    expect(readUpdateShape(new Uint8Array([1, 1, 7, 0, 8, 1, 1, 0x72, 1, 119, 1, 0x78, 0]))).toBe(1);
    expect(readUpdateShape(new Uint8Array([1, 1, 7, 0, 8, 1, 1, 0x72, 1, 127, 0]))).toBe(1);
  });
});
