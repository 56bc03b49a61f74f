/**
 * Notes from a CSV file (text, stakeholder, municipality): parsed from untrusted text, each bad
 * row reported with its line number, nothing imported until the caller confirms the preview.
 * Accepts comma, semicolon (Excel in Finnish, Swedish, Estonian locales) or tab separators,
 * RFC 4180 quoting, an optional byte-order mark, and a header row in any of the app's languages.
 */

/** One importable row. */
export type CsvNote = {
  /** 1-based line number in the file where the row starts. */
  readonly line: number;
  readonly text: string;
  /** Stakeholder group (lane title); empty for none. */
  readonly stakeholder: string;
  readonly municipality: string;
};

/** Why a row cannot be imported; the UI words each kind in the user's language. */
export type CsvProblemKind =
  | 'too-large'
  | 'binary'
  | 'not-utf8'
  | 'no-rows'
  | 'unclosed-quote'
  | 'too-many-rows'
  | 'empty-text'
  | 'text-too-long'
  | 'unknown-stakeholder'
  | 'municipality-too-long';

/** A row that cannot be imported: its line, the kind of problem, and the value or limit involved. */
export type CsvProblem = { readonly line: number; readonly kind: CsvProblemKind; readonly detail?: string };

/** What the preview shows: the good rows, and each bad one with its line. */
export type CsvPreview = { readonly notes: readonly CsvNote[]; readonly problems: readonly CsvProblem[] };

/** Largest file accepted, characters. */
export const MAX_CSV_CHARS = 2_000_000;
/** Longest note text accepted from a file or a paste, characters. */
export const MAX_NOTE_TEXT = 2_000;
const MAX_FIELD = 200;
const MAX_ROWS = 5_000;

/** Header names of each column, in every UI language (lower case). */
const HEADERS: Readonly<Record<'text' | 'stakeholder' | 'municipality', readonly string[]>> = {
  text: ['text', 'need', 'note', 'teksti', 'tarve', 'text', 'behov', 'lapp', 'tekst', 'vajadus', 'märge'],
  stakeholder: [
    'stakeholder',
    'group',
    'lane',
    'sidosryhmä',
    'ryhmä',
    'intressent',
    'intressentgrupp',
    'grupp',
    'sihtrühm',
    'rühm',
    'huvirühm',
  ],
  municipality: ['municipality', 'kunta', 'kommun', 'omavalitsus', 'vald', 'linn'],
};

type Row = { line: number; cells: string[] };

/** Characters looked at to tell text from binary data: enough for any file's nature to show. */
const SNIFF_CHARS = 8_192;

/**
 * Whether `text` (a file as the browser decoded it as UTF-8, each invalid byte sequence a U+FFFD)
 * is binary data, text in another encoding, or text. Binary: a NUL anywhere, or more than a tenth
 * of the start control characters or undecodable. Another encoding (a Latin-1 CSV from an old
 * Excel): a few undecodable characters, where its ä and ö were.
 */
function textKind(text: string): 'text' | 'binary' | 'not-utf8' {
  if (text.includes('\u0000')) return 'binary';
  const start = text.slice(0, SNIFF_CHARS);
  let controls = 0;
  let invalid = 0;
  for (const c of start) {
    if (c === '\uFFFD') invalid++;
    else if (c < ' ' && c !== '\t' && c !== '\n' && c !== '\r') controls++;
  }
  if ((controls + invalid) * 10 > start.length) return 'binary';
  return text.includes('\uFFFD') ? 'not-utf8' : 'text';
}

/** Splits CSV text into rows of cells (RFC 4180 quotes; `separator` between cells). */
function splitRows(text: string, separator: string): { rows: Row[]; error?: CsvProblem } {
  const rows: Row[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        cell += c;
      }
      continue;
    }
    if (c === '"' && cell === '') quoted = true;
    else if (c === separator) {
      cells.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      rows.push({ line: rowLine, cells });
      cells = [];
      cell = '';
      line++;
      rowLine = line;
    } else cell += c;
  }
  if (quoted) return { rows, error: { line: rowLine, kind: 'unclosed-quote' } };
  if (cell !== '' || cells.length) {
    cells.push(cell);
    rows.push({ line: rowLine, cells });
  }
  return { rows };
}

