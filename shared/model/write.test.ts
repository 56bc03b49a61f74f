import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { NoteId, ThemeId } from '../ids';
import { LEGACY_LINE } from './schema';
import { readWorkshop } from './read';
import { createUndoManager } from './undo';
import { dotsLeft, tallyRound } from './votes';
import {
  addAction,
  addLane,
  addNote,
  addNotesFromLines,
  addVote,
  createTheme,
  deleteAction,
  deleteLane,
  deleteNotes,
  deleteTheme,
  InvalidValueError,
  linkActionTheme,
  mergeThemes,
  moveLane,
  moveNote,
  moveNotesToLane,
  moveNoteToTheme,
  moveNotesToTheme,
  moveTheme,
  openVoteRound,
  placeNotes,
  ReadOnlyDocumentError,
  recolourTheme,
  renameLane,
  renameTheme,
  setActionDescription,
  setActionOrder,
  setActionTitle,
  setFollow,
  setLocked,
  setMunicipalities,
  setNoteColour,
  setNoteMunicipality,
  setNoteText,
  setPrivateWriting,
  setRoundState,
  setVote,
  setWorkshopLocale,
  setWorkshopTitle,
  startTimer,
  stopTimer,
  unlinkActionTheme,
  updateAction,
  upsertParticipant,
} from './write';
import { needs, alice, bob, newWorkshop } from './test-workshop';

describe('workshop and boards', () => {
  it('creates meta and the three method boards in order', () => {
    const w = readWorkshop(newWorkshop());
    expect(w.meta).toEqual({
      schemaVersion: 1,
      title: 'Työpaja',
      language: 'fi',
      currency: 'EUR',
      created: '2026-11-22T10:00:00.000Z',
    });
    expect(w.boards.map((b) => [b.kind, b.title])).toEqual([
      ['needs', 'Tarpeet'],
      ['themes', 'Teemat'],
      ['actions', 'Toimenpiteet'],
    ]);
    expect(w.readOnly).toBeNull();
  });

  it('renames the workshop and changes its language and currency', () => {
    const doc = newWorkshop();
    setWorkshopTitle(doc, 'Ny titel');
    setWorkshopLocale(doc, 'sv', 'SEK');
    expect(readWorkshop(doc).meta).toMatchObject({ title: 'Ny titel', language: 'sv', currency: 'SEK' });
  });

  it('keeps municipality tags on the needs board', () => {
    const doc = newWorkshop();
    expect(setMunicipalities(doc, needs, ['Mikkeli', 'Juva'])).toBe(true);
    expect(readWorkshop(doc).boards[0]?.municipalities).toEqual(['Mikkeli', 'Juva']);
  });
});

describe('lanes', () => {
  it('adds, renames, reorders and deletes stakeholder lanes', () => {
    const doc = newWorkshop();
    const a = addLane(doc, needs, 'Kunnat')!;
    const b = addLane(doc, needs, 'Yhdistykset')!;
    const c = addLane(doc, needs, 'Nuoret')!;
    renameLane(doc, needs, b, 'Kuntalaiset ja yhdistykset');
    moveLane(doc, needs, c, 0);
    expect(readWorkshop(doc).boards[0]?.lanes.map((l) => l.title)).toEqual([
      'Nuoret',
      'Kunnat',
      'Kuntalaiset ja yhdistykset',
    ]);
    const note = addNote(doc, needs, { text: 'Tila puuttuu', laneId: a })!;
    deleteLane(doc, needs, a);
    const w = readWorkshop(doc);
    expect(w.boards[0]?.lanes.map((l) => l.id)).toEqual([c, b]);
    // The note survives its lane and reads as "no lane".
    expect(w.notes.find((n) => n.id === note)?.laneId).toBeNull();
  });

  it('refuses lanes on a board that does not exist', () => {
    const doc = newWorkshop();
    expect(addLane(doc, 'nope' as never, 'X')).toBeNull();
  });
});

