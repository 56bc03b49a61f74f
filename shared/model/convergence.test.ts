/**
 * Convergence properties of the workshop document. Two or three replicas start from the same
 * workshop, edit it concurrently through the public write functions only (never raw Yjs writes),
 * and exchange their updates in random orders, over partitions and partial deliveries, before a
 * full exchange. Every replica must then read the same workshop and the same tallies, and the
 * behaviours DESIGN.md asks of the model must hold: a note is in at most one theme, deleting a
 * theme never deletes a note, vote limits hold, budgets are integer cents and concurrent text
 * edits keep both sides' words.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ActionId, LaneId, NoteId, ParticipantId, RoundId, ThemeId } from '../ids';
import { readWorkshop } from './read';
import type { Workshop } from './schema';
import { tallyRound, type Tally } from './votes';
import {
  addAction,
  addLane,
  addNote,
  addVote,
  createTheme,
  createWorkshop,
  deleteAction,
  deleteNotes,
  deleteTheme,
  InvalidValueError,
  linkActionTheme,
  mergeThemes,
  moveNoteToTheme,
  openVoteRound,
  setNoteText,
  setRoundState,
  setVote,
  TEMPLATE_BOARD_IDS,
  updateAction,
  upsertParticipant,
} from './write';

const needs = TEMPLATE_BOARD_IDS.needs;
const PEOPLE = ['p-aino', 'p-bo', 'p-kaisa'] as ParticipantId[];
const ROUND_NOTES = 'round-notes' as RoundId;
const ROUND_THEMES = 'round-themes' as RoundId;
const ROUNDS = [ROUND_NOTES, ROUND_THEMES] as const;
const LETTERS = ['a', 'b', 'c'] as const;
/** Words that share letters with the notes' texts, so minimal text edits shift and overlap. */
const WORDS = ['tila', 'tilaa', 'kylä', 'kyläkoulu', 'nuoret', 'tuki', 'a'] as const;
const NOTE_TEXTS = ['tila puuttuu', 'kylä tarvitsee tilaa', 'nuoret ja tuki', 'kyläkoulu', '', 'tilaa tilaa'];
const THEME_COUNT = 3;

/** Marks updates applied from another replica (only to tell them apart when debugging). */
const REMOTE = 'remote';

// ---- The shared starting point ----------------------------------------------------------------

/**
 * A created workshop with lanes, notes (some in themes), themes, an action, a roster, two open
 * vote rounds and a few votes, as one update every replica starts from.
 */
function baseState(options: { rounds: boolean } = { rounds: true }): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = 1000;
  createWorkshop(doc, {
    title: 'Kulttuurityöpaja',
    language: 'fi',
    boardTitles: { needs: 'Tarpeet', themes: 'Teemat', actions: 'Toimenpiteet' },
    created: '2026-11-22T10:00:00.000Z',
  });
  const lanes = ['Kunnat', 'Yhdistykset', 'Nuoret'].map((title, i) =>
    addLane(doc, needs, title, `lane-${i}` as LaneId),
  );
  const themes = Array.from({ length: THEME_COUNT }, (_, i) =>
    createTheme(doc, { title: `Teema ${i}`, id: `theme-${i}` as ThemeId }),
  );
  NOTE_TEXTS.forEach((text, i) => {
    const id = addNote(doc, needs, { text, laneId: lanes[i % lanes.length], id: `note-${i}` as NoteId })!;
    if (i < THEME_COUNT) moveNoteToTheme(doc, id, themes[i]!);
  });
  addAction(doc, {
    title: 'Kiertue',
    themeIds: [themes[0]!],
    budgetCents: 1_250_050,
    id: 'action-0' as ActionId,
  });
  PEOPLE.forEach((id, i) =>
    upsertParticipant(doc, id, { name: `Osallistuja ${i}`, colour: '#1D5FD1', role: 'participant' }),
  );
  if (options.rounds) {
    openVoteRound(doc, { target: 'notes', dotsPerPerson: 5, maxPerItem: 2, id: ROUND_NOTES });
    openVoteRound(doc, { target: 'themes', dotsPerPerson: 3, id: ROUND_THEMES });
    setVote(doc, ROUND_NOTES, PEOPLE[0]!, 'note-0', 2);
    setVote(doc, ROUND_THEMES, PEOPLE[1]!, 'theme-1', 1);
  }
  return Y.encodeStateAsUpdate(doc);
}

