/**
 * The spreadsheet of a report (XLSX, through write-excel-file): the actions, one row each, with
 * the budget as a number; a budget sheet whose totals by funding source, by theme and by year and
 * grand total are formulas over the actions sheet, so a funder who edits a budget sees every total
 * follow; the needs; and, behind the totals by theme, one row per action–theme link (an action
 * linked to several themes counts in each). Every text is a string cell, never a formula.
 */
import writeExcelFile, { type Cell, type CellObject, type Row, type Sheet } from 'write-excel-file/universal';
import type { Report, ReportAction, ReportNeed } from './model';
import {
  absoluteAddress,
  cellAddress,
  cellText,
  formulaString,
  needsTextFormat,
  sheetNames,
  sheetPrefix,
  wrappedRowHeight,
} from './xlsx-cells';

/** The part of a Blob this module uses: shared/ has no DOM types, and needs no more than this. */
type BytesBlob = { arrayBuffer(): Promise<ArrayBuffer> };

/** The columns of the actions sheet, in order; the budget formulas refer to them by these names. */
const ACTION_COLUMNS = [
  'number',
  'title',
  'themes',
  'owner',
  'partners',
  'start',
  'end',
  'year',
  'budget',
  'funding',
  'indicator',
  'status',
  'description',
] as const;
type ActionColumn = (typeof ACTION_COLUMNS)[number];

function col(name: ActionColumn): number {
  return ACTION_COLUMNS.indexOf(name);
}

/** Column widths in characters, by column. */
const ACTION_WIDTHS: Readonly<Record<ActionColumn, number>> = {
  number: 5,
  title: 40,
  themes: 28,
  owner: 24,
  partners: 24,
  start: 10,
  end: 10,
  year: 10,
  budget: 16,
  funding: 24,
  indicator: 32,
  status: 14,
  description: 60,
};

/** The actions-sheet columns whose text wraps, and the text each shows. */
const WRAPPED_ACTION_COLUMNS = [
  'title',
  'themes',
  'owner',
  'partners',
  'funding',
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
  return { type: String, value: cellText(label), ...HEADER_STYLE };
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
function actionRows(report: Report, moneyCode: string): Row[] {
  const { labels } = report;
  const titles: Record<ActionColumn, string> = {
    number: '#',
    title: labels.action,
    themes: labels.actionThemes,
    owner: labels.owner,
    partners: labels.partners,
    start: labels.start,
    end: labels.end,
    year: labels.year,
    budget: labels.actionBudget,
    funding: labels.funding,
    indicator: labels.indicator,
    status: labels.status,
    description: labels.description,
  };
  const rows: Row[] = [ACTION_COLUMNS.map((c) => header(titles[c]))];
  report.actions.forEach((action: ReportAction, i) => {
    const row = i + 2;
    const start = cellAddress(col('start'), row);
    const wrapped = WRAPPED_ACTION_COLUMNS.map((c) => ({
      text: wrappedText(action, c),
      width: ACTION_WIDTHS[c],
    }));
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
      // The year the action starts, as text, computed from the start month so that moving an
      // action to another year moves its budget in the totals by year too.
      year: formula(`IF(${start}="",${formulaString(labels.noDates)},LEFT(${start},4))`, '@'),
      budget: money(action.budgetCents, moneyCode),
      funding: text(action.funding, { wrap: true }),
      indicator: text(action.indicator, { wrap: true }),
      status: text(action.statusText),
      description: text(action.description, { wrap: true }),
    };
    rows.push(ACTION_COLUMNS.map((c) => cells[c]));
  });
  return rows;
}

