/**
 * Dot-vote tallies. Limits (dots per person, dots per item) are applied here, when reading, and
 * deterministically: one participant voting offline on two devices can exceed them in the
 * document, and every replica must still agree on the same result.
 */
import type * as Y from 'yjs';
import type { ParticipantId, RoundId } from '../ids';
import { byOrder, childMap, entries, int, num, oneOf } from './fields';
import { parseVoteKey, roots } from './roots';
import { ROUND_STATES, VOTE_TARGETS, type Tally, type VoteEntry, type VoteRound } from './schema';

export type { Tally, VoteEntry } from './schema';

/** Every voting round, in order. */
export function readRounds(doc: Y.Doc): VoteRound[] {
  const rounds = childMap(roots(doc).facilitation, 'rounds');
  if (!rounds) return [];
  return entries(rounds)
    .map(([id, round]) => ({
      id: id as RoundId,
      target: oneOf(round, 'target', VOTE_TARGETS, 'notes'),
      dotsPerPerson: Math.max(0, int(round, 'dotsPerPerson')),
      maxPerItem: Math.max(0, int(round, 'maxPerItem')),
      state: oneOf(round, 'state', ROUND_STATES, 'open'),
      order: num(round, 'order'),
      revealedAt: revealedAt(round),
    }))
    .sort(byOrder);
}

function revealedAt(round: Y.Map<unknown>): number | null {
  const at = num(round, 'revealedAt', NaN);
  return Number.isFinite(at) ? at : null;
}

/** Raw counts stored for one round: participant → target → count (non-negative integers). */
function rawCounts(doc: Y.Doc, roundId: string): Map<string, Map<string, number>> {
  const byParticipant = new Map<string, Map<string, number>>();
  roots(doc).votes.forEach((value, key) => {
    const parsed = parseVoteKey(key);
    if (!parsed || parsed.round !== roundId) return;
    const count = typeof value === 'number' && Number.isFinite(value) ? Math.floor(value) : 0;
    if (count <= 0) return;
    const targets = byParticipant.get(parsed.participant) ?? new Map<string, number>();
    targets.set(parsed.target, count);
    byParticipant.set(parsed.participant, targets);
  });
  return byParticipant;
}

/** Ids of the things a round's dots can go on. */
function targetIds(doc: Y.Doc, round: VoteRound): Set<string> {
  const collection = round.target === 'notes' ? roots(doc).notes : roots(doc).themes;
  return new Set(entries(collection).map(([id]) => id));
}

/** The stored counts of one round with its limits applied, in a fixed order. */
function effectiveEntries(doc: Y.Doc, round: VoteRound): VoteEntry[] {
  const existing = targetIds(doc, round);
  const out: VoteEntry[] = [];
  const participants = [...rawCounts(doc, round.id)].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  for (const [participant, targets] of participants) {
    let budget = round.dotsPerPerson === 0 ? Infinity : round.dotsPerPerson;
    const sorted = [...targets].sort((a, b) => (a[0] < b[0] ? -1 : 1));
    for (const [target, stored] of sorted) {
      if (!existing.has(target) || budget <= 0) continue;
      const perItem = round.maxPerItem === 0 ? stored : Math.min(stored, round.maxPerItem);
      const count = Math.min(perItem, budget);
      budget -= count;
      out.push({ participant: participant as ParticipantId, target, count });
    }
  }
  return out;
}

/** The result of `round`: its entries with limits applied, and the ranking. */
function tally(doc: Y.Doc, round: VoteRound): Tally {
  const effective = effectiveEntries(doc, round);
  const totals = new Map<string, number>();
  for (const entry of effective) {
    totals.set(entry.target, (totals.get(entry.target) ?? 0) + entry.count);
  }
  const ranking = [...totals]
    .map(([target, count]) => ({ target, count }))
    .sort((a, b) => b.count - a.count || (a.target < b.target ? -1 : 1));
  return { round, entries: effective, ranking };
}

/** The result of round `roundId`, or null when there is no such round. */
export function tallyRound(doc: Y.Doc, roundId: RoundId): Tally | null {
  const round = readRounds(doc).find((r) => r.id === roundId);
  return round ? tally(doc, round) : null;
}

/** Every round's result, in round order (the rounds are read once). */
export function readTallies(doc: Y.Doc): Tally[] {
  return readRounds(doc).map((round) => tally(doc, round));
}

/** Total dots per target over the revealed or closed rounds (open rounds stay hidden) of `tallies`. */
export function revealedTotals(tallies: readonly Tally[], target: VoteRound['target']): Map<string, number> {
  const totals = new Map<string, number>();
  for (const { round, entries } of tallies) {
    if (round.target !== target || round.state === 'open') continue;
    for (const entry of entries) totals.set(entry.target, (totals.get(entry.target) ?? 0) + entry.count);
  }
  return totals;
}

/** Dots `participant` has left in a round; null when the round has no per-person limit. */
export function dotsLeft(doc: Y.Doc, roundId: RoundId, participant: ParticipantId): number | null {
  const tally = tallyRound(doc, roundId);
  if (!tally || tally.round.dotsPerPerson === 0) return null;
  const used = tally.entries
    .filter((entry) => entry.participant === participant)
    .reduce((sum, entry) => sum + entry.count, 0);
  return Math.max(0, tally.round.dotsPerPerson - used);
}

/** Total dots per target over every revealed or closed round on `target` kind. */
export function totalVotes(doc: Y.Doc, target: VoteRound['target']): Map<string, number> {
  return revealedTotals(readTallies(doc), target);
}

/** One place in a round's result. */
export type RankedTarget = { readonly target: string; readonly count: number; readonly rank: number };

/**
 * A round's ranking with places: highest count first, and tied targets share a place, the next
 * place skipping the ones they take (competition ranking: 1, 1, 3).
 */
export function rankTally(tally: Tally): RankedTarget[] {
  let rank = 0;
  let previous: number | null = null;
  return tally.ranking.map(({ target, count }, i) => {
    if (count !== previous) rank = i + 1;
    previous = count;
    return { target, count, rank };
  });
}
