/**
 * Dot voting on one note or theme while a round is open: add or remove my dots. The dots are a
 * secret ballot: they go to this person's own document, which only the server reads; the server
 * refuses a ballot over the round's limits and writes everyone's dots into the workshop when the
 * facilitator reveals the round. So this control never offers what the server would refuse.
 */
import { setBallot, type VoteTarget } from '../../../shared';
import { useT } from '../i18n';
import { useMe } from '../me';
import { useMyBallots } from '../personal';
import { useConnection, useWorkshop } from '../use-workshop';

export function DotControl({ target, kind, title }: { target: string; kind: VoteTarget; title: string }) {
  const t = useT();
  const me = useMe();
  const connection = useConnection();
  const round = useWorkshop((w) => {
    const active = w.rounds.find((r) => r.id === w.facilitation.activeRoundId);
    return active && active.state === 'open' && active.target === kind ? active : null;
  });
  const ballots = useMyBallots(round?.id ?? null);
  if (!round || me.role === 'viewer' || !ballots) return null;
  const mine = ballots.perItem.get(target) ?? 0;
  const noneLeft = round.dotsPerPerson > 0 && ballots.total >= round.dotsPerPerson;
  const itemFull = round.maxPerItem > 0 && mine >= round.maxPerItem;
  // Why no dot can be added here, said beside the button (a disabled button cannot take focus).
  const reason = noneLeft
    ? t('vote.noDotsLeft')
    : itemFull
      ? t('vote.itemFull', { max: round.maxPerItem })
      : '';
  const reasonId = `dot-reason-${target}`;
  const place = (count: number): void => {
    const personal = connection.personal();
    if (personal) setBallot(personal, round.id, target, count);
  };
  return (
    <span className="dot-control" onPointerDown={(e) => e.stopPropagation()}>
      <button
        type="button"
        className="icon-button"
        aria-label={t('vote.removeDot', { title })}
        disabled={mine === 0}
        onClick={() => place(mine - 1)}
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
        aria-describedby={reason ? reasonId : undefined}
        disabled={!!reason}
        onClick={() => place(mine + 1)}
      >
        +
      </button>
      {reason && (
        // Dots all used: the voting panel says so once; each card says it to a screen reader only.
        <span id={reasonId} className={noneLeft ? 'visually-hidden' : 'dot-reason'}>
          {reason}
        </span>
      )}
    </span>
  );
}