const BASE = baseState();
const BASE_NOTE_IDS = NOTE_TEXTS.map((_, i) => `note-${i}` as NoteId);

// ---- Replicas and the network between them ----------------------------------------------------

type Replica = {
  readonly index: number;
  readonly letter: string;
  readonly doc: Y.Doc;
  /** Every update this replica has emitted, its own and relayed ones, in emission order. */
  readonly outbox: Uint8Array[];
  /** Makes the ids and words this replica creates unique and deterministic. */
  counter: number;
};

/** Replicas of `base` with the given Yjs client ids (fixed, so a failing seed replays exactly). */
function makeReplicas(clientIds: readonly number[], base: Uint8Array = BASE): Replica[] {
  return clientIds.map((clientId, index) => {
    const doc = new Y.Doc();
    doc.clientID = clientId;
    Y.applyUpdate(doc, base, REMOTE);
    const outbox: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array) => outbox.push(update));
    return { index, letter: LETTERS[index]!, doc, outbox, counter: 0 };
  });
}

/** A fresh id or word suffix from replica `r`: fixed width, so no suffix is part of another. */
function nextTag(r: Replica): string {
  r.counter++;
  return `${r.letter}${String(r.counter).padStart(3, '0')}`;
}

/** One partial delivery while replicas are (partly) partitioned. */
type Delivery =
  /** Some of `from`'s updates, picked by index modulo its outbox, applied to `to` in this order. */
  | { readonly t: 'deliver'; readonly from: number; readonly to: number; readonly picks: readonly number[] }
  /** What `to` is missing of `from`, computed from `to`'s state vector. */
  | { readonly t: 'diff'; readonly from: number; readonly to: number };

/** How the final full exchange happens, in an order drawn from `seed`. */
type Final = { readonly mode: 'updates' | 'diff'; readonly seed: number };

function deliver(replicas: readonly Replica[], d: Delivery): void {
  const from = replicas[d.from % replicas.length]!;
  const to = replicas[d.to % replicas.length]!;
  if (from === to) return;
  if (d.t === 'diff') {
    Y.applyUpdate(to.doc, Y.encodeStateAsUpdate(from.doc, Y.encodeStateVector(to.doc)), REMOTE);
    return;
  }
  const outbox = from.outbox;
  if (outbox.length === 0) return;
  for (const pick of d.picks) Y.applyUpdate(to.doc, outbox[pick % outbox.length]!, REMOTE);
}

/** A small seeded generator (mulberry32), for orders whose length is known only while running. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: readonly T[], next: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Delivers everything to everyone: each replica then holds every change any replica made. */
function deliverAll(replicas: readonly Replica[], final: Final): void {
  const next = random(final.seed);
  if (final.mode === 'diff') {
    // Each replica pulls from every other once (in a random order): nobody edits meanwhile, so
    // the first to pull already gets everything, and so does everyone after.
    const pairs = replicas.flatMap((to) =>
      replicas.filter((from) => from !== to).map((from) => [from, to] as const),
    );
    for (const [from, to] of shuffle(pairs, next)) {
      Y.applyUpdate(to.doc, Y.encodeStateAsUpdate(from.doc, Y.encodeStateVector(to.doc)), REMOTE);
    }
    return;
  }
  // Every update of every other replica, one by one, in a random order per receiver (dependencies
  // may arrive after what depends on them: Yjs must hold those back until they can apply).
  const snapshot = replicas.map((r) => [...r.outbox]);
  for (const to of shuffle(replicas, next)) {
    const updates = snapshot.flatMap((outbox, i) => (i === to.index ? [] : outbox));
    for (const update of shuffle(updates, next)) Y.applyUpdate(to.doc, update, REMOTE);
  }
}

