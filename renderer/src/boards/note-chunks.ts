/**
 * Note lists are drawn in chunks of consecutive notes. Just after a list first shows, its chunks
 * are deferred (`content-visibility: auto`, styles.css): the browser lays out and paints only
 * the chunks near the view, so a board of a thousand notes shows its first frame without laying
 * out the hundreds of notes below the fold. Once the browser is idle the list settles and every
 * chunk is laid out (NoteList in note-card.tsx).
 *
 * Chunks keep their notes. A note that moved to another chunk would be a new element (React keys
 * are per parent) and lose its focus or an open editor, so a note added, deleted or moved must not
 * push the notes after it across chunk boundaries. Each list remembers which chunk every note was
 * in, and the next chunking keeps those groups: notes that were together stay together, new notes
 * join the chunk before them, and only a note moved into the middle of another chunk changes
 * chunk. A chunk grown to twice the size is split.
 */

/** Notes per chunk when a list is first chunked. */
export const CHUNK_SIZE = 25;

export type Chunk<T> = { key: string; items: T[] };

type Segment<T> = { key: string | null; items: T[] };

/**
 * Splits `items` into chunks of consecutive items. `previous` gives the chunk each item was in
 * last time (none for a list seen for the first time, which is cut every `size` items); `newKey`
 * names a chunk that did not exist before.
 */
export function chunkItems<T extends { id: string }>(
  items: readonly T[],
  previous: ReadonlyMap<string, string>,
  newKey: () => string,
  size = CHUNK_SIZE,
): Chunk<T>[] {
  // Runs of items that were in the same chunk; an item new to the list joins the run before it
  // (at the top of the list, the run after it).
  const segments: Segment<T>[] = [];
  for (const item of items) {
    const key = previous.get(item.id) ?? null;
    const last = segments.at(-1);
    if (last && (key === null || key === last.key)) last.items.push(item);
    else if (last && last.key === null) {
      last.key = key;
      last.items.push(item);
    } else segments.push({ key, items: [item] });
  }
  // A chunk split by a note moved into it, or whose note moved out, keeps its name for its
  // largest run; its other runs join the chunk before them, like the moved notes themselves.
  const largest = new Map<string, Segment<T>>();
  for (const segment of segments) {
    if (segment.key === null) continue;
    const best = largest.get(segment.key);
    if (!best || segment.items.length > best.items.length) largest.set(segment.key, segment);
  }
  const joined: Chunk<T>[] = [];
  let leading: T[] = [];
  for (const segment of segments) {
    const last = joined.at(-1);
    if (segment.key !== null && largest.get(segment.key) === segment) {
      joined.push({ key: segment.key, items: [...leading, ...segment.items] });
      leading = [];
    } else if (last) last.items.push(...segment.items);
    else leading.push(...segment.items);
  }
  if (leading.length > 0) joined.push({ key: newKey(), items: leading });
  // Cut what is too long: a new list every `size` items; a chunk grown past twice that keeps its
  // first twice-the-size items, and only the notes after them go to new chunks.
  const limit = previous.size > 0 ? size * 2 : size;
  return joined.flatMap((chunk) => {
    const pieces = [{ key: chunk.key, items: chunk.items.slice(0, limit) }];
    for (let at = limit; at < chunk.items.length; at += size) {
      pieces.push({ key: newKey(), items: chunk.items.slice(at, at + size) });
    }
    return pieces;
  });
}

/** Remembers one list's chunks between renders, so that its notes stay in theirs. */
export class StickyChunks {
  private chunkOf: ReadonlyMap<string, string> = new Map();
  private made = 0;

  chunk<T extends { id: string }>(items: readonly T[]): Chunk<T>[] {
    const chunks = chunkItems(items, this.chunkOf, () => `chunk-${++this.made}`);
    this.chunkOf = new Map(chunks.flatMap((chunk) => chunk.items.map((item) => [item.id, chunk.key])));
    return chunks;
  }
}
