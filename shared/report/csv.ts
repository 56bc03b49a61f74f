/**
 * The action plan and the needs as CSV, for spreadsheets and other tools: one header row in the
 * report's language, one row per action (no totals row: a spreadsheet sums a column itself) and,
 * in the second file, one row per need.
 *
 * Excel is the reader to please. The text starts with a byte-order mark (the caller encodes it
 * to UTF-8), without which Excel reads UTF-8 as the local code page and mangles ä, ö and õ.
 * Finnish, Swedish and Estonian Excel use a comma as the decimal mark and a semicolon as the list
 * separator, so those files are separated by `;` with amounts like `12000,50`; English files use
 * `,` and `12000.50`. Amounts have no thousands separators and no currency sign, so they open as
 * numbers. Fields are quoted as RFC 4180 says (a field holding the delimiter, a quote, CR or LF),
 * rows end in CRLF, and every text cell goes through {@link formulaSafe} so that no spreadsheet
 * runs a cell as a formula (CSV injection).
 */
import { translate } from '../i18n';
import type { Language } from '../model/schema';
import type { Report } from './model';
import { formulaSafe } from './sanitise';

/** The list separator of each language's spreadsheets. */
const DELIMITERS: Readonly<Record<Language, string>> = { fi: ';', sv: ';', et: ';', en: ',' };
const DECIMAL_MARKS: Readonly<Record<Language, string>> = { fi: ',', sv: ',', et: ',', en: '.' };

const BOM = '\uFEFF';

/** A cell as written: text gets the formula guard, numbers do not (`-5` is a number). */
type Cell = { readonly text: string } | { readonly number: string };

function text(value: string): Cell {
  // A tab inside a cell is a control character some importers split on; a space reads the same.
  return { text: formulaSafe(value.replace(/\t/g, ' ')) };
}

function quoted(value: string, delimiter: string): string {
  const needsQuotes = value.includes(delimiter) || /["\r\n]/.test(value);
  return needsQuotes ? `"${value.replace(/"/g, '""')}"` : value;
}

function toCsv(rows: readonly (readonly Cell[])[], language: Language): string {
  const delimiter = DELIMITERS[language];
  const lines = rows.map((row) =>
    row.map((cell) => quoted('text' in cell ? cell.text : cell.number, delimiter)).join(delimiter),
  );
  return `${BOM}${lines.join('\r\n')}\r\n`;
}

/** Integer cents as euros with two decimals and `mark`, no grouping: `1234550` → `12345,50`. */
function euros(cents: number, mark: string): string {
  const whole = Math.trunc(Math.abs(cents) / 100);
  const rest = String(Math.abs(cents) % 100).padStart(2, '0');
  return `${cents < 0 ? '-' : ''}${whole}${mark}${rest}`;
}

/**
 * The actions of `report` as CSV text with a byte-order mark: number, action, themes, owner,
 * partners, start and end (`YYYY-MM`, empty when not set), the total budget in euros with cents,
 * then the split over funding sources as one column per source ("Opetus- ja
 * kulttuuriministeriö (amount)", in the order of the budget by source, empty where the source
 * pays nothing of the action), the funding sources joined, the work package and the objectives
 * (when the plan has them), indicator, status and description. One column per source, rather
 * than numbered source–amount pairs, keeps every amount column a number a spreadsheet can sum
 * or pivot by source at once; the budget column stays the sum of them. Texts read as in the
 * document, placeholders included.
 */
export function writeActionsCsv(report: Report): string {
  const l = report.labels;
  const mark = DECIMAL_MARKS[report.language];
  const header = [
    l.number,
    l.action,
    l.actionThemes,
    l.owner,
    l.partners,
    l.start,
    l.end,
    l.actionBudget,
    ...report.fundingSources.map((source) => translate(report.language, 'report.fundingColumn', { source })),
    l.funding,
    ...(report.showPackages ? [l.package] : []),
    ...(report.showObjectives ? [l.actionObjectives] : []),
    l.indicator,
    l.status,
    l.description,
  ].map(text);
  const rows = report.actions.map((a): Cell[] => [
    { number: String(a.number) },
    text(a.title),
    text(a.themesText),
    text(a.owner),
    text(a.partnersText),
    text(a.start ?? ''),
    text(a.end ?? ''),
    { number: euros(a.budgetCents, mark) },
    ...a.bySource.map((cents): Cell => (cents ? { number: euros(cents, mark) } : { number: '' })),
    text(a.funding),
    ...(report.showPackages ? [text(a.workPackage)] : []),
    ...(report.showObjectives ? [text(a.objectivesText)] : []),
    text(a.indicator),
    text(a.statusText),
    text(a.description),
  ]);
  return toCsv([header, ...rows], report.language);
}

/**
 * The needs of `report` as CSV text with a byte-order mark, by stakeholder group: need,
 * stakeholder group, municipality and theme (empty when none), then votes when the report shows
 * votes and the author when it shows authors.
 */
export function writeNeedsCsv(report: Report): string {
  const l = report.labels;
  const header = [
    l.number,
    l.need,
    l.stakeholder,
    l.municipality,
    l.theme,
    ...(report.showVotes ? [l.votes] : []),
    ...(report.showAuthors ? [l.author] : []),
  ].map(text);
  const rows = report.needsByStakeholder.flatMap((group) =>
    group.needs.map((n) => [
      text(n.ref),
      text(n.text),
      text(n.stakeholder),
      text(n.municipality),
      text(n.theme),
      ...(report.showVotes ? [{ number: String(n.votes) }] : []),
      ...(report.showAuthors ? [text(n.author)] : []),
    ]),
  );
  return toCsv([header, ...rows], report.language);
}