const deliveryArb: fc.Arbitrary<Delivery> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant('deliver' as const),
      from: fc.nat(2),
      to: fc.nat(2),
      picks: fc.array(fc.nat(), { maxLength: 6 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('diff' as const), from: fc.nat(2), to: fc.nat(2) }) },
);

const finalArb: fc.Arbitrary<Final> = fc.record({
  mode: fc.constantFrom('updates' as const, 'diff' as const),
  seed: fc.integer(),
});

/** Two or three distinct Yjs client ids: their order decides ties between concurrent inserts. */
const clientIdsArb = fc.uniqueArray(fc.integer({ min: 1, max: 999 }), { minLength: 2, maxLength: 3 });

// ---- Operations, interpreted against a replica's current state --------------------------------

/** Targets are indexes taken modulo the replica's current lists, so every op stays meaningful. */
type Op =
  | { readonly t: 'addNote'; readonly lane: number; readonly theme: number | null; readonly word: number }
  | { readonly t: 'deleteNote'; readonly note: number }
  /** Moves a note to a theme; the index one past the last theme means "unsorted". */
  | { readonly t: 'moveNoteToTheme'; readonly note: number; readonly theme: number }
  /** Inserts a new, unique marker word between two words of a note (setNoteText). */
  | { readonly t: 'insertWord'; readonly note: number; readonly at: number; readonly word: number }
  | { readonly t: 'createTheme'; readonly word: number }
  | { readonly t: 'deleteTheme'; readonly theme: number }
  | { readonly t: 'mergeThemes'; readonly source: number; readonly target: number }
  | {
      readonly t: 'setVote';
      readonly round: number;
      readonly who: number;
      readonly target: number;
      readonly count: number;
    }
  | {
      readonly t: 'addVote';
      readonly round: number;
      readonly who: number;
      readonly target: number;
      readonly delta: number;
    }
  | { readonly t: 'revealRound'; readonly round: number }
  | { readonly t: 'addAction'; readonly budgetCents: number; readonly theme: number | null }
  | { readonly t: 'setBudget'; readonly action: number; readonly budgetCents: number }
  | { readonly t: 'linkActionTheme'; readonly action: number; readonly theme: number }
  | { readonly t: 'deleteAction'; readonly action: number };

