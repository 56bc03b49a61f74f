/**
 * `talkoo export`: a workshop (a `.talkoo` file or a live room) as a report document (DOCX, PDF,
 * XLSX, Markdown, CSV) or as an outline. The report is built once by shared/report and written by
 * its writers; PDF is Chromium printing the HTML writer's page. Every file is produced in memory
 * first and written atomically, so an error leaves no output behind.
 */
import { basename, dirname, join } from 'node:path';
import type * as Y from 'yjs';
import { readWorkshop } from '../../shared/model/read';
import { exportOutline } from '../../shared/outline/outline';
import { needsCsvName, writeReportFiles, type ExportFormat } from '../../shared/report/export';
import {
  buildReport,
  defaultReportOptions,
  parseReportOptions,
  type Report,
} from '../../shared/report/model';
import { withReportWheel } from '../../shared/plan/wheel-report';
import { utf8Encode } from '../../shared/utf8';
import type { PlanScope } from '../../shared/model/plan-totals';
import type { Workshop } from '../../shared/model/schema';
import { UsageError, type ExportCommand } from './args';
import { writeFilesAtomic, type OutputFile } from './atomic-write';
import { readLiveRoom } from './live-room';
import { printPdf } from './pdf';
import { withWheelPng } from './wheel-png';
import { describeFsError, readInputFile, workshopFromFile } from './workshop-input';

/** Today as `YYYY-MM-DD` in local time (the report's date). */
export function localDate(now: Date = new Date()): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** The needs file beside a CSV export at `path` (`plan.csv` → `plan-needs.csv`, same folder). */
export function needsCsvPath(path: string): string {
  return join(dirname(path), needsCsvName(basename(path)));
}

/** The workshop to export, from its file or its live room. */
async function loadWorkshop(command: ExportCommand): Promise<Y.Doc> {
  const { source } = command;
  if (source.kind === 'file') return workshopFromFile(source.path, await readInputFile(source.path));
  const doc = await readLiveRoom(source);
  const meta = doc.getMap('meta');
  if (meta.size === 0 || doc.getMap('boards').size === 0)
    throw new Error(`room ${source.room} at ${source.server} holds no workshop`);
  return doc;
}

/**
 * The scope `--package` or `--owner` asks for: a work package named by its id or its title
 * (ignoring case), or an owner who owns at least one action.
 * @throws UsageError naming what the workshop has, when it has no such package or owner.
 */
export function scopeOf(workshop: Workshop, command: Pick<ExportCommand, 'scope'>): PlanScope {
  const { scope } = command;
  if (scope === null) return null;
  const key = (text: string): string => text.trim().toLocaleLowerCase();
  if (scope.kind === 'package') {
    const { packages } = workshop.plan;
    const found =
      packages.find((p) => p.id === scope.package) ??
      packages.find((p) => key(p.title) === key(scope.package));
    if (!found)
      throw new UsageError(
        `--package: the workshop has no work package "${scope.package}"` +
          (packages.length ? `; it has ${packages.map((p) => `"${p.title}"`).join(', ')}` : ''),
      );
    return { kind: 'package', packageId: found.id };
  }
  const owners = [...new Set(workshop.actions.map((a) => a.owner.trim()).filter(Boolean))];
  if (!owners.some((o) => key(o) === key(scope.owner)))
    throw new UsageError(
      `--owner: no action is owned by "${scope.owner}"` +
        (owners.length ? `; owners are ${owners.map((o) => `"${o}"`).join(', ')}` : ''),
    );
  return { kind: 'owner', owner: scope.owner.trim() };
}

/** The report the command's options ask for. */
function reportOf(doc: Y.Doc, command: ExportCommand, date: string): Report {
  const workshop = readWorkshop(doc);
  const options = parseReportOptions(
    {
      ...(command.language ? { language: command.language } : {}),
      ...(command.sections ? { sections: command.sections } : {}),
      showVotes: command.showVotes,
      showAuthors: command.showAuthors,
      scope: scopeOf(workshop, command),
    },
    defaultReportOptions(workshop, date),
  );
  if (!options.ok) throw new UsageError(`${options.error.path}: ${options.error.message}`);
  // The annual wheel as an SVG, for the HTML and PDF (the .docx adds a PNG of it, see render).
  return withReportWheel(buildReport(workshop, options.value), workshop, options.value);
}

/** The files of `format`, in memory. */
async function render(doc: Y.Doc, command: ExportCommand, date: string): Promise<OutputFile[]> {
  const format: ExportFormat = command.format;
  if (format === 'outline') {
    const json = `${JSON.stringify(exportOutline(doc), null, 2)}\n`;
    return [{ path: command.out, bytes: utf8Encode(json) }];
  }
  const report = reportOf(doc, command, date);
  if (format === 'pdf') {
    const { writeHtml } = await import('../../shared/report/html');
    // The page numbers its pages itself (print CSS), in the report's language.
    const pdf = await printPdf(writeHtml(report));
    return [{ path: command.out, bytes: pdf }];
  }
  // A .docx takes the wheel as a PNG, drawn by headless Chromium where there is one.
  const files = await writeReportFiles(
    format === 'docx' ? await withWheelPng(report) : report,
    format,
    'report',
  );
  if (format === 'csv') {
    const [actions, needs] = files;
    if (!actions || !needs) throw new Error('the CSV writer gave no needs file');
    return [
      { path: command.out, bytes: actions.bytes },
      { path: needsCsvPath(command.out), bytes: needs.bytes },
    ];
  }
  return files.map((file) => ({ path: command.out, bytes: file.bytes }));
}

/**
 * Runs `talkoo export`; returns the paths written.
 * @throws UsageError for options the workshop refuses; Error with a one-line reason otherwise.
 */
export async function runExport(command: ExportCommand, date: string = localDate()): Promise<string[]> {
  const doc = await loadWorkshop(command);
  try {
    const files = await render(doc, command, date);
    try {
      await writeFilesAtomic(files);
    } catch (error) {
      throw new Error(`cannot write ${command.out}: ${describeFsError(error)}`, { cause: error });
    }
    return files.map((file) => file.path);
  } finally {
    doc.destroy();
  }
}
