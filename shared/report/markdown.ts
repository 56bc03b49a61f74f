/** PLACEHOLDER: being written now; replaced by the real writer before this lands. */
import type { Report } from './model';

/** Writes `report`. */
export function writeMarkdown(report: Report): string {
  throw new Error(`writeMarkdown is not written yet (${report.title})`);
}
