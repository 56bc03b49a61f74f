/**
 * The CSV exports read back as a spreadsheet would: every example's actions and needs parsed with
 * an RFC 4180 reader, and the hostile workshop's cells checked for the formula guard, emoji,
 * 5,000-character texts and control characters.
 */
import { describe, expect, it } from 'vitest';
import type { Language } from '../model/schema';
import { translate } from '../i18n';
import { writeActionsCsv, writeNeedsCsv } from './csv';
import { buildReport, defaultReportOptions, type Report, type ReportOptions } from './model';
import { exampleWorkshops, FORMULA_LIKE, hostileWorkshop, planWorkshop } from './sample-workshops';

const DATE = '2026-12-06';

/** Parses CSV as RFC 4180 says: quoted fields may hold the delimiter, quotes and line breaks. */
function parseCsv(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === delimiter) {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (quoted) throw new Error('unclosed quote');
  if (cell !== '' || row.length) throw new Error('last row does not end in CRLF');
  return rows;
}

const DELIMITER: Record<Language, string> = { fi: ';', sv: ';', et: ';', en: ',' };
const BUDGET_WORD: Record<Language, string> = { fi: 'Budjetti', sv: 'Budget', et: 'Eelarve', en: 'Budget' };

/** Cents as the file should hold them, worked out apart from the writer. */
function euros(cents: number, language: Language): string {
  const text = (cents / 100).toFixed(2);
  return language === 'en' ? text : text.replace('.', ',');
}

function read(text: string, language: Language): string[][] {
  expect(text.startsWith('\uFEFF')).toBe(true);
  return parseCsv(text.slice(1), DELIMITER[language]);
}

function reportOf(name: string, options: Partial<ReportOptions> = {}): Report {
  const example = exampleWorkshops().find((e) => e.name === name);
  if (!example) throw new Error(name);
  return buildReport(example.workshop, { ...defaultReportOptions(example.workshop, DATE), ...options });
}

// Control characters that must never reach a file raw (tab included: the writer turns it into a space).
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029]/;

describe('actions CSV', () => {
  for (const { name, workshop } of exampleWorkshops()) {
    it(`${name}: one localized header row and one row per action, budget in euros with cents`, () => {
      const report = buildReport(workshop, defaultReportOptions(workshop, DATE));
      const language = report.language;
      const text = writeActionsCsv(report);
      const [header, ...rows] = read(text, language);
      expect(header).toEqual([
        report.labels.number,
        report.labels.action,
        report.labels.actionThemes,
        report.labels.owner,
        report.labels.partners,
        report.labels.start,
        report.labels.end,
        BUDGET_WORD[language],
        // The split: one amount column per funding source, right after the total.
        ...report.fundingSources.map((source) => translate(language, 'report.fundingColumn', { source })),
        report.labels.funding,
        ...(report.showPackages ? [report.labels.package] : []),
        ...(report.showObjectives ? [report.labels.actionObjectives] : []),
        report.labels.indicator,
        report.labels.status,
        report.labels.description,
      ]);
      // No totals row: exactly one row per action, numbered as in the plan.
      expect(rows).toHaveLength(report.actions.length);
      expect(rows.length).toBeGreaterThan(0);
      const status = header!.indexOf(report.labels.status);
      rows.forEach((row, i) => {
        const action = report.actions[i]!;
        expect(row).toHaveLength(header!.length);
        expect(row[0]).toBe(String(i + 1));
        expect(row[1]).toBe(action.title);
        expect(row[3]).toBe(action.owner);
        expect(row[5]).toBe(action.start ?? '');
        expect(row[6]).toBe(action.end ?? '');
        expect(row[5]).toMatch(/^(\d{4}-\d{2})?$/);
        expect(row[7]).toBe(euros(action.budgetCents, language));
        expect(row[7]).toMatch(language === 'en' ? /^\d+\.\d\d$/ : /^\d+,\d\d$/);
        expect(row[status]).toBe(action.statusText);
        // The split's amounts add up to the budget.
        const split = row.slice(8, 8 + report.fundingSources.length).filter(Boolean);
        expect(split.reduce((sum, cell) => sum + Math.round(Number(cell.replace(',', '.')) * 100), 0)).toBe(
          action.budgetCents,
        );
      });
      expect(rows.some((row) => row.includes(report.labels.total))).toBe(false);
      // The delimiter suits the language's Excel: `;` where the comma is the decimal mark.
      expect(text.split('\r\n')[0]).toContain(DELIMITER[language]);
    });
  }

  it('writes 12 345,50 € as 12345,50 in Finnish and 12345.50 in English, no thousands separator', () => {
    const workshop = hostileWorkshop();
    for (const language of ['fi', 'en'] as const) {
      const report = buildReport(workshop, { ...defaultReportOptions(workshop, DATE), language });
      const rows = read(writeActionsCsv(report), language);
      expect(rows[1]?.[7]).toBe(language === 'fi' ? '12345,50' : '12345.50');
      expect(rows[3]?.[7]).toBe(language === 'fi' ? '0,99' : '0.99');
    }
  });
});

