/**
 * `talkoo import FILE --out W.talkoo`: a workshop file from an outline (JSON) or a notes CSV.
 * Text is kept as given, control characters included (the exports clean them, the workshop keeps
 * what people wrote). Every problem is reported with where it is (the outline's field path, the
 * CSV's line), and nothing is written unless the whole file imports.
 */
import { basename, extname } from 'node:path';
import * as Y from 'yjs';
import { LOCALES, translate } from '../../shared/i18n';
import type { LaneId } from '../../shared/ids';
import { csvStakeholders, parseNotesCsv, type CsvPreview } from '../../shared/import/csv';
import { readMeta } from '../../shared/model/read';
import { NOTE_COLOURS, type Language } from '../../shared/model/schema';
import {
  addLane,
  addNotes,
  createWorkshop,
  setMunicipalities,
  TEMPLATE_BOARD_IDS,
  type NewNote,
} from '../../shared/model/write';
import { importOutline, parseOutlineText } from '../../shared/outline/outline';
import { encodeWorkshopFile } from '../../shared/workshop-file';
import { UsageError, type ImportCommand } from './args';
import { writeFilesAtomic } from './atomic-write';
import { decodeUtf8, describeFsError, quoteArg, readInputFile, sniffInput } from './workshop-input';

/** Longest workshop title taken from a CSV's file name (as the server's API allows). */
const MAX_TITLE = 200;

/** What an import made, for the line the command prints. */
export type ImportResult = {
  readonly kind: 'outline' | 'csv';
  readonly title: string;
  readonly needs: number;
  readonly themes: number;
  readonly actions: number;
};

function csvProblemsText(path: string, preview: CsvPreview): string {
  const lines = [...preview.problems]
    .sort((a, b) => a.line - b.line)
    .map(
      (p) =>
        `  ${translate('en', 'csv.problem', {
          line: p.line,
          problem: translate('en', `csv.kind.${p.kind}`, { detail: p.detail ?? '' }),
        })}`,
    );
  return `${path}: ${preview.problems.length} row(s) of the CSV cannot be imported; nothing was written:\n${lines.join('\n')}`;
}

/** Writes a CSV's notes into `doc` as a new workshop: one stakeholder lane per group named. */
function importCsv(doc: Y.Doc, text: string, path: string, language: Language, title: string): number {
  const groups = csvStakeholders(text);
  const preview = parseNotesCsv(text, groups);
  if (preview.problems.length) throw new Error(csvProblemsText(path, preview));
  const messages = LOCALES[language];
  const board = TEMPLATE_BOARD_IDS.needs;
  doc.transact(() => {
    createWorkshop(doc, {
      title,
      language,
      boardTitles: {
        needs: messages['board.needs'],
        themes: messages['board.themes'],
        actions: messages['board.actions'],
      },
    });
    const laneIds = groups.map((group, i) => addLane(doc, board, group, `lane-${i + 1}` as LaneId));
    const municipalities = [...new Set(preview.notes.map((n) => n.municipality).filter(Boolean))];
    setMunicipalities(doc, board, municipalities);
    // Laid out like an imported outline: a column per group, notes without a group last.
    const rows = new Map<number, number>();
    const notes = preview.notes.map((note): NewNote => {
      const index = note.stakeholder === '' ? groups.length : groups.indexOf(note.stakeholder);
      const row = rows.get(index) ?? 0;
      rows.set(index, row + 1);
      return {
        text: note.text,
        laneId: laneIds[index] ?? null,
        municipality: note.municipality || null,
        colour: NOTE_COLOURS[index % NOTE_COLOURS.length],
        x: index * 280,
        y: row * 140,
      };
    });
    addNotes(doc, board, notes);
  });
  return preview.notes.length;
}

/** A workshop title from a file's name: `tarpeet-2026.csv` → `tarpeet-2026`. */
export function titleFromFileName(path: string): string {
  const name = basename(path, extname(path)).trim();
  return (name || 'Talkoo').slice(0, MAX_TITLE);
}

/**
 * Runs `talkoo import`.
 * @throws UsageError for flags that do not fit the file; Error with the file's problems.
 */
export async function runImport(command: ImportCommand): Promise<ImportResult> {
  const bytes = await readInputFile(command.file);
  const kind = sniffInput(bytes);
  if (kind === 'workshop')
    throw new Error(
      `${command.file} is already a Talkoo workshop file; to make a document of it, use: ` +
        `talkoo export ${quoteArg(command.file)} --format docx --out plan.docx`,
    );
  const text = decodeUtf8(bytes);
  if (kind === 'binary' || text === null)
    throw new Error(
      `${command.file} is neither an outline (JSON) nor a CSV in UTF-8 text. ` +
        'From Excel, save it as "CSV UTF-8".',
    );

  const doc = new Y.Doc();
  let result: ImportResult;
  if (kind === 'json') {
    if (command.language !== null || command.title !== null)
      throw new UsageError(
        '--lang and --title are for a CSV import: an outline names its own title and language',
      );
    const parsed = parseOutlineText(text.replace(/^\uFEFF/, ''));
    if (!parsed.ok) {
      const problems = parsed.error.map((e) => `  ${e.path || '(the file)'}: ${e.message}`);
      throw new Error(
        `${command.file} is not a valid workshop outline; nothing was written:\n${problems.join('\n')}`,
      );
    }
    importOutline(doc, parsed.value);
    const outline = parsed.value;
    result = {
      kind: 'outline',
      title: outline.title,
      needs: outline.needs.length,
      themes: outline.themes.length,
      actions: outline.actions.length,
    };
  } else {
    const title = command.title ?? titleFromFileName(command.file);
    const needs = importCsv(doc, text, command.file, command.language ?? 'en', title);
    result = { kind: 'csv', title, needs, themes: 0, actions: 0 };
  }

  const meta = readMeta(doc);
  const file = encodeWorkshopFile(Y.encodeStateAsUpdate(doc), {
    title: meta.title,
    schemaVersion: meta.schemaVersion,
  });
  try {
    await writeFilesAtomic([{ path: command.out, bytes: file }]);
  } catch (error) {
    throw new Error(`cannot write ${command.out}: ${describeFsError(error)}`, { cause: error });
  }
  return result;
}
