/**
 * Says, in a toast, why a change made here was taken back (see rollback.ts and connection.ts), and
 * how many of this person's new items not yet saved were kept through the reload.
 */
import { useEffect } from 'react';
import type { WorkshopConnection } from './connection';
import { useT, useTn } from './i18n';
import { rollbackMessage } from './rollback';
import { useToasts } from './toasts';

/**
 * Shows the reason when the server refuses a change on `connection`. The toast is shown before
 * the reload and stays through it: toasts live outside any one connection.
 */
export function useRollbackNotice(connection: WorkshopConnection): void {
  const t = useT();
  const tn = useTn();
  const showToast = useToasts((s) => s.show);
  useEffect(
    () => connection.onRefused((refusal) => showToast(t(rollbackMessage(refusal.code)))),
    [connection, t, showToast],
  );
  useEffect(
    () => connection.onSalvaged((count) => showToast(tn('toast.salvaged', count))),
    [connection, tn, showToast],
  );
}
