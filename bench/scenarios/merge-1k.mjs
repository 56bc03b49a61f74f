// merge-1k (#13): two people each make 1,000 edits offline; time from reconnecting until both
// documents are identical (bench/lib/merge.mjs). Target ≤ 50 ms.
import { mergeScenario } from '../lib/merge.mjs';

export const summary = 'two clients, 1,000 offline edits each: reconnect → identical documents';

export function run() {
  return mergeScenario({ edits: 1_000, rounds: 7, target: 50 });
}
