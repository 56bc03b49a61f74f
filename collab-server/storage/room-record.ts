/**
 * What a room's record says of its workshop (storage/level-storage.ts `RoomInfo`): its title,
 * language, creation date and how much it holds, read from the document when the room is created
 * and each time it unloads, so the workshop list never loads a room to show them.
 */
import type * as Y from 'yjs';
import { readMeta, readWorkshop } from '../../shared/model/read';
import type { RoomCounts, RoomInfo } from './level-storage';

/** Notes on needs boards, themes and actions of a workshop. */
export function workshopCounts(doc: Y.Doc): RoomCounts {
  const w = readWorkshop(doc);
  const needsBoards = new Set<string>(w.boards.filter((b) => b.kind === 'needs').map((b) => b.id));
  return {
    needs: w.notes.filter((note) => needsBoards.has(note.boardId)).length,
    themes: w.themes.length,
    actions: w.actions.length,
  };
}

/** The record of a room holding `doc` (without an archive mark, which the record keeps itself). */
export function workshopRecord(doc: Y.Doc): RoomInfo {
  const meta = readMeta(doc);
  return {
    created: meta.created || new Date().toISOString(),
    title: meta.title,
    language: meta.language,
    counts: workshopCounts(doc),
  };
}
