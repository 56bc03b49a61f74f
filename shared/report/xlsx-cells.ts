/**
 * Cell and formula helpers of the XLSX writer: A1 references, sheet names a spreadsheet accepts,
 * formula text literals, and text cells that can never turn into formulas. Kept apart from the
 * workbook layout in xlsx.ts so the rules for what reaches a cell sit in one place.
 */
import { cleanText, looksLikeFormula } from './sanitise';

/** Excel's limit of characters in one cell; longer text would make Excel repair the file. */
export const MAX_CELL_CHARS = 32_767;

/** Excel's limit of characters in a sheet name. */
const MAX_SHEET_NAME_CHARS = 31;

/** The column letters of 0-based column `index`: 0 → `A`, 25 → `Z`, 26 → `AA`. */
export function columnLetters(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  }
  return letters;
}

/** The A1 address of 0-based `column` in 1-based `row`, e.g. `(8, 2)` → `I2`. */
export function cellAddress(column: number, row: number): string {
  return `${columnLetters(column)}${row}`;
}

/** The absolute address `$I$2`, which stays put when a formula is copied. */
export function absoluteAddress(column: number, row: number): string {
  return `$${columnLetters(column)}$${row}`;
}

/**
 * `name` as a formula's sheet prefix: always quoted (`'Toimenpiteet'!`), which every spreadsheet
 * accepts and which names with spaces, digits or non-ASCII letters need; quotes inside doubled.
 */
export function sheetPrefix(name: string): string {
  return `'${name.replace(/'/g, "''")}'!`;
}

/** `text` as a formula's string literal: in double quotes, quotes inside doubled. */
export function formulaString(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/**
 * Sheet names for `wanted`, in order, that every spreadsheet accepts: none of `[]:*?/\`, no
 * apostrophe at either end, at most 31 characters, never empty, and unique regardless of case
 * (Excel refuses two sheets whose names differ only by case).
 */
export function sheetNames(wanted: readonly string[]): string[] {
  const taken = new Set<string>();
  return wanted.map((raw, i) => {
    const base =
      cleanText(raw)
        .replace(/[[\]:*?/\\\s]+/g, ' ')
        .replace(/^[\s']+|[\s']+$/g, '')
        .slice(0, MAX_SHEET_NAME_CHARS)
        .trim() || `${i + 1}`;
    let name = base;
    for (let n = 2; taken.has(name.toLocaleLowerCase()); n++) {
      const suffix = ` ${n}`;
      name = `${base.slice(0, MAX_SHEET_NAME_CHARS - suffix.length).trim()}${suffix}`;
    }
    taken.add(name.toLocaleLowerCase());
    return name;
  });
}

/**
 * Text made fit for a cell: control characters turned into spaces or line breaks (XML forbids
 * them; see sanitise.ts) and cut to Excel's cell limit, with an ellipsis where it was cut.
 */
export function cellText(text: string): string {
  const clean = cleanText(text);
  if (clean.length <= MAX_CELL_CHARS) return clean;
  // Never cut a surrogate pair in two: that would leave a lone surrogate, which XML forbids.
  let end = MAX_CELL_CHARS - 1;
  const last = clean.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${clean.slice(0, end)}…`;
}

/**
 * Whether a text cell needs the Text number format (`@`): one that starts like a formula. The cell
 * is a string cell anyway (write-excel-file writes every `String` as a shared string, `t="s"`,
 * which no spreadsheet evaluates); the `@` format also keeps it text when someone opens the cell
 * to edit it and presses Enter, which would otherwise run it as a formula.
 */
export function needsTextFormat(text: string): boolean {
  return looksLikeFormula(text);
}

/** Points per line of 11-point text, and the tallest row a spreadsheet allows. */
const LINE_HEIGHT = 15;
const MAX_ROW_HEIGHT = 409;

/**
 * The height in points a row needs to show `texts` wrapped in columns `widths` characters wide,
 * or undefined for one line. An estimate (a character is about a column-width unit): written into
 * the file because LibreOffice does not grow rows to fit wrapped text when it opens an XLSX, so
 * long texts would otherwise overlap the next row.
 */
export function wrappedRowHeight(texts: readonly { text: string; width: number }[]): number | undefined {
  let lines = 1;
  for (const { text, width } of texts) {
    const perLine = Math.max(1, Math.floor(width * 1.1) - 1);
    const count = text
      .split('\n')
      .reduce((sum, paragraph) => sum + Math.max(1, Math.ceil([...paragraph].length / perLine)), 0);
    lines = Math.max(lines, count);
  }
  return lines > 1 ? Math.min(MAX_ROW_HEIGHT, lines * LINE_HEIGHT) : undefined;
}
