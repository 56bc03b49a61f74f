import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildReport, defaultReportOptions, type Report, type ReportOptions } from './model';
import { looksLikeFormula } from './sanitise';
import { exampleWorkshops, FORMULA_LIKE, hostileWorkshop, longText, planWorkshop } from './sample-workshops';
import { translate } from '../i18n';
import { monthRange } from '../money';
import { writeXlsx } from './xlsx';
import { sheetNames } from './xlsx-cells';

// ---- Reading an XLSX back: just enough of SpreadsheetML for what the writer emits. ----

type Value = number | string | boolean | null;
type Cell = { value: Value; formula?: string; style: number };
type Sheet = { name: string; xml: string; cells: Map<string, Cell> };
type Book = { parts: Record<string, string>; sheets: Sheet[]; textFormatStyles: Set<number> };

function decode(xml: string): string {
  return xml
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

function attr(attributes: string, name: string): string | undefined {
  const match = new RegExp(`(?:^|\\s)${name}="([^"]*)"`).exec(attributes);
  return match ? decode(match[1] ?? '') : undefined;
}

async function readBook(report: Report): Promise<Book> {
  const zip = unzipSync(await writeXlsx(report));
  const parts = Object.fromEntries(Object.entries(zip).map(([name, bytes]) => [name, strFromU8(bytes)]));
  const shared = [...(parts['xl/sharedStrings.xml'] ?? '').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((si) =>
    [...(si[1] ?? '').matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)].map((t) => decode(t[1] ?? '')).join(''),
  );
  const targets = new Map(
    [...(parts['xl/_rels/workbook.xml.rels'] ?? '').matchAll(/<Relationship\s([^>]*?)\/>/g)].map((r) => [
      attr(r[1] ?? '', 'Id'),
      attr(r[1] ?? '', 'Target'),
    ]),
  );
  const sheets = [...(parts['xl/workbook.xml'] ?? '').matchAll(/<sheet\s([^>]*?)\/>/g)].map((s): Sheet => {
    const name = attr(s[1] ?? '', 'name') ?? '';
    const xml = parts[`xl/${targets.get(attr(s[1] ?? '', 'r:id')) ?? ''}`] ?? '';
    const cells = new Map<string, Cell>();
    for (const c of xml.matchAll(/<c\s([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const attributes = c[1] ?? '';
      const inner = c[2] ?? '';
      const formula = /<f>([\s\S]*?)<\/f>/.exec(inner)?.[1];
      const raw = /<v>([\s\S]*?)<\/v>/.exec(inner)?.[1];
      const type = attr(attributes, 't');
      let value: Value = null;
      if (raw !== undefined) {
        if (type === 's') value = shared[Number(raw)] ?? null;
        else if (type === 'str') value = decode(raw);
        else if (type === 'b') value = raw === '1';
        else value = Number(raw);
      }
      cells.set(attr(attributes, 'r') ?? '', {
        value,
        style: Number(attr(attributes, 's') ?? 0),
        ...(formula === undefined ? {} : { formula: decode(formula) }),
      });
    }
    return { name, xml, cells };
  });
  // Styles whose number format is Text (`@`): built-in 49 or a custom format coded `@`.
  const styles = parts['xl/styles.xml'] ?? '';
  const textFormats = new Set([49]);
  for (const f of styles.matchAll(/<numFmt\s([^>]*?)\/>/g)) {
    if (attr(f[1] ?? '', 'formatCode') === '@') textFormats.add(Number(attr(f[1] ?? '', 'numFmtId')));
  }
  const cellXfs = /<cellXfs[^>]*>([\s\S]*?)<\/cellXfs>/.exec(styles)?.[1] ?? '';
  const textFormatStyles = new Set<number>();
  [...cellXfs.matchAll(/<xf\s([^>]*?)\/?>/g)].forEach((xf, i) => {
    if (textFormats.has(Number(attr(xf[1] ?? '', 'numFmtId') ?? 0))) textFormatStyles.add(i);
  });
  return { parts, sheets, textFormatStyles };
}

function sheet(book: Book, name: string): Sheet {
  const found = book.sheets.find((s) => s.name === name);
  if (!found) throw new Error(`no sheet ${name} in ${book.sheets.map((s) => s.name).join(', ')}`);
  return found;
}

function colLetters(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

function colIndex(letters: string): number {
  return [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
}

/** The row's values of `sheet` as an array (A, B, …), up to the last cell. */
function rowValues(s: Sheet, row: number): Value[] {
  const values: Value[] = [];
  for (const [address, cell] of s.cells) {
    const match = /^([A-Z]+)(\d+)$/.exec(address);
    if (match && Number(match[2]) === row) values[colIndex(match[1] ?? '')] = cell.value;
  }
  return Array.from(values, (v) => v ?? null);
}

function lastRow(s: Sheet): number {
  return Math.max(0, ...[...s.cells.keys()].map((a) => Number(/\d+$/.exec(a)?.[0])));
}

// ---- A small evaluator of exactly the formulas the writer emits. ----

type Result = Value | Value[];

/** Recalculates every formula of `book` from the cells' current values, as a spreadsheet does. */
function recalc(book: Book): (sheetName: string, address: string) => Value {
  const cache = new Map<string, Result>();
  const cellOf = (sheetName: string, address: string): Result => {
    const key = `${sheetName}!${address}`;
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    const cell = sheet(book, sheetName).cells.get(address);
    const value: Result =
      cell?.formula !== undefined ? evaluate(cell.formula, sheetName) : (cell?.value ?? null);
    cache.set(key, value);
    return value;
  };
  const rangeOf = (sheetName: string, from: string, to: string): Value[] => {
    const [, c1 = '', r1 = ''] = /^([A-Z]+)(\d+)$/.exec(from) ?? [];
    const [, c2 = '', r2 = ''] = /^([A-Z]+)(\d+)$/.exec(to) ?? [];
    const values: Value[] = [];
    for (let r = Number(r1); r <= Number(r2); r++)
      for (let c = colIndex(c1); c <= colIndex(c2); c++) {
        const v = cellOf(sheetName, `${colLetters(c)}${r}`);
        if (Array.isArray(v)) throw new Error('array in a cell');
        values.push(v);
      }
    return values;
  };

  function evaluate(formula: string, here: string): Result {
    const matches = [
      ...formula.matchAll(
        /\s*("(?:[^"]|"")*"|'(?:[^']|'')+'!|[A-Za-z_][\w.]*!|\$?[A-Z]+\$?\d+(?::\$?[A-Z]+\$?\d+)?|\d+(?:\.\d+)?|[A-Z][A-Z0-9.]*(?=\()|[-+*/=(),])/gy,
      ),
    ];
    if (matches.map((m) => m[0]).join('') !== formula) throw new Error(`cannot read formula ${formula}`);
    const tokens = matches.map((m) => m[1] ?? '');
    let at = 0;
    const peek = (): string | undefined => tokens[at];
    const next = (): string => {
      const token = tokens[at++];
      if (token === undefined) throw new Error(`formula ended early: ${formula}`);
      return token;
    };
    const expect_ = (token: string): void => {
      if (next() !== token) throw new Error(`expected ${token} in ${formula}`);
    };
    const num = (v: Value): number =>
      typeof v === 'number' ? v : v === true ? 1 : v === null || v === false ? 0 : NaN;
    const elementwise = (a: Result, b: Result, op: (x: Value, y: Value) => Value): Result => {
      if (Array.isArray(a) || Array.isArray(b)) {
        const length = Array.isArray(a) ? a.length : (b as Value[]).length;
        return Array.from({ length }, (_, i) =>
          op(Array.isArray(a) ? (a[i] ?? null) : a, Array.isArray(b) ? (b[i] ?? null) : b),
        );
      }
      return op(a, b);
    };
    const scalar = (r: Result): Value => {
      if (Array.isArray(r)) throw new Error(`array where a value is wanted: ${formula}`);
      return r;
    };
    const text = (v: Value): string => (v === null ? '' : String(v));

    const primary = (): Result => {
      const token = next();
      if (token === '(') {
        const value = comparison();
        expect_(')');
        return value;
      }
      if (token === '-') return elementwise(primary(), null, (x) => -num(x));
      if (token.startsWith('"')) return token.slice(1, -1).replace(/""/g, '"');
      if (/^\d/.test(token)) return Number(token);
      let sheetName = here;
      let ref = token;
      if (token.endsWith('!')) {
        sheetName = token.startsWith("'") ? token.slice(1, -2).replace(/''/g, "'") : token.slice(0, -1);
        ref = next();
      }
      const refMatch = /^\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$/.exec(ref);
      if (refMatch && peek() !== '(') {
        const [, c1, r1, c2, r2] = refMatch;
        if (c2 === undefined) return cellOf(sheetName, `${c1}${r1}`);
        return rangeOf(sheetName, `${c1}${r1}`, `${c2}${r2}`);
      }
      expect_('(');
      const args: Result[] = [];
      if (peek() !== ')') {
        args.push(comparison());
        while (peek() === ',') {
          next();
          args.push(comparison());
        }
      }
      expect_(')');
      const flat = (r: Result | undefined): Value[] => (Array.isArray(r) ? r : [r ?? null]);
      switch (ref) {
        case 'SUM':
          return args.flatMap(flat).reduce<number>((s, v) => s + (typeof v === 'number' ? v : 0), 0);
        case 'SUMPRODUCT':
          return flat(args[0]).reduce<number>((s, v) => s + num(v), 0);
        case 'EXACT':
          return elementwise(args[0] ?? null, args[1] ?? null, (x, y) => text(x) === text(y));
        case 'IF':
          return scalar(args[0] ?? null) ? (args[1] ?? null) : (args[2] ?? null);
        case 'LEFT':
          return text(scalar(args[0] ?? null)).slice(0, num(scalar(args[1] ?? null)));
        case 'INT':
          return Math.floor(num(scalar(args[0] ?? null)));
        case 'ROUND': {
          const factor = 10 ** num(scalar(args[1] ?? null));
          return Math.round(num(scalar(args[0] ?? null)) * factor) / factor;
        }
        case 'MOD': {
          const [a, b] = [num(scalar(args[0] ?? null)), num(scalar(args[1] ?? null))];
          return a - b * Math.floor(a / b);
        }
        case 'MAX':
          return Math.max(...args.flatMap(flat).map(num));
        case 'MIN':
          return Math.min(...args.flatMap(flat).map(num));
        default:
          throw new Error(`the evaluator knows no ${ref} (in ${formula})`);
      }
    };
    const term = (): Result => {
      let value = primary();
      while (peek() === '*' || peek() === '/') {
        const op = next();
        const right = primary();
        value = elementwise(value, right, (x, y) => (op === '*' ? num(x) * num(y) : num(x) / num(y)));
      }
      return value;
    };
    const additive = (): Result => {
      let value = term();
      while (peek() === '+' || peek() === '-') {
        const op = next();
        const right = term();
        value = elementwise(value, right, (x, y) => (op === '+' ? num(x) + num(y) : num(x) - num(y)));
      }
      return value;
    };
    const comparison = (): Result => {
      const left = additive();
      if (peek() !== '=') return left;
      next();
      const right = additive();
      return elementwise(left, right, (x, y) =>
        typeof x === 'number' || typeof y === 'number' ? num(x) === num(y) : text(x) === text(y),
      );
    };
    const value = comparison();
    if (at !== tokens.length) throw new Error(`left over in ${formula}`);
    return value;
  }

  return (sheetName, address) => {
    const value = cellOf(sheetName, address);
    if (Array.isArray(value)) throw new Error(`${address} gives an array`);
    return value;
  };
}

// ---- What the budget sheet says, recalculated. ----

type Line = { label: string; cents: number; share: number; formulas: boolean };

/** The lines of the budget sheet's section titled `title`, recalculated from the actions. */
function budgetSection(book: Book, report: Report, title: string): Line[] {
  const budget = sheet(book, report.labels.budget);
  const value = recalc(book);
  const start = [...budget.cells].find(([, c]) => c.value === title)?.[0];
  if (!start) throw new Error(`no section ${title}`);
  const lines: Line[] = [];
  // The section's title, its header row, then one row per line up to an empty row or the note.
  for (let row = Number(start.slice(1)) + 2; row <= lastRow(budget); row++) {
    const amount = budget.cells.get(`B${row}`);
    if (!amount) break;
    lines.push({
      label: String(budget.cells.get(`A${row}`)?.value ?? ''),
      cents: Math.round(Number(value(budget.name, `B${row}`)) * 100),
      share: Number(value(budget.name, `C${row}`)),
      formulas: amount.formula !== undefined && budget.cells.get(`C${row}`)?.formula !== undefined,
    });
  }
  return lines;
}

function grandTotalCents(book: Book, report: Report): { cents: number; formula: boolean } {
  const budget = sheet(book, report.labels.budget);
  const row = [...budget.cells].find(([, c]) => c.value === report.labels.total)?.[0].slice(1);
  const cell = budget.cells.get(`B${row}`);
  return {
    cents: Math.round(Number(recalc(book)(budget.name, `B${row}`)) * 100),
    formula: cell?.formula !== undefined,
  };
}

/** The column letters of the actions sheet's column headed `headerText`. */
function actionColumn(book: Book, report: Report, headerText: string): string {
  const headers = rowValues(sheet(book, report.labels.actions), 1);
  const index = headers.indexOf(headerText);
  if (index < 0) throw new Error(`no column ${headerText}`);
  return colLetters(index);
}

function withAmount(book: Book, report: Report, header: string, actionIndex: number, euros: number): Book {
  const actions = sheet(book, report.labels.actions);
  const address = `${actionColumn(book, report, header)}${actionIndex + 2}`;
  const cells = new Map(actions.cells);
  const cell = cells.get(address);
  cells.set(address, { style: cell?.style ?? 0, value: euros });
  return { ...book, sheets: book.sheets.map((s) => (s === actions ? { ...s, cells } : s)) };
}

const DATE = '2026-12-06';

function reportOf(
  workshop: Parameters<typeof defaultReportOptions>[0],
  options: Partial<ReportOptions> = {},
): Report {
  return buildReport(workshop, { ...defaultReportOptions(workshop, DATE), ...options });
}

const cases = [
  ...exampleWorkshops().map(({ name, workshop }) => ({ name, report: reportOf(workshop) })),
  { name: 'hostile', report: reportOf(hostileWorkshop()) },
  // Co-funded actions, work packages, objectives.
  { name: 'plan', report: reportOf(planWorkshop()) },
  {
    name: 'plan, one work package',
    report: reportOf(planWorkshop(), { scope: { kind: 'package', packageId: 'wp-schools' } }),
  },
];

describe.each(cases)('the spreadsheet of $name', ({ report }) => {
  it('names its sheets and headers in the report language, within Excel’s rules', async () => {
    const book = await readBook(report);
    expect(book.sheets.map((s) => s.name)).toEqual([
      report.labels.actions,
      report.labels.budget,
      report.labels.needs,
      // The voting rounds' history, when the workshop has a revealed round.
      ...(report.rounds.length ? [report.labels.voting] : []),
      // The helper sheets behind the totals by theme and by year.
      report.labels.budgetByTheme,
      report.labels.budgetByYear,
    ]);
    for (const s of book.sheets) {
      expect(s.name.length).toBeLessThanOrEqual(31);
      expect(s.name).not.toMatch(/[[\]:*?/\\]/);
    }
    const headers = rowValues(sheet(book, report.labels.actions), 1);
    const { labels } = report;
    expect(headers).toEqual([
      '#',
      labels.action,
      labels.actionThemes,
      labels.owner,
      labels.partners,
      labels.start,
      labels.end,
      labels.actionBudget,
      // The split: one amount column per funding source.
      ...report.fundingSources.map((source) =>
        translate(report.language, 'report.fundingColumn', { source }),
      ),
      labels.funding,
      ...(report.showPackages || report.budget.byPackage.length ? [labels.package] : []),
      ...(report.showObjectives ? [labels.actionObjectives] : []),
      labels.indicator,
      labels.status,
      labels.description,
    ]);
    // The header row stays in view while the actions scroll.
    expect(sheet(book, labels.actions).xml).toMatch(/<pane [^>]*ySplit="1"[^>]*state="frozen"/);
  });

  it('has one row per action with its title, owner, months and budget as a number in euros', async () => {
    const book = await readBook(report);
    const actions = sheet(book, report.labels.actions);
    expect(lastRow(actions)).toBe(report.actions.length + 1);
    const { labels } = report;
    const at = (header: string, i: number): Cell | undefined =>
      actions.cells.get(`${actionColumn(book, report, header)}${i + 2}`);
    report.actions.forEach((action, i) => {
      expect(at('#', i)?.value).toBe(action.number);
      expect(at(labels.action, i)?.value).toBe(action.title);
      expect(at(labels.owner, i)?.value).toBe(action.owner);
      expect(at(labels.actionThemes, i)?.value).toBe(action.themesText);
      expect(at(labels.funding, i)?.value).toBe(action.funding);
      expect(at(labels.status, i)?.value).toBe(action.statusText);
      expect(at(labels.start, i)?.value ?? null).toBe(action.start);
      expect(at(labels.end, i)?.value ?? null).toBe(action.end);
      // The budget is the sum of the split's amounts, one column per source.
      const budget = at(labels.actionBudget, i);
      expect(
        Math.round(
          Number(recalc(book)(actions.name, `${actionColumn(book, report, labels.actionBudget)}${i + 2}`)) *
            100,
        ),
      ).toBe(action.budgetCents);
      if (action.split.length) expect(budget?.formula).toMatch(/^SUM\(/);
      report.fundingSources.forEach((source, k) => {
        const cell = at(translate(report.language, 'report.fundingColumn', { source }), i);
        expect(Math.round(Number(cell?.value ?? 0) * 100)).toBe(action.bySource[k]);
      });
    });
  });

  it('shows money with two decimals, grouped, in the currency', async () => {
    const book = await readBook(report);
    const formats = [...(book.parts['xl/styles.xml'] ?? '').matchAll(/formatCode="([^"]*)"/g)].map((m) =>
      decode(m[1] ?? ''),
    );
    expect(formats.some((f) => f.includes('#,##0.00') && f.includes('€'))).toBe(true);
  });

  it('totals the budget with formulas that give the model’s totals to the cent', async () => {
    const book = await readBook(report);
    const { labels, budget } = report;
    const total = grandTotalCents(book, report);
    expect(total.formula).toBe(true);
    expect(total.cents).toBe(budget.totalCents);
    for (const [title, lines] of [
      [labels.budgetByFunding, budget.byFunding],
      ...(budget.byPackage.length ? ([[labels.budgetByPackage, budget.byPackage]] as const) : []),
      [labels.budgetByTheme, budget.byTheme],
      [labels.budgetByYear, budget.byYear],
    ] as const) {
      const sheetLines = budgetSection(book, report, title);
      expect(sheetLines.every((l) => l.formulas)).toBe(true);
      expect(sheetLines.map(({ label, cents }) => ({ label, cents }))).toEqual(
        lines.map(({ label, cents }) => ({ label, cents })),
      );
      sheetLines.forEach((line, i) => expect(line.share).toBeCloseTo(lines[i]?.share ?? NaN, 9));
    }
    const texts = [...sheet(book, labels.budget).cells.values()].map((c) => c.value);
    expect(texts).toContain(labels.budgetThemeNote);
    expect(texts).toContain(labels.budgetYearNote);
  });

  it('moves the grand total and the action’s source, theme and year totals when an amount is edited', async () => {
    const book = await readBook(report);
    const { labels } = report;
    const delta = 1234567; // cents: 12 345,67 €
    report.actions.forEach((action, i) => {
      const source = action.bySource.findIndex((cents) => cents > 0);
      if (source < 0) return;
      const name = report.fundingSources[source] ?? '';
      const header = translate(report.language, 'report.fundingColumn', { source: name });
      const edited = withAmount(book, report, header, i, ((action.bySource[source] ?? 0) + delta) / 100);
      expect(grandTotalCents(edited, report).cents).toBe(report.budget.totalCents + delta);
      const bySource = budgetSection(edited, report, labels.budgetByFunding);
      expect(bySource.map(({ label, cents }) => ({ label, cents }))).toEqual(
        report.budget.byFunding.map(({ label, cents }) => ({
          label,
          cents: cents + (label === name ? delta : 0),
        })),
      );
      // The action's part in each of its themes and years grows; the rest stay, and the whole grows by the amount.
      const start = action.start ?? action.end;
      const end = action.end ?? action.start;
      const years = new Set(
        start && end && end >= start ? monthRange(start, end).map((m) => m.slice(0, 4)) : [labels.noDates],
      );
      const themes = new Set(action.themes.length ? action.themes : [labels.noTheme]);
      for (const [title, lines, its] of [
        [labels.budgetByTheme, report.budget.byTheme, (l: string) => themes.has(l)],
        [labels.budgetByYear, report.budget.byYear, (l: string) => years.has(l)],
      ] as const) {
        const after = budgetSection(edited, report, title);
        expect(after.reduce((s, l) => s + l.cents, 0)).toBe(report.budget.totalCents + delta);
        after.forEach((line, k) => {
          const before = lines[k]?.cents ?? 0;
          if (its(line.label)) expect(line.cents).toBeGreaterThanOrEqual(before);
          else expect(line.cents).toBe(before);
        });
      }
    });
  });

  it('lists the needs with group, municipality, theme and votes', async () => {
    const book = await readBook(report);
    const { labels } = report;
    const needs = sheet(book, labels.needs);
    expect(rowValues(needs, 1)).toEqual([
      labels.number,
      labels.need,
      labels.stakeholder,
      labels.municipality,
      labels.theme,
      labels.votes,
    ]);
    const all = report.needsByStakeholder.flatMap((g) => g.needs);
    expect(lastRow(needs)).toBe(all.length + 1);
    all.forEach((need, i) => {
      const row = rowValues(needs, i + 2);
      expect(row[0]).toBe(need.ref);
      expect(row[1]).toBe(need.text);
      expect(row[2]).toBe(need.stakeholder);
      expect(row[3] ?? '').toBe(need.municipality);
      expect(row[4] ?? '').toBe(need.theme);
      expect(row[5]).toBe(need.votes);
    });
  });
});

describe('the spreadsheet of the hostile workshop', () => {
  const report = reportOf(hostileWorkshop());

  it('holds no character XML forbids in any part', async () => {
    const book = await readBook(report);
    for (const [name, xml] of Object.entries(book.parts)) {
      // eslint-disable-next-line no-control-regex
      expect(xml, name).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]/);
      expect(xml, name).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
    }
  });

  it('writes every formula-like text as a text cell, never as a formula', async () => {
    const book = await readBook(report);
    const strings = book.sheets.flatMap((s) =>
      [...s.cells.values()].filter((c) => c.formula === undefined && typeof c.value === 'string'),
    );
    const formulas = book.sheets.flatMap((s) => [...s.cells.values()].flatMap((c) => c.formula ?? []));
    for (const text of FORMULA_LIKE) {
      expect(
        strings.some((c) => String(c.value).includes(text)),
        text,
      ).toBe(true);
      expect(
        formulas.some((f) => f.includes(text)),
        text,
      ).toBe(false);
      for (const s of book.sheets) expect(s.xml.includes(`<f>${text}`), text).toBe(false);
    }
    // Every text that starts like a formula has the Text format, so editing it keeps it text.
    const risky = strings.filter((c) => looksLikeFormula(String(c.value)));
    expect(risky.map((c) => String(c.value))).toEqual(
      expect.arrayContaining(['@Omistaja', '+Rahoittaja', '+Savonlinna', FORMULA_LIKE.join('\n')]),
    );
    for (const cell of risky) expect(book.textFormatStyles.has(cell.style), String(cell.value)).toBe(true);
  });

  it('keeps emoji, turns control characters into spaces and line breaks, and keeps 5,000-character texts whole', async () => {
    const book = await readBook(report);
    const strings = new Set(book.sheets.flatMap((s) => [...s.cells.values()].map((c) => c.value)));
    const action = report.actions[0];
    expect(action?.title).toMatch(/^=HYPERLINK\(.*\) +🎭$/);
    expect(strings).toContain(action?.title);
    expect(strings).toContain(`Kuvaus\njatkuu\nrivillä "lainaus" <i>kursiivi</i>`);
    const emojiNeed = report.needsByStakeholder.flatMap((g) => g.needs).find((n) => n.text.includes('👩🏽‍🎨'));
    expect(strings).toContain(emojiNeed?.text);
    const long = longText(5000).trim();
    expect(long.length).toBeGreaterThan(4990);
    expect(strings).toContain(long);
    // The need with control characters: each one is a space or a line break, none dropped.
    const controlled = report.needsByStakeholder
      .flatMap((g) => g.needs)
      .find((n) => n.text.startsWith('Tarve'));
    expect(controlled?.text.length).toBe('Tarve'.length + 35 + 'loppu'.length);
    expect(strings).toContain(controlled?.text);
  });

  it('makes rows of wrapped long texts tall, up to the tallest row a spreadsheet allows', async () => {
    const book = await readBook(report);
    const xml = sheet(book, report.labels.actions).xml;
    const height = (row: number): string | undefined =>
      new RegExp(`<row r="${row}"([^>]*)>`).exec(xml)?.[1]?.match(/ht="([\d.]+)"/)?.[1];
    // The 5,000-character action fills the tallest row; the empty action needs one line.
    expect(report.actions[2]?.title.length).toBeGreaterThan(4990);
    expect(height(4)).toBe('409');
    expect(report.actions[1]?.title).toBe(report.labels.notSet);
    expect(height(3)).toBeUndefined();
  });

  it('spreads an action over the years of its schedule, to the cent as the app does', async () => {
    const book = await readBook(report);
    const years = budgetSection(book, report, report.labels.budgetByYear);
    // The hostile action runs from January 2026 to June 2027: 12 of its 18 months in 2026.
    expect(years.map(({ label, cents }) => ({ label, cents }))).toEqual(
      report.budget.byYear.map(({ label, cents }) => ({ label, cents })),
    );
    const hostile = report.actions[0]!.budgetCents;
    const inFirstYear = Math.floor(hostile / 18) * 12 + Math.min(hostile % 18, 12);
    expect(years[0]?.cents).toBe(inFirstYear + 99);
  });
});

describe('the spreadsheet’s options', () => {
  const { workshop } = exampleWorkshops()[0] ?? { workshop: hostileWorkshop() };

  it('shows authors and hides votes when asked', async () => {
    const report = buildReport(workshop, {
      ...defaultReportOptions(workshop, DATE),
      showVotes: false,
      showAuthors: true,
    });
    const book = await readBook(report);
    const { labels } = report;
    expect(rowValues(sheet(book, labels.needs), 1)).toEqual([
      labels.number,
      labels.need,
      labels.stakeholder,
      labels.municipality,
      labels.theme,
      labels.author,
    ]);
  });

  it('leaves out the budget and needs sheets when those sections are left out', async () => {
    const report = buildReport(workshop, { ...defaultReportOptions(workshop, DATE), sections: ['actions'] });
    const book = await readBook(report);
    expect(book.sheets.map((s) => s.name)).toEqual([report.labels.actions]);
  });
});

describe('sheet names', () => {
  it('drop characters Excel refuses, fit in 31 characters and never repeat', () => {
    expect(sheetNames(['Budget [2026]: a/b', 'x'.repeat(40), 'Budget', 'budget', "'Quoted'", ''])).toEqual([
      'Budget 2026 a b',
      'x'.repeat(31),
      'Budget',
      'budget 2',
      'Quoted',
      '6',
    ]);
  });
});