describe('notes', () => {
  it('adds a note with text, lane, municipality and colour, and edits each', () => {
    const doc = newWorkshop();
    const lane = addLane(doc, needs, 'Kunnat')!;
    const other = addLane(doc, needs, 'Yhdistykset')!;
    const id = addNote(doc, needs, { text: 'Vertaistukea', laneId: lane, municipality: 'Juva' })!;
    setNoteText(doc, id, 'Vertaistukea kaivataan');
    setNoteColour(doc, id, 'green');
    setNoteMunicipality(doc, id, 'Mikkeli');
    moveNote(doc, id, 120, 40);
    moveNotesToLane(doc, [id], other);
    expect(readWorkshop(doc).notes).toEqual([
      expect.objectContaining({
        id,
        text: 'Vertaistukea kaivataan',
        colour: 'green',
        municipality: 'Mikkeli',
        x: 120,
        y: 40,
        laneId: other,
        themeId: null,
      }),
    ]);
  });

  it('places dragged notes in another lane, keeping their order, in one undo step', () => {
    const doc = newWorkshop();
    const undo = createUndoManager(doc);
    const from = addLane(doc, needs, 'Kunnat')!;
    const to = addLane(doc, needs, 'Yhdistykset')!;
    const a = addNote(doc, needs, { text: 'a', laneId: from, y: 0 })!;
    const b = addNote(doc, needs, { text: 'b', laneId: from, y: 1 })!;
    addNote(doc, needs, { text: 'c', laneId: to, y: 5 });
    undo.stopCapturing();
    expect(placeNotes(doc, [b, a], to, 2)).toBe(2);
    const inLane = (lane: string) =>
      readWorkshop(doc)
        .notes.filter((n) => n.laneId === lane)
        .sort((x, y) => x.y - y.y)
        .map((n) => n.text);
    expect(inLane(to)).toEqual(['b', 'a', 'c']);
    expect(inLane(from)).toEqual([]);
    undo.undo();
    expect(inLane(from)).toEqual(['a', 'b']);
  });

  it('turns a paste of many lines into one note per non-empty line', () => {
    const doc = newWorkshop();
    const ids = addNotesFromLines(doc, needs, 'Ensimmäinen\n\n  Toinen  \r\nKolmas\n');
    expect(ids).toHaveLength(3);
    expect(readWorkshop(doc).notes.map((n) => n.text)).toEqual(['Ensimmäinen', 'Toinen', 'Kolmas']);
  });

  it('deletes notes, and undo brings them back', () => {
    const doc = newWorkshop();
    const undo = createUndoManager(doc);
    const id = addNote(doc, needs, { text: 'Poistettava' })!;
    undo.stopCapturing();
    expect(deleteNotes(doc, [id])).toBe(1);
    expect(readWorkshop(doc).notes).toHaveLength(0);
    undo.undo();
    expect(readWorkshop(doc).notes.map((n) => n.text)).toEqual(['Poistettava']);
  });

  it('ignores edits of a note that no longer exists', () => {
    const doc = newWorkshop();
    expect(setNoteText(doc, 'gone' as never, 'x')).toBe(false);
    expect(moveNote(doc, 'gone' as never, 1, 1)).toBe(false);
  });
});

