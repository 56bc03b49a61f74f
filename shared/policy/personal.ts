/**
 * What a person may write in their own document in a room (shared/model/personal.ts): drafts
 * (notes of a private writing round, theirs to change at will) and ballots (dots in an open
 * round). The server is the ballot box: it checks every ballot against the round's limits, per
 * item and per person, before it takes it, so no client can vote beyond them.
 */
import type * as Y from 'yjs';
import type { RoundId } from '../ids';
import { parseBallotKey, PERSONAL_ROOT, readBallots } from '../model/personal';
import type { VoteRound } from '../model/schema';
import { ANY_POSITION, type UpdateChanges } from './changes';
import type { Refused } from './policy';

/** The workshop as a ballot is judged against. */
export type BallotBox = {
  /** The round, or undefined when there is none. */
  round(id: string): VoteRound | undefined;
  /** Whether a note or theme exists to put dots on. */
  targetExists(target: VoteRound['target'], id: string): boolean;
};

/**
 * Most drafts one person holds at once. A round rarely asks for more than a dozen; the bound keeps
 * one person from publishing an unbounded pile into the workshop at the reveal, past the limits
 * that the workshop's own document size guards (shared/limits.ts).
 */
export const MAX_DRAFTS = 200;

/** Judges an update to a person's own document: the first change refused, or null. */
export function judgePersonal(personal: Y.Doc, box: BallotBox, update: UpdateChanges): Refused | null {
  if (update.unknown) return { code: 'unknown-change', path: '' };
  const newDrafts = update.changes.filter(
    (c) => c.op === 'insert' && c.path.length === 2 && c.path[0] === PERSONAL_ROOT.drafts,
  ).length;
  if (newDrafts > 0 && personal.getMap(PERSONAL_ROOT.drafts).size + newDrafts > MAX_DRAFTS)
    return { code: 'personal-full', path: PERSONAL_ROOT.drafts };
  /** Rounds touched, with the counts this update sets (0 for a ballot taken back). */
  const touched = new Map<string, Map<string, number>>();
  for (const change of update.changes) {
    const [root, key] = change.path;
    const path = change.path.join('/');
    if (root === PERSONAL_ROOT.drafts) continue;
    if (
      root !== PERSONAL_ROOT.ballots ||
      key === undefined ||
      key === ANY_POSITION ||
      change.path.length !== 2
    )
      return { code: 'unknown-change', path };
    const parsed = parseBallotKey(key);
    if (!parsed) return { code: 'unknown-change', path };
    const round = box.round(parsed.roundId);
    if (!round || round.state !== 'open') return { code: 'round-closed', path };
    if (!box.targetExists(round.target, parsed.targetId)) return { code: 'unknown-change', path };
    if (change.op === 'delete') {
      if (!touched.get(round.id)?.has(parsed.targetId)) setCount(touched, round.id, parsed.targetId, 0);
      continue;
    }
    const count = change.value;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0)
      return { code: 'unknown-change', path };
    setCount(touched, round.id, parsed.targetId, count);
  }
  for (const [roundId, counts] of touched) {
    const round = box.round(roundId)!;
    const ballots = readBallots(personal, roundId as RoundId);
    for (const [target, count] of counts) ballots.set(target, count);
    let total = 0;
    for (const [target, count] of ballots) {
      total += count;
      if (round.maxPerItem > 0 && count > round.maxPerItem)
        return { code: 'vote-limit', path: `${PERSONAL_ROOT.ballots}/${roundId}|${target}` };
    }
    if (round.dotsPerPerson > 0 && total > round.dotsPerPerson)
      return { code: 'vote-limit', path: `${PERSONAL_ROOT.ballots}/${roundId}` };
  }
  return null;
}

function setCount(
  touched: Map<string, Map<string, number>>,
  round: string,
  target: string,
  count: number,
): void {
  const counts = touched.get(round) ?? new Map<string, number>();
  counts.set(target, count);
  touched.set(round, counts);
}
