/**
 * The plan model: funding splits (to the cent, also when edited concurrently, and an older
 * action's one budget read unchanged), the plan's lists (municipalities, sources, work packages,
 * objectives, recurring items), and the figures computed from them.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ActionId } from '../ids';
import { judgeUpdate, type Subject } from '../policy/policy';
import { describeUpdate } from '../policy/changes';
import { workshopView } from '../policy/view';
import {
  addFundingLine,
  addFundingSource,
  addMunicipality,
  addObjective,
  addRecurring,
  addWorkPackage,
  alignAction,
  apportion,
  deleteMunicipality,
  deleteWorkPackage,
  removeFundingLine,
  setActionPackage,
  setCostShare,
  setCostShareMethod,
  setPlanBudget,
  setStatusName,
  splitBudget,
  updateFundingLine,
  updateMunicipality,
  updateRecurring,
  updateWorkPackage,
} from './plan';
import {
  budgetCheck,
  costSharing,
  needsHeat,
  packageSummaries,
  totalsByPackage,
  totalsBySource,
  totalsByTheme,
  totalsByYear,
} from './plan-totals';
import { readWorkshop } from './read';
import { MAX_ACTION_OBJECTIVES } from './action-keys';
import { LEGACY_LINE } from './schema';
import { alice, needs, newWorkshop } from './test-workshop';
import {
  addAction,
  addLane,
  addNote,
  createTheme,
  InvalidValueError,
  setMunicipalities,
  updateAction,
} from './write';

/** Two replicas of `doc`, synced. */
function replicas(doc: Y.Doc): [Y.Doc, Y.Doc] {
  const a = new Y.Doc();
  const b = new Y.Doc();
  Y.applyUpdate(a, Y.encodeStateAsUpdate(doc));
  Y.applyUpdate(b, Y.encodeStateAsUpdate(doc));
  return [a, b];
}

function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
}

function action(doc: Y.Doc, id: ActionId) {
  const found = readWorkshop(doc).actions.find((a) => a.id === id);
  if (!found) throw new Error(`no action ${id}`);
  return found;
}

/** An action as an older Talkoo wrote it: one budget, one funding text. */
function olderAction(doc: Y.Doc): ActionId {
  return addAction(doc, {
    title: 'Kyläkoulujen kulttuuripilotti',
    budgetCents: 12_345_67,
    funding: 'Opetus- ja kulttuuriministeriö',
  });
}