/** The rows of the links sheet: one per action and (distinct) theme, "no theme" for none. */
function linkRows(report: Report, actionsSheet: string, moneyCode: string): Row[] {
  const { labels } = report;
  const rows: Row[] = [
    [header(labels.theme), header('#'), header(labels.action), header(labels.actionBudget)],
  ];
  report.actions.forEach((action, i) => {
    const budgetCell = `${sheetPrefix(actionsSheet)}${cellAddress(col('budget'), i + 2)}`;
    // The model counts an action once per distinct theme title; so do the links.
    const themes = action.themes.length ? [...new Set(action.themes)] : [labels.noTheme];
    for (const theme of themes) {
      rows.push([
        text(theme),
        { type: Number, value: action.number, alignVertical: 'top' },
        text(action.title),
        formula(budgetCell, moneyCode),
      ]);
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
  actionsSheet: string,
  linksSheet: string,
  linkCount: number,
  moneyCode: string,
): Row[] {
  const { labels, budget } = report;
  const lastAction = Math.max(report.actions.length + 1, 2);
  const actionRange = (column: ActionColumn): string =>
    `${sheetPrefix(actionsSheet)}${absoluteAddress(col(column), 2)}:${absoluteAddress(col(column), lastAction)}`;
  const lastLink = Math.max(linkCount + 1, 2);
  const linkRange = (column: number): string =>
    `${sheetPrefix(linksSheet)}${absoluteAddress(column, 2)}:${absoluteAddress(column, lastLink)}`;

  const rows: Row[] = [[text(labels.budget, { bold: true })], []];
  const totalRow = rows.length + 1;
  const total = absoluteAddress(1, totalRow);
  rows.push([text(labels.total, { bold: true }), formula(`SUM(${actionRange('budget')})`, moneyCode, true)]);

  const section = (
    title: string,
    heading: string,
    lines: readonly { label: string }[],
    keys: string,
    amounts: string,
    note?: string,
  ): void => {
    rows.push([], [text(title, { bold: true })]);
    rows.push([header(heading), header(labels.amount), header(labels.share)]);
    for (const line of lines) {
      const row = rows.length + 1;
      const label = cellAddress(0, row);
      const amount = cellAddress(1, row);
      rows.push([
        text(line.label, { wrap: true }),
        formula(`SUMPRODUCT(EXACT(${keys},${label})*${amounts})`, moneyCode),
        formula(`IF(${total}=0,0,${amount}/${total})`, SHARE_FORMAT),
      ]);
    }
    if (note) rows.push([text(note)]);
  };

  section(
    labels.budgetByFunding,
    labels.fundingSource,
    budget.byFunding,
    actionRange('funding'),
    actionRange('budget'),
  );
  section(
    labels.budgetByTheme,
    labels.theme,
    budget.byTheme,
    linkRange(0),
    linkRange(3),
    labels.budgetThemeNote,
  );
  section(
    labels.budgetByYear,
    labels.year,
    budget.byYear,
    actionRange('year'),
    actionRange('budget'),
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
  const [actionsName = '', budgetName = '', needsName = '', linksName = '', roundsName = ''] = sheetNames([
    labels.actions,
    labels.budget,
    labels.needs,
    labels.budgetByTheme,
    labels.voting,
  ]);
  const moneyCode = moneyFormat(report);

  const sheets: Sheet<never>[] = [
    {
      sheet: actionsName,
      data: actionRows(report, moneyCode),
      columns: ACTION_COLUMNS.map((c) => ({ width: ACTION_WIDTHS[c] })),
      stickyRowsCount: 1,
      orientation: 'landscape',
    },
  ];
  if (withBudget) {
    const links = linkRows(report, actionsName, moneyCode);
    sheets.push(
      {
        sheet: budgetName,
        data: budgetRows(report, actionsName, linksName, links.length - 1, moneyCode),
        columns: [{ width: 40 }, { width: 18 }, { width: 10 }],
      },
      {
        sheet: linksName,
        data: links,
        columns: [{ width: 32 }, { width: 5 }, { width: 48 }, { width: 16 }],
        stickyRowsCount: 1,
      },
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
  // Budget comes right after the actions; the links sheet, a helper, after the needs and rounds.
  const order = [actionsName, budgetName, needsName, roundsName, linksName];
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
