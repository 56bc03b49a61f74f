/** The ballot box's limits and the bound on drafts, judged on real updates of a person's own document. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { RoundId } from '../ids';
import { addDraft, setBallot } from '../model/personal';
import type { VoteRound } from '../model/schema';
import { TEMPLATE_BOARD_IDS } from '../model/write';
import { describeUpdate } from './changes';
import { judgePersonal, MAX_DRAFTS, type BallotBox } from './personal';

const ROUND = 'r1' as RoundId;
const open: VoteRound = {
  id: ROUND,
  target: 'notes',
  dotsPerPerson: 3,
  maxPerItem: 2,
  state: 'open',
  order: 0,
  revealedAt: null,
};
const box = (round: VoteRound = open): BallotBox => ({
  round: (id) => (id === round.id ? round : undefined),
  targetExists: (_target, id) => id === 'n1' || id === 'n2',
});

/** What the server says to the update `edit` makes on a copy of `personal`. */
function judged(personal: Y.Doc, edit: (copy: Y.Doc) => void, against: BallotBox = box()): string | null {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(personal));
  const updates: Uint8Array[] = [];
  copy.on('update', (u: Uint8Array) => updates.push(u));
  edit(copy);
  const verdict = judgePersonal(personal, against, describeUpdate(personal, Y.mergeUpdates(updates)));
  if (!verdict) Y.applyUpdate(personal, Y.mergeUpdates(updates));
  return verdict?.code ?? null;
}

describe('a person’s ballots', () => {
  it('are taken within the round’s limits per item and per person, and no further', () => {
    const personal = new Y.Doc();
    expect(judged(personal, (d) => setBallot(d, ROUND, 'n1', 2))).toBeNull();
    expect(judged(personal, (d) => setBallot(d, ROUND, 'n1', 3))).toBe('vote-limit');
    expect(judged(personal, (d) => setBallot(d, ROUND, 'n2', 2))).toBe('vote-limit');
    expect(judged(personal, (d) => setBallot(d, ROUND, 'n2', 1))).toBeNull();
    // Taking a dot back makes room for another elsewhere.
    expect(judged(personal, (d) => setBallot(d, ROUND, 'n1', 0))).toBeNull();
    expect(judged(personal, (d) => setBallot(d, ROUND, 'n2', 2))).toBeNull();
  });

  it('are refused once the round is no longer open, or on what does not exist', () => {
    const personal = new Y.Doc();
    expect(judged(personal, (d) => setBallot(d, ROUND, 'n1', 1), box({ ...open, state: 'revealed' }))).toBe(
      'round-closed',
    );
    expect(judged(personal, (d) => setBallot(d, 'other' as RoundId, 'n1', 1))).toBe('round-closed');
    expect(judged(personal, (d) => setBallot(d, ROUND, 'nobody', 1))).toBe('unknown-change');
    expect(judged(personal, (d) => d.getMap('ballots').set(`${ROUND}|n1`, 1.5))).toBe('unknown-change');
    expect(judged(personal, (d) => d.getMap('elsewhere').set('x', 1))).toBe('unknown-change');
  });
});

describe('a person’s drafts', () => {
  it('are theirs to write, up to a bound', () => {
    const personal = new Y.Doc();
    expect(
      judged(personal, (d) => {
        for (let i = 0; i < MAX_DRAFTS; i++) addDraft(d, TEMPLATE_BOARD_IDS.needs, { text: `idea ${i}` });
      }),
    ).toBeNull();
    expect(judged(personal, (d) => addDraft(d, TEMPLATE_BOARD_IDS.needs, { text: 'one more' }))).toBe(
      'personal-full',
    );
  });
});
