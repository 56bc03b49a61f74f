// export-report: the report model (shared/report/model.ts, buildReport with the default options:
// every section, votes shown) of a workshop of 500 actions and 2,000 notes (lib/export-workshop.mjs).
// Target of issue #9: the model in ≤ 100 ms. Median of 20 runs after 3 warm-ups.
import { log } from '../lib/harness.mjs';
import { loadShared } from '../lib/export-build.mjs';
import { timeRows, timeRuns } from '../lib/export-measure.mjs';
import { benchWorkshop, REPORT_DATE } from '../lib/export-workshop.mjs';
import { figure } from '../lib/report.mjs';

export const summary = 'report model of 500 actions and 2,000 notes (target of #9: ≤ 100 ms)';

export async function run() {
  const { buildReport, defaultReportOptions } = await loadShared();
  const { workshop, writeMs, readMs, updateBytes } = await benchWorkshop();
  log(
    `  workshop written in ${writeMs.toFixed(0)} ms (${updateBytes} bytes as one update), ` +
      `read as a snapshot in ${readMs.toFixed(0)} ms`,
  );
  const options = defaultReportOptions(workshop, REPORT_DATE);
  const { totals, last } = await timeRuns(
    'report model',
    async () => ({ report: buildReport(workshop, options) }),
    { warmups: 3, runs: 20 },
  );
  const { report } = last;
  // The appendix cites each theme's needs as references (ranges); this counts the needs those
  // citations stand for, which an appendix listing need texts would have printed.
  const traced = report.trace.reduce(
    (n, entry) => n + entry.themes.reduce((m, theme) => m + theme.needs.length, 0),
    0,
  );
  const citations = report.trace.reduce((n, entry) => n + entry.themes.length, 0);
  const citedChars = report.trace.reduce(
    (n, entry) => n + entry.themes.reduce((m, theme) => m + theme.needRefs.length, 0),
    0,
  );
  log(
    `  report: ${report.summary.actionCount} actions, ${report.summary.needCount} needs, ` +
      `${report.summary.themeCount} themes, timeline of ${report.timeline.columns.length} ` +
      `${report.timeline.scale} columns; the trace appendix cites ${traced} needs in ${citations} ` +
      `theme lines of ${citedChars} characters of references`,
  );
  return [
    ...timeRows('report model', totals, { target: 100 }),
    figure('snapshot read (readWorkshop), once', readMs, 'ms'),
    figure('needs cited in the trace appendix (by reference)', traced, 'count'),
    figure('theme lines in the trace appendix', citations, 'count'),
  ];
}
