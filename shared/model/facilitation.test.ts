import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { NoteId, RoundId } from '../ids';
import { readFacilitation, readWorkshop, timerState } from './read';
import { rankTally, readRounds, tallyRound } from './votes';
import { DEFAULT_RULES, PHASES } from './schema';
import {
  addAction,
  addNote,
  createTheme,
  deleteNotes,
  extendTimer,
  openVoteRound,
  pauseTimer,
  resumeTimer,
  setAnonymous,
  setBoardLocked,
  setPhase,
  setRoundState,
  setRules,
  setSpotlight,
  setTimerSound,
  setVote,
  startTimer,
  stopTimer,
  summonEveryone,
  TEMPLATE_BOARD_IDS,
  writeProgress,
} from './write';
import { needs, alice, bob, newWorkshop } from './test-workshop';

/** Two replicas of one workshop that exchange updates only when `sync` is called. */
function replicas(): [Y.Doc, Y.Doc, () => void] {
  const a = newWorkshop();
  const b = new Y.Doc();
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  const sync = () => {
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
  };
  return [a, b, sync];
}

describe('timer', () => {
  it('runs, pauses, resumes, extends and stops in server time', () => {
    const doc = newWorkshop();
    expect(timerState(readFacilitation(doc).timer, 0)).toEqual({ state: 'stopped', remainingMs: 0 });

    startTimer(doc, 60_000, 1_000);
    let timer = readFacilitation(doc).timer;
    expect(timer).toEqual({ endsAt: 61_000, durationMs: 60_000, remainingMs: null });
    expect(timerState(timer, 11_000)).toEqual({ state: 'running', remainingMs: 50_000 });

    expect(pauseTimer(doc, 11_000)).toBe(true);
    timer = readFacilitation(doc).timer;
    expect(timer).toEqual({ endsAt: null, durationMs: 60_000, remainingMs: 50_000 });
    // A paused timer does not run down, however late it is read.
    expect(timerState(timer, 999_000)).toEqual({ state: 'paused', remainingMs: 50_000 });
    expect(pauseTimer(doc, 12_000)).toBe(false);

    expect(extendTimer(doc, 30_000, 20_000)).toBe(true);
    expect(readFacilitation(doc).timer).toEqual({ endsAt: null, durationMs: 90_000, remainingMs: 80_000 });

    expect(resumeTimer(doc, 100_000)).toBe(true);
    timer = readFacilitation(doc).timer;
    expect(timer).toEqual({ endsAt: 180_000, durationMs: 90_000, remainingMs: null });
    expect(resumeTimer(doc, 100_000)).toBe(false);

    expect(extendTimer(doc, 60_000, 110_000)).toBe(true);
    timer = readFacilitation(doc).timer;
    expect(timer.endsAt).toBe(240_000);
    expect(timer.durationMs).toBe(150_000);
    expect(timerState(timer, 240_000)).toEqual({ state: 'ended', remainingMs: 0 });

    stopTimer(doc);
    timer = readFacilitation(doc).timer;
    expect(timer).toEqual({ endsAt: null, durationMs: 150_000, remainingMs: null });
    expect(timerState(timer, 0).state).toBe('stopped');
    expect(extendTimer(doc, 60_000, 0)).toBe(false);
    expect(resumeTimer(doc, 0)).toBe(false);
  });

  it('extends an ended timer from now, not from the past', () => {
    const doc = newWorkshop();
    startTimer(doc, 60_000, 0);
    extendTimer(doc, 30_000, 100_000);
    expect(timerState(readFacilitation(doc).timer, 100_000)).toEqual({
      state: 'running',
      remainingMs: 30_000,
    });
  });

  it('starting again clears a pause', () => {
    const doc = newWorkshop();
    startTimer(doc, 60_000, 0);
    pauseTimer(doc, 10_000);
    startTimer(doc, 5_000, 20_000);
    expect(readFacilitation(doc).timer).toEqual({ endsAt: 25_000, durationMs: 5_000, remainingMs: null });
  });

  it('ends in a valid state when one replica extends while another pauses or stops', () => {
    for (const other of ['pause', 'stop', 'resume'] as const) {
      const [a, b, sync] = replicas();
      startTimer(a, 60_000, 0);
      if (other === 'resume') pauseTimer(a, 1_000);
      sync();
      extendTimer(a, 30_000, 2_000);
      if (other === 'pause') pauseTimer(b, 2_000);
      if (other === 'stop') stopTimer(b);
      if (other === 'resume') resumeTimer(b, 2_000);
      sync();
      const ta = readFacilitation(a).timer;
      expect(readFacilitation(b).timer).toEqual(ta);
      const { state, remainingMs } = timerState(ta, 2_000);
      expect(['stopped', 'running', 'paused', 'ended']).toContain(state);
      expect(remainingMs).toBeGreaterThanOrEqual(0);
      // Never both running and paused.
      expect(ta.endsAt === null || ta.remainingMs === null).toBe(true);
    }
  });

  it('reads malformed timers as stopped or with defaults', () => {
    const doc = newWorkshop();
    const f = doc.getMap('facilitation');
    const timer = new Y.Map<unknown>();
    f.set('timer', timer);
    timer.set('endsAt', 'soon');
    timer.set('remainingMs', -5);
    timer.set('durationMs', Infinity);
    expect(readFacilitation(doc).timer).toEqual({ endsAt: null, durationMs: 0, remainingMs: 0 });
    f.set('timer', 'junk');
    expect(readFacilitation(doc).timer).toEqual({ endsAt: null, durationMs: 0, remainingMs: null });
    f.set('timerSound', 'yes');
    expect(readFacilitation(doc).timerSound).toBe(false);
    setTimerSound(doc, true);
    expect(readFacilitation(doc).timerSound).toBe(true);
  });
});