describe('needs CSV', () => {
  for (const { name, workshop } of exampleWorkshops()) {
    it(`${name}: one row per need with group, municipality, theme and votes`, () => {
      const report = buildReport(workshop, defaultReportOptions(workshop, DATE));
      const [header, ...rows] = read(writeNeedsCsv(report), report.language);
      const l = report.labels;
      expect(header).toEqual([l.number, l.need, l.stakeholder, l.municipality, l.theme, l.votes]);
      expect(rows).toHaveLength(report.summary.needCount);
      const needs = report.needsByStakeholder.flatMap((g) => g.needs);
      // Each need's number is the one the documents cite it by (T1, T2, …).
      expect(rows.map((r) => r[0])).toEqual(needs.map((n) => n.ref));
      expect(rows.map((r) => r[1])).toEqual(needs.map((n) => n.text));
      expect(rows.map((r) => r[2])).toEqual(needs.map((n) => n.stakeholder));
      expect(rows.map((r) => r[4])).toEqual(needs.map((n) => n.theme));
      expect(rows.map((r) => Number(r[5]))).toEqual(needs.map((n) => n.votes));
    });
  }

  it('leaves votes out when hidden and adds the author when shown', () => {
    const report = reportOf('example-etela-savo-fi', { showVotes: false, showAuthors: true });
    const [header, ...rows] = read(writeNeedsCsv(report), 'fi');
    expect(header).toEqual(['Nro', 'Tarve', 'Sidosryhmä', 'Kunta', 'Teema', report.labels.author]);
    expect(rows.every((r) => r.length === 6)).toBe(true);
    expect(rows.map((r) => r[0]).slice(0, 3)).toEqual(['T1', 'T2', 'T3']);
    expect(rows.every((r) => r[5] === report.labels.anonymous)).toBe(true);
  });
});

describe('a plan with co-funding, work packages and objectives as CSV', () => {
  const workshop = planWorkshop();
  const report = buildReport(workshop, defaultReportOptions(workshop, DATE));
  const [header = [], ...rows] = read(writeActionsCsv(report), 'fi');
  const column = (name: string): number => header.indexOf(name);

  it('keeps one row per action, the total budget in the budget column and the split in a column per source after it', () => {
    expect(rows).toHaveLength(3);
    const budget = column('Budjetti');
    expect(header.slice(budget, budget + 4)).toEqual([
      'Budjetti',
      'Opetus- ja kulttuuriministeriö (summa)',
      'Kunnat (summa)',
      'Leader (summa)',
    ]);
    // 80 % / 20 % of 200 000 €; the festival likewise; the calendar from Leader alone.
    expect(rows.map((r) => r.slice(budget, budget + 4))).toEqual([
      ['200000,00', '160000,00', '40000,00', ''],
      ['150000,00', '120000,00', '30000,00', ''],
      ['12000,00', '', '', '12000,00'],
    ]);
  });

  it('names each action’s work package, objectives and status by the facilitator’s name for it', () => {
    expect(rows.map((r) => r[column('Työpaketti')])).toEqual([
      'TP1 Kulttuuri kouluissa',
      'TP2 Tapahtumat',
      '',
    ]);
    expect(rows.map((r) => r[column('Tavoitteet')])).toEqual(['Kulttuurihyvinvointi kaikille', '', '']);
    expect(rows.map((r) => r[column('Tila')])).toEqual(['Kokeilu', 'Suunniteltu', 'Ehdotus']);
  });

  it('limited to one work package, has only its actions', () => {
    const scoped = buildReport(workshop, {
      ...defaultReportOptions(workshop, DATE),
      scope: { kind: 'package', packageId: 'wp-events' },
    });
    const [head = [], ...only] = read(writeActionsCsv(scoped), 'fi');
    expect(only.map((r) => r[head.indexOf('Toimenpide')])).toEqual(['Yhteinen kesäfestivaali']);
    expect(head).not.toContain('Leader (summa)');
  });
});

