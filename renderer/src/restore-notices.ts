/**
 * Telling of restores: when a facilitator restores an earlier version in place, the server writes
 * who restored which version into the document (`Workshop.lastRestore`), and the workshop screen
 * tells everyone there, and whoever opens the workshop within the hour, once per restore. Which
 * restores this device has told of is kept here (across reloads); the facilitator who restored is
 * told by the Versions dialog from the server's answer, so a notice arriving while their own
 * restore is under way waits for that answer instead of telling them twice.
 */
import { useEffect } from 'react';
import { create } from 'zustand';
import type { RestoreNotice } from '../../shared';
import { useLanguage, useT } from './i18n';
import { recall, remember } from './storage';
import { useToasts } from './toasts';
import { useWorkshop } from './use-workshop';

const TOLD_KEY = 'talkoo.restoresTold';
/** Restores remembered as told (the newest); older ones are long past the hour anyway. */
const KEEP = 50;
/** Whoever opens the workshop this soon after a restore is told of it. */
export const TELL_WITHIN_MS = 60 * 60_000;

function loadTold(): readonly string[] {
  try {
    const value: unknown = JSON.parse(recall(TOLD_KEY) ?? '[]');
    return Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

type State = {
  /** Restores asked from this window whose answer has not come yet. */
  readonly restoring: number;
  /** Ids of the restores this device has told of, oldest first. */
  readonly told: readonly string[];
};

const useRestoreState = create<State>(() => ({ restoring: 0, told: loadTold() }));

/** Remembers that restore `id` was told of here: it is not told again. */
export function markRestoreTold(id: string): void {
  const { told } = useRestoreState.getState();
  if (told.includes(id)) return;
  const next = [...told, id].slice(-KEEP);
  useRestoreState.setState({ told: next });
  remember(TOLD_KEY, JSON.stringify(next));
}

/** Whether restore `id` was told of here already. */
export function wasRestoreTold(id: string): boolean {
  return useRestoreState.getState().told.includes(id);
}

/** Runs `work`, a restore asked from here; notices wait until it has ended. */
export async function whileRestoring<T>(work: () => Promise<T>): Promise<T> {
  useRestoreState.setState((s) => ({ restoring: s.restoring + 1 }));
  try {
    return await work();
  } finally {
    useRestoreState.setState((s) => ({ restoring: s.restoring - 1 }));
  }
}

/** Tells, as a toast, of the open workshop's last restore, once, if it is recent. */
export function useRestoreNotice(): void {
  const t = useT();
  const language = useLanguage();
  const showToast = useToasts((s) => s.show);
  const notice = useWorkshop((w) => w.lastRestore);
  const restoring = useRestoreState((s) => s.restoring > 0);
  useEffect(() => {
    if (!notice || restoring || wasRestoreTold(notice.id)) return;
    markRestoreTold(notice.id);
    if (Math.abs(Date.now() - notice.at) > TELL_WITHIN_MS) return;
    showToast(restoreMessage(notice, language, t));
  }, [notice, restoring, language, t, showToast]);
}

function restoreMessage(notice: RestoreNotice, language: string, t: ReturnType<typeof useT>): string {
  const time = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(notice.versionTime),
  );
  return notice.by
    ? t('versions.restoredBy', { name: notice.by, time })
    : t('versions.restoredByFacilitator', { time });
}