/** Mostly whole cents, sometimes a value no budget may hold (which must be refused). */
const budgetArb = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 100_000_000 }) },
  { weight: 1, arbitrary: fc.double({ min: -1e6, max: 1e6 }) },
  { weight: 1, arbitrary: fc.constantFrom(0.5, 1999.99, -1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60) },
);

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('addNote' as const),
      lane: fc.nat(3),
      theme: fc.option(fc.nat(5)),
      word: fc.nat(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('deleteNote' as const), note: fc.nat() }) },
  {
    weight: 4,
    arbitrary: fc.record({ t: fc.constant('moveNoteToTheme' as const), note: fc.nat(), theme: fc.nat() }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant('insertWord' as const),
      note: fc.nat(),
      at: fc.nat(),
      word: fc.nat(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('createTheme' as const), word: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('deleteTheme' as const), theme: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({ t: fc.constant('mergeThemes' as const), source: fc.nat(), target: fc.nat() }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant('setVote' as const),
      round: fc.nat(1),
      who: fc.nat(2),
      target: fc.nat(),
      count: fc.integer({ min: 0, max: 7 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant('addVote' as const),
      round: fc.nat(1),
      who: fc.nat(2),
      target: fc.nat(),
      delta: fc.integer({ min: -2, max: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('revealRound' as const), round: fc.nat(1) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('addAction' as const),
      budgetCents: budgetArb,
      theme: fc.option(fc.nat()),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ t: fc.constant('setBudget' as const), action: fc.nat(), budgetCents: budgetArb }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ t: fc.constant('linkActionTheme' as const), action: fc.nat(), theme: fc.nat() }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('deleteAction' as const), action: fc.nat() }) },
);

/** What the replicas did, as far as a user would know: the oracle for the invariants. */
type History = {
  /** Every note that ever existed (the starting ones and every added one). */
  readonly created: Set<NoteId>;
  /** Notes some replica deleted. */
  readonly deleted: Set<NoteId>;
  /** Marker words inserted into notes' texts. Nothing ever deletes text, so all must survive. */
  readonly markers: { readonly note: NoteId; readonly marker: string; readonly replica: number }[];
};

function newHistory(): History {
  return { created: new Set(BASE_NOTE_IDS), deleted: new Set(), markers: [] };
}

function at<T>(list: readonly T[], index: number): T | undefined {
  return list.length === 0 ? undefined : list[index % list.length];
}

/** `text` with `word` inserted as a word before word number `index` (after the last: appended). */
function withWord(text: string, index: number, word: string): string {
  const words = text === '' ? [] : text.split(' ');
  const position = index % (words.length + 1);
  return [...words.slice(0, position), word, ...words.slice(position)].join(' ');
}

/** Applies `op` on replica `r`, through the public write functions, and records it in `history`. */
function apply(r: Replica, op: Op, history: History): void {
  const { doc } = r;
  const w = readWorkshop(doc);
  switch (op.t) {
    case 'addNote': {
      const tag = nextTag(r);
      const theme = op.theme === null ? undefined : at(w.themes, op.theme)?.id;
      const id = addNote(doc, needs, {
        text: `${WORDS[op.word % WORDS.length]}${tag}`,
        laneId: at(w.boards[0]?.lanes ?? [], op.lane)?.id ?? null,
        themeId: theme ?? null,
        id: `n-${tag}` as NoteId,
      });
      expect(id).toBe(`n-${tag}`);
      history.created.add(id!);
      return;
    }
    case 'deleteNote': {
      const note = at(w.notes, op.note);
      if (!note) return;
      expect(deleteNotes(doc, [note.id])).toBe(1);
      history.deleted.add(note.id);
      return;
    }
    case 'moveNoteToTheme': {
      const note = at(w.notes, op.note);
      if (!note) return;
      const theme = w.themes[op.theme % (w.themes.length + 1)]?.id ?? null;
      expect(moveNoteToTheme(doc, note.id, theme)).toBe(true);
      return;
    }
    case 'insertWord': {
      const note = at(w.notes, op.note);
      if (!note) return;
      const marker = `${WORDS[op.word % WORDS.length]}${nextTag(r)}`;
      expect(setNoteText(doc, note.id, withWord(note.text, op.at, marker))).toBe(true);
      history.markers.push({ note: note.id, marker, replica: r.index });
      return;
    }
    case 'createTheme': {
      const tag = nextTag(r);
      expect(
        createTheme(doc, { title: `${WORDS[op.word % WORDS.length]} ${tag}`, id: `t-${tag}` as ThemeId }),
      ).toBe(`t-${tag}`);
      return;
    }
    case 'deleteTheme': {
      const theme = at(w.themes, op.theme);
      if (theme) expect(deleteTheme(doc, theme.id)).toBe(true);
      return;
    }
    case 'mergeThemes': {
      if (w.themes.length < 2) return;
      const source = at(w.themes, op.source)!;
      const others = w.themes.filter((t) => t.id !== source.id);
      expect(mergeThemes(doc, source.id, at(others, op.target)!.id)).toBe(true);
      return;
    }
    case 'setVote':
    case 'addVote': {
      const roundId = ROUNDS[op.round]!;
      const round = w.rounds.find((x) => x.id === roundId);
      const target = at<{ id: string }>(round?.target === 'themes' ? w.themes : w.notes, op.target);
      if (!round || !target) return;
      const who = PEOPLE[op.who]!;
      const open = round.state === 'open';
      if (op.t === 'setVote') expect(setVote(doc, roundId, who, target.id, op.count)).toBe(open);
      else expect(addVote(doc, roundId, who, target.id, op.delta) !== null).toBe(open);
      return;
    }
    case 'revealRound': {
      expect(setRoundState(doc, ROUNDS[op.round]!, 'revealed')).toBe(true);
      return;
    }
    case 'addAction': {
      const tag = nextTag(r);
      const theme = op.theme === null ? undefined : at(w.themes, op.theme)?.id;
      const input = {
        title: `Toimenpide ${tag}`,
        budgetCents: op.budgetCents,
        themeIds: theme ? [theme] : [],
        id: `a-${tag}` as ActionId,
      };
      if (isCents(op.budgetCents)) expect(addAction(doc, input)).toBe(input.id);
      else expect(() => addAction(doc, input)).toThrow(InvalidValueError);
      return;
    }
    case 'setBudget': {
      const action = at(w.actions, op.action);
      if (!action) return;
      if (isCents(op.budgetCents)) {
        expect(updateAction(doc, action.id, { budgetCents: op.budgetCents })).toBe(true);
      } else {
        expect(() => updateAction(doc, action.id, { budgetCents: op.budgetCents })).toThrow(
          InvalidValueError,
        );
        // Refused whole: the stored budget is the one before.
        expect(readWorkshop(doc).actions.find((a) => a.id === action.id)?.budgetCents).toBe(
          action.budgetCents,
        );
      }
      return;
    }
    case 'linkActionTheme': {
      const action = at(w.actions, op.action);
      const theme = at(w.themes, op.theme);
      if (action && theme) expect(linkActionTheme(doc, action.id, theme.id)).toBe(true);
      return;
    }
    case 'deleteAction': {
      const action = at(w.actions, op.action);
      if (action) expect(deleteAction(doc, action.id)).toBe(true);
      return;
    }
  }
}

function isCents(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

// ---- What must hold after a full exchange -----------------------------------------------------

/** Every replica reads the same workshop and the same tallies; returns that workshop. */
function expectConverged(replicas: readonly Replica[]): Workshop {
  const vectors = replicas.map((r) => Y.decodeStateVector(Y.encodeStateVector(r.doc)));
  for (const v of vectors) expect(v).toEqual(vectors[0]);
  const [first, ...others] = replicas.map((r) => readWorkshop(r.doc));
  for (const w of others) expect(w).toEqual(first);
  for (const round of first!.rounds) {
    const [tally, ...rest] = replicas.map((r) => tallyRound(r.doc, round.id));
    for (const t of rest) expect(t).toEqual(tally);
    expectTallyInvariants(tally!, first!);
  }
  return first!;
}

/** A note is in at most one theme, listed once, and the note and the theme agree on it. */
function expectThemeInvariants(w: Workshop): void {
  const themeIds = new Set(w.themes.map((t) => t.id));
  const themeOf = new Map<NoteId, ThemeId>();
  for (const theme of w.themes) {
    expect(new Set(theme.noteIds).size).toBe(theme.noteIds.length);
    for (const noteId of theme.noteIds) {
      expect(themeOf.get(noteId)).toBeUndefined();
      themeOf.set(noteId, theme.id);
    }
  }
  const noteIds = new Set(w.notes.map((n) => n.id));
  for (const noteId of themeOf.keys()) expect(noteIds.has(noteId)).toBe(true);
  for (const note of w.notes) {
    expect(note.themeId).toBe(themeOf.get(note.id) ?? null);
    if (note.themeId !== null) expect(themeIds.has(note.themeId)).toBe(true);
  }
  for (const action of w.actions) {
    // A link to a deleted theme reads as "no theme", never as a dangling id.
    expect(new Set(action.themeIds).size).toBe(action.themeIds.length);
    for (const id of action.themeIds) expect(themeIds.has(id)).toBe(true);
  }
}

/** Money is whole, non-negative cents, whatever was tried (fractions are refused when written). */
function expectBudgetsInCents(w: Workshop): void {
  for (const action of w.actions) {
    expect(Number.isInteger(action.budgetCents)).toBe(true);
    expect(action.budgetCents).toBeGreaterThanOrEqual(0);
  }
}

/** Totals are the sums of the per-participant entries, and every entry keeps the round's limits. */
function expectTallyInvariants(tally: Tally, w: Workshop): void {
  const { round } = tally;
  const targets = new Set<string>((round.target === 'notes' ? w.notes : w.themes).map((x) => x.id));
  const byTarget = new Map<string, number>();
  const byPerson = new Map<string, number>();
  const pairs = new Set<string>();
  for (const entry of tally.entries) {
    expect(Number.isInteger(entry.count)).toBe(true);
    expect(entry.count).toBeGreaterThan(0);
    if (round.maxPerItem > 0) expect(entry.count).toBeLessThanOrEqual(round.maxPerItem);
    expect(targets.has(entry.target)).toBe(true);
    const pair = `${entry.participant}|${entry.target}`;
    expect(pairs.has(pair)).toBe(false);
    pairs.add(pair);
    byTarget.set(entry.target, (byTarget.get(entry.target) ?? 0) + entry.count);
    byPerson.set(entry.participant, (byPerson.get(entry.participant) ?? 0) + entry.count);
  }
  if (round.dotsPerPerson > 0) {
    for (const used of byPerson.values()) expect(used).toBeLessThanOrEqual(round.dotsPerPerson);
  }
  expect(new Map(tally.ranking.map((r) => [r.target, r.count]))).toEqual(byTarget);
  expect(tally.ranking).toHaveLength(byTarget.size);
  for (let i = 1; i < tally.ranking.length; i++) {
    expect(tally.ranking[i - 1]!.count).toBeGreaterThanOrEqual(tally.ranking[i]!.count);
  }
}

/** No note is lost (deleting a theme never deletes one) and none appears from nowhere. */
function expectNotesKept(w: Workshop, history: History): void {
  const present = new Set(w.notes.map((n) => n.id));
  for (const id of history.created) expect(present.has(id)).toBe(!history.deleted.has(id));
  for (const id of present) expect(history.created.has(id)).toBe(true);
}

/** Every word inserted into a note that still exists is in its text (nothing deletes text here). */
function expectMarkersKept(w: Workshop, history: History): void {
  const texts = new Map(w.notes.map((n) => [n.id, n.text]));
  for (const { note, marker } of history.markers) {
    if (history.deleted.has(note)) continue;
    expect(texts.get(note)).toContain(marker);
  }
}

// ---- Properties -------------------------------------------------------------------------------

/** Runs per property: enough to meet the interleavings that matter, a few seconds in all. */
const RUNS = 150;

describe('replicas that edit concurrently converge', () => {
  it('random concurrent edits, delivered in any order over partitions, converge and keep the invariants', () => {
    type Step = { readonly t: 'op'; readonly replica: number; readonly op: Op } | Delivery;
    const stepArb: fc.Arbitrary<Step> = fc.oneof(
      { weight: 4, arbitrary: fc.record({ t: fc.constant('op' as const), replica: fc.nat(2), op: opArb }) },
      { weight: 1, arbitrary: deliveryArb },
    );
    fc.assert(
      fc.property(
        clientIdsArb,
        fc.array(stepArb, { minLength: 10, maxLength: 40 }),
        finalArb,
        (clientIds, steps, final) => {
          const replicas = makeReplicas(clientIds);
          const history = newHistory();
          for (const step of steps) {
            if (step.t === 'op') apply(replicas[step.replica % replicas.length]!, step.op, history);
            else deliver(replicas, step);
          }
          deliverAll(replicas, final);
          const w = expectConverged(replicas);
          expectThemeInvariants(w);
          expectBudgetsInCents(w);
          expectNotesKept(w, history);
          expectMarkersKept(w, history);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('concurrent moves of one note to different themes end in exactly one theme, never lost', () => {
    fc.assert(
      fc.property(
        clientIdsArb,
        fc.array(fc.nat(THEME_COUNT - 1), { minLength: 3, maxLength: 3 }),
        fc.nat(BASE_NOTE_IDS.length - 1),
        fc.array(deliveryArb, { maxLength: 6 }),
        finalArb,
        (clientIds, targets, noteIndex, deliveries, final) => {
          const replicas = makeReplicas(clientIds);
          const note = BASE_NOTE_IDS[noteIndex]!;
          const chosen = replicas.map((r) => `theme-${targets[r.index]}` as ThemeId);
          replicas.forEach((r) => expect(moveNoteToTheme(r.doc, note, chosen[r.index]!)).toBe(true));
          deliveries.forEach((d) => deliver(replicas, d));
          deliverAll(replicas, final);
          const w = expectConverged(replicas);
          expectThemeInvariants(w);
          const moved = w.notes.find((n) => n.id === note);
          expect(moved).toBeDefined();
          expect(chosen).toContain(moved!.themeId);
          expect(w.themes.filter((t) => t.noteIds.includes(note)).map((t) => t.id)).toEqual([moved!.themeId]);
          expect(w.notes.map((n) => n.id).sort()).toEqual([...BASE_NOTE_IDS].sort());
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('deleting or merging away a theme while another replica moves notes into it keeps the notes, unsorted', () => {
    fc.assert(
      fc.property(
        clientIdsArb,
        fc.nat(THEME_COUNT - 1),
        fc.uniqueArray(fc.nat(BASE_NOTE_IDS.length - 1), { minLength: 1, maxLength: BASE_NOTE_IDS.length }),
        fc.boolean(),
        fc.array(deliveryArb, { maxLength: 6 }),
        finalArb,
        (clientIds, themeIndex, noteIndexes, viaMerge, deliveries, final) => {
          const replicas = makeReplicas(clientIds);
          const [deleter, mover, third] = replicas;
          const theme = `theme-${themeIndex}` as ThemeId;
          const other = `theme-${(themeIndex + 1) % THEME_COUNT}` as ThemeId;
          // The theme goes away on one replica, by deletion or by a merge into another theme...
          if (viaMerge) expect(mergeThemes(deleter!.doc, theme, other)).toBe(true);
          else expect(deleteTheme(deleter!.doc, theme)).toBe(true);
          // ...while another moves notes into it and links it to a new action.
          const notes = noteIndexes.map((i) => BASE_NOTE_IDS[i]!);
          for (const note of notes) expect(moveNoteToTheme(mover!.doc, note, theme)).toBe(true);
          const action = addAction(mover!.doc, {
            title: 'Uusi',
            themeIds: [theme],
            budgetCents: 500,
            id: 'a-new' as ActionId,
          });
          // A third replica, if any, votes on the theme meanwhile.
          if (third) expect(setVote(third.doc, ROUND_THEMES, PEOPLE[2]!, theme, 1)).toBe(true);
          deliveries.forEach((d) => deliver(replicas, d));
          deliverAll(replicas, final);
          const w = expectConverged(replicas);
          expectThemeInvariants(w);
          expect(w.themes.map((t) => t.id)).not.toContain(theme);
          expect(w.notes.map((n) => n.id).sort()).toEqual([...BASE_NOTE_IDS].sort());
          for (const note of notes) {
            // A note that already was in the theme (a reorder inside it, for the mover) follows a
            // merge into the other theme; one moved in from elsewhere reads as unsorted.
            const follows = viaMerge && note === `note-${themeIndex}`;
            expect(w.notes.find((n) => n.id === note)?.themeId).toBe(follows ? other : null);
          }
          expect(w.actions.find((a) => a.id === action)?.themeIds).toEqual([]);
          expect(tallyRound(replicas[0]!.doc, ROUND_THEMES)?.ranking.map((r) => r.target)).not.toContain(
            theme,
          );
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("concurrent edits of one note's text keep both sides' words", () => {
    fc.assert(
      fc.property(
        clientIdsArb,
        fc.nat(BASE_NOTE_IDS.length - 1),
        // Per replica: where to insert, and which word, one to three times.
        fc.array(fc.array(fc.record({ at: fc.nat(), word: fc.nat() }), { minLength: 1, maxLength: 3 }), {
          minLength: 3,
          maxLength: 3,
        }),
        fc.array(deliveryArb, { maxLength: 6 }),
        finalArb,
        (clientIds, noteIndex, inserts, deliveries, final) => {
          const replicas = makeReplicas(clientIds);
          const history = newHistory();
          const note = BASE_NOTE_IDS[noteIndex]!;
          const original = NOTE_TEXTS[noteIndex]!;
          for (const r of replicas) {
            for (const { at: position, word } of inserts[r.index]!) {
              apply(r, { t: 'insertWord', note: noteIndex, at: position, word }, history);
            }
          }
          expect(new Set(history.markers.map((m) => m.replica)).size).toBe(replicas.length);
          deliveries.forEach((d) => deliver(replicas, d));
          deliverAll(replicas, final);
          const w = expectConverged(replicas);
          expectMarkersKept(w, history);
          const text = w.notes.find((n) => n.id === note)!.text;
          for (const word of original.split(' ')) expect(text).toContain(word);
          // Nothing but the inserted words and their spaces was added.
          const added = history.markers.reduce((sum, m) => sum + m.marker.length, 0);
          // (Into an empty text, each replica's first word comes without a space.)
          const spaces = history.markers.length - (original === '' ? replicas.length : 0);
          expect(text.length).toBe(original.length + added + spaces);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('one participant voting on two replicas, and others, tally the same everywhere within the limits', () => {
    const voteArb = fc.record({
      round: fc.nat(1),
      who: fc.nat(2),
      target: fc.nat(),
      count: fc.integer({ min: 0, max: 6 }),
      add: fc.boolean(),
    });
    fc.assert(
      fc.property(
        clientIdsArb,
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 3, maxLength: 3 }),
        fc.array(fc.array(voteArb, { maxLength: 8 }), { minLength: 3, maxLength: 3 }),
        fc.array(deliveryArb, { maxLength: 6 }),
        finalArb,
        (clientIds, first, votes, deliveries, final) => {
          const replicas = makeReplicas(clientIds);
          const history = newHistory();
          for (const r of replicas) {
            // The same participant votes on every replica, offline, before the random votes.
            apply(r, { t: 'setVote', round: 0, who: 0, target: r.index, count: first[r.index]! }, history);
            apply(r, { t: 'addVote', round: 1, who: 0, target: r.index, delta: first[r.index]! }, history);
            for (const v of votes[r.index]!) {
              const op: Op = v.add
                ? { t: 'addVote', round: v.round, who: v.who, target: v.target, delta: v.count - 2 }
                : { t: 'setVote', round: v.round, who: v.who, target: v.target, count: v.count };
              apply(r, op, history);
            }
          }
          deliveries.forEach((d) => deliver(replicas, d));
          deliverAll(replicas, final);
          // expectConverged checks the tallies of every round against each other and the limits.
          expectConverged(replicas);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('voting rounds opened concurrently on a new workshop all survive', () => {
    const base = baseState({ rounds: false });
    fc.assert(
      fc.property(
        clientIdsArb,
        fc.array(fc.constantFrom('notes' as const, 'themes' as const), { minLength: 3, maxLength: 3 }),
        fc.array(deliveryArb, { maxLength: 6 }),
        finalArb,
        (clientIds, targets, deliveries, final) => {
          const replicas = makeReplicas(clientIds, base);
          const opened = replicas.map((r) => {
            const id = openVoteRound(r.doc, {
              target: targets[r.index]!,
              dotsPerPerson: 3,
              id: `round-${r.letter}` as RoundId,
            });
            expect(
              setVote(r.doc, id, PEOPLE[r.index]!, targets[r.index] === 'notes' ? 'note-0' : 'theme-0', 1),
            ).toBe(true);
            return id;
          });
          deliveries.forEach((d) => deliver(replicas, d));
          deliverAll(replicas, final);
          const w = expectConverged(replicas);
          expect(w.rounds.map((r) => r.id).sort()).toEqual([...opened].sort());
          expect(opened).toContain(w.facilitation.activeRoundId);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
