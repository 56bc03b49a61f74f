/**
 * Text that leaves the app. Workshop texts are kept as typed or pasted (a spreadsheet paste can
 * bring control characters that XML forbids, so Word would refuse the file); every export turns
 * each control character into a space or a line break here, never dropping it and never showing
 * a symbol. Per-format escaping (XML by the docx package, HTML, Markdown, CSV quoting) and the
 * formula guard for spreadsheet cells sit on top of this.
 */

// Vertical tab, form feed, next line, line and paragraph separators read as line breaks.
const LINE_BREAKS = /\r\n|[\r\v\f\u0085\u2028\u2029]/g;
// Every other C0 control but tab and newline, DEL and the C1 controls become a space.
// eslint-disable-next-line no-control-regex
const OTHER_CONTROLS = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f]/g;
// Lone surrogates and the two non-characters XML forbids.
const UNPAIRED = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|[\ufffe\uffff]/g;

/**
 * Returns `text` with every control character turned into a space (tab stays a tab) or a line
 * break (`\n`), and unpaired surrogates into U+FFFD: safe for XML 1.0, HTML, CSV and Markdown.
 */
export function cleanText(text: string): string {
  return text.replace(LINE_BREAKS, '\n').replace(OTHER_CONTROLS, ' ').replace(UNPAIRED, '\uFFFD');
}

/** `text` on one line: cleaned, with line breaks and tabs as spaces. */
export function oneLine(text: string): string {
  return cleanText(text).replace(/[\n\t]+/g, ' ');
}

/** True when a spreadsheet would read `text` as a formula or command if typed into a cell. */
export function looksLikeFormula(text: string): boolean {
  return /^[=+\-@\t\r]/.test(text);
}

/**
 * A text cell of a CSV file that no spreadsheet runs as a formula (CSV injection): a value that
 * starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading apostrophe, which
 * Excel and LibreOffice show as text.
 */
export function formulaSafe(text: string): string {
  return looksLikeFormula(text) ? `'${text}` : text;
}
