import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { BoardId, LaneId, NoteId, RoundId } from '../ids';
import { anonymousTag, isAnonymousTag } from './authorship';
import {
  addDraft,
  ballotKey,
  ballotTotals,
  deleteDraft,
  moveDraft,
  parseBallotKey,
  publishDrafts,
  readBallots,
  readDrafts,
  revealBallots,
  setBallot,
  setDraftText,
} from './personal';
import { readWorkshop } from './read';
import { tallyRound } from './votes';
import { addLane, addNote, openVoteRound } from './write';
import { needs, newWorkshop } from './test-workshop';

const round = 'round-1' as RoundId;

describe('drafts', () => {
  it('adds, edits, moves and deletes drafts', () => {
    const personal = new Y.Doc();
    const lane = 'lane-1' as LaneId;
    const first = addDraft(personal, needs, { text: 'Tilat', laneId: lane, colour: 'green', x: 10, y: 20 });
    const second = addDraft(personal, needs, { text: 'Aika', municipality: 'Espoo' });
    expect(setDraftText(personal, first, 'Tilat puuttuvat')).toBe(true);
    expect(moveDraft(personal, second, 5, 6, null)).toBe(true);
    expect(readDrafts(personal)).toEqual([
      expect.objectContaining({
        id: first,
        boardId: needs,
        laneId: lane,
        text: 'Tilat puuttuvat',
        colour: 'green',
        x: 10,
        y: 20,
        order: 0,
        author: null,
        themeId: null,
      }),
      expect.objectContaining({ id: second, municipality: 'Espoo', x: 5, y: 6, laneId: null, order: 1 }),
    ]);
    expect(deleteDraft(personal, first)).toBe(true);
    expect(deleteDraft(personal, first)).toBe(false);
    expect(setDraftText(personal, first, 'x')).toBe(false);
    expect(readDrafts(personal).map((d) => d.id)).toEqual([second]);
  });

  it('reads malformed drafts with defaults', () => {
    const personal = new Y.Doc();
    const drafts = personal.getMap('drafts');
    const bad = new Y.Map<unknown>();
    drafts.set('bad', bad);
    bad.set('text', 3);
    bad.set('colour', 'gold');
    bad.set('x', 'left');
    drafts.set('junk', 'junk');
    expect(readDrafts(personal)).toEqual([
      expect.objectContaining({ id: 'bad', text: '', colour: 'yellow', x: 0, boardId: '' }),
    ]);
  });

  it('publishes drafts into the workshop with their author and clears them', () => {
    const main = newWorkshop();
    const lane = addLane(main, needs, 'Asukkaat')!;
    addNote(main, needs, { text: 'already there' });
    const personal = new Y.Doc();
    const a = addDraft(personal, needs, { text: 'Tilat', laneId: lane, colour: 'pink', x: 1, y: 2 });
    const b = addDraft(personal, needs, { text: 'Aika', municipality: 'Vantaa' });
    const published = publishDrafts(main, personal, 'alice');
    expect(published).toEqual([a, b]);
    const notes = readWorkshop(main).notes;
    expect(notes.map((n) => n.text)).toEqual(['already there', 'Tilat', 'Aika']);
    expect(notes[1]).toMatchObject({ id: a, laneId: lane, colour: 'pink', x: 1, y: 2, author: 'alice' });
    expect(notes[2]).toMatchObject({ id: b, municipality: 'Vantaa', author: 'alice' });
    expect(readDrafts(personal)).toEqual([]);
  });

  it('publishes each note under its own author when given one per note', () => {
    const main = newWorkshop();
    const personal = new Y.Doc();
    const a = addDraft(personal, needs, { text: 'a' });
    const b = addDraft(personal, needs, { text: 'b' });
    publishDrafts(main, personal, (noteId) => anonymousTag('secret', noteId));
    const authors = readWorkshop(main).notes.map((n) => n.author);
    expect(authors).toEqual([anonymousTag('secret', a), anonymousTag('secret', b)]);
    expect(authors[0]).not.toBe(authors[1]);
  });

  it('publishes in one transaction on each document', () => {
    const main = newWorkshop();
    const personal = new Y.Doc();
    addDraft(personal, needs, { text: 'a' });
    addDraft(personal, needs, { text: 'b' });
    let mainUpdates = 0;
    let personalUpdates = 0;
    main.on('update', () => mainUpdates++);
    personal.on('update', () => personalUpdates++);
    publishDrafts(main, personal, 'alice');
    expect([mainUpdates, personalUpdates]).toEqual([1, 1]);
  });

  it('moves a draft whose board is gone to the first needs board, or keeps it', () => {
    const main = newWorkshop();
    const personal = new Y.Doc();
    const lost = addDraft(personal, 'deleted-board' as BoardId, {
      text: 'orphan',
      laneId: 'old-lane' as LaneId,
    });
    expect(publishDrafts(main, personal, 'bob')).toEqual([lost]);
    expect(readWorkshop(main).notes[0]).toMatchObject({ id: lost, boardId: needs, laneId: null });

    const empty = new Y.Doc();
    const kept = addDraft(personal, 'deleted-board' as BoardId, { text: 'stays' });
    expect(publishDrafts(empty, personal, 'bob')).toEqual([]);
    expect(readDrafts(personal).map((d) => d.id)).toEqual([kept]);
  });

  it('does not publish a draft twice when its note is already in the workshop', () => {
    const main = newWorkshop();
    const personal = new Y.Doc();
    const id = addDraft(personal, needs, { text: 'once' });
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(personal));
    publishDrafts(main, personal, 'alice');
    // A stale copy of the personal document still holds the draft.
    expect(publishDrafts(main, copy, 'alice')).toEqual([]);
    expect(readWorkshop(main).notes.map((n) => n.id)).toEqual([id]);
    expect(readDrafts(copy)).toEqual([]);
  });
});

