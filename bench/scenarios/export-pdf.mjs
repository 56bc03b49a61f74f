// export-pdf: the command line's PDF export of a workshop of 500 actions and 2,000 notes
// (lib/export-workshop.mjs): the report model, the print-styled HTML (shared/report/html.ts,
// writeHtml) and headless Chromium printing it (collab-server/commands/pdf.ts, Debian's
// /usr/bin/chromium or CHROME_PATH through playwright-core).
// Target of issue #9: ≤ 3 s, compared against the cold figure, the whole export a user of
// `talkoo export --format pdf` waits for once Node runs: model + HTML + browser launch + print +
// close (printPdf, what the command calls). Not in it: Node's start and loading the modules,
// whose playwright-core part is printed once. The warm figure (a browser already running, as
// in the desktop app, whose own Chromium prints) has no target; it shows what printing costs.
// Also printed: the export without the trace appendix, the part that dominates the page count.
import { log, median } from '../lib/harness.mjs';
import { loadPdf, loadShared } from '../lib/export-build.mjs';
import { phaseRows, timeRows, timeRuns } from '../lib/export-measure.mjs';
import { benchWorkshop, REPORT_DATE } from '../lib/export-workshop.mjs';
import { figure } from '../lib/report.mjs';

export const summary = 'PDF export of 500 actions and 2,000 notes in headless Chromium (target of #9: ≤ 3 s)';

/** Pages of a PDF: its page objects (Chromium's PDFs hold no other `/Type /Page`). */
function pageCount(bytes) {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString('latin1')
    .match(/\/Type\s*\/Page(?!s)/g).length;
}

export async function run() {
  const { buildReport, defaultReportOptions, writeHtml } = await loadShared();
  const { workshop } = await benchWorkshop();
  const { openPdfPrinter, printPdf } = await loadPdf();
  const options = defaultReportOptions(workshop, REPORT_DATE);

  const importBegun = performance.now();
  await import('playwright-core');
  const importMs = performance.now() - importBegun;

  /** One export; `print(html)` prints, timed as phase `printPhase`. */
  const exportWith =
    (print, printPhase, reportOptions = options) =>
    async () => {
      const begun = performance.now();
      const report = buildReport(workshop, reportOptions);
      const built = performance.now();
      const html = writeHtml(report);
      const written = performance.now();
      const pdf = await print(html);
      return {
        pdf,
        htmlBytes: html.length,
        phases: {
          'report model': built - begun,
          'HTML writer': written - built,
          [printPhase]: performance.now() - written,
        },
      };
    };

  const launchBegun = performance.now();
  const printer = await openPdfPrinter();
  const launchMs = performance.now() - launchBegun;
  let warm;
  let untraced;
  try {
    warm = await timeRuns('PDF export, browser running', exportWith(printer.print, 'print'), {
      warmups: 1,
      runs: 3,
    });
    untraced = await timeRuns(
      'PDF export without the trace appendix, browser running',
      exportWith(printer.print, 'print', {
        ...options,
        sections: options.sections.filter((s) => s !== 'trace'),
      }),
      { warmups: 0, runs: 3 },
    );
  } finally {
    await printer.close();
  }
  const cold = await timeRuns(
    'PDF export, browser launched for it (printPdf)',
    exportWith((html) => printPdf(html), 'launch, print, close'),
    { warmups: 0, runs: 3 },
  );
  const { pdf, htmlBytes } = cold.last;
  const pages = pageCount(pdf);
  log(`  PDF: ${pdf.byteLength} bytes, ${pages} pages, from ${htmlBytes} characters of HTML`);
  return [
    ...timeRows('PDF export, cold: model + HTML + launch + print (printPdf)', cold.totals, { target: 3000 }),
    ...phaseRows('PDF cold', cold.phases),
    ...timeRows('PDF export, warm: browser already running', warm.totals),
    ...phaseRows('PDF warm', warm.phases),
    figure('PDF export without the trace appendix, warm (median)', median(untraced.totals), 'ms'),
    figure('PDF pages without the trace appendix', pageCount(untraced.last.pdf), 'pages'),
    figure('browser launch (openPdfPrinter), once', launchMs, 'ms'),
    figure('playwright-core import, once', importMs, 'ms'),
    figure('PDF file size', pdf.byteLength / 1024, 'KiB'),
    figure('PDF pages', pages, 'pages'),
    figure('HTML size', htmlBytes / 1024, 'KiB of characters'),
  ];
}
