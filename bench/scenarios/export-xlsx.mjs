// export-xlsx: the spreadsheet export (shared/report/xlsx.ts, writeXlsx) of a workshop of 500
// actions and 2,000 notes (lib/export-workshop.mjs): the report model and the writer, timed
// together as the user waits for them. Target of issue #9: ≤ 1 s. Median of 7 runs after a warm-up.
import { loadShared } from '../lib/export-build.mjs';
import { writerBenchmark } from '../lib/export-measure.mjs';

export const summary = 'XLSX export of 500 actions and 2,000 notes (target of #9: ≤ 1 s)';

export async function run() {
  const { writeXlsx } = await loadShared();
  const { rows } = await writerBenchmark('XLSX', writeXlsx, { target: 1000 });
  return rows;
}
