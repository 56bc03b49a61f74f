/**
 * Says above a board why this person cannot change it now: the facilitator locked the workshop
 * or this board. Shown to participants (a facilitator is never locked out; a viewer's top bar
 * already says "View only").
 */
import type { Act } from '../../../shared/policy/policy';
import { useT } from '../i18n';
import { refusalReason, useRefusal } from '../policy';

/** The banner for a board on which `act` (its main way to add) stands for every change. */
export function LockBanner({ act }: { act: Act }) {
  const t = useT();
  const code = useRefusal(act);
  if (code !== 'locked' && code !== 'board-locked') return null;
  return (
    <p className="banner banner-locked" role="status">
      {t(refusalReason(code))}
    </p>
  );
}
