import { describe, expect, it } from 'vitest';
import { CHUNK_SIZE, chunkItems, StickyChunks, type Chunk } from './note-chunks';

type Item = { id: string };
const notes = (...ids: string[]): Item[] => ids.map((id) => ({ id }));
const range = (from: number, to: number): Item[] =>
  notes(...Array.from({ length: to - from }, (_, i) => `n${from + i}`));
const sizes = (chunks: Chunk<Item>[]) => chunks.map((c) => c.items.length);
/** Which chunk (by its key) each note is drawn in. */
const homes = (chunks: Chunk<Item>[]) =>
  new Map(chunks.flatMap((chunk) => chunk.items.map((n) => [n.id, chunk.key])));
/** The notes of `before` that are drawn in another chunk in `after`. */
const moved = (before: Chunk<Item>[], after: Chunk<Item>[]) => {
  const now = homes(after);
  return [...homes(before)].filter(([id, key]) => now.has(id) && now.get(id) !== key).map(([id]) => id);
};
const without = (list: Item[], ...ids: string[]) => list.filter((n) => !ids.includes(n.id));
const insert = (list: Item[], at: number, ...ids: string[]) => [
  ...list.slice(0, at),
  ...notes(...ids),
  ...list.slice(at),
];

describe('chunking a note list', () => {
  it('cuts a list seen for the first time into runs of the chunk size, in order', () => {
    let made = 0;
    const chunks = chunkItems(range(0, 60), new Map(), () => `k${++made}`);
    expect(sizes(chunks)).toEqual([CHUNK_SIZE, CHUNK_SIZE, 60 - 2 * CHUNK_SIZE]);
    expect(chunks.flatMap((c) => c.items)).toEqual(range(0, 60));
    expect(new Set(chunks.map((c) => c.key)).size).toBe(3);
  });

  it('gives an empty list no chunks and a short one a single chunk', () => {
    const sticky = new StickyChunks();
    expect(sticky.chunk([])).toEqual([]);
    expect(sizes(sticky.chunk(notes('a', 'b')))).toEqual([2]);
  });

  it('moves no note to another chunk when notes are added at the top, one after another', () => {
    const sticky = new StickyChunks();
    let list = range(0, 100);
    let before = sticky.chunk(list);
    for (const id of ['new1', 'new2', 'new3']) {
      list = insert(list, 0, id);
      const after = sticky.chunk(list);
      expect(moved(before, after)).toEqual([]);
      // A new note joins the chunk after it rather than making a chunk of its own.
      expect(after[0]?.items[0]?.id).toBe(id);
      expect(after).toHaveLength(before.length);
      before = after;
    }
  });

  it('moves no note when the first notes of chunks are deleted', () => {
    const sticky = new StickyChunks();
    const before = sticky.chunk(range(0, 75));
    const after = sticky.chunk(without(range(0, 75), 'n0', 'n25', 'n50'));
    expect(moved(before, after)).toEqual([]);
    expect(sizes(after)).toEqual([24, 24, 24]);
  });

  it('moves only the note that moved, also when it was the first of its chunk', () => {
    const sticky = new StickyChunks();
    const before = sticky.chunk(range(0, 75));
    // n25 (the first of the second chunk) moves into the first chunk, n60 to the very top.
    const edited = insert(insert(without(range(0, 75), 'n25', 'n60'), 10, 'n25'), 0, 'n60');
    const after = sticky.chunk(edited);
    expect(moved(before, after).sort()).toEqual(['n25', 'n60']);
    expect(after.flatMap((c) => c.items)).toEqual(edited);
  });

  it('moves only the note that moved when it is dropped among the notes of the chunk below', () => {
    const sticky = new StickyChunks();
    const before = sticky.chunk(range(0, 50));
    // n3 is dragged to just before n30: n25 to n29 stay where they were, in the second chunk.
    const list = without(range(0, 50), 'n3');
    const edited = insert(
      list,
      list.findIndex((n) => n.id === 'n30'),
      'n3',
    );
    const after = sticky.chunk(edited);
    expect(moved(before, after)).toEqual(['n3']);
    expect(sizes(after)).toEqual([24, 26]);
  });

  it('moves only the notes that moved when several are moved down across chunks at once', () => {
    const sticky = new StickyChunks();
    const before = sticky.chunk(range(0, 100));
    const list = without(range(0, 100), 'n1', 'n2', 'n30');
    const edited = insert(
      list,
      list.findIndex((n) => n.id === 'n80'),
      'n1',
      'n2',
      'n30',
    );
    expect(moved(before, sticky.chunk(edited)).sort()).toEqual(['n1', 'n2', 'n30']);
  });

  it('keeps a chunk whole when notes from elsewhere are moved into its middle', () => {
    const sticky = new StickyChunks();
    const before = sticky.chunk(range(0, 75));
    const edited = insert(without(range(0, 75), 'n70', 'n71'), 5, 'n70', 'n71');
    const after = sticky.chunk(edited);
    expect(moved(before, after).sort()).toEqual(['n70', 'n71']);
    expect(sizes(after)).toEqual([27, 25, 23]);
  });

  it('lets chunks grow without moving a note, however many are added inside them', () => {
    const sticky = new StickyChunks();
    let list = range(0, 100);
    const first = sticky.chunk(list);
    for (let i = 0; i < 200; i++) list = insert(list, i % 2 ? 0 : 60, `added${i}`);
    const after = sticky.chunk(list);
    expect(moved(first, after)).toEqual([]);
    expect(after.map((c) => c.key)).toEqual(first.map((c) => c.key));
  });
});
