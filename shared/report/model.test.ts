/**
 * The report model as a reader of the document meets it: totals that add up, themes in vote
 * order, placeholders where a value is missing, nothing lost or crashed on hostile content, the
 * options obeyed, and money, months and the timeline's scale in each language.
 */
import { describe, expect, it } from 'vitest';
import type { ThemeId } from '../ids';
import type { Language, Workshop } from '../model/schema';
import { totalsByYear } from '../model/plan-totals';
import { writeMarkdown } from './markdown';
import {
  buildReport,
  citeNeeds,
  defaultReportOptions,
  parseReportOptions,
  type Report,
  type ReportOptions,
} from './model';
import {
  CONTROL_CHARACTERS,
  exampleWorkshops,
  hostileWorkshop,
  planDoc,
  planWorkshop,
} from './sample-workshops';
import { readWorkshop } from '../model/read';
import { setCostShare, setCostShareMethod } from '../model/plan';

const DATE = '2026-12-06';

function report(workshop: Workshop, options: Partial<ReportOptions> = {}): Report {
  return buildReport(workshop, { ...defaultReportOptions(workshop, DATE), ...options });
}

/** Intl's no-break and narrow no-break spaces as plain spaces, for readable expectations. */
function plain(text: string): string {
  return text.replace(/[\u00a0\u202f]/g, ' ');
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/;

describe('report totals', () => {
  for (const { name, workshop } of exampleWorkshops()) {
    it(`${name}: totals by funding, theme and year are sums of the actions`, () => {
      const r = report(workshop);
      const actions = r.actions;
      expect(actions.length).toBeGreaterThan(0);
      expect(r.budget.totalCents).toBe(sum(actions.map((a) => a.budgetCents)));
      expect(r.summary.totalBudgetCents).toBe(r.budget.totalCents);
      // Every breakdown adds up to the total to the cent: an action of several themes or years
      // counts in each a part of its budget.
      for (const lines of [r.budget.byFunding, r.budget.byYear, r.budget.byTheme])
        expect(sum(lines.map((l) => l.cents))).toBe(r.budget.totalCents);
      for (const line of r.budget.byFunding) {
        expect(line.cents).toBe(
          sum(actions.flatMap((a) => a.split.filter((s) => s.source === line.label).map((s) => s.cents))),
        );
        expect(line.share).toBeCloseTo(line.cents / r.budget.totalCents, 10);
      }
      // The same figures the app shows (plan-totals.ts).
      expect(r.budget.byYear.map((l) => l.cents)).toEqual(totalsByYear(workshop.actions).map((l) => l.cents));
      for (const line of r.budget.byYear) {
        const starting = actions.filter((a) => a.start?.slice(0, 4) === line.label);
        if (starting.length) expect(line.cents).toBeGreaterThan(0);
      }
      for (const line of r.budget.byTheme) {
        const linked = actions.filter((a) => a.themes.includes(line.label));
        expect(line.cents).toBeLessThanOrEqual(sum(linked.map((a) => a.budgetCents)));
        const alone = linked.filter((a) => a.themes.length === 1);
        expect(line.cents).toBeGreaterThanOrEqual(sum(alone.map((a) => a.budgetCents)));
      }
      expect(r.summary.actionCount).toBe(actions.length);
      expect(r.summary.needCount).toBe(sum(r.needsByStakeholder.map((g) => g.needs.length)));
    });

    it(`${name}: themes are ranked by their votes, needs' votes included`, () => {
      const r = report(workshop);
      expect(r.themes.map((t) => t.rank)).toEqual(r.themes.map((_, i) => i + 1));
      r.themes.slice(1).forEach((theme, i) => expect(theme.votes).toBeLessThanOrEqual(r.themes[i]!.votes));
      for (const theme of r.themes) {
        expect(theme.votes).toBeGreaterThanOrEqual(sum(theme.needs.map((n) => n.votes)));
      }
      expect(r.themes[0]!.votes).toBeGreaterThan(r.themes.at(-1)!.votes);
    });
  }

  it('numbers the needs theme by theme in ranked order, then the unsorted ones, and cites them by number', () => {
    const fi = exampleWorkshops().find((e) => e.name === 'example-etela-savo-fi')!.workshop;
    for (const [language, prefix] of [
      ['fi', 'T'],
      ['sv', 'B'],
      ['et', 'V'],
      ['en', 'N'],
    ] as const) {
      const r = report(fi, { language });
      const inThemes = [...r.themes.flatMap((t) => t.needs), ...r.unsortedNeeds];
      expect(inThemes.map((n) => n.number)).toEqual(inThemes.map((_, i) => i + 1));
      expect(inThemes.map((n) => n.ref)).toEqual(inThemes.map((_, i) => `${prefix}${i + 1}`));
      const listed = r.needsByStakeholder.flatMap((g) => g.needs);
      expect(listed).toHaveLength(inThemes.length);
      const byId = new Map(listed.map((n) => [n.id, n]));
      // The same need keeps its number wherever it appears; each group lists its needs by number.
      for (const need of inThemes) expect(need).toBe(byId.get(need.id));
      for (const g of r.needsByStakeholder) {
        expect(g.needs.map((n) => n.number)).toEqual(g.needs.map((n) => n.number).sort((a, b) => a - b));
      }
      // A theme's needs are one run of numbers, so the appendix cites it as a range.
      for (const entry of r.trace) {
        for (const theme of entry.themes) {
          const source = r.themes.find((t) => t.title === theme.title)!;
          const first = source.needs[0]!.number;
          const last = source.needs.at(-1)!.number;
          expect(theme.needRefs).toBe(`${prefix}${first}–${prefix}${last}`);
        }
      }
    }
  });

  it('cites needs in number order, runs of three or more as a range', () => {
    const cite = (numbers: number[], language: Language = 'fi'): string =>
      citeNeeds(
        numbers.map((number) => ({ number })),
        language,
      );
    expect(cite([9, 1, 2, 3, 4, 5, 11, 12])).toBe('T1–T5, T9, T11, T12');
    expect(cite([2, 1])).toBe('T1, T2');
    expect(cite([7])).toBe('T7');
    expect(cite([])).toBe('');
    expect(cite([3, 4, 5, 5], 'en')).toBe('N3–N5');
  });

  it('puts an undated action under "no dates" in the budget by year', () => {
    const r = report(hostileWorkshop());
    expect(r.budget.byYear.map((l) => l.label)).toEqual(['2026', '2027', r.labels.noDates]);
    expect(r.budget.byYear.at(-1)?.cents).toBe(0);
    expect(r.budget.byTheme.find((l) => l.label === r.labels.noTheme)?.cents).toBe(99);
  });
});

describe('placeholders and hostile content', () => {
  const workshop = hostileWorkshop();
  const r = report(workshop, { showAuthors: true });
  const l = r.labels;

  it('gives an action without owner, dates, funding or theme clear placeholders', () => {
    const empty = r.actions[1]!;
    expect(empty.title).toBe(l.notSet);
    expect(empty.owner).toBe(l.notSet);
    expect(empty.ownerMissing).toBe(true);
    expect(empty.partnersText).toBe(l.notSet);
    expect(empty.periodText).toBe(l.noDates);
    expect(empty.funding).toBe(l.noFunding);
    expect(empty.themesText).toBe(l.noTheme);
    expect(plain(empty.budgetText)).toBe('0,00 €');
    expect(r.timeline.rows[1]?.undated).toBe(true);
    expect(r.organiser).toBe('Aino "Fasilitaattori" 🎻');
    expect(r.participantsText).toBe('1');
  });

  it('says the organiser and participants are not set for a workshop nobody has joined yet', () => {
    const [example] = exampleWorkshops();
    const fresh = report(example!.workshop);
    expect(fresh.organiser).toBe(fresh.labels.notSet);
    expect(fresh.participantsText).toBe(fresh.labels.notSet);
  });

  it('reads an action linked to a deleted theme as "no theme", in the trace too', () => {
    const long = r.actions[2]!;
    expect(long.themesText).toBe(l.noTheme);
    expect(r.trace[2]?.themes).toEqual([]);
    expect(r.themes.map((t) => t.title)).not.toContain('Poistettu teema');
    // A snapshot that still holds the link (say, a theme deleted while a peer linked it).
    const stale: Workshop = {
      ...workshop,
      actions: workshop.actions.map((a, i) =>
        i === 0 ? { ...a, themeIds: [...a.themeIds, 'theme-gone' as ThemeId] } : a,
      ),
    };
    const again = report(stale);
    expect(again.actions[0]?.themes).toEqual([again.themes[0]?.title]);
    expect(again.trace[0]?.themes.map((t) => t.title)).toEqual([again.themes[0]?.title]);
    const onlyGone: Workshop = {
      ...workshop,
      actions: workshop.actions.map((a, i) => (i === 0 ? { ...a, themeIds: ['theme-gone' as ThemeId] } : a)),
    };
    const gone = report(onlyGone);
    expect(gone.actions[0]?.themesText).toBe(l.noTheme);
    expect(gone.trace[0]?.themes).toEqual([]);
    expect(gone.budget.byTheme.find((line) => line.label === l.noTheme)?.cents).toBe(1_234_550 + 99);
  });

  it('keeps a theme without needs, with no needs', () => {
    const empty = r.themes.find((t) => t.title === 'Teema ilman tarpeita');
    expect(empty?.needs).toEqual([]);
    expect(empty?.votes).toBe(0);
  });

  it('turns each control character into a space or a line break, dropping none', () => {
    const need = r.needsByStakeholder.flatMap((g) => g.needs).find((n) => n.text.startsWith('Tarve'));
    expect(need?.text).toMatch(/^Tarve[ \n]+loppu$/);
    expect(need?.text).toHaveLength(`Tarve${CONTROL_CHARACTERS}loppu`.length);
    expect(need?.text).toContain('\n');
    // One-line fields hold no line break at all.
    expect(r.title).toMatch(/^Työpaja +"lainaus"/);
    expect(r.actions[0]?.description).toBe('Kuvaus\njatkuu\nrivillä "lainaus" <i>kursiivi</i>');
    const texts = [
      r.title,
      ...r.needsByStakeholder.flatMap((g) => [g.name, ...g.needs.flatMap((n) => [n.text, n.stakeholder])]),
      ...r.themes.map((t) => t.title),
      ...r.actions.flatMap((a) => [a.title, a.description, a.owner, a.partnersText, a.funding, a.indicator]),
    ];
    for (const text of texts) expect(text).not.toMatch(CONTROL);
    for (const text of [r.title, ...r.themes.map((t) => t.title), ...r.actions.map((a) => a.title)]) {
      expect(text).not.toMatch(/[\n\t]/);
    }
  });

  it('keeps 5,000-character texts and emoji whole', () => {
    expect(r.actions[2]?.title.length).toBeGreaterThanOrEqual(4999);
    expect(r.actions[2]?.description.length).toBeGreaterThanOrEqual(4999);
    expect(r.needsByStakeholder.flatMap((g) => g.needs).some((n) => n.text.includes('👩🏽‍🎨'))).toBe(true);
  });
});

describe('report options', () => {
  const [first] = exampleWorkshops();
  const workshop = first!.workshop;

  it('shows authors only when asked, anonymous where a need has none', () => {
    const hidden = report(workshop);
    expect(hidden.needsByStakeholder.flatMap((g) => g.needs).every((n) => n.author === '')).toBe(true);
    const shown = report(hostileWorkshop(), { showAuthors: true });
    const authors = shown.needsByStakeholder.flatMap((g) => g.needs).map((n) => n.author);
    expect(authors).toContain('Aino "Fasilitaattori" 🎻');
    expect(authors).toContain(shown.labels.anonymous);
  });

  it('names no author in an anonymous workshop, even when authors are asked for', () => {
    const named = hostileWorkshop();
    const anonymous: Workshop = { ...named, facilitation: { ...named.facilitation, anonymous: true } };
    const r = report(anonymous, { showAuthors: true });
    expect(r.showAuthors).toBe(false);
    expect(r.needsByStakeholder.flatMap((g) => g.needs).every((n) => n.author === '')).toBe(true);
    // What each writer prints comes from the report: no author column, no "Author: name".
    const shown = report(named, { showAuthors: true });
    expect(writeMarkdown(shown)).toContain(shown.labels.author);
    expect(writeMarkdown(r)).not.toContain(r.labels.author);
  });

  it('carries the votes switch and keeps the chosen sections in document order', () => {
    const r = report(workshop, { showVotes: false, sections: ['trace', 'summary', 'budget'] });
    expect(r.showVotes).toBe(false);
    expect(r.sections).toEqual(['summary', 'budget', 'trace']);
    expect(report(workshop, { sections: [] }).sections).toEqual([]);
  });
});

describe('languages', () => {
  const workshop = hostileWorkshop();
  const cases: Record<Language, { money: string; period: string; month: string }> = {
    fi: { money: '12 345,50 €', period: 'tammikuu 2026 – kesäkuu 2027', month: 'maalis' },
    sv: { money: '12 345,50 €', period: 'januari 2026 – juni 2027', month: 'mars' },
    et: { money: '12 345,50 €', period: 'jaanuar 2026 – juuni 2027', month: 'märts' },
    en: { money: '€12,345.50', period: 'January 2026 – June 2027', month: 'Mar' },
  };
  for (const [language, expected] of Object.entries(cases) as [Language, (typeof cases)['fi']][]) {
    it(`${language}: money, months and labels in the language`, () => {
      const r = report(workshop, { language });
      expect(r.language).toBe(language);
      expect(plain(r.actions[0]!.budgetText)).toBe(expected.money);
      expect(r.actions[0]?.periodText).toBe(expected.period);
      expect(r.timeline.columns[2]?.label).toBe(expected.month);
      expect(r.labels.actionBudget).toBe(
        { fi: 'Budjetti', sv: 'Budget', et: 'Eelarve', en: 'Budget' }[language],
      );
    });
  }

  it('dates the report in words', () => {
    expect(report(workshop, { language: 'fi' }).dateText).toBe('6. joulukuuta 2026');
    expect(report(workshop, { language: 'en' }).dateText).toBe('6 December 2026');
  });
});

describe('timeline scale', () => {
  const workshop = hostileWorkshop();

  it('shows up to 18 months by month', () => {
    // The hostile plan runs January 2026 to June 2027: 18 months.
    const t = report(workshop).timeline;
    expect(t.scale).toBe('month');
    expect(t.columns).toHaveLength(18);
    expect(t.years).toEqual([
      { year: 2026, span: 12 },
      { year: 2027, span: 6 },
    ]);
    expect(t.rows[0]?.cells.every(Boolean)).toBe(true);
    expect(t.rows[2]?.cells.filter(Boolean)).toHaveLength(1);
    expect(t.rows[2]?.cells[2]).toBe(true);
  });

  it('shows more than 18 months by quarter', () => {
    const longer: Workshop = {
      ...workshop,
      actions: workshop.actions.map((a, i) => (i === 0 ? { ...a, end: '2027-07' } : a)),
    };
    const t = report(longer).timeline;
    expect(t.scale).toBe('quarter');
    expect(t.columns.map((c) => `${c.label} ${c.year}`)).toEqual([
      'Q1 2026',
      'Q2 2026',
      'Q3 2026',
      'Q4 2026',
      'Q1 2027',
      'Q2 2027',
      'Q3 2027',
    ]);
    expect(sum(t.years.map((y) => y.span))).toBe(t.columns.length);
    // March 2026 falls in the first quarter.
    expect(t.rows[2]?.cells).toEqual([true, false, false, false, false, false, false]);
  });

  it('has no columns when no action is dated, and every row undated', () => {
    const undated: Workshop = {
      ...workshop,
      actions: workshop.actions.map((a) => ({ ...a, start: null, end: null })),
    };
    const r = report(undated);
    expect(r.timeline.columns).toEqual([]);
    expect(r.timeline.rows.every((row) => row.undated)).toBe(true);
    expect(r.summary.periodText).toBe(r.labels.noDates);
  });
});

describe('the plan in the report', () => {
  const workshop = planWorkshop();
  const r = report(workshop);

  it('shows each action’s funding split with amounts and shares, its work package, objectives and renamed status', () => {
    const card = r.actions[0]!;
    expect(card.split.map((l) => [l.source, plain(l.text), plain(l.shareText)])).toEqual([
      ['Opetus- ja kulttuuriministeriö', '160 000,00 €', '80 %'],
      ['Kunnat', '40 000,00 €', '20 %'],
    ]);
    expect(card.workPackage).toBe('TP1 Kulttuuri kouluissa');
    expect(card.objectives).toEqual(['Kulttuurihyvinvointi kaikille']);
    // The facilitator renamed "pilot"; the others keep the locale's names.
    expect(r.actions.map((a) => a.statusText)).toEqual(['Kokeilu', 'Suunniteltu', 'Ehdotus']);
    // An older action's one budget and funding read as one line.
    expect(r.actions[2]?.split.map((l) => [l.source, l.cents])).toEqual([['Leader', 12_000_00]]);
  });

  it('sums each work package from its actions, and lists the objectives with the actions serving them', () => {
    expect(r.packages.map((p) => [p.title, p.owner, p.budgetCents, p.actions.map((a) => a.number)])).toEqual([
      ['TP1 Kulttuuri kouluissa', 'Mikkelin kaupunki', 200_000_00, [1]],
      ['TP2 Tapahtumat', 'Savonlinnan kaupunki', 150_000_00, [2]],
    ]);
    expect(r.budget.byPackage.map((l) => [l.label, l.cents])).toEqual([
      ['TP1 Kulttuuri kouluissa', 200_000_00],
      ['TP2 Tapahtumat', 150_000_00],
      [r.labels.noPackage, 12_000_00],
    ]);
    expect(r.objectives.map((o) => [o.title, o.area, o.actions.map((a) => a.title)])).toEqual([
      ['Kulttuurihyvinvointi kaikille', 'Hyvinvointi', ['Kulttuurikortti koululaisille']],
      ['Elinvoimainen keskusta', 'Talous', []],
    ]);
  });

  it('totals by source over the splits, checks the sum against the budget range and splits the municipal share by population', () => {
    expect(r.budget.byFunding.map((l) => [l.label, l.cents])).toEqual([
      ['Opetus- ja kulttuuriministeriö', 280_000_00],
      ['Kunnat', 70_000_00],
      ['Leader', 12_000_00],
    ]);
    expect(r.budget.check?.standing).toBe('under');
    expect(plain(r.budget.check?.frameText ?? '')).toBe('475 000,00 € – 525 000,00 €');
    expect(plain(r.budget.check?.standingText ?? '')).toBe('113 000,00 € alle budjettikehyksen');
    const sharing = r.budget.costSharing!;
    expect(sharing.shareCents).toBe(70_000_00);
    expect(sharing.rows.map((row) => [row.municipality, row.cents])).toEqual([
      ['Mikkeli', 36_400_00],
      ['Savonlinna', 22_400_00],
      ['Pieksämäki', 11_200_00],
    ]);
    expect(sharing.differenceCents).toBe(0);
  });

  it('shows municipalities with their baselines and the needs per municipality and stakeholder group', () => {
    expect(r.municipalities[0]).toEqual({
      name: 'Mikkeli',
      populationText: '52\u00a0000',
      baseline: 'Kulttuuripalvelut keskittyvät keskustaan.',
      indicators: [{ label: 'Kulttuurimenot €/asukas', value: '41' }],
    });
    expect(r.heat?.groups).toEqual(['Nuoret', 'Yhdistykset']);
    expect(r.heat?.rows.map((row) => [row.municipality, ...row.counts])).toEqual([
      ['Mikkeli', 1, 1],
      ['Savonlinna', 1, 0],
    ]);
  });

  it('limited to one work package: its title says so, and its actions, themes, needs and totals are the package’s', () => {
    const scoped = report(workshop, { scope: { kind: 'package', packageId: 'wp-schools' } });
    expect(scoped.title).toBe('Elinvoimaa kulttuurista – Työpaketti: TP1 Kulttuuri kouluissa');
    expect(scoped.actions.map((a) => a.title)).toEqual(['Kulttuurikortti koululaisille']);
    expect(scoped.budget.totalCents).toBe(200_000_00);
    expect(scoped.budget.byFunding.map((l) => [l.label, l.cents])).toEqual([
      ['Opetus- ja kulttuuriministeriö', 160_000_00],
      ['Kunnat', 40_000_00],
    ]);
    expect(scoped.themes.map((t) => t.title)).toEqual(['Nuorten harrastukset']);
    expect(scoped.needsByStakeholder.flatMap((g) => g.needs.map((n) => n.text))).toEqual([
      'Harrastuksia koulupäivän jälkeen',
      'Tiloja bändeille',
    ]);
    expect(scoped.packages.map((p) => p.title)).toEqual(['TP1 Kulttuuri kouluissa']);
    expect(scoped.objectives.map((o) => o.title)).toEqual(['Kulttuurihyvinvointi kaikille']);
    // The plan's range is the whole plan's; the package's municipal share is split by the key.
    expect(scoped.budget.check).toBeNull();
    expect(scoped.budget.costSharing?.shareCents).toBe(40_000_00);
  });

  it('limited to one owner: only that owner’s actions', () => {
    const scoped = report(workshop, { scope: { kind: 'owner', owner: 'savonlinnan KAUPUNKI' } });
    expect(scoped.title).toBe('Elinvoimaa kulttuurista – Vastuutaho: savonlinnan KAUPUNKI');
    expect(scoped.actions.map((a) => a.title)).toEqual(['Yhteinen kesäfestivaali']);
    expect(scoped.summary.totalBudgetCents).toBe(150_000_00);
    expect(scoped.packages.map((p) => p.title)).toEqual(['TP2 Tapahtumat']);
  });

  it('leaves out the plan’s sections in a workshop without a plan', () => {
    const old = report(hostileWorkshop());
    expect(old.sections).not.toContain('packages');
    expect(old.sections).not.toContain('objectives');
    expect(old.budget.byPackage).toEqual([]);
    expect(old.budget.check).toBeNull();
    expect(old.budget.costSharing).toBeNull();
    expect(r.sections).toContain('packages');
    expect(r.sections).toContain('objectives');
  });

  it('reads a scope from outside, refusing a malformed one', () => {
    const defaults = defaultReportOptions(workshop, DATE);
    expect(
      parseReportOptions({ scope: { kind: 'package', packageId: 'wp-events' } }, defaults),
    ).toMatchObject({
      ok: true,
      value: { scope: { kind: 'package', packageId: 'wp-events' } },
    });
    expect(parseReportOptions({ scope: { kind: 'owner', owner: ' ' } }, defaults).ok).toBe(false);
    expect(parseReportOptions({ scope: 'wp-events' }, defaults).ok).toBe(false);
    expect(parseReportOptions({}, defaults)).toMatchObject({ ok: true, value: { scope: null } });
  });
});

describe('cost sharing by agreed amounts', () => {
  it('shows the amounts against the municipal share, with the difference when they do not match', () => {
    const doc = planDoc();
    setCostShareMethod(doc, 'amount');
    const [mikkeli, savonlinna, pieksamaki] = readWorkshop(doc).plan.municipalities;
    setCostShare(doc, mikkeli!.id, 40_000_00);
    setCostShare(doc, savonlinna!.id, 20_000_00);
    setCostShare(doc, pieksamaki!.id, 5_000_00);
    const r = report(readWorkshop(doc));
    const sharing = r.budget.costSharing!;
    expect(plain(sharing.methodText)).toBe('Sovitut summat');
    expect(sharing.totalCents).toBe(65_000_00);
    expect(sharing.differenceCents).toBe(-5_000_00);
    expect(writeMarkdown(r)).toContain(
      `| **${r.labels.costSharingDifference}** | **${sharing.differenceText}** |  |`,
    );
    // Amounts agreed for the whole plan say nothing of one package's share: no table there.
    const scoped = report(readWorkshop(doc), { scope: { kind: 'package', packageId: 'wp-schools' } });
    expect(scoped.budget.costSharing).toBeNull();
  });
});
