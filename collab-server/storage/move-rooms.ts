/**
 * Moves rooms from one storage to another (#14: LevelDB to PostgreSQL when a server joins a
 * cluster, and back): `talkoo-server migrate`. Each room goes whole: its updates merged into one,
 * its versions, its people's own documents (`<room>~me~<id>`), and its record last, so a room whose
 * move was cut short is not listed in the target and the next run moves it again (its state is
 * written by replacing whatever an earlier run left). A room the target has already is never
 * overwritten. Run it while no server uses either storage.
 */
import * as Y from 'yjs';
import type { DocumentStorage } from './level-storage';

/** What a move did: the rooms moved, and those left where they were, with why. */
export type MoveReport = {
  readonly moved: string[];
  readonly skipped: { readonly room: string; readonly why: string }[];
};

/** Moves every room of `from` that `to` does not have yet into `to` (`from` keeps its copy). */
export async function moveRooms(from: DocumentStorage, to: DocumentStorage): Promise<MoveReport> {
  const report: MoveReport = { moved: [], skipped: [] };
  const documents = await from.documents();
  for (const record of await from.list()) {
    const { room, ...info } = record;
    if (await to.exists(room)) {
      report.skipped.push({ room, why: 'the target has a room of that name already' });
      continue;
    }
    const own = `${room}~me~`;
    for (const document of [room, ...documents.filter((name) => name.startsWith(own))]) {
      await moveDocument(from, to, document);
    }
    if (await to.create(room, info)) report.moved.push(room);
    else report.skipped.push({ room, why: 'the target got a room of that name while it moved' });
  }
  return report;
}

/** A document's state (its updates merged) and its versions, replacing what the target has of it. */
async function moveDocument(from: DocumentStorage, to: DocumentStorage, document: string): Promise<void> {
  const updates = await from.load(document);
  if (updates.length > 0) await to.compact(document, Y.mergeUpdates(updates));
  for (const version of await from.listVersions(document)) {
    const state = await from.loadVersion(document, version.id);
    if (state) await to.putVersion(document, version, state);
  }
}
