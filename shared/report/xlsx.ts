/**
 * The spreadsheet of a report (XLSX, through write-excel-file): the actions, one row each, with
 * the budget split over funding sources as one amount column per source and the total budget as
 * their sum; a budget sheet whose totals by funding source, by work package, by theme and by year
 * and grand total are formulas over the actions sheet, so a funder who edits an amount sees every
 * total follow; the needs; and, behind the totals by theme and by year, one row per action–theme
 * link and per action–year, each an exact part of the action's budget (an action of several
 * themes in equal parts, one of several months spread evenly, to the cent as the app splits
 * them). Every text is a string cell, never a formula.
 */
import writeExcelFile, { type Cell, type CellObject, type Row, type Sheet } from 'write-excel-file/universal';
import { translate } from '../i18n';
import { monthRange } from '../money';
import type { Report, ReportAction, ReportNeed } from './model';
import {
  absoluteAddress,
  cellAddress,
  cellText,
  needsTextFormat,
  sheetNames,
  sheetPrefix,
  wrappedRowHeight,
} from './xlsx-cells';

/** The part of a Blob this module uses: shared/ has no DOM types, and needs no more than this. */
type BytesBlob = { arrayBuffer(): Promise<ArrayBuffer> };

/** The named columns of the actions sheet; the funding sources' amount columns follow the budget. */
type ActionColumn =
  | 'number'
  | 'title'
  | 'themes'
  | 'owner'
  | 'partners'
  | 'start'
  | 'end'
  | 'budget'
  | 'funding'
  | 'package'
  | 'objectives'
  | 'indicator'
  | 'status'
  | 'description';

/** Column widths in characters, by column. */
const ACTION_WIDTHS: Readonly<Record<ActionColumn, number>> = {
  number: 5,
  title: 40,
  themes: 28,
  owner: 24,
  partners: 24,
  start: 10,
  end: 10,
  budget: 16,
  funding: 24,
  package: 24,
  objectives: 28,
  indicator: 32,
  status: 14,
  description: 60,
};

/** Width of a funding source's amount column. */
const SOURCE_WIDTH = 16;

/**
 * The actions sheet's columns, in order: the named ones, with one amount column per funding
 * source (`source` its index in the report's sources) right after the budget, and the work
 * package and objectives only where the plan has them.
 */
type ActionLayout = {
  readonly columns: readonly (ActionColumn | { readonly source: number })[];
  /** The 0-based index of a named column; -1 when the sheet has no such column. */
  readonly col: (name: ActionColumn) => number;
  /** The 0-based index of source `index`'s amount column. */
  readonly sourceCol: (index: number) => number;
  /** Whether the sheet has the work package column (the budget by work package sums it). */
  readonly hasPackage: boolean;
};

function actionLayout(report: Report): ActionLayout {
  const hasPackage = report.showPackages || report.budget.byPackage.length > 0;
  const columns: (ActionColumn | { readonly source: number })[] = [
    'number',
    'title',
    'themes',
    'owner',
    'partners',
    'start',
    'end',
    'budget',
    ...report.fundingSources.map((_, source) => ({ source })),
    'funding',
    ...(hasPackage ? (['package'] as const) : []),
    ...(report.showObjectives ? (['objectives'] as const) : []),
    'indicator',
    'status',
    'description',
  ];
  const budget = columns.indexOf('budget');
  return {
    columns,
    col: (name) => columns.indexOf(name),
    sourceCol: (index) => budget + 1 + index,
    hasPackage,
  };
}

/** The actions-sheet columns whose text wraps, and the text each shows. */
const WRAPPED_ACTION_COLUMNS = [
  'title',
  'themes',
  'owner',
  'partners',
  'funding',
  'package',
  'objectives',
  'indicator',
  'description',
] as const satisfies readonly ActionColumn[];

function wrappedText(action: ReportAction, column: (typeof WRAPPED_ACTION_COLUMNS)[number]): string {
  switch (column) {
    case 'title':
      return action.title;
    case 'themes':
      return action.themesText;
    case 'owner':
      return action.owner;
    case 'partners':
      return action.partnersText;
    case 'funding':
      return action.funding;
    case 'package':
      return action.workPackage;
    case 'objectives':
      return action.objectivesText;
    case 'indicator':
      return action.indicator;
    case 'description':
      return action.description;
  }
}

const HEADER_STYLE = {
  fontWeight: 'bold',
  backgroundColor: '#E8EEF7',
  wrap: true,
  alignVertical: 'top',
} as const satisfies Partial<CellObject>;

