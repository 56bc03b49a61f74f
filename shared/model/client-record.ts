/**
 * Who writes with this replica's Yjs client (a random number per session): recorded once in the
 * root {@link CLIENTS_ROOT}, inside the transaction of the client's first change, so the record
 * goes out with the change it names; never in a transaction that changes nothing (a page that
 * opens and rewrites what is already there must not make a change of it). Read by
 * collisions.ts; checked and, where needed, rewritten by the server (shared/policy/).
 */
import * as Y from 'yjs';

/** Root map of client records: client id (decimal) → who writes with it. Wire format: never rename. */
export const CLIENTS_ROOT = 'clients';

/** Origin of a record written after a local change that did not go through the model's transact. */
const RECORD_ORIGIN: unique symbol = Symbol('talkoo-client-record');

type Writer = (key: string) => string | null;

const writers = new WeakMap<Y.Doc, Writer>();

/** True when `transaction` has inserted or deleted anything so far. */
function changedAnything(doc: Y.Doc, transaction: Y.Transaction): boolean {
  return (
    Y.getState(doc.store, doc.clientID) !== (transaction.beforeState.get(doc.clientID) ?? 0) ||
    transaction.deleteSet.clients.size > 0
  );
}

/** The record this client lacks, as `[key, writer]`, or null when it has one or no writer is known. */
function missingRecord(doc: Y.Doc): [string, string] | null {
  const who = writers.get(doc);
  if (!who) return null;
  const key = String(doc.clientID);
  if (doc.getMap(CLIENTS_ROOT).has(key)) return null;
  const writer = who(key);
  return writer ? [key, writer] : null;
}

/**
 * Inside a local transaction: when it has changed something and this client has no record yet,
 * writes the record into it. The model's `transact` calls this last (shared/model/write.ts).
 */
export function recordClientIfChanged(doc: Y.Doc, transaction: Y.Transaction): void {
  if (!changedAnything(doc, transaction)) return;
  const missing = missingRecord(doc);
  if (missing) doc.getMap(CLIENTS_ROOT).set(...missing);
}

/**
 * Records who writes from `doc` with its first local change (and again when Yjs gives the
 * document a new client id), so that anyone who receives a change can tell whose it is. `who(key)`
 * is the writer for the record at `key` (an anonymous tag is per key), or null while unknown
 * (nothing is recorded then). A local change made outside the model's `transact` (an undo) gets
 * its record in a transaction of its own right after. Returns a function that stops recording.
 */
export function recordClientOnEdit(doc: Y.Doc, who: Writer): () => void {
  writers.set(doc, who);
  const afterTransaction = (transaction: Y.Transaction): void => {
    if (!transaction.local || transaction.origin === RECORD_ORIGIN) return;
    if (!changedAnything(doc, transaction)) return;
    const missing = missingRecord(doc);
    if (missing) doc.transact(() => doc.getMap(CLIENTS_ROOT).set(...missing), RECORD_ORIGIN);
  };
  doc.on('afterTransaction', afterTransaction);
  return () => {
    doc.off('afterTransaction', afterTransaction);
    if (writers.get(doc) === who) writers.delete(doc);
  };
}
