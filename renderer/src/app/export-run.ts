/**
 * What the Export dialog does when Export is pressed: writes the chosen format from the report
 * model (the DOCX and XLSX writers load only now), then hands the files to the desktop's save
 * dialog, or, in a browser, downloads them (PDF: the browser prints the report page).
 */
import type * as Y from 'yjs';
import { buildReport, exportOutline, type ReportOptions, type Workshop } from '../../../shared';
import {
  EXPORT_FILE_TYPES,
  safeFileBaseName,
  writeReportFiles,
  type ExportFile,
  type ExportFormat,
} from '../../../shared/report/export';
import { writeHtml } from '../../../shared/report/html';
import { scopeText } from '../../../shared/report/plan-model';
import type { SaveExportResponse } from '../../../shared/ipc';
import { withReportWheel } from '../../../shared/plan/wheel-report';
import { desktopExports } from '../platform';
import { withWheelPng } from '../plan/wheel-image';

/** What to export. */
export type ExportJob = {
  readonly format: ExportFormat;
  readonly workshop: Workshop;
  /** The open workshop's document (the outline is read from it, like every outline export). */
  readonly doc: Y.Doc;
  readonly options: ReportOptions;
};

/** How an export ended: saved (paths), downloaded or printed (names), or cancelled in the save dialog. */
export type ExportOutcome =
  | { readonly kind: 'saved'; readonly paths: readonly string[] }
  | { readonly kind: 'downloaded'; readonly names: readonly string[] }
  | { readonly kind: 'printed' }
  | { readonly kind: 'cancelled' };

/** Today in the device's time zone as `YYYY-MM-DD` (the report's date). */
export function today(): string {
  const now = new Date();
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** The report page of `job`, as the preview shows it and as a PDF prints it. */
export function reportHtml(workshop: Workshop, options: ReportOptions): string {
  return writeHtml(withReportWheel(buildReport(workshop, options), workshop, options));
}

/**
 * The files' name: the workshop's title, and what a limited export covers (`Plan – Work package
 * WP2`), so that each co-implementer's file says whose it is. An outline is always the whole.
 */
function exportBaseName(job: ExportJob): string {
  const covers =
    job.format === 'outline' ? null : scopeText(job.workshop, job.options.scope, job.options.language);
  if (!covers) return safeFileBaseName(job.workshop.meta.title);
  // A long title gives way, so the name still says whose file it is (names stop at 100 characters).
  const scope = safeFileBaseName(covers);
  const title = safeFileBaseName(job.workshop.meta.title)
    .slice(0, Math.max(20, 97 - scope.length))
    .trim();
  return safeFileBaseName(`${title} – ${scope}`);
}

/** The outline of the open workshop as a pretty JSON file named after its title. */
function outlineFile(doc: Y.Doc, baseName: string): ExportFile {
  const text = `${JSON.stringify(exportOutline(doc), null, 2)}\n`;
  return {
    name: `${baseName}.${EXPORT_FILE_TYPES.outline.extension}`,
    bytes: new TextEncoder().encode(text),
    mime: EXPORT_FILE_TYPES.outline.mime,
  };
}

/** Writes the files of every format but PDF. */
async function writeFiles(job: ExportJob, baseName: string): Promise<ExportFile[]> {
  if (job.format === 'outline') return [outlineFile(job.doc, baseName)];
  if (job.format === 'pdf') throw new Error('PDF is printed, not written');
  const report = withReportWheel(buildReport(job.workshop, job.options), job.workshop, job.options);
  // A .docx takes the wheel as a PNG, rasterised here by the browser.
  return writeReportFiles(job.format === 'docx' ? await withWheelPng(report) : report, job.format, baseName);
}

/** Browser: one download per file, through an object URL that is revoked once the click is done. */
function download(files: readonly ExportFile[]): void {
  for (const file of files) {
    const url = URL.createObjectURL(new Blob([file.bytes as BlobPart], { type: file.mime }));
    const link = document.createElement('a');
    link.href = url;
    link.download = file.name;
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
    // The download has taken its copy of the blob by the next task; a minute is generous.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }
}

/**
 * Browser PDF: the report page in a hidden frame, printed by the browser (its dialog offers
 * "Save as PDF"). The frame may not run scripts (no allow-scripts); allow-same-origin lets this
 * page call its print(), allow-modals lets the print dialog open.
 */
async function printInFrame(html: string): Promise<void> {
  document.querySelector('iframe.export-print-frame')?.remove();
  const frame = document.createElement('iframe');
  frame.className = 'export-print-frame';
  frame.setAttribute('sandbox', 'allow-same-origin allow-modals');
  frame.setAttribute('aria-hidden', 'true');
  frame.tabIndex = -1;
  frame.title = 'print';
  await new Promise<void>((resolve) => {
    frame.addEventListener('load', () => resolve(), { once: true });
    frame.srcdoc = html;
    document.body.append(frame);
  });
  const view = frame.contentWindow;
  if (!view) throw new Error('The print view did not open.');
  // The frame stays until the next print or export, so a print dialog that returns at once
  // (headless, some browsers) still has its document.
  view.focus();
  view.print();
}

/**
 * Runs `job`: writes, then saves through the desktop's dialog or downloads in the browser.
 * Throws with a message for the dialog when a writer or the save fails.
 */
export async function runExport(job: ExportJob): Promise<ExportOutcome> {
  const baseName = exportBaseName(job);
  const desktop = desktopExports();
  if (job.format === 'pdf') {
    const html = reportHtml(job.workshop, job.options);
    if (!desktop) {
      await printInFrame(html);
      return { kind: 'printed' };
    }
    return saved(await desktop.savePdf({ suggestedName: baseName, html }));
  }
  const files = await writeFiles(job, baseName);
  if (!desktop) {
    download(files);
    return { kind: 'downloaded', names: files.map((f) => f.name) };
  }
  const format = job.format;
  return saved(
    await desktop.saveFiles({
      suggestedName: baseName,
      format,
      files: files.map(({ name, bytes }) => ({ name, bytes })),
    }),
  );
}

/** The outcome of a desktop save; an error becomes a thrown message for the dialog. */
function saved(response: SaveExportResponse): ExportOutcome {
  if (response.ok) return { kind: 'saved', paths: response.paths };
  if (response.reason === 'cancelled') return { kind: 'cancelled' };
  throw new Error(response.message ?? 'The file could not be saved.');
}
