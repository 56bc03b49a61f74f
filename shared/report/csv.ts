/** PLACEHOLDER: being written now; replaced by the real writer before this lands. */
import type { Report } from './model';

/** The actions as CSV. */
export function writeActionsCsv(report: Report): string {
  throw new Error(`not written yet (${report.title})`);
}

/** The needs as CSV. */
export function writeNeedsCsv(report: Report): string {
  throw new Error(`not written yet (${report.title})`);
}