describe('themes', () => {
  it('creates, renames, recolours and moves a theme and lists its notes once', () => {
    const doc = newWorkshop();
    const n1 = addNote(doc, needs, { text: 'a' })!;
    const n2 = addNote(doc, needs, { text: 'b' })!;
    const t = createTheme(doc, { title: 'Samverkan' });
    moveNoteToTheme(doc, n2, t);
    moveNoteToTheme(doc, n1, t);
    moveNoteToTheme(doc, n1, t);
    renameTheme(doc, t, 'Samverkan och nätverk');
    recolourTheme(doc, t, 'pink');
    moveTheme(doc, t, 300, 200);
    expect(readWorkshop(doc).themes).toEqual([
      expect.objectContaining({
        id: t,
        title: 'Samverkan och nätverk',
        colour: 'pink',
        x: 300,
        y: 200,
        noteIds: [n2, n1],
      }),
    ]);
  });

  it('moving a note to another theme takes it out of the first', () => {
    const doc = newWorkshop();
    const n = addNote(doc, needs, { text: 'a' })!;
    const t1 = createTheme(doc, { title: 'Yksi' });
    const t2 = createTheme(doc, { title: 'Kaksi' });
    moveNoteToTheme(doc, n, t1);
    moveNoteToTheme(doc, n, t2);
    const w = readWorkshop(doc);
    expect(w.themes.map((t) => t.noteIds)).toEqual([[], [n]]);
    moveNoteToTheme(doc, n, null);
    expect(readWorkshop(doc).notes[0]?.themeId).toBeNull();
  });

  it('moves several notes into a theme in order, in one undo step', () => {
    const doc = newWorkshop();
    const undo = createUndoManager(doc);
    const [a, b, c] = ['a', 'b', 'c'].map((text) => addNote(doc, needs, { text })!);
    const theme = createTheme(doc, { title: 'T' });
    moveNoteToTheme(doc, a!, theme);
    undo.stopCapturing();
    expect(moveNotesToTheme(doc, [c!, b!], theme, -1)).toBe(2);
    expect(readWorkshop(doc).themes[0]?.noteIds).toEqual([c, b, a]);
    undo.undo();
    expect(readWorkshop(doc).themes[0]?.noteIds).toEqual([a]);
  });

  it('refuses to move a note into a theme that does not exist', () => {
    const doc = newWorkshop();
    const n = addNote(doc, needs, { text: 'a' })!;
    expect(moveNoteToTheme(doc, n, 'missing' as ThemeId)).toBe(false);
    expect(readWorkshop(doc).notes[0]?.themeId).toBeNull();
  });

  it('deleting a theme returns its notes to unsorted and keeps them', () => {
    const doc = newWorkshop();
    const n = addNote(doc, needs, { text: 'a' })!;
    const t = createTheme(doc, { title: 'T' });
    moveNoteToTheme(doc, n, t);
    const action = addAction(doc, { title: 'Act', themeIds: [t] });
    deleteTheme(doc, t);
    const w = readWorkshop(doc);
    expect(w.themes).toEqual([]);
    expect(w.notes).toEqual([expect.objectContaining({ id: n, themeId: null })]);
    expect(w.actions.find((a) => a.id === action)?.themeIds).toEqual([]);
  });

  it('merging themes moves notes and action links to the target', () => {
    const doc = newWorkshop();
    const n1 = addNote(doc, needs, { text: 'a' })!;
    const n2 = addNote(doc, needs, { text: 'b' })!;
    const source = createTheme(doc, { title: 'Source' });
    const target = createTheme(doc, { title: 'Target' });
    moveNoteToTheme(doc, n1, target);
    moveNoteToTheme(doc, n2, source);
    const action = addAction(doc, { title: 'A', themeIds: [source] });
    expect(mergeThemes(doc, source, target)).toBe(true);
    const w = readWorkshop(doc);
    expect(w.themes.map((t) => [t.id, t.noteIds])).toEqual([[target, [n1, n2]]]);
    expect(w.actions.find((a) => a.id === action)?.themeIds).toEqual([target]);
    expect(mergeThemes(doc, target, target)).toBe(false);
  });
});

