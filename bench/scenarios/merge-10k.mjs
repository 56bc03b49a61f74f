// merge-10k (#13): two people each make 10,000 edits offline; time from reconnecting until both
// documents are identical (bench/lib/merge.mjs). Target ≤ 200 ms.
import { mergeScenario } from '../lib/merge.mjs';

export const summary = 'two clients, 10,000 offline edits each: reconnect → identical documents';

export function run() {
  return mergeScenario({ edits: 10_000, rounds: 5, target: 200 });
}