describe('hostile workshop as CSV', () => {
  const workshop = hostileWorkshop();
  const report = buildReport(workshop, { ...defaultReportOptions(workshop, DATE), showAuthors: true });
  const actionsText = writeActionsCsv(report);
  const needsText = writeNeedsCsv(report);
  const actions = read(actionsText, 'fi');
  const needs = read(needsText, 'fi');
  const [header = []] = actions;
  const l = report.labels;
  const col = (name: string): number => header.indexOf(name);

  it('starts every formula-like cell with an apostrophe, so no spreadsheet runs it', () => {
    for (const cell of [...actions, ...needs].flat()) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    const [, hostile] = actions;
    expect(hostile?.[1]).toMatch(/^'=HYPERLINK\("http:\/\/example\.invalid","click"\)/);
    expect(hostile?.[3]).toBe("'@Omistaja");
    expect(hostile?.[4]).toBe("'-Kumppani, =Kunta, Tab here");
    expect(hostile?.[col(l.funding)]).toBe("'+Rahoittaja");
    expect(hostile?.[col(l.indicator)]).toMatch(/^'-Mittari/);
    // A source's column is headed by its name, guarded too.
    expect(header).toContain("'+Rahoittaja (summa)");
    const formulaNeed = needs.find((r) => r[1]?.includes('@SUM(1,2)'));
    expect(formulaNeed?.[1]).toBe(`'${FORMULA_LIKE.join('\n')}`);
    expect(formulaNeed?.[2]).toBe("'@Yhdistykset | *tähti* _alaviiva_ # otsikko");
    expect(formulaNeed?.[3]).toBe("'+Savonlinna");
    expect(needs.some((r) => r[2]?.startsWith("'=Kunnat"))).toBe(true);
  });

  it('keeps emoji, quotes, markup and 5,000-character texts whole', () => {
    expect(actions[1]?.[1]).toContain('🎭');
    const emojiNeed = needs.find((r) => r[1]?.includes('👩🏽‍🎨'));
    expect(emojiNeed?.[1]).toBe('🎭🎻 👩🏽‍🎨 "lainaus" ‘quote’ „citat” <script>alert(1)</script> | a | b |');
    expect(actions[3]?.[1]).toHaveLength(report.actions[2]!.title.length);
    expect(actions[3]?.[1]?.length).toBeGreaterThanOrEqual(4999);
    expect(actions[3]?.[col(l.description)]).toBe(report.actions[2]!.description);
    expect(needs.some((r) => (r[1]?.length ?? 0) >= 4999)).toBe(true);
  });

  it('keeps line breaks inside quoted cells and no other control character', () => {
    expect(actions[1]?.[col(l.description)]).toBe('Kuvaus\njatkuu\nrivillä "lainaus" <i>kursiivi</i>');
    for (const [text, rows] of [
      [actionsText, actions],
      [needsText, needs],
    ] as const) {
      expect(text).not.toMatch(RAW_CONTROL);
      // Every carriage return ends a row.
      expect(text.split('\r').length - 1).toBe(rows.length);
      expect(text.split('\r\n').length - 1).toBe(rows.length);
      for (const cell of rows.flat()) expect(cell).not.toMatch(RAW_CONTROL);
    }
  });

  it('writes the placeholders of an action with no owner, dates or funding', () => {
    const empty = actions[2];
    expect(empty?.[1]).toBe(report.labels.notSet);
    expect(empty?.[2]).toBe(report.labels.noTheme);
    expect(empty?.[3]).toBe(report.labels.notSet);
    expect(empty?.[5]).toBe('');
    expect(empty?.[6]).toBe('');
    expect(empty?.[7]).toBe('0,00');
    expect(empty?.[col(l.funding)]).toBe(report.labels.noFunding);
    // The action linked only to a deleted theme reads "no theme".
    expect(actions[3]?.[2]).toBe(report.labels.noTheme);
  });
});
