/**
 * Dot voting on one note or theme while a round is open: add or remove my dots. Only my own
 * dots are shown until the facilitator reveals the round.
 */
import { addVote, type VoteTarget } from '../../../shared';
import { useT } from '../i18n';
import { useMe } from '../me';
import { useConnection, useWorkshop } from '../use-workshop';

export function DotControl({ target, kind, title }: { target: string; kind: VoteTarget; title: string }) {
  const t = useT();
  const me = useMe();
  const { doc } = useConnection();
  const round = useWorkshop((w) => {
    const active = w.rounds.find((r) => r.id === w.facilitation.activeRoundId);
    return active && active.state === 'open' && active.target === kind ? active : null;
  });
  const mine = useWorkshop((w) =>
    round
      ? (w.tallies
          .find((tally) => tally.round.id === round.id)
          ?.entries.find((e) => e.participant === me.id && e.target === target)?.count ?? 0)
      : 0,
  );
  if (!round || me.role === 'viewer') return null;
  return (
    <span className="dot-control" onPointerDown={(e) => e.stopPropagation()}>
      <button
        type="button"
        className="icon-button"
        aria-label={t('vote.removeDot', { title })}
        disabled={mine === 0}
        onClick={() => addVote(doc, round.id, me.id, target, -1)}
      >
        −
      </button>
      <span className="my-dots" aria-label={t('vote.myDots', { count: mine })}>
        {'●'.repeat(Math.min(mine, 5))}
        {mine > 5 ? `+${mine - 5}` : ''}
        {mine === 0 ? '○' : ''}
      </span>
      <button
        type="button"
        className="icon-button"
        aria-label={t('vote.addDot', { title })}
        onClick={() => addVote(doc, round.id, me.id, target, 1)}
      >
        +
      </button>
    </span>
  );
}
