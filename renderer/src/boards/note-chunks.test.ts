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

  it('keeps a chunk whole when notes from elsewhere are moved into its middle', () => {
    const sticky = new StickyChunks();
    const before = sticky.chunk(range(0, 75));
    const edited = insert(without(range(0, 75), 'n70', 'n71'), 5, 'n70', 'n71');
    const after = sticky.chunk(edited);
    expect(moved(before, after).sort()).toEqual(['n70', 'n71']);
    expect(sizes(after)).toEqual([27, 25, 23]);
  });

  it('lets a chunk grow to twice the size, then moves only the notes past that to a new chunk', () => {
    const sticky = new StickyChunks();
    const before = sticky.chunk(range(0, 10));
    expect(sizes(sticky.chunk(range(0, 2 * CHUNK_SIZE)))).toEqual([2 * CHUNK_SIZE]);
    const grown = sticky.chunk(insert(range(0, 2 * CHUNK_SIZE), 0, 'top'));
    expect(sizes(grown)).toEqual([2 * CHUNK_SIZE, 1]);
    expect(grown[1]?.items.map((n) => n.id)).toEqual([`n${2 * CHUNK_SIZE - 1}`]);
    expect(grown[0]?.key).toBe(before[0]?.key);
    expect(new Set(grown.map((c) => c.key)).size).toBe(2);
  });
});
