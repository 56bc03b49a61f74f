/** Minimal edits to a Y.Text, so that concurrent edits elsewhere in the same text survive. */
import type * as Y from 'yjs';

/**
 * Turns `ytext` into `next` by deleting and inserting only the span that differs (common prefix
 * and suffix kept). Replacing the whole text would drop words another replica typed meanwhile.
 */
export function replaceText(ytext: Y.Text, next: string): void {
  const current = ytext.toJSON();
  if (current === next) return;
  let start = 0;
  const max = Math.min(current.length, next.length);
  while (start < max && current[start] === next[start]) start++;
  // Never split a surrogate pair (an emoji, say) between the kept and the replaced span.
  if (start > 0 && isHighSurrogate(current.charCodeAt(start - 1))) start--;
  let end = 0;
  while (end < max - start && current[current.length - 1 - end] === next[next.length - 1 - end]) {
    end++;
  }
  if (end > 0 && isHighSurrogate(current.charCodeAt(current.length - end - 1))) end--;
  const removed = current.length - start - end;
  if (removed > 0) ytext.delete(start, removed);
  const inserted = next.slice(start, next.length - end);
  if (!inserted) return;
  // A pure insertion that the common prefix pushed to the right can cut the new word in two
  // ("tilaa tilaa" → "tilaa tilaa001 tilaa" inserts "001 tilaa" at the end), and a word another
  // replica adds there concurrently then lands inside it. Insert at word boundaries when the same
  // result allows it (found by convergence.test.ts).
  const at = removed === 0 ? wordAlignedInsertion(current, next, start) : start;
  ytext.insert(at, next.slice(at, at + inserted.length));
}

/**
 * Where to insert the `next.length - current.length` new characters so that `next` results, at
 * or left of `start` (the end of the common prefix): the rightmost place where the inserted span
 * starts and ends at a word boundary, or `start` when there is none.
 */
function wordAlignedInsertion(current: string, next: string, start: number): number {
  const length = next.length - current.length;
  const isSpace = (c: string | undefined) => c !== undefined && /\s/.test(c);
  for (let at = start; at >= 0; at--) {
    if (at < start && current[at] !== next[at + length]) break; // no longer the same result
    if (at > 0 && isHighSurrogate(current.charCodeAt(at - 1))) continue;
    const startsWord = at === 0 || isSpace(current[at - 1]) || isSpace(next[at]);
    const endsWord = at === current.length || isSpace(current[at]) || isSpace(next[at + length - 1]);
    if (startsWord && endsWord) return at;
  }
  return start;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
