// The TypeScript the export scenarios run, bundled with esbuild on first use into bench/.build/
// (which run.mjs removes when the run ends), the way run.mjs bundles the server. Built here, not
// in run.mjs, so that only the export scenarios pay for it and a module that is missing (the PDF
// command, before it lands) fails export-pdf alone instead of every scenario.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { NODE_BUNDLE } from './node-bundle.mjs';

const benchDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(benchDir, '..');
const buildDir = join(benchDir, '.build');

/** The shared code the scenarios call: writing a workshop, reading it, the report and its writers. */
const SHARED = `
export * from './shared/model/write.ts';
export { readWorkshop } from './shared/model/read.ts';
export { buildReport, defaultReportOptions } from './shared/report/model.ts';
export { writeDocx } from './shared/report/docx.ts';
export { writeXlsx } from './shared/report/xlsx.ts';
export { writeHtml } from './shared/report/html.ts';
`;

const PDF_SOURCE = join('collab-server', 'commands', 'pdf.ts');

const bundles = new Map();

async function bundle(name, contents) {
  const outfile = join(buildDir, `${name}.mjs`);
  await build({
    stdin: { contents, resolveDir: root, sourcefile: `${name}-entry.ts`, loader: 'ts' },
    outfile,
    ...NODE_BUNDLE,
  });
  return import(pathToFileURL(outfile).href);
}

function once(name, contents) {
  if (!bundles.has(name)) bundles.set(name, bundle(name, contents));
  return bundles.get(name);
}

/** The shared model, report and writer functions (see SHARED above). */
export function loadShared() {
  return once('export-shared', SHARED);
}

/** collab-server/commands/pdf.ts (printPdf and whatever else it exports). */
export function loadPdf() {
  if (!existsSync(join(root, PDF_SOURCE))) throw new Error(`${PDF_SOURCE} does not exist yet`);
  return once('export-pdf', `export * from './${PDF_SOURCE.replaceAll('\\', '/')}';`);
}
