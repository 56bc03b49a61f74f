/** Minimal edits to a Y.Text, so that concurrent edits elsewhere in the same text survive. */
import type * as Y from 'yjs';

/**
 * Turns `ytext` into `next` by deleting and inserting only the span that differs (common prefix
 * and suffix kept). Replacing the whole text would drop words another replica typed meanwhile.
 */
export function replaceText(ytext: Y.Text, next: string): void {
  const current = ytext.toString();
  if (current === next) return;
  let start = 0;
  const max = Math.min(current.length, next.length);
  while (start < max && current[start] === next[start]) start++;
  // Never split a surrogate pair (an emoji, say) between the kept and the replaced span.
  if (start > 0 && isHighSurrogate(current.charCodeAt(start - 1))) start--;
  let end = 0;
  while (
    end < max - start &&
    current[current.length - 1 - end] === next[next.length - 1 - end]
  ) {
    end++;
  }
  if (end > 0 && isHighSurrogate(current.charCodeAt(current.length - end - 1))) end--;
  const removed = current.length - start - end;
  if (removed > 0) ytext.delete(start, removed);
  const inserted = next.slice(start, next.length - end);
  if (inserted) ytext.insert(start, inserted);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
