/** Typed access to the root maps of a workshop Y.Doc. Internal to the model. */
import type * as Y from 'yjs';
import { ROOT } from './schema';

/** The root maps of one workshop document. */
export type Roots = {
  readonly meta: Y.Map<unknown>;
  readonly boards: Y.Map<unknown>;
  readonly notes: Y.Map<unknown>;
  readonly themes: Y.Map<unknown>;
  readonly actions: Y.Map<unknown>;
  readonly votes: Y.Map<unknown>;
  readonly participants: Y.Map<unknown>;
  readonly facilitation: Y.Map<unknown>;
  readonly plan: Y.Map<unknown>;
};

/** The root maps of `doc` (created on first access, as Yjs does). */
export function roots(doc: Y.Doc): Roots {
  return {
    meta: doc.getMap(ROOT.meta),
    boards: doc.getMap(ROOT.boards),
    notes: doc.getMap(ROOT.notes),
    themes: doc.getMap(ROOT.themes),
    actions: doc.getMap(ROOT.actions),
    votes: doc.getMap(ROOT.votes),
    participants: doc.getMap(ROOT.participants),
    facilitation: doc.getMap(ROOT.facilitation),
    plan: doc.getMap(ROOT.plan),
  };
}

/** Separator in vote keys; ids never contain it. Wire format: never change. */
export const VOTE_KEY_SEPARATOR = '|';

/** The key of one participant's dots on one target in one round. */
export function voteKey(round: string, participant: string, target: string): string {
  return [round, participant, target].join(VOTE_KEY_SEPARATOR);
}

/** The parts of a vote key, or null when malformed. */
export function parseVoteKey(key: string): { round: string; participant: string; target: string } | null {
  const parts = key.split(VOTE_KEY_SEPARATOR);
  if (parts.length !== 3) return null;
  const [round, participant, target] = parts as [string, string, string];
  if (!round || !participant || !target) return null;
  return { round, participant, target };
}
