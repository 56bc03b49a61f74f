// export-docx: the Word export (shared/report/docx.ts, writeDocx) of a workshop of 500 actions and
// 2,000 notes (lib/export-workshop.mjs): the report model and the writer, timed together as the
// user waits for them. Target of issue #9: ≤ 1 s. Median of 7 runs after a warm-up; then 3 runs
// without the trace appendix, to show that part's share.
import { loadShared } from '../lib/export-build.mjs';
import { writerBenchmark } from '../lib/export-measure.mjs';

export const summary = 'DOCX export of 500 actions and 2,000 notes (target of #9: ≤ 1 s)';

export async function run() {
  const { writeDocx } = await loadShared();
  const { rows } = await writerBenchmark('DOCX', writeDocx, { target: 1000, untraced: true });
  return rows;
}