describe('facilitation state', () => {
  it('starts with defaults', () => {
    const f = readFacilitation(new Y.Doc());
    expect(f).toMatchObject({
      phase: 'needs',
      timerSound: false,
      lockedBoards: [],
      summon: null,
      spotlight: null,
      rules: DEFAULT_RULES,
      anonymous: false,
      progress: {},
    });
    expect(DEFAULT_RULES).toEqual({ editOthers: true, addThemes: true, addActions: true });
    expect(PHASES).toEqual(['needs', 'themes', 'actions']);
  });

  it('keeps phase, locked boards, rules and anonymity', () => {
    const doc = newWorkshop();
    setPhase(doc, 'themes');
    setBoardLocked(doc, needs, true);
    setBoardLocked(doc, TEMPLATE_BOARD_IDS.actions, true);
    setBoardLocked(doc, TEMPLATE_BOARD_IDS.actions, false);
    setRules(doc, { editOthers: false });
    setRules(doc, { addActions: false });
    setAnonymous(doc, true);
    const f = readFacilitation(doc);
    expect(f.phase).toBe('themes');
    expect(f.lockedBoards).toEqual([needs]);
    expect(f.rules).toEqual({ editOthers: false, addThemes: true, addActions: false });
    expect(f.anonymous).toBe(true);
  });

  it('summons everyone with a new id each time', () => {
    const doc = newWorkshop();
    const first = summonEveryone(doc, needs, 'Aino', 5_000);
    expect(readFacilitation(doc).summon).toEqual({ id: first, boardId: needs, by: 'Aino', at: 5_000 });
    const second = summonEveryone(doc, needs, 'Aino', 6_000);
    expect(second).not.toBe(first);
    expect(readFacilitation(doc).summon?.id).toBe(second);
  });

  it('spotlights a note or a theme, and forgets one that is gone', () => {
    const doc = newWorkshop();
    const note = addNote(doc, needs, { text: 'Tilat' })!;
    const theme = createTheme(doc, { title: 'Tilat' });
    setSpotlight(doc, { kind: 'note', id: note }, 1_000);
    expect(readFacilitation(doc).spotlight).toEqual({ kind: 'note', id: note, at: 1_000 });
    setSpotlight(doc, { kind: 'theme', id: theme }, 2_000);
    expect(readFacilitation(doc).spotlight).toEqual({ kind: 'theme', id: theme, at: 2_000 });
    setSpotlight(doc, { kind: 'note', id: note }, 3_000);
    deleteNotes(doc, [note]);
    expect(readFacilitation(doc).spotlight).toBeNull();
    setSpotlight(doc, null, 4_000);
    expect(readFacilitation(doc).spotlight).toBeNull();
  });

  it('writes progress only when it changed', () => {
    const doc = newWorkshop();
    const round = 'r1' as RoundId;
    let updates = 0;
    doc.on('update', () => updates++);
    expect(writeProgress(doc, alice, { drafts: 2, dots: { [round]: 3 } })).toBe(true);
    expect(writeProgress(doc, alice, { drafts: 2, dots: { [round]: 3 } })).toBe(false);
    expect(updates).toBe(1);
    writeProgress(doc, bob, { drafts: 0, dots: {} });
    expect(readFacilitation(doc).progress).toEqual({
      alice: { drafts: 2, dots: { r1: 3 } },
      bob: { drafts: 0, dots: {} },
    });
  });

  it('reads malformed facilitation values with defaults', () => {
    const doc = newWorkshop();
    const f = doc.getMap('facilitation');
    f.set('phase', 'dancing');
    f.set('lockedBoards', 'all');
    f.set('summon', { id: 7, boardId: needs });
    f.set('spotlight', { kind: 'action', id: 'x', at: 1 });
    f.set('rules', { editOthers: 'no', addThemes: false });
    f.set('anonymous', 1);
    const progress = new Y.Map<unknown>();
    f.set('progress', progress);
    progress.set('alice', { drafts: -3, dots: { r1: 'many', r2: 2.7, r3: 4 } });
    progress.set('bob', 'junk');
    const read = readFacilitation(doc);
    expect(read).toMatchObject({
      phase: 'needs',
      lockedBoards: [],
      summon: null,
      spotlight: null,
      rules: { editOthers: true, addThemes: false, addActions: true },
      anonymous: false,
      progress: { alice: { drafts: 0, dots: { r2: 2, r3: 4 } } },
    });
    expect(Object.keys(read.progress)).toEqual(['alice']);
    f.set('rules', new Y.Map());
    f.set('summon', new Y.Map());
    expect(readFacilitation(doc).rules).toEqual(DEFAULT_RULES);
    expect(readFacilitation(doc).summon).toBeNull();
  });

  it('converges when two facilitators lock boards at the same time', () => {
    const [a, b, sync] = replicas();
    setBoardLocked(a, needs, true);
    setBoardLocked(b, TEMPLATE_BOARD_IDS.themes, true);
    sync();
    expect(readFacilitation(a).lockedBoards).toEqual([needs, TEMPLATE_BOARD_IDS.themes]);
    expect(readFacilitation(b)).toEqual(readFacilitation(a));
  });
});

