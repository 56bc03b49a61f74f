// Timing for the export scenarios: warm-up runs first (the first call of a writer compiles its
// code and loads its package), then timed runs one after another, reported as median, p90 and
// max. Each run's figure and the load average go to the log, so a burst of outside load on the
// shared machine can be told from a slow writer.
import { readFileSync } from 'node:fs';
import { log, median, percentile, sorted } from './harness.mjs';
import { loadShared } from './export-build.mjs';
import { benchWorkshop, REPORT_DATE } from './export-workshop.mjs';
import { figure } from './report.mjs';

/** The 1-, 5- and 15-minute load averages, as the kernel prints them (or '?' off Linux). */
export function loadAverage() {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return '?';
  }
}

/**
 * Runs `body` `warmups` times, then `runs` times timed. `body` resolves with a record of named
 * phase times in ms (e.g. `{ model, write }`) and whatever else it returns; the total is the wall
 * time of the whole call. Resolves with `{ totals, phases, last }`: `totals` the run times in
 * ms, `phases` each phase's times, `last` the last run's result.
 */
export async function timeRuns(name, body, { warmups, runs }) {
  log(`  ${name}: ${warmups} warm-up and ${runs} timed runs, load average ${loadAverage()}`);
  let last;
  for (let i = 0; i < warmups; i++) last = await body();
  const totals = [];
  const phases = {};
  for (let i = 0; i < runs; i++) {
    const begun = performance.now();
    last = await body();
    totals.push(performance.now() - begun);
    for (const [phase, ms] of Object.entries(last.phases ?? {})) (phases[phase] ??= []).push(ms);
  }
  log(`  ${name} runs (ms): ${totals.map((t) => t.toFixed(1)).join(', ')}; load average ${loadAverage()}`);
  return { totals, phases, last };
}

/** Rows for one timed figure: median (with `target`), p90 and max. */
export function timeRows(metric, totals, { target = null } = {}) {
  const values = sorted(totals);
  return [
    figure(`${metric}, median of ${totals.length}`, median(totals), 'ms', { target }),
    figure(`${metric}, p90`, percentile(values, 90), 'ms'),
    figure(`${metric}, max`, values[values.length - 1], 'ms'),
  ];
}

/** A row per phase: its median over the runs (where the time goes). */
export function phaseRows(prefix, phases) {
  return Object.entries(phases).map(([phase, times]) =>
    figure(`${prefix}: ${phase} (median)`, median(times), 'ms'),
  );
}

/**
 * The benchmark of one file writer (DOCX, XLSX): the report model and then `write(report)`,
 * timed together (what a user waits for), with the model's and the writer's share beside it.
 * With `untraced`, also the same export without the trace appendix (3 runs, no target): the
 * appendix lists every need behind every action and is most of a large plan's document.
 */
export async function writerBenchmark(name, write, { target, warmups = 1, runs = 7, untraced = false }) {
  const { buildReport, defaultReportOptions } = await loadShared();
  const { workshop } = await benchWorkshop();
  const options = defaultReportOptions(workshop, REPORT_DATE);
  const exportWith = (reportOptions) => async () => {
    const begun = performance.now();
    const report = buildReport(workshop, reportOptions);
    const built = performance.now();
    const bytes = await write(report);
    return {
      bytes,
      phases: { 'report model': built - begun, [`${name} writer`]: performance.now() - built },
    };
  };
  const { totals, phases, last } = await timeRuns(`${name} export`, exportWith(options), { warmups, runs });
  log(`  ${name}: ${last.bytes.byteLength} bytes`);
  const rows = [
    ...timeRows(`${name} export (report model + writer)`, totals, { target }),
    ...phaseRows(name, phases),
    figure(`${name} file size`, last.bytes.byteLength / 1024, 'KiB'),
  ];
  if (untraced) {
    const sections = options.sections.filter((s) => s !== 'trace');
    const without = await timeRuns(
      `${name} export without the trace appendix`,
      exportWith({ ...options, sections }),
      {
        warmups: 0,
        runs: 3,
      },
    );
    rows.push(
      figure(`${name} export without the trace appendix (median of 3)`, median(without.totals), 'ms'),
      figure(`${name} file size without the trace appendix`, without.last.bytes.byteLength / 1024, 'KiB'),
    );
  }
  return { bytes: last.bytes, rows };
}