describe('actions', () => {
  it('adds an action with every field and edits each', () => {
    const doc = newWorkshop();
    const t1 = createTheme(doc, { title: 'Yksi' });
    const t2 = createTheme(doc, { title: 'Kaksi' });
    const id = addAction(doc, {
      title: 'Kiertue',
      description: 'Yhteishankinta',
      themeIds: [t2],
      owner: 'Mikkeli',
      partners: ['Juva'],
      start: '2026-01',
      end: '2026-06',
      budgetCents: 1_250_050,
      funding: 'Hanke',
      indicator: 'Esitykset',
      status: 'planned',
    });
    linkActionTheme(doc, id, t1);
    updateAction(doc, id, { owner: 'Savonlinna', status: 'ongoing', budgetCents: 99, end: '2026-12' });
    setActionTitle(doc, id, 'Yhteinen kiertue');
    setActionDescription(doc, id, 'Yhteishankinta esiintyjistä');
    expect(readWorkshop(doc).actions[0]).toEqual({
      id,
      title: 'Yhteinen kiertue',
      description: 'Yhteishankinta esiintyjistä',
      themeIds: [t2, t1],
      owner: 'Savonlinna',
      partners: ['Juva'],
      start: '2026-01',
      end: '2026-12',
      budgetCents: 99,
      funding: 'Hanke',
      split: [{ id: LEGACY_LINE, source: 'Hanke', cents: 99, order: -1 }],
      workPackageId: null,
      objectiveIds: [],
      indicator: 'Esitykset',
      status: 'ongoing',
      order: 0,
      author: null,
    });
    unlinkActionTheme(doc, id, t2);
    expect(readWorkshop(doc).actions[0]?.themeIds).toEqual([t1]);
  });

  it('rejects fractional cents, malformed months and an end before the start', () => {
    const doc = newWorkshop();
    expect(() => addAction(doc, { title: 'x', budgetCents: 10.5 })).toThrow(InvalidValueError);
    expect(() => addAction(doc, { title: 'x', start: '2026-13' })).toThrow(/start: must be a month/);
    expect(() => addAction(doc, { title: 'x', start: '2026-05', end: '2026-04' })).toThrow(
      /before the start/,
    );
    expect(readWorkshop(doc).actions).toEqual([]);
  });

  it('refuses one month that would put the end before the stored start, and writes nothing', () => {
    const doc = newWorkshop();
    const id = addAction(doc, { title: 'x', start: '2026-05', end: '2026-08', owner: 'Juva' });
    expect(() => updateAction(doc, id, { end: '2026-04', owner: 'Mikkeli' })).toThrow(
      /before the start 2026-05/,
    );
    expect(() => updateAction(doc, id, { start: '2026-09' })).toThrow(/2026-08 is before the start 2026-09/);
    expect(readWorkshop(doc).actions[0]).toMatchObject({ start: '2026-05', end: '2026-08', owner: 'Juva' });
    updateAction(doc, id, { start: '2026-09', end: '2026-12' });
    expect(readWorkshop(doc).actions[0]).toMatchObject({ start: '2026-09', end: '2026-12' });
  });

  it('orders and deletes actions', () => {
    const doc = newWorkshop();
    const a = addAction(doc, { title: 'A' });
    const b = addAction(doc, { title: 'B' });
    setActionOrder(doc, b, -1);
    expect(readWorkshop(doc).actions.map((x) => x.title)).toEqual(['B', 'A']);
    deleteAction(doc, a);
    expect(readWorkshop(doc).actions.map((x) => x.title)).toEqual(['B']);
  });
});

describe('votes', () => {
  it('limits dots per person and per item when reading, and ranks the result', () => {
    const doc = newWorkshop();
    const n1 = addNote(doc, needs, { text: 'a', id: 'n1' as NoteId })!;
    const n2 = addNote(doc, needs, { text: 'b', id: 'n2' as NoteId })!;
    const round = openVoteRound(doc, { target: 'notes', dotsPerPerson: 3, maxPerItem: 2 });
    setVote(doc, round, alice, n1, 5); // capped to 2 per item
    setVote(doc, round, alice, n2, 2); // only 1 dot left of 3
    addVote(doc, round, bob, n2);
    addVote(doc, round, bob, n2);
    addVote(doc, round, bob, n2, -1);
    const tally = tallyRound(doc, round)!;
    // Limits apply in target-id order: n1 takes 2 (capped from 5), n2 gets the 1 dot left.
    expect(tally.entries).toEqual([
      { participant: alice, target: n1, count: 2 },
      { participant: alice, target: n2, count: 1 },
      { participant: bob, target: n2, count: 1 },
    ]);
    expect(tally.ranking).toEqual([
      { target: n1, count: 2 },
      { target: n2, count: 2 },
    ]);
    expect(dotsLeft(doc, round, alice)).toBe(0);
    expect(dotsLeft(doc, round, bob)).toBe(2);
    expect(tally.ranking.reduce((s, r) => s + r.count, 0)).toBe(4);
  });

  it('shows dots in the read model only once their round is revealed', () => {
    const doc = newWorkshop();
    const n = addNote(doc, needs, { text: 'a', id: 'n1' as NoteId })!;
    const round = openVoteRound(doc, { target: 'notes', dotsPerPerson: 3 });
    setVote(doc, round, alice, n, 2);
    setVote(doc, round, bob, n, 1);
    expect(readWorkshop(doc).revealedVotes.notes).toEqual({});
    setRoundState(doc, round, 'revealed');
    expect(readWorkshop(doc).revealedVotes).toEqual({ notes: { n1: 3 }, themes: {} });
  });

  it('accepts no dots once a round is revealed', () => {
    const doc = newWorkshop();
    const n = addNote(doc, needs, { text: 'a' })!;
    const round = openVoteRound(doc, { target: 'notes', dotsPerPerson: 3 });
    setRoundState(doc, round, 'revealed');
    expect(setVote(doc, round, alice, n, 1)).toBe(false);
    expect(tallyRound(doc, round)?.round.state).toBe('revealed');
    expect(readWorkshop(doc).facilitation.activeRoundId).toBe(round);
  });

  it('drops dots on deleted notes from the tally', () => {
    const doc = newWorkshop();
    const n = addNote(doc, needs, { text: 'a' })!;
    const round = openVoteRound(doc, { target: 'notes', dotsPerPerson: 0 });
    setVote(doc, round, alice, n, 3);
    deleteNotes(doc, [n]);
    expect(tallyRound(doc, round)?.ranking).toEqual([]);
  });
});