describe('rounds and authorship', () => {
  it('records when a round was revealed', () => {
    const doc = newWorkshop();
    const round = openVoteRound(doc, { target: 'notes', dotsPerPerson: 3 });
    expect(readRounds(doc)[0]?.revealedAt).toBeNull();
    setRoundState(doc, round, 'revealed', 42_000);
    expect(readRounds(doc)[0]).toMatchObject({ state: 'revealed', revealedAt: 42_000 });
  });

  it('keeps the author of themes and actions', () => {
    const doc = newWorkshop();
    createTheme(doc, { title: 'Tilat', author: 'alice' });
    createTheme(doc, { title: 'Ilman' });
    addAction(doc, { title: 'Kysely', author: 'anon:abc' });
    const w = readWorkshop(doc);
    expect(w.themes.map((t) => t.author)).toEqual(['alice', null]);
    expect(w.actions[0]?.author).toBe('anon:abc');
  });
});

describe('rankTally', () => {
  it('gives tied targets the same rank and skips the ranks they take', () => {
    const doc = newWorkshop();
    const [n1, n2, n3, n4] = ['a', 'b', 'c', 'd'].map((text) =>
      addNote(doc, needs, { text, id: `note-${text}` as NoteId })!,
    ) as [NoteId, NoteId, NoteId, NoteId];
    const round = openVoteRound(doc, { target: 'notes', dotsPerPerson: 0 });
    setVote(doc, round, alice, n1, 2);
    setVote(doc, round, bob, n2, 2);
    setVote(doc, round, bob, n3, 1);
    setVote(doc, round, alice, n4, 1);
    expect(rankTally(tallyRound(doc, round)!)).toEqual([
      { target: n1, count: 2, rank: 1 },
      { target: n2, count: 2, rank: 1 },
      { target: n3, count: 1, rank: 3 },
      { target: n4, count: 1, rank: 3 },
    ]);
  });

  it('ranks an empty round as nothing', () => {
    const doc = newWorkshop();
    const round = openVoteRound(doc, { target: 'themes', dotsPerPerson: 3 });
    expect(rankTally(tallyRound(doc, round)!)).toEqual([]);
  });
});