const SHARE_FORMAT = '0.0%';

function header(label: string): CellObject {
  const clean = cellText(label);
  // A funding source's column is headed by its name, which may start like a formula.
  return { type: String, value: clean, ...HEADER_STYLE, ...(needsTextFormat(clean) ? { format: '@' } : {}) };
}

/**
 * A text cell: always a string cell (a shared string, which no spreadsheet evaluates), with the
 * Text format where it starts like a formula so that editing it keeps it text. Empty → no cell.
 */
function text(value: string, options: { wrap?: boolean; bold?: boolean } = {}): CellObject | null {
  const clean = cellText(value);
  if (clean === '') return null;
  return {
    type: String,
    value: clean,
    alignVertical: 'top',
    ...(options.wrap ? { wrap: true } : {}),
    ...(options.bold ? { fontWeight: 'bold' } : {}),
    ...(needsTextFormat(clean) ? { format: '@' } : {}),
  };
}

/** `cell` with its row's height (write-excel-file takes the tallest cell's height in a row). */
function withHeight(cell: CellObject | null, height: number | undefined): CellObject | null {
  return cell && height !== undefined ? { ...cell, height } : cell;
}

/** A `YYYY-MM` month as text, with the Text format so a month typed over it stays text too. */
function month(value: string | null): Cell {
  return value === null ? null : { type: String, value, format: '@', alignVertical: 'top' };
}

function money(cents: number, format: string, bold = false): CellObject {
  return {
    type: Number,
    value: cents / 100,
    format,
    alignVertical: 'top',
    ...(bold ? { fontWeight: 'bold' } : {}),
  };
}

/** A formula cell; `formula` is written without the leading `=`, as the file format wants it. */
function formula(expression: string, format: string, bold = false): CellObject {
  return {
    type: 'Formula',
    value: expression,
    format,
    alignVertical: 'top',
    ...(bold ? { fontWeight: 'bold' } : {}),
  };
}

/**
 * The number format of money in the report's currency with two decimals and thousands grouping,
 * with the sign where the report's language puts it: `#,##0.00" €"` in Finnish, `"€"#,##0.00` in
 * English. Separators in a format code are always `,` and `.`; the spreadsheet shows its own.
 */
