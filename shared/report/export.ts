/**
 * The export formats and the one entry point that turns a report into files. PDF is not written
 * here: it is Chromium printing {@link writeHtml}'s page (main's printToPDF in the desktop app,
 * the browser's print on the web, headless Chromium from the command line). The writers load on
 * first use, so a page that never exports never loads the DOCX or XLSX code.
 */
import { utf8Encode } from '../utf8';
import type { Report } from './model';

/** Every format an export can take. Option values on the command line and IPC: never rename. */
export const EXPORT_FORMATS = ['docx', 'pdf', 'xlsx', 'md', 'csv', 'outline'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The formats written from the report model alone. */
export type ReportFileFormat = Exclude<ExportFormat, 'pdf' | 'outline'>;

/** File extension (without the dot) and media type of each format. */
export const EXPORT_FILE_TYPES: Readonly<
  Record<ExportFormat, { readonly extension: string; readonly mime: string }>
> = {
  docx: {
    extension: 'docx',
    mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  },
  pdf: { extension: 'pdf', mime: 'application/pdf' },
  xlsx: { extension: 'xlsx', mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  md: { extension: 'md', mime: 'text/markdown;charset=utf-8' },
  csv: { extension: 'csv', mime: 'text/csv;charset=utf-8' },
  outline: { extension: 'json', mime: 'application/json' },
};

/** One file an export writes. */
export type ExportFile = {
  /** File name without folder, e.g. `Toimintasuunnitelma.docx` or `plan-needs.csv`. */
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly mime: string;
};

/**
 * A file name for `title` without characters that file systems refuse or that hide a path, at
 * most 100 characters, never empty (`fallback` then).
 */
export function safeFileBaseName(title: string, fallback = 'Talkoo'): string {
  const cleaned = title
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f<>:"/\\|?*]+/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.]+|[\s.]+$/g, '')
    .slice(0, 100)
    .trim();
  return cleaned || fallback;
}

/** The needs file beside a CSV export: `P` with `-needs` before the extension. */
export function needsCsvName(actionsName: string): string {
  const dot = actionsName.lastIndexOf('.');
  return dot > 0 ? `${actionsName.slice(0, dot)}-needs${actionsName.slice(dot)}` : `${actionsName}-needs`;
}

const encoder = { encode: utf8Encode };

/**
 * Writes `report` as `format`; the files are named from `baseName` (CSV gives two: the actions
 * and, beside them, the needs).
 */
export async function writeReportFiles(
  report: Report,
  format: ReportFileFormat,
  baseName: string,
): Promise<ExportFile[]> {
  const { extension, mime } = EXPORT_FILE_TYPES[format];
  const name = `${baseName}.${extension}`;
  switch (format) {
    case 'docx': {
      const { writeDocx } = await import('./docx');
      return [{ name, bytes: await writeDocx(report), mime }];
    }
    case 'xlsx': {
      const { writeXlsx } = await import('./xlsx');
      return [{ name, bytes: await writeXlsx(report), mime }];
    }
    case 'md': {
      const { writeMarkdown } = await import('./markdown');
      return [{ name, bytes: encoder.encode(writeMarkdown(report)), mime }];
    }
    case 'csv': {
      const { writeActionsCsv, writeNeedsCsv } = await import('./csv');
      return [
        { name, bytes: encoder.encode(writeActionsCsv(report)), mime },
        { name: needsCsvName(name), bytes: encoder.encode(writeNeedsCsv(report)), mime },
      ];
    }
  }
}
