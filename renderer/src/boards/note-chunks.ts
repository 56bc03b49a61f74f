/**
 * Note lists are drawn in chunks of consecutive notes. Just after a list first shows, its chunks
 * are deferred (`content-visibility: auto`, styles.css): the browser lays out and paints only
 * the chunks near the view, so a board of a thousand notes shows its first frame without laying
 * out the hundreds of notes below the fold. Once the browser is idle the list settles and every
 * chunk is laid out (NoteList in note-card.tsx).
 *
 * Chunks keep their notes. A note that moved to another chunk would be a new element (React keys
 * are per parent) and lose its focus, so no edit may push notes that did not move across chunk
 * boundaries. Each list remembers where every note was, and the next chunking keeps as many notes
 * as it can in their chunks: the longest run of them, in list order, whose chunks still come in
 * their old order. Only the others (notes moved past notes of another chunk) and new notes take
 * the chunk of the note before them. Chunks are cut to size only when a list is first seen; after
 * that they grow and shrink with their lists, which is harmless: the deferral is over by then.
 */

/** Notes per chunk when a list is first chunked. */
export const CHUNK_SIZE = 25;

export type Chunk<T> = { key: string; items: T[] };

/** Where each item was in the previous chunking: its chunk's key and that chunk's place. */
export type Placement = ReadonlyMap<string, { readonly key: string; readonly place: number }>;

/**
 * The positions in `values` of a longest subsequence that never goes down, skipping negative
 * values (items with no previous place). Patience sorting: O(n log n).
 */
function longestNonDecreasing(values: readonly number[]): Set<number> {
  const tails: number[] = []; // tails[k]: position of the smallest end of a run of length k + 1
  const before = new Array<number>(values.length).fill(-1);
  values.forEach((value, at) => {
    if (value < 0) return;
    // The first run whose end is greater than `value` (so equal values extend a run).
    let low = 0;
    let high = tails.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((values[tails[mid] as number] as number) <= value) low = mid + 1;
      else high = mid;
    }
    before[at] = low > 0 ? (tails[low - 1] as number) : -1;
    tails[low] = at;
  });
  const kept = new Set<number>();
  for (let at = tails.at(-1) ?? -1; at >= 0; at = before[at] as number) kept.add(at);
  return kept;
}

/**
 * Splits `items` into chunks of consecutive items. `previous` says where each item was last time
 * (empty for a list seen for the first time, which is cut every `size` items); `newKey` names a
 * chunk that did not exist before.
 */
export function chunkItems<T extends { id: string }>(
  items: readonly T[],
  previous: Placement,
  newKey: () => string,
  size = CHUNK_SIZE,
): Chunk<T>[] {
  const places = items.map((item) => previous.get(item.id)?.place ?? -1);
  const stayed = longestNonDecreasing(places);
  if (stayed.size === 0) {
    const chunks: Chunk<T>[] = [];
    for (let at = 0; at < items.length; at += size) {
      chunks.push({ key: newKey(), items: items.slice(at, at + size) });
    }
    return chunks;
  }
  // Notes that stayed keep their chunk; the others join the chunk of the note before them, and
  // those at the top of the list the chunk of the first note that stayed.
  const keys = items.map((item, at) => (stayed.has(at) ? (previous.get(item.id)?.key ?? null) : null));
  let key = keys.find((k) => k !== null) ?? newKey();
  const chunks: Chunk<T>[] = [];
  items.forEach((item, at) => {
    key = keys[at] ?? key;
    const last = chunks.at(-1);
    if (last?.key === key) last.items.push(item);
    else chunks.push({ key, items: [item] });
  });
  return chunks;
}

/** Remembers one list's chunks between renders, so that its notes stay in theirs. */
export class StickyChunks {
  private placement: Placement = new Map();
  private made = 0;

  chunk<T extends { id: string }>(items: readonly T[]): Chunk<T>[] {
    const chunks = chunkItems(items, this.placement, () => `chunk-${++this.made}`);
    this.placement = new Map(
      chunks.flatMap((chunk, place) => chunk.items.map((item) => [item.id, { key: chunk.key, place }])),
    );
    return chunks;
  }
}