export function moneyFormat(report: Report): string {
  const sample = report.format.money(0);
  const sign = sample.replace(/[\d.,\s\u00a0\u202f'’-]+/g, '').replace(/"/g, '') || report.currency;
  const before = sample.trimStart().startsWith(sign);
  return before ? `"${sign}"#,##0.00` : `#,##0.00" ${sign}"`;
}

/** The actions sheet: a header row and one row per action. */
function actionRows(report: Report, layout: ActionLayout, moneyCode: string): Row[] {
  const { labels } = report;
  const titles: Record<ActionColumn, string> = {
    number: '#',
    title: labels.action,
    themes: labels.actionThemes,
    owner: labels.owner,
    partners: labels.partners,
    start: labels.start,
    end: labels.end,
    budget: labels.actionBudget,
    funding: labels.funding,
    package: labels.package,
    objectives: labels.actionObjectives,
    indicator: labels.indicator,
    status: labels.status,
    description: labels.description,
  };
  const rows: Row[] = [
    layout.columns.map((c) =>
      header(
        typeof c === 'string'
          ? titles[c]
          : translate(report.language, 'report.fundingColumn', {
              source: report.fundingSources[c.source] ?? '',
            }),
      ),
    ),
  ];
  const sources = report.fundingSources.length;
  report.actions.forEach((action: ReportAction) => {
    const row = rows.length + 1;
    const wrapped = WRAPPED_ACTION_COLUMNS.filter((c) => layout.col(c) >= 0).map((c) => ({
      text: wrappedText(action, c),
      width: ACTION_WIDTHS[c],
    }));
    // The total is the sum of the split, so an amount edited in a source's column moves it too.
    const splitSum = action.bySource.reduce((a, b) => a + b, 0);
    const budget =
      sources > 0 && splitSum === action.budgetCents
        ? formula(
            `SUM(${cellAddress(layout.sourceCol(0), row)}:${cellAddress(layout.sourceCol(sources - 1), row)})`,
            moneyCode,
          )
        : money(action.budgetCents, moneyCode);
    const cells: Record<ActionColumn, Cell> = {
      number: withHeight(
        { type: Number, value: action.number, alignVertical: 'top' },
        wrappedRowHeight(wrapped),
      ),
      title: text(action.title, { wrap: true }),
      themes: text(action.themesText, { wrap: true }),
      owner: text(action.owner, { wrap: true }),
      partners: text(action.partnersText, { wrap: true }),
      start: month(action.start),
      end: month(action.end),
      budget,
      funding: text(action.funding, { wrap: true }),
      // "No work package" is written out, so the budget by work package can sum it by label.
      package: text(action.workPackage || labels.noPackage, { wrap: true }),
      objectives: text(action.objectivesText, { wrap: true }),
      indicator: text(action.indicator, { wrap: true }),
      status: text(action.statusText),
      description: text(action.description, { wrap: true }),
    };
    rows.push(
      layout.columns.map((c) => {
        if (typeof c === 'string') return cells[c];
        const cents = action.bySource[c.source] ?? 0;
        return cents ? money(cents, moneyCode) : null;
      }),
    );
  });
  return rows;
}

/**
 * A formula for part `from`..`to` (0-based, `to` exclusive) of `parts` equal parts of the euros in
 * `cell`, to the cent as the app splits a budget (plan.ts `apportion`): each part gets the whole
 * cents of an equal share, and the cents left over go to the first parts, one each.
 */
function equalPartFormula(cell: string, parts: number, from: number, to: number): string {
  if (parts === 1) return cell;
  const cents = `ROUND(${cell}*100,0)`;
  const base = `INT(${cents}/${parts})*${to - from}`;
  const extra = `MAX(0,MIN(MOD(${cents},${parts}),${to})-${from})`;
  return `(${base}+${extra})/100`;
}

/** The rows of the links sheet: one per action and (distinct) theme, "no theme" for none. */
function linkRows(report: Report, layout: ActionLayout, actionsSheet: string, moneyCode: string): Row[] {
  const { labels } = report;
  const rows: Row[] = [
    [header(labels.theme), header('#'), header(labels.action), header(labels.actionBudget)],
  ];
  report.actions.forEach((action, i) => {
    const budgetCell = `${sheetPrefix(actionsSheet)}${cellAddress(layout.col('budget'), i + 2)}`;
    // An action of several themes counts in each an equal part, as the model's totals do.
    const themes = action.themes.length ? action.themes : [labels.noTheme];
    themes.forEach((theme, part) => {
      rows.push([
        text(theme),
        { type: Number, value: action.number, alignVertical: 'top' },
        text(action.title),
        formula(equalPartFormula(budgetCell, themes.length, part, part + 1), moneyCode),
      ]);
    });
  });
  return rows;
}

/**
 * The rows of the years sheet: one per action and year of its schedule, its budget spread evenly
 * over its months (as the model's totals by year), "no dates" for an action without a schedule.
 */
function yearRows(report: Report, layout: ActionLayout, actionsSheet: string, moneyCode: string): Row[] {
  const { labels } = report;
  const rows: Row[] = [
    [header(labels.year), header('#'), header(labels.action), header(labels.actionBudget)],
  ];
  report.actions.forEach((action, i) => {
    const budgetCell = `${sheetPrefix(actionsSheet)}${cellAddress(layout.col('budget'), i + 2)}`;
    const start = action.start ?? action.end;
    const end = action.end ?? action.start;
    const months = start && end && end >= start ? monthRange(start, end) : [];
    const add = (year: string, amount: string): void => {
      rows.push([
        text(year),
        { type: Number, value: action.number, alignVertical: 'top' },
        text(action.title),
        formula(amount, moneyCode),
      ]);
    };
    if (months.length === 0) {
      add(labels.noDates, budgetCell);
      return;
    }
    for (let from = 0; from < months.length;) {
      const year = months[from]?.slice(0, 4) ?? '';
      let to = from;
      while (to < months.length && months[to]?.startsWith(year)) to++;
      add(year, equalPartFormula(budgetCell, months.length, from, to));
      from = to;
    }
  });
  return rows;
}

/**
 * The budget sheet. Every amount is a formula over the actions sheet (or the links sheet, by
 * theme); the labels are the model's lines, so the recalculated totals equal the model's. Labels
 * are matched with EXACT inside SUMPRODUCT rather than with SUMIF, whose criteria read a leading
 * `=`, `<` or `>` as an operator and `*`, `?` as wildcards: a theme called `=Teema` or a funder
 * called `EU*` would otherwise be summed wrong.
 */
function budgetRows(
  report: Report,
  layout: ActionLayout,
  sheets: { readonly actions: string; readonly links: string; readonly years: string },
  counts: { readonly links: number; readonly years: number },
  moneyCode: string,
): Row[] {
  const { labels, budget } = report;
  const lastAction = Math.max(report.actions.length + 1, 2);
  const columnRange = (column: number): string =>
    `${sheetPrefix(sheets.actions)}${absoluteAddress(column, 2)}:${absoluteAddress(column, lastAction)}`;
  const actionRange = (column: ActionColumn): string => columnRange(layout.col(column));
  const helperRange = (sheetName: string, count: number, column: number): string =>
    `${sheetPrefix(sheetName)}${absoluteAddress(column, 2)}:${absoluteAddress(column, Math.max(count + 1, 2))}`;

  const rows: Row[] = [[text(labels.budget, { bold: true })], []];
  const totalRow = rows.length + 1;
  const total = absoluteAddress(1, totalRow);
  rows.push([text(labels.total, { bold: true }), formula(`SUM(${actionRange('budget')})`, moneyCode, true)]);

  /** A titled table of label, amount (the formula `amountOf` gives for the row's label cell), share. */
  const section = (
    title: string,
    heading: string,
    labelsOfLines: readonly string[],
    amountOf: (labelCell: string, index: number) => string,
    note?: string,
  ): void => {
    rows.push([], [text(title, { bold: true })]);
    rows.push([header(heading), header(labels.amount), header(labels.share)]);
    labelsOfLines.forEach((label, index) => {
      const row = rows.length + 1;
      const amount = cellAddress(1, row);
      rows.push([
        text(label, { wrap: true }),
        formula(amountOf(cellAddress(0, row), index), moneyCode),
        formula(`IF(${total}=0,0,${amount}/${total})`, SHARE_FORMAT),
      ]);
    });
    if (note) rows.push([text(note)]);
  };
  const byLabel =
    (keys: string, amounts: string) =>
    (label: string): string =>
      `SUMPRODUCT(EXACT(${keys},${label})*${amounts})`;

  // Each source is a column of its own: its total is that column's sum.
  section(
    labels.budgetByFunding,
    labels.fundingSource,
    report.fundingSources,
    (_, index) => `SUM(${columnRange(layout.sourceCol(index))})`,
  );
  if (budget.byPackage.length && layout.hasPackage)
    section(
      labels.budgetByPackage,
      labels.package,
      budget.byPackage.map((l) => l.label),
      byLabel(actionRange('package'), actionRange('budget')),
    );
  section(
    labels.budgetByTheme,
    labels.theme,
    budget.byTheme.map((l) => l.label),
    byLabel(helperRange(sheets.links, counts.links, 0), helperRange(sheets.links, counts.links, 3)),
    labels.budgetThemeNote,
  );
  section(
    labels.budgetByYear,
    labels.year,
    budget.byYear.map((l) => l.label),
    byLabel(helperRange(sheets.years, counts.years, 0), helperRange(sheets.years, counts.years, 3)),
    labels.budgetYearNote,
  );
  return rows;
}

/** Widths of the needs sheet's columns: number, need, group, municipality, theme, votes, author. */
const NEED_WIDTHS = [7, 60, 28, 18, 28, 8, 20] as const;

/** The needs sheet: one row per need, grouped by stakeholder group as in the report. */
function needRows(report: Report): Row[] {
  const { labels } = report;
  const headers = [labels.number, labels.need, labels.stakeholder, labels.municipality, labels.theme];
  if (report.showVotes) headers.push(labels.votes);
  if (report.showAuthors) headers.push(labels.author);
  const rows: Row[] = [headers.map(header)];
  const needs: ReportNeed[] = report.needsByStakeholder.flatMap((group) => group.needs);
  for (const need of needs) {
    const height = wrappedRowHeight([
      { text: need.text, width: NEED_WIDTHS[1] },
      { text: need.stakeholder, width: NEED_WIDTHS[2] },
      { text: need.theme, width: NEED_WIDTHS[4] },
    ]);
    const row: Cell[] = [
      withHeight(text(need.ref), height),
      text(need.text, { wrap: true }),
      text(need.stakeholder, { wrap: true }),
      text(need.municipality),
      text(need.theme, { wrap: true }),
    ];
    if (report.showVotes) row.push({ type: Number, value: need.votes, alignVertical: 'top' });
    if (report.showAuthors) row.push(text(need.author));
    rows.push(row);
  }
  return rows;
}

/** Widths of the voting rounds sheet's columns: round, rank, item, dots. */
const ROUND_WIDTHS = [22, 7, 60, 8] as const;

/** The voting rounds sheet: one row per place in each revealed round's ranked result. */
function roundRows(report: Report): Row[] {
  const { labels } = report;
  const rows: Row[] = [[labels.voting, labels.rank, labels.item, labels.dots].map(header)];
  for (const round of report.rounds) {
    for (const r of round.results) {
      rows.push([
        withHeight(text(round.title), wrappedRowHeight([{ text: r.itemText, width: ROUND_WIDTHS[2] }])),
        { type: Number, value: r.rank, alignVertical: 'top' },
        text(r.itemText, { wrap: true }),
        { type: Number, value: r.count, alignVertical: 'top' },
      ]);
    }
  }
  return rows;
}

/**
 * Writes `report` as an XLSX workbook: the actions, the budget with formula totals (when the
 * report has its budget section; the links sheet behind the totals by theme with it) and the
 * needs (when it has its needs section). Sheet names and headers are in the report's language.
 */
export async function writeXlsx(report: Report): Promise<Uint8Array> {
  const { labels } = report;
  const withBudget = report.sections.includes('budget');
  const withNeeds = report.sections.includes('needs');
  const withRounds = report.sections.includes('voting') && report.rounds.length > 0;
  const [actionsName = '', budgetName = '', needsName = '', linksName = '', roundsName = '', yearsName = ''] =
    sheetNames([
      labels.actions,
      labels.budget,
      labels.needs,
      labels.budgetByTheme,
      labels.voting,
      labels.budgetByYear,
    ]);
  const moneyCode = moneyFormat(report);
  const layout = actionLayout(report);

  const sheets: Sheet<never>[] = [
    {
      sheet: actionsName,
      data: actionRows(report, layout, moneyCode),
      columns: layout.columns.map((c) => ({
        width: typeof c === 'string' ? ACTION_WIDTHS[c] : SOURCE_WIDTH,
      })),
      stickyRowsCount: 1,
      orientation: 'landscape',
    },
  ];
  if (withBudget) {
    const links = linkRows(report, layout, actionsName, moneyCode);
    const years = yearRows(report, layout, actionsName, moneyCode);
    const helperColumns = [{ width: 32 }, { width: 5 }, { width: 48 }, { width: 16 }];
    sheets.push(
      {
        sheet: budgetName,
        data: budgetRows(
          report,
          layout,
          { actions: actionsName, links: linksName, years: yearsName },
          { links: links.length - 1, years: years.length - 1 },
          moneyCode,
        ),
        columns: [{ width: 40 }, { width: 18 }, { width: 10 }],
      },
      { sheet: linksName, data: links, columns: helperColumns, stickyRowsCount: 1 },
      { sheet: yearsName, data: years, columns: helperColumns, stickyRowsCount: 1 },
    );
  }
  if (withNeeds) {
    sheets.push({
      sheet: needsName,
      data: needRows(report),
      columns: NEED_WIDTHS.map((width) => ({ width })),
      stickyRowsCount: 1,
    });
  }
  if (withRounds) {
    sheets.push({
      sheet: roundsName,
      data: roundRows(report),
      columns: ROUND_WIDTHS.map((width) => ({ width })),
      stickyRowsCount: 1,
    });
  }
  // Budget comes right after the actions; the helper sheets behind it after the needs and rounds.
  const order = [actionsName, budgetName, needsName, roundsName, linksName, yearsName];
  sheets.sort((a, b) => order.indexOf(a.sheet ?? '') - order.indexOf(b.sheet ?? ''));

  const blob = (await writeExcelFile(sheets, {
    // A named font and size: without them LibreOffice falls back to a serif for bold text.
    fontFamily: 'Calibri',
    fontSize: 11,
    features: [
      {
        files: {
          transform: {
            // The formula cells carry no cached result: ask the spreadsheet to compute them all
            // when it opens the file (LibreOffice otherwise trusts cached values by default).
            'xl/workbook.xml': {
              transformElementAttributes: (tag, attributes) =>
                tag === 'calcPr' ? { ...attributes, fullCalcOnLoad: 1 } : attributes,
            },
          },
        },
      },
    ],
  }).toBlob()) as unknown as BytesBlob;
  return new Uint8Array(await blob.arrayBuffer());
}