describe('participants and facilitation', () => {
  it('keeps the roster, timer, private writing, lock and follow target', () => {
    const doc = newWorkshop();
    upsertParticipant(doc, alice, { name: 'Aino', colour: '#1D5FD1', role: 'facilitator' });
    upsertParticipant(doc, alice, { name: 'Aino K.', colour: '#1D5FD1', role: 'facilitator' });
    startTimer(doc, 300_000, 1_000);
    setPrivateWriting(doc, true);
    setLocked(doc, true);
    setFollow(doc, alice);
    let w = readWorkshop(doc);
    expect(w.participants).toEqual([{ id: alice, name: 'Aino K.', colour: '#1D5FD1', role: 'facilitator' }]);
    expect(w.facilitation).toMatchObject({
      timer: { endsAt: 301_000, durationMs: 300_000 },
      privateWriting: true,
      locked: true,
      followParticipantId: alice,
    });
    stopTimer(doc);
    setFollow(doc, null);
    w = readWorkshop(doc);
    expect(w.facilitation.timer.endsAt).toBeNull();
    expect(w.facilitation.followParticipantId).toBeNull();
  });
});

describe('undo per user', () => {
  it("undoes my changes and leaves another replica's notes alone", () => {
    const mine = newWorkshop();
    const theirs = new Y.Doc();
    Y.applyUpdate(theirs, Y.encodeStateAsUpdate(mine));
    const undo = createUndoManager(mine);
    mine.on(
      'update',
      (u: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(theirs, u, 'remote'),
    );
    theirs.on(
      'update',
      (u: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(mine, u, 'remote'),
    );
    addNote(mine, needs, { text: 'mine' });
    addNote(theirs, needs, { text: 'theirs' });
    undo.undo();
    expect(readWorkshop(mine).notes.map((n) => n.text)).toEqual(['theirs']);
    expect(readWorkshop(theirs).notes.map((n) => n.text)).toEqual(['theirs']);
  });
});

describe('untrusted values', () => {
  it('reads malformed values with defaults instead of crashing', () => {
    const doc = newWorkshop();
    const notes = doc.getMap('notes');
    const bad = new Y.Map<unknown>();
    notes.set('bad', bad);
    bad.set('text', 42);
    bad.set('colour', 'chartreuse');
    bad.set('x', 'far');
    bad.set('themeId', { evil: true });
    notes.set('not-a-map', 'junk');
    const actions = doc.getMap('actions');
    const a = new Y.Map<unknown>();
    actions.set('a', a);
    a.set('budgetCents', 12.5);
    a.set('start', 'soon');
    a.set('status', 'maybe');
    a.set('partners', ['ok', 3, null]);
    const w = readWorkshop(doc);
    expect(w.notes).toEqual([
      expect.objectContaining({ id: 'bad', text: '', colour: 'yellow', x: 0, themeId: null }),
    ]);
    expect(w.actions[0]).toMatchObject({ budgetCents: 0, start: null, status: 'planned', partners: ['ok'] });
  });

  it('opens a document from a newer schema read-only and refuses writes', () => {
    const doc = newWorkshop();
    doc.getMap('meta').set('schemaVersion', 99);
    expect(readWorkshop(doc).readOnly).toEqual({ kind: 'newer-schema', version: 99 });
    expect(() => addNote(doc, needs, { text: 'x' })).toThrow(ReadOnlyDocumentError);
  });
});
