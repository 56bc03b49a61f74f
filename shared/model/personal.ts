/**
 * The personal document: one small Y.Doc per person and room, synced only between that person
 * and the server. It holds what others must not see yet: notes drafted during a private writing
 * round, and dots placed in an open voting round. The server publishes both into the workshop
 * document (publishDrafts, revealBallots) when the facilitator ends the round.
 * Root and field names are wire format: never rename.
 */
import * as Y from 'yjs';
import { newId, type BoardId, type LaneId, type NoteId, type RoundId } from '../ids';
import { byOrder, entries, finite, num, oneOf, optionalStr, str } from './fields';
import { readBoards, readOnlyReason } from './read';
import { VOTE_KEY_SEPARATOR, roots, voteKey } from './roots';
import { NOTE_COLOURS, type Note } from './schema';
import { replaceText } from './text';
import { addNotes, LOCAL_ORIGIN, ReadOnlyDocumentError, type NewNote } from './write';

/** Root names of the personal document. Wire format: never rename. */
export const PERSONAL_ROOT = { drafts: 'drafts', ballots: 'ballots' } as const;

function drafts(personal: Y.Doc): Y.Map<unknown> {
  return personal.getMap(PERSONAL_ROOT.drafts);
}

function ballots(personal: Y.Doc): Y.Map<unknown> {
  return personal.getMap(PERSONAL_ROOT.ballots);
}

function transact<T>(doc: Y.Doc, fn: () => T): T {
  let result!: T;
  doc.transact(() => {
    result = fn();
  }, LOCAL_ORIGIN);
  return result;
}

function draft(personal: Y.Doc, noteId: NoteId): Y.Map<unknown> | undefined {
  const value = drafts(personal).get(noteId);
  return value instanceof Y.Map ? (value as Y.Map<unknown>) : undefined;
}

// ---- Drafts ---------------------------------------------------------------------------------

/** A new draft's fields: a note's, without theme or author (both come when it is published). */
export type NewDraft = Omit<NewNote, 'author' | 'themeId' | 'order'>;

/** Adds a draft note for `boardId` at the end of this person's drafts; returns its id. */
export function addDraft(personal: Y.Doc, boardId: BoardId, input: NewDraft): NoteId {
  return transact(personal, () => {
    const id = input.id ?? newId<'NoteId'>();
    const order =
      entries(drafts(personal)).reduce((max, [, d]) => Math.max(max, num(d, 'order', -1)), -1) + 1;
    drafts(personal).set(
      id,
      new Y.Map<unknown>([
        ['text', new Y.Text(input.text)],
        ['boardId', boardId],
        ['laneId', input.laneId ?? ''],
        ['municipality', input.municipality ?? ''],
        ['colour', input.colour ?? 'yellow'],
        ['x', input.x ?? 0],
        ['y', input.y ?? 0],
        ['order', order],
      ]),
    );
    return id;
  });
}

/** Sets a draft's text with a minimal edit; false when there is no such draft. */
export function setDraftText(personal: Y.Doc, noteId: NoteId, text: string): boolean {
  return transact(personal, () => {
    const d = draft(personal, noteId);
    if (!d) return false;
    const current = d.get('text');
    if (current instanceof Y.Text) replaceText(current, text);
    else d.set('text', new Y.Text(text));
    return true;
  });
}

/** Moves a draft on its canvas and, when `laneId` is given, to a lane (null: no lane). */
export function moveDraft(
  personal: Y.Doc,
  noteId: NoteId,
  x: number,
  y: number,
  laneId?: LaneId | null,
): boolean {
  if (!Number.isFinite(x) || !Number.isFinite(y)) return false;
  return transact(personal, () => {
    const d = draft(personal, noteId);
    if (!d) return false;
    d.set('x', x);
    d.set('y', y);
    if (laneId !== undefined) d.set('laneId', laneId ?? '');
    return true;
  });
}

/** Deletes a draft; false when there is no such draft. */
export function deleteDraft(personal: Y.Doc, noteId: NoteId): boolean {
  return transact(personal, () => {
    if (!draft(personal, noteId)) return false;
    drafts(personal).delete(noteId);
    return true;
  });
}

/**
 * This person's drafts as notes (no author, no theme), in the order written. The lane is as
 * stored: the personal document does not know which lanes still exist.
 */
export function readDrafts(personal: Y.Doc): Note[] {
  return entries(drafts(personal))
    .map(([id, d]): Note => {
      const order = num(d, 'order');
      return {
        id: id as NoteId,
        boardId: str(d, 'boardId') as BoardId,
        laneId: optionalStr(d, 'laneId') as LaneId | null,
        text: str(d, 'text'),
        municipality: optionalStr(d, 'municipality'),
        colour: oneOf(d, 'colour', NOTE_COLOURS, 'yellow'),
        author: null,
        x: num(d, 'x'),
        y: num(d, 'y'),
        themeId: null,
        order,
        themeOrder: order,
      };
    })
    .sort(byOrder);
}

/**
 * Publishes every draft into the workshop as a note by `author` (a participant id, or per note,
 * e.g. an anonymous tag for each note's id), appended after the existing notes, in one transaction on `main`; then deletes the
 * published drafts in one transaction on `personal`. A draft whose board is gone goes to the
 * first needs board (without its lane), or stays a draft when there is none. Returns the ids of
 * the notes written.
 */
