import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readWorkshop } from '../model/read';
import { exportOutline, importOutline, parseOutline, parseOutlineText, type Outline } from './outline';

/** The project's own copies of the fixture workshops (a clone has no ../shared beside it). */
const FIXTURES = join(import.meta.dirname, '..', 'examples');
const fixtureFiles = readdirSync(FIXTURES).filter((f) => f.endsWith('.json'));

function load(file: string): unknown {
  return JSON.parse(readFileSync(join(FIXTURES, file), 'utf8'));
}

function imported(outline: Outline): Y.Doc {
  const doc = new Y.Doc();
  importOutline(doc, outline, '2026-11-22T10:00:00.000Z');
  return doc;
}

function parsed(value: unknown): Outline {
  const result = parseOutline(value);
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

describe('fixture workshops', () => {
  it('finds the four example workshops', () => {
    expect(fixtureFiles.sort()).toEqual([
      'culture-network-en.json',
      'etela-savo-fi.json',
      'sormland-sv.json',
      'voru-et.json',
    ]);
  });

  it.each(fixtureFiles)('%s imports with the same needs, themes, actions, budgets and links', (file) => {
    const raw = load(file) as Outline;
    const w = readWorkshop(imported(parsed(raw)));
    expect(w.meta.title).toBe(raw.title);
    expect(w.meta.language).toBe(raw.language);
    expect(w.boards.find((b) => b.kind === 'needs')?.lanes.map((l) => l.title)).toEqual(raw.stakeholders);
    expect(w.notes.map((n) => n.text)).toEqual(raw.needs.map((n) => n.text));
    expect(w.notes.map((n) => n.municipality)).toEqual(raw.needs.map((n) => n.municipality ?? null));
    for (const theme of raw.themes) {
      const read = w.themes.find((t) => t.id === theme.id);
      expect(read?.title).toBe(theme.title);
      expect(read?.noteIds).toEqual(theme.needs);
    }
    expect(w.actions.map((a) => a.title)).toEqual(raw.actions.map((a) => a.title));
    expect(w.actions.map((a) => a.budgetCents)).toEqual(
      raw.actions.map((a) => Math.round(a.budgetEur * 100)),
    );
    expect(w.actions.map((a) => a.themeIds)).toEqual(raw.actions.map((a) => a.themes));
    expect(w.actions.every((a) => Number.isInteger(a.budgetCents))).toBe(true);
    // Themes are told apart by colour too, as the app colours new ones.
    expect(new Set(w.themes.map((t) => t.colour)).size).toBe(Math.min(w.themes.length, 7));
  });

  it.each(fixtureFiles)('%s round-trips to an equal outline', (file) => {
    const raw = load(file);
    const exported = exportOutline(imported(parsed(raw)));
    expect(exported).toEqual(raw);
    // The same outline, imported again on another replica, merges instead of duplicating.
    const a = imported(parsed(raw));
    const b = imported(parsed(raw));
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    expect(exportOutline(a)).toEqual(raw);
  });

  it.each(fixtureFiles)('%s survives a trip through JSON text and a Yjs update', (file) => {
    const text = readFileSync(join(FIXTURES, file), 'utf8');
    const result = parseOutlineText(text);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(imported(result.value)));
    expect(exportOutline(copy)).toEqual(JSON.parse(text));
  });
});