/** The separator used on the first line: the most frequent of `;`, tab and `,` outside quotes. */
function detectSeparator(text: string): string {
  const first = text.split(/\r?\n/, 1)[0]?.replace(/"[^"]*"/g, '') ?? '';
  const counts = [';', '\t', ','].map((s) => [s, first.split(s).length - 1] as const);
  const best = counts.reduce((a, b) => (b[1] > a[1] ? b : a));
  return best[1] > 0 ? best[0] : ',';
}

/** One row's cells by column, before any check. */
type CsvRecord = {
  readonly line: number;
  readonly text: string;
  readonly stakeholder: string;
  readonly municipality: string;
};

/**
 * Splits CSV text into records (text, stakeholder, municipality), with the problems that stop a
 * whole file (too large, no rows, an unclosed quote).
 */
function readRecords(input: string): { records: CsvRecord[]; problems: CsvProblem[] } {
  if (input.length > MAX_CSV_CHARS) {
    return { records: [], problems: [{ line: 1, kind: 'too-large', detail: String(MAX_CSV_CHARS) }] };
  }
  const kind = textKind(input);
  if (kind !== 'text') return { records: [], problems: [{ line: 1, kind }] };
  const text = input.replace(/^\uFEFF/, '');
  const { rows, error } = splitRows(text, detectSeparator(text));
  const problems: CsvProblem[] = error ? [error] : [];
  const nonEmpty = rows.filter((row) => row.cells.some((c) => c.trim() !== ''));
  if (nonEmpty.length === 0) return { records: [], problems: [...problems, { line: 1, kind: 'no-rows' }] };

  // A header row is recognised by a known column name; without one the order is text, stakeholder, municipality.
  let columns = { text: 0, stakeholder: 1, municipality: 2 };
  const header = nonEmpty[0]!.cells.map((c) => c.trim().toLowerCase());
  const find = (names: readonly string[]): number => header.findIndex((h) => names.includes(h));
  if (find(HEADERS.text) >= 0) {
    columns = {
      text: find(HEADERS.text),
      stakeholder: find(HEADERS.stakeholder),
      municipality: find(HEADERS.municipality),
    };
    nonEmpty.shift();
  }
  const records = nonEmpty.map((row): CsvRecord => {
    const cell = (i: number): string => (i >= 0 ? (row.cells[i] ?? '').trim() : '');
    return {
      line: row.line,
      text: cell(columns.text),
      stakeholder: cell(columns.stakeholder),
      municipality: cell(columns.municipality),
    };
  });
  return { records, problems };
}

/**
 * The stakeholder groups a notes CSV names, in order of first appearance, each once (matched
 * without regard to case, spelled as first written): the lanes of a workshop made from the file.
 * Names longer than a lane title may be are left out (their rows are problems in the preview).
 */
export function csvStakeholders(input: string): string[] {
  const names = new Map<string, string>();
  for (const record of readRecords(input).records) {
    const name = record.stakeholder;
    if (name === '' || name.length > MAX_FIELD) continue;
    const key = name.toLowerCase();
    if (!names.has(key)) names.set(key, name);
  }
  return [...names.values()];
}

/**
 * Parses notes from CSV text. `stakeholders` are the board's lanes: a row naming another group is
 * a problem (a typo would otherwise silently create notes without a lane).
 */
export function parseNotesCsv(input: string, stakeholders: readonly string[]): CsvPreview {
  const { records, problems } = readRecords(input);
  const lanes = new Map(stakeholders.map((s) => [s.trim().toLowerCase(), s]));
  const notes: CsvNote[] = [];
  for (const { line, text: noteText, stakeholder, municipality } of records) {
    if (notes.length + problems.length >= MAX_ROWS) {
      problems.push({ line, kind: 'too-many-rows', detail: String(MAX_ROWS) });
      break;
    }
    if (noteText === '') problems.push({ line, kind: 'empty-text' });
    else if (noteText.length > MAX_NOTE_TEXT) {
      problems.push({ line, kind: 'text-too-long', detail: String(MAX_NOTE_TEXT) });
    } else if (stakeholder !== '' && !lanes.has(stakeholder.toLowerCase())) {
      problems.push({ line, kind: 'unknown-stakeholder', detail: stakeholder.slice(0, 60) });
    } else if (municipality.length > MAX_FIELD) {
      problems.push({ line, kind: 'municipality-too-long', detail: String(MAX_FIELD) });
    } else {
      notes.push({
        line,
        text: noteText,
        stakeholder: lanes.get(stakeholder.toLowerCase()) ?? '',
        municipality,
      });
    }
  }
  return { notes, problems };
}
