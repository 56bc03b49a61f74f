/** PLACEHOLDER: being written now; replaced by the real writer before this lands. */
import type { Report } from './model';

/** Writes `report`. */
export function writeDocx(report: Report): Promise<Uint8Array> {
  throw new Error(`writeDocx is not written yet (${report.title})`);
}