describe('malformed outlines', () => {
  const good = load('voru-et.json') as Record<string, unknown>;
  const errors = (value: unknown) => {
    const result = parseOutline(value);
    return result.ok ? [] : result.error.map((e) => `${e.path}: ${e.message}`);
  };
  const withNeed = (patch: Record<string, unknown>) => ({
    ...good,
    needs: [{ ...(good.needs as object[])[0], ...patch }, ...(good.needs as object[]).slice(1)],
  });
  const withAction = (patch: Record<string, unknown>) => ({
    ...good,
    actions: [{ ...(good.actions as object[])[0], ...patch }, ...(good.actions as object[]).slice(1)],
  });

  it('names the field and the problem', () => {
    expect(errors({ ...good, language: 'de' })).toEqual([
      'language: must be one of fi, sv, et, en, not "de"',
    ]);
    expect(errors(withNeed({ stakeholder: 'Tundmatu' }))).toEqual([
      'needs[0].stakeholder: "Tundmatu" is not one of the stakeholders',
    ]);
    expect(errors(withNeed({ votes: -2 }))).toEqual([
      'needs[0].votes: must be a whole number of 0 or more, not number -2',
    ]);
    expect(errors(withAction({ budgetEur: '14000' }))).toEqual([
      'actions[0].budgetEur: must be a number of 0 or more, not "14000"',
    ]);
    expect(errors(withAction({ budgetEur: 10.005 }))).toEqual([
      'actions[0].budgetEur: 10.005 has fractions of a cent',
    ]);
    expect(errors(withAction({ start: '2022-13' }))).toEqual([
      'actions[0].start: must be a month as YYYY-MM, not "2022-13"',
    ]);
    expect(errors(withAction({ end: '2021-01' }))).toEqual([
      'actions[0].end: 2021-01 is before the start 2022-09',
    ]);
    expect(errors(withAction({ themes: ['t9'] }))).toEqual([
      'actions[0].themes[0]: "t9" is not the id of a theme',
    ]);
    expect(errors(withAction({ status: 'someday' }))).toEqual([
      'actions[0].status: must be one of proposal, planned, pilot, ongoing, done, not "someday"',
    ]);
    expect(errors({ ...good, title: undefined })).toEqual(['title: must be text, not missing']);
  });

  it('rejects duplicate ids and a need in two themes', () => {
    const needs = good.needs as { id: string }[];
    expect(errors({ ...good, needs: [...needs, { ...needs[0] }] })).toContain(
      'needs[10].id: "n1" is used twice',
    );
    const themes = good.themes as { needs: string[] }[];
    const twice = [{ ...themes[0], needs: ['n1'] }, { ...themes[1], needs: ['n1'] }, themes[2]];
    expect(errors({ ...good, themes: twice })).toContain(
      'themes[1].needs[0]: need "n1" is already in theme "t1"; a need belongs to one theme',
    );
  });

  it('reports bad JSON and a file that is not an outline', () => {
    const bad = parseOutlineText('{"title": "x",');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error[0]?.message).toMatch(/^The file is not valid JSON: /);
    expect(errors([1, 2])).toEqual(['(outline): must be an object, not a list']);
  });

  it('creates nothing when the outline is malformed', () => {
    const doc = new Y.Doc();
    const result = parseOutline(withAction({ budgetEur: -1 }));
    if (result.ok) importOutline(doc, result.value);
    expect(result.ok).toBe(false);
    expect(readWorkshop(doc).notes).toEqual([]);
    expect(doc.getMap('meta').size).toBe(0);
  });
});

describe('a plan in an outline', () => {
  const PLAN = join(FIXTURES, 'plans', 'etela-savo-plan-fi.json');
  const plan = (): Record<string, unknown> =>
    JSON.parse(readFileSync(PLAN, 'utf8')) as Record<string, unknown>;

  it('round-trips municipalities with baselines, sources, budget range, packages, objectives, splits, cost sharing and recurring items', () => {
    const raw = plan();
    const doc = imported(parsed(raw));
    expect(exportOutline(doc)).toEqual(raw);
    const b = imported(parsed(raw));
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(b));
    expect(exportOutline(doc)).toEqual(raw);
  });

  it('reads the plan into the workshop: an 80/20 split to the cent, packages, objectives and the municipal share', () => {
    const w = readWorkshop(imported(parsed(plan())));
    const pilot = w.actions.find((a) => a.id === 'a2');
    expect(pilot?.split.map((l) => [l.source, l.cents])).toEqual([
      ['Opetus- ja kulttuuriministeriö', 24_000_00],
      ['Kunnat', 6_000_00],
    ]);
    expect(pilot).toMatchObject({ budgetCents: 30_000_00, workPackageId: 'tp1', objectiveIds: ['o2', 'o3'] });
    expect(w.plan.municipalities.find((m) => m.name === 'Puumala')).toMatchObject({
      population: 2100,
      indicators: [
        { label: 'Kulttuurimenot €/asukas', value: '38' },
        { label: 'Kirjastokäynnit/asukas', value: '6,1' },
      ],
    });
    expect(w.plan).toMatchObject({ budgetMinCents: 55_000_00, budgetMaxCents: 65_000_00, wheelStart: 8 });
    expect(w.plan.costSharing.members).toHaveLength(3);
    expect(w.plan.statusNames).toEqual({ proposal: 'Ratkaisuehdotus' });
  });

  it('names each problem of a plan and writes nothing', () => {
    const raw = plan();
    const actions = raw.actions as Record<string, unknown>[];
    const broken = {
      ...raw,
      actions: [{ ...actions[1], budgetEur: 1, workPackage: 'tp9', objectives: ['o9'] }, ...actions.slice(2)],
      costSharing: { method: 'by-size', municipalities: [{ name: 'Helsinki' }] },
      recurring: [{ id: 'r1', title: 'Festivaali', months: [0, 10] }],
      budget: { minEur: 10, maxEur: 5 },
      wheelStart: 13,
    };
    const result = parseOutline(broken);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.map((e) => `${e.path}: ${e.message}`)).toEqual([
      'actions[0].budgetEur: number 1 is not the sum of fundingSplit (30000)',
      'actions[0].workPackage: "tp9" is not the id of a work package',
      'actions[0].objectives[0]: "o9" is not the id of an objective',
      "budget.maxEur: 5 is below the range's start 10",
      'costSharing.method: must be one of amount, population, equal, not "by-size"',
      'costSharing.municipalities[0].name: "Helsinki" is not one of the municipalities',
      'recurring[0].months[0]: must be a month 1–12, not number 0',
      'wheelStart: must be a month 1–12, not number 13',
    ]);
  });
});