describe('funding splits', () => {
  it('reads an older action with one budget and one funding text unchanged, as one line', () => {
    const doc = newWorkshop();
    const id = olderAction(doc);
    const read = action(doc, id);
    expect(read.budgetCents).toBe(12_345_67);
    expect(read.funding).toBe('Opetus- ja kulttuuriministeriö');
    expect(read.split).toEqual([
      { id: LEGACY_LINE, source: 'Opetus- ja kulttuuriministeriö', cents: 12_345_67, order: -1 },
    ]);
  });

  it('splits a budget 80/20 to the cent and shows each share in percent', () => {
    const doc = newWorkshop();
    const id = olderAction(doc);
    splitBudget(doc, id, 500_000_01, [
      { source: 'Opetus- ja kulttuuriministeriö', percent: 80 },
      { source: 'Kunnat', percent: 20 },
    ]);
    const read = action(doc, id);
    expect(read.split.map((l) => [l.source, l.cents])).toEqual([
      ['Opetus- ja kulttuuriministeriö', 400_000_01],
      ['Kunnat', 100_000_00],
    ]);
    expect(read.budgetCents).toBe(500_000_01);
    expect(read.funding).toBe('Opetus- ja kulttuuriministeriö, Kunnat');
    const bySource = totalsBySource(readWorkshop(doc).actions);
    expect(bySource.map((r) => [r.source, r.cents, Math.round(r.percent)])).toEqual([
      ['Opetus- ja kulttuuriministeriö', 400_000_01, 80],
      ['Kunnat', 100_000_00, 20],
    ]);
  });

  it('keeps both people’s lines when two split an older action at once, and the total is their sum to the cent', () => {
    // Yjs settles conflicting writes by the replicas' random client ids: try many pairs.
    for (let attempt = 0; attempt < 20; attempt++) bothSplit();
  });

  function bothSplit(): void {
    const doc = newWorkshop();
    const id = olderAction(doc);
    const [a, b] = replicas(doc);
    addFundingLine(a, id, { source: 'Kunnat', cents: 3_000_00 });
    updateFundingLine(b, id, LEGACY_LINE, { cents: 10_000_00 });
    addFundingLine(b, id, { source: 'Leader', cents: 1_234_56 });
    sync(a, b);
    for (const replica of [a, b]) {
      const read = action(replica, id);
      expect(read.split.map((l) => [l.source, l.cents])).toEqual(
        expect.arrayContaining([
          ['Opetus- ja kulttuuriministeriö', 10_000_00],
          ['Kunnat', 3_000_00],
          ['Leader', 1_234_56],
        ]),
      );
      expect(read.split).toHaveLength(3);
      expect(read.budgetCents).toBe(10_000_00 + 3_000_00 + 1_234_56);
    }
    expect(readWorkshop(a)).toEqual(readWorkshop(b));
  }

  it('keeps the total equal to the lines when one line is removed while another is changed', () => {
    const doc = newWorkshop();
    const id = addAction(doc, { title: 'Festivaali' });
    const first = addFundingLine(doc, id, { source: 'OKM', cents: 800_00 }) ?? '';
    const second = addFundingLine(doc, id, { source: 'Kunnat', cents: 200_00 }) ?? '';
    const [a, b] = replicas(doc);
    removeFundingLine(a, id, first);
    updateFundingLine(b, id, second, { cents: 250_50 });
    sync(a, b);
    expect(action(a, id).split.map((l) => l.cents)).toEqual([250_50]);
    expect(action(a, id).budgetCents).toBe(250_50);
    expect(action(b, id).budgetCents).toBe(250_50);
  });

  it('lets the single budget field still set a budget of one source, and refuses it for a split one', () => {
    const doc = newWorkshop();
    const id = olderAction(doc);
    addFundingLine(doc, id, { source: 'Kunnat', cents: 100 });
    expect(() => updateAction(doc, id, { budgetCents: 5 })).toThrow(InvalidValueError);
    expect(action(doc, id).budgetCents).toBe(12_345_67 + 100);
    const one = addAction(doc, { title: 'Yksi' });
    addFundingLine(doc, one, { source: 'OKM', cents: 100 });
    updateAction(doc, one, { budgetCents: 900 });
    expect(action(doc, one).split.map((l) => [l.source, l.cents])).toEqual([['OKM', 900]]);
  });

  it('refuses fractional or negative cents and writes nothing', () => {
    const doc = newWorkshop();
    const id = addAction(doc, { title: 'X' });
    expect(() => addFundingLine(doc, id, { source: 'OKM', cents: 10.5 })).toThrow(InvalidValueError);
    expect(() => splitBudget(doc, id, 100, [{ source: 'OKM', percent: 70 }])).toThrow(/100 %/);
    // A source longer than a line holds (the server keeps no longer one: shared/policy).
    expect(() =>
      splitBudget(doc, id, 100, [
        { source: 'x'.repeat(201), percent: 50 },
        { source: 'OKM', percent: 50 },
      ]),
    ).toThrow(InvalidValueError);
    expect(action(doc, id).split).toEqual([]);
  });

  it('names at most MAX_ACTION_OBJECTIVES objectives on one action', () => {
    const doc = newWorkshop();
    const id = addAction(doc, { title: 'X' });
    for (let i = 0; i < MAX_ACTION_OBJECTIVES; i++) alignAction(doc, id, addObjective(doc, `T${i}`));
    const more = addObjective(doc, 'Yksi liikaa');
    expect(() => alignAction(doc, id, more)).toThrow(InvalidValueError);
    expect(action(doc, id).objectiveIds).toHaveLength(MAX_ACTION_OBJECTIVES);
  });

  it('apportions to the cent by the largest remainders', () => {
    expect(apportion(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(apportion(1, [80, 20])).toEqual([1, 0]);
    expect(apportion(0, [1, 2])).toEqual([0, 0]);
    expect(apportion(7, [0, 0])).toEqual([4, 3]);
  });
});

describe('the plan’s lists', () => {
  it('keeps both municipalities when two facilitators add the first ones at once', () => {
    const doc = newWorkshop();
    const [a, b] = replicas(doc);
    addMunicipality(a, 'Mikkeli');
    addMunicipality(b, 'Juva');
    sync(a, b);
    expect(
      readWorkshop(a)
        .plan.municipalities.map((m) => m.name)
        .sort(),
    ).toEqual(['Juva', 'Mikkeli']);
    expect(readWorkshop(a)).toEqual(readWorkshop(b));
  });

  it('reads a workshop from before the plan with its boards’ municipalities, and keeps them when the list is first edited', () => {
    const doc = newWorkshop();
    setMunicipalities(doc, needs, ['Mikkeli', 'Savonlinna']);
    expect(readWorkshop(doc).plan.municipalities.map((m) => m.name)).toEqual(['Mikkeli', 'Savonlinna']);
    addMunicipality(doc, 'Pieksämäki');
    expect(readWorkshop(doc).plan.municipalities.map((m) => m.name)).toEqual([
      'Mikkeli',
      'Savonlinna',
      'Pieksämäki',
    ]);
    expect(() => addMunicipality(doc, ' mikkeli ')).toThrow(/already/);
  });

  it('carries a municipality’s new name to the notes tagged with it and the actions naming it', () => {
    const doc = newWorkshop();
    const id = addMunicipality(doc, 'Mikkelli');
    const note = addNote(doc, needs, { text: 'Tila', municipality: 'Mikkelli' });
    const act = addAction(doc, { title: 'Pilotti', partners: ['Mikkelli', 'Juva'] });
    updateMunicipality(doc, id, { name: 'Mikkeli', population: 52_000 });
    const read = readWorkshop(doc);
    expect(read.notes.find((n) => n.id === note)?.municipality).toBe('Mikkeli');
    expect(read.actions.find((a) => a.id === act)?.partners).toEqual(['Mikkeli', 'Juva']);
    expect(read.plan.municipalities[0]).toMatchObject({ name: 'Mikkeli', population: 52_000 });
  });

  it('sums a work package from its actions and reads an action of a deleted package as in none', () => {
    const doc = newWorkshop();
    const wp = addWorkPackage(doc, { title: 'TP1 Kylät', owner: 'Mikkelin kaupunki' });
    const a1 = addAction(doc, { title: 'A', budgetCents: 1_000_00, start: '2027-01', end: '2027-06' });
    const a2 = addAction(doc, { title: 'B', budgetCents: 2_500_50, start: '2027-03', end: '2028-02' });
    addAction(doc, { title: 'C', budgetCents: 99 });
    setActionPackage(doc, a1, wp);
    setActionPackage(doc, a2, wp);
    const [summary] = packageSummaries(readWorkshop(doc));
    expect(summary).toMatchObject({ budgetCents: 3_500_50, start: '2027-01', end: '2028-02' });
    expect(totalsByPackage(readWorkshop(doc)).map((r) => [r.packageId, r.cents])).toEqual([
      [wp, 3_500_50],
      [null, 99],
    ]);
    expect(() => updateWorkPackage(doc, wp, { start: '2027-05', end: '2027-01' })).toThrow(/before/);
    // Its own period, when it has one, is never mixed with its actions'.
    updateWorkPackage(doc, wp, { start: '2029-03' });
    expect(packageSummaries(readWorkshop(doc))[0]).toMatchObject({ start: '2029-03', end: null });
    deleteWorkPackage(doc, wp);
    expect(action(doc, a1).workPackageId).toBeNull();
  });

  it('keeps recurring items’ months as one sorted set and refuses an impossible month', () => {
    const doc = newWorkshop();
    const id = addRecurring(doc, { title: 'Verkostotapaaminen', months: [10, 1, 4, 7, 4] });
    expect(readWorkshop(doc).plan.recurring[0]?.months).toEqual([1, 4, 7, 10]);
    expect(() => updateRecurring(doc, id, { months: [13] })).toThrow(InvalidValueError);
    expect(() => updateRecurring(doc, id, { months: [] })).toThrow(InvalidValueError);
    expect(readWorkshop(doc).plan.recurring[0]?.months).toEqual([1, 4, 7, 10]);
  });

  it('names objectives an action serves and renames statuses', () => {
    const doc = newWorkshop();
    const goal = addObjective(doc, 'Kestävä yhteisö', 'Sustainable community');
    const act = addAction(doc, { title: 'Pilotti', status: 'proposal' });
    alignAction(doc, act, goal);
    setStatusName(doc, 'pilot', 'Kokeilu');
    const read = readWorkshop(doc);
    expect(read.actions[0]).toMatchObject({ objectiveIds: [goal], status: 'proposal' });
    expect(read.plan.statusNames).toEqual({ pilot: 'Kokeilu' });
  });
});

describe('the plan’s figures', () => {
  function plannedWorkshop() {
    const doc = newWorkshop();
    addFundingSource(doc, 'Opetus- ja kulttuuriministeriö');
    addFundingSource(doc, 'Kunnat', true);
    const towns = [
      addMunicipality(doc, 'Mikkeli', { population: 52_000 }),
      addMunicipality(doc, 'Juva', { population: 6_000 }),
      addMunicipality(doc, 'Mäntyharju', { population: 5_700 }),
    ];
    const theme = createTheme(doc, { title: 'Kylät' });
    const act = addAction(doc, { title: 'Pilotti', themeIds: [theme], start: '2027-09', end: '2028-08' });
    splitBudget(doc, act, 100_000_00, [
      { source: 'Opetus- ja kulttuuriministeriö', percent: 80 },
      { source: 'Kunnat', percent: 20 },
    ]);
    return { doc, towns, theme };
  }

  it('splits the municipal share among three municipalities by population, to the cent', () => {
    const { doc, towns } = plannedWorkshop();
    setCostShareMethod(doc, 'population');
    for (const town of towns) setCostShare(doc, town, 0);
    const result = costSharing(readWorkshop(doc));
    expect(result.shareCents).toBe(20_000_00);
    expect(result.totalCents).toBe(20_000_00);
    expect(result.differenceCents).toBe(0);
    expect(result.rows.map((r) => [r.municipality.name, r.cents])).toEqual([
      ['Mikkeli', 16_326_53],
      ['Juva', 1_883_83],
      ['Mäntyharju', 1_789_64],
    ]);
  });

  it('shows amounts set by hand that do not match the share as a difference', () => {
    const { doc, towns } = plannedWorkshop();
    setCostShare(doc, towns[0] ?? '', 10_000_00);
    setCostShare(doc, towns[1] ?? '', 5_000_00);
    expect(costSharing(readWorkshop(doc)).differenceCents).toBe(-5_000_00);
    deleteMunicipality(doc, towns[1] ?? '');
    expect(costSharing(readWorkshop(doc)).rows).toHaveLength(1);
  });

  it('totals by theme and by year add up to the plan’s total, and the budget range is checked', () => {
    const { doc, theme } = plannedWorkshop();
    addAction(doc, { title: 'Ilman teemaa', budgetCents: 1 });
    const read = readWorkshop(doc);
    expect(totalsByTheme(read).map((r) => [r.themeId, r.cents])).toEqual([
      [theme, 100_000_00],
      [null, 1],
    ]);
    expect(totalsByYear(read.actions).map((r) => [r.year, r.cents])).toEqual([
      [2027, 33_333_36],
      [2028, 66_666_64],
      [null, 1],
    ]);
    setPlanBudget(doc, 475_000_00, 525_000_00);
    expect(budgetCheck(readWorkshop(doc))).toMatchObject({ standing: 'under', leftCents: 425_000_00 - 1 });
    expect(() => setPlanBudget(doc, 10, 5)).toThrow(InvalidValueError);
  });

  it('counts needs per municipality and stakeholder group', () => {
    const doc = newWorkshop();
    addMunicipality(doc, 'Mikkeli');
    addMunicipality(doc, 'Juva');
    const youth = addLane(doc, needs, 'Nuoret');
    const artists = addLane(doc, needs, 'Taiteilijat');
    addNote(doc, needs, { text: 'a', laneId: youth, municipality: 'Mikkeli' });
    addNote(doc, needs, { text: 'b', laneId: youth, municipality: 'Mikkeli' });
    addNote(doc, needs, { text: 'c', laneId: artists, municipality: 'Juva' });
    addNote(doc, needs, { text: 'd', laneId: artists });
    const heat = needsHeat(readWorkshop(doc));
    expect(heat.groups).toEqual(['Nuoret', 'Taiteilijat']);
    expect(heat.rows.map((r) => [r.municipality, r.counts])).toEqual([
      ['Mikkeli', [2, 0]],
      ['Juva', [0, 1]],
      ['', [0, 1]],
    ]);
    expect(heat.max).toBe(2);
  });
});

describe('who may change the plan', () => {
  const participant: Subject = { role: 'participant', id: alice, authorKey: 'k' };

  function judge(doc: Y.Doc, change: (doc: Y.Doc) => void) {
    const before = Y.encodeStateVector(doc);
    const view = workshopView(doc);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    change(copy);
    const update = Y.encodeStateAsUpdate(copy, before);
    return judgeUpdate(participant, view, describeUpdate(doc, update));
  }

  it('lets a participant split an action’s budget, put it in a package and align it, but not edit the plan’s lists', () => {
    const doc = newWorkshop();
    const act = olderAction(doc);
    const wp = addWorkPackage(doc, { title: 'TP1' });
    const goal = addObjective(doc, 'Hyvinvointi');
    expect(judge(doc, (d) => addFundingLine(d, act, { source: 'Kunnat', cents: 5 }))).toBeNull();
    expect(judge(doc, (d) => setActionPackage(d, act, wp))).toBeNull();
    expect(judge(doc, (d) => alignAction(d, act, goal))).toBeNull();
    expect(judge(doc, (d) => addMunicipality(d, 'Juva'))).toMatchObject({ code: 'session-state' });
    expect(judge(doc, (d) => setPlanBudget(d, null, 5))).toMatchObject({ code: 'session-state' });
  });
});