export function publishDrafts(
  main: Y.Doc,
  personal: Y.Doc,
  author: string | ((noteId: NoteId) => string),
): NoteId[] {
  const authorOf = typeof author === 'string' ? () => author : author;
  const reason = readOnlyReason(main);
  if (reason) throw new ReadOnlyDocumentError(reason.version);
  const pending = readDrafts(personal);
  if (pending.length === 0) return [];
  const boards = readBoards(main);
  const fallback = boards.find((board) => board.kind === 'needs');
  const published: NoteId[] = [];
  const done: NoteId[] = [];
  transact(main, () => {
    const { notes } = roots(main);
    let order = entries(notes).reduce((max, [, n]) => Math.max(max, num(n, 'order', -1)), -1) + 1;
    for (const d of pending) {
      // Already in the workshop: an earlier publish whose clean-up did not reach this copy.
      if (notes.has(d.id)) {
        done.push(d.id);
        continue;
      }
      const own = boards.find((board) => board.id === d.boardId);
      const board = own ?? fallback;
      if (!board) continue;
      const laneId = own && board.lanes.some((lane) => lane.id === d.laneId) ? d.laneId : null;
      const ids = addNotes(main, board.id, [
        {
          id: d.id,
          text: d.text,
          laneId,
          municipality: d.municipality,
          colour: d.colour,
          author: authorOf(d.id),
          x: d.x,
          y: d.y,
          order: order++,
        },
      ]);
      published.push(...ids);
      done.push(...ids);
    }
  });
  if (done.length > 0) {
    transact(personal, () => {
      for (const id of done) drafts(personal).delete(id);
    });
  }
  return published;
}

// ---- Ballots --------------------------------------------------------------------------------

/** The key of one ballot entry: dots on `targetId` in round `roundId`. Wire format: never change. */
export function ballotKey(roundId: RoundId | string, targetId: string): string {
  return `${roundId}${VOTE_KEY_SEPARATOR}${targetId}`;
}

/** The parts of a ballot key, or null when malformed. */
export function parseBallotKey(key: string): { roundId: RoundId; targetId: string } | null {
  const parts = key.split(VOTE_KEY_SEPARATOR);
  if (parts.length !== 2) return null;
  const [roundId, targetId] = parts as [string, string];
  if (!roundId || !targetId) return null;
  return { roundId: roundId as RoundId, targetId };
}

/** Sets this person's dots on a target in a round; 0 (or less) removes them. */
export function setBallot(personal: Y.Doc, roundId: RoundId, targetId: string, count: number): void {
  const dots = Number.isFinite(count) ? Math.max(0, Math.trunc(count)) : 0;
  transact(personal, () => {
    const key = ballotKey(roundId, targetId);
    if (dots === 0) ballots(personal).delete(key);
    else if (ballots(personal).get(key) !== dots) ballots(personal).set(key, dots);
  });
}

/** This person's dots in a round: target → count (positive integers only). */
export function readBallots(personal: Y.Doc, roundId: RoundId): Map<string, number> {
  const out = new Map<string, number>();
  const sorted = [...ballots(personal).entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  for (const [key, value] of sorted) {
    const parsed = parseBallotKey(key);
    const n = finite(value);
    if (!parsed || parsed.roundId !== roundId || n === undefined) continue;
    const dots = Math.floor(n);
    if (dots > 0) out.set(parsed.targetId, dots);
  }
  return out;
}

/** This person's dots in a round, in all and per target: what the server checks limits on. */
export function ballotTotals(
  personal: Y.Doc,
  roundId: RoundId,
): { total: number; perItem: Map<string, number> } {
  const perItem = readBallots(personal, roundId);
  let total = 0;
  for (const n of perItem.values()) total += n;
  return { total, perItem };
}

/**
 * Writes everyone's ballots of a round into the workshop's votes (voter: a participant id or an
 * anonymous tag), replacing the round's earlier votes, in one transaction. Entries whose voter
 * or target cannot form a vote key, and counts below one, are left out; dot limits are applied
 * when the votes are read. Returns how many vote keys were written.
 */
export function revealBallots(
  main: Y.Doc,
  roundId: RoundId,
  ballotsByVoter: ReadonlyMap<string, ReadonlyMap<string, number>>,
): number {
  const reason = readOnlyReason(main);
  if (reason) throw new ReadOnlyDocumentError(reason.version);
  const usable = (id: string): boolean => id !== '' && !id.includes(VOTE_KEY_SEPARATOR);
  return transact(main, () => {
    const { votes } = roots(main);
    const prefix = roundId + VOTE_KEY_SEPARATOR;
    for (const key of [...votes.keys()]) {
      if (key.startsWith(prefix)) votes.delete(key);
    }
    let written = 0;
    for (const [voter, targets] of ballotsByVoter) {
      if (!usable(voter)) continue;
      for (const [target, count] of targets) {
        const dots = Number.isFinite(count) ? Math.trunc(count) : 0;
        if (!usable(target) || dots <= 0) continue;
        votes.set(voteKey(roundId, voter, target), dots);
        written++;
      }
    }
    return written;
  });
}
