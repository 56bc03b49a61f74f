/**
 * Restoring a version in place: the content of one workshop document is written over another's in
 * one forward transaction, so every connected client receives it as an ordinary update and the
 * restore itself can be undone by restoring again. Only what differs is written: an unchanged note
 * keeps its Yjs identity, and a text that changed is edited from its first to its last differing
 * character, so a concurrent edit elsewhere survives the restore.
 */
import * as Y from 'yjs';
import { LAST_RESTORE_KEY } from './read';
import { roots } from './roots';
import { ROOT, type RestoreNotice } from './schema';

/** Whether two plain values (JSON-like, as the model stores them) are equal. */
function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (a instanceof Uint8Array && b instanceof Uint8Array)
    return a.length === b.length && a.every((byte, i) => byte === b[i]);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (a instanceof Y.AbstractType || b instanceof Y.AbstractType) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A value of `source` that may be inserted into another document (Yjs types are copied). */
function copyOf(value: unknown): unknown {
  return value instanceof Y.AbstractType ? value.clone() : value;
}

/** Edits `target` into `wanted` by replacing only the span between their common prefix and suffix. */
function syncText(target: Y.Text, wanted: string): void {
  const current = target.toJSON();
  if (current === wanted) return;
  let start = 0;
  const shorter = Math.min(current.length, wanted.length);
  while (start < shorter && current[start] === wanted[start]) start++;
  let end = 0;
  while (end < shorter - start && current[current.length - 1 - end] === wanted[wanted.length - 1 - end])
    end++;
  const removed = current.length - start - end;
  if (removed > 0) target.delete(start, removed);
  const inserted = wanted.slice(start, wanted.length - end);
  if (inserted) target.insert(start, inserted);
}

/** Makes `target` hold what `source` holds, recursing into maps and texts both sides have. */
function syncMap(target: Y.Map<unknown>, source: Y.Map<unknown>): void {
  for (const key of [...target.keys()]) if (!source.has(key)) target.delete(key);
  for (const [key, wanted] of source.entries()) {
    const current = target.get(key);
    if (wanted instanceof Y.Map && current instanceof Y.Map) {
      syncMap(current as Y.Map<unknown>, wanted as Y.Map<unknown>);
    } else if (wanted instanceof Y.Text && current instanceof Y.Text) {
      // Formatting is not used by the model: the text is the content.
      syncText(current, wanted.toJSON());
    } else if (wanted instanceof Y.Array && current instanceof Y.Array) {
      if (JSON.stringify(current.toJSON()) !== JSON.stringify(wanted.toJSON())) {
        current.delete(0, current.length);
        current.insert(0, (wanted as Y.Array<unknown>).toArray().map(copyOf));
      }
    } else if (!sameValue(current, wanted) || !target.has(key)) {
      target.set(key, copyOf(wanted));
    }
  }
}

/**
 * Writes the workshop content of `source` over that of `target` in one transaction with
 * `origin`: afterwards every root map of `target` holds what `source`'s holds (keys that
 * `source` lacks are deleted). `source` is only read. Returns whether anything changed.
 *
 * @param target - The live document (a room's); receives one forward update.
 * @param source - The version to restore, e.g. a fresh Y.Doc with a stored state applied.
 */
export function replaceContent(target: Y.Doc, source: Y.Doc, origin: unknown = null): boolean {
  let changed = false;
  const mark = (): void => {
    changed = true;
  };
  target.on('update', mark);
  try {
    target.transact(() => syncRoots(target, source), origin);
  } finally {
    target.off('update', mark);
  }
  return changed;
}

function syncRoots(target: Y.Doc, source: Y.Doc): void {
  for (const name of Object.values(ROOT)) syncMap(target.getMap(name), source.getMap(name));
}

/**
 * Restores `source` over `target` as {@link replaceContent} does and, in the same transaction,
 * records `notice` as the document's last restore (whatever the version held there is replaced),
 * so every replica learns of the restore with the restore itself.
 *
 * @param notice - Who restored which version when, as the server knows it (read back with `readRestoreNotice`).
 */
export function restoreVersion(
  target: Y.Doc,
  source: Y.Doc,
  notice: RestoreNotice,
  origin: unknown = null,
): void {
  target.transact(() => {
    syncRoots(target, source);
    roots(target).meta.set(LAST_RESTORE_KEY, {
      id: notice.id,
      by: notice.by,
      versionTime: notice.versionTime,
      at: notice.at,
    });
  }, origin);
}

/**
 * Removes the record of the last restore from `doc`: a version made into a new workshop was not
 * restored there, and its people are not to be told it was.
 */
export function forgetRestoreNotice(doc: Y.Doc): void {
  const meta = roots(doc).meta;
  if (meta.has(LAST_RESTORE_KEY)) doc.transact(() => meta.delete(LAST_RESTORE_KEY));
}