describe('ballots', () => {
  it('keys ballots by round and target', () => {
    expect(ballotKey(round, 'note-1')).toBe('round-1|note-1');
    expect(parseBallotKey('round-1|note-1')).toEqual({ roundId: 'round-1', targetId: 'note-1' });
    expect(parseBallotKey('round-1')).toBeNull();
    expect(parseBallotKey('a|b|c')).toBeNull();
    expect(parseBallotKey('|b')).toBeNull();
  });

  it('sets, reads and totals ballots', () => {
    const personal = new Y.Doc();
    setBallot(personal, round, 'n1', 2);
    setBallot(personal, round, 'n2', 1);
    setBallot(personal, 'other' as RoundId, 'n1', 5);
    setBallot(personal, round, 'n2', 0);
    setBallot(personal, round, 'n3', 3);
    expect(readBallots(personal, round)).toEqual(
      new Map([
        ['n1', 2],
        ['n3', 3],
      ]),
    );
    expect(personal.getMap('ballots').has('round-1|n2')).toBe(false);
    expect(ballotTotals(personal, round)).toEqual({
      total: 5,
      perItem: new Map([
        ['n1', 2],
        ['n3', 3],
      ]),
    });
    personal.getMap('ballots').set('round-1|n4', 'many');
    personal.getMap('ballots').set('round-1|n5', -2);
    expect(ballotTotals(personal, round).total).toBe(5);
  });

  it('reveals ballots as votes in one transaction, replacing older ones of the round', () => {
    const main = newWorkshop();
    const [n1, n2] = ['a', 'b'].map((text) => addNote(main, needs, { text })!) as [NoteId, NoteId];
    const id = openVoteRound(main, { target: 'notes', dotsPerPerson: 3, id: round });
    const other = openVoteRound(main, { target: 'notes', dotsPerPerson: 3 });
    main.getMap('votes').set(`${id}|stale|${n1}`, 3);
    main.getMap('votes').set(`${other}|keep|${n1}`, 1);
    let updates = 0;
    main.on('update', () => updates++);
    const tag = anonymousTag('secret', 'alice');
    revealBallots(
      main,
      id,
      new Map([
        ['alice', new Map([[n1, 2]])],
        [
          tag,
          new Map([
            [n1, 1],
            [n2, 2],
          ]),
        ],
      ]),
    );
    expect(updates).toBe(1);
    expect(main.getMap('votes').has(`${id}|stale|${n1}`)).toBe(false);
    expect(main.getMap('votes').get(`${other}|keep|${n1}`)).toBe(1);
    expect(tallyRound(main, id)!.ranking).toEqual([
      { target: n1, count: 3 },
      { target: n2, count: 2 },
    ]);
    expect(tallyRound(main, id)!.entries.map((e) => e.participant as string)).toContain(tag);
  });

  it('leaves out ballots that cannot form a vote', () => {
    const main = newWorkshop();
    const note = addNote(main, needs, { text: 'a' })!;
    const id = openVoteRound(main, { target: 'notes', dotsPerPerson: 0, id: round });
    const written = revealBallots(
      main,
      id,
      new Map([
        ['bad|voter', new Map([[note, 1]])],
        ['', new Map([[note, 1]])],
        [
          'bob',
          new Map([
            [note, 0],
            ['x|y', 2],
          ]),
        ],
        ['dave', new Map([[note, Number.NaN]])],
        ['carol', new Map([[note, 2.9]])],
      ]),
    );
    expect(written).toBe(1);
    expect([...main.getMap('votes').entries()]).toEqual([[`${id}|carol|${note}`, 2]]);
  });
});

describe('anonymous tags', () => {
  it('is HMAC-SHA256 in base64url, cut to 22 characters', () => {
    for (const [key, item] of [
      ['server-secret', 'note-1'],
      ['', ''],
      ['ä€😀', 'a'.repeat(200)],
      ['k'.repeat(100), 'theme'],
    ] as const) {
      const expected = createHmac('sha256', Buffer.from(key, 'utf8'))
        .update(Buffer.from(item, 'utf8'))
        .digest('base64url')
        .slice(0, 22);
      expect(anonymousTag(key, item)).toBe(`anon:${expected}`);
    }
  });

  it('recognises tags', () => {
    expect(isAnonymousTag(anonymousTag('k', 'x'))).toBe(true);
    expect(isAnonymousTag('alice')).toBe(false);
    expect(isAnonymousTag('anon:short')).toBe(false);
    expect(isAnonymousTag('anon:' + '+'.repeat(22))).toBe(false);
  });
});
