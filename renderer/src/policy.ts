/**
 * What this person may do in the open workshop, as the server judges it: the UI asks the same
 * policy the server applies (shared/policy/policy.ts) before it offers a control, so that no
 * button, key or drag leads to a change the server would refuse (and the reload that follows a
 * refusal). Also the author that everything this person creates must carry.
 *
 * `usePolicy()` re-renders its component on every change of the workshop; a component drawn
 * often (a lane, a list of notes) selects only the answers it needs with `usePolicySelect`.
 */
import { useCallback, useMemo, useSyncExternalStore } from 'react';
import type { MessageKey, Workshop } from '../../shared';
import {
  authorFor as authorOf,
  refusalOf,
  type Act,
  type RefusalCode,
  type Subject,
  type WorkshopView,
} from '../../shared/policy/policy';
import { workshopView } from '../../shared/policy/view';
import { useMe } from './me';
import { useConnection, useSelector } from './use-workshop';

/** Why something cannot be changed here, in words (a banner, a read-only field's title). */
export function refusalReason(code: RefusalCode): MessageKey {
  // The compiler checks that every code of the policy has its words.
  return `refusal.${code}`;
}

export type Policy = {
  readonly subject: Subject;
  readonly view: WorkshopView;
  /** True when this person may do `act` now. */
  readonly may: (act: Act) => boolean;
  /** Why this person may not do `act` now, or null when they may. */
  readonly refusal: (act: Act) => RefusalCode | null;
  /** The author a new note, theme or action with id `id` must carry. */
  readonly authorFor: (id: string) => string;
  /** Authors are hidden in this workshop (anonymous mode): show no author's name. */
  readonly anonymous: boolean;
};

/**
 * The policy for `subject` over `view`. A document of a newer schema (read-only here) takes no
 * change at all, whoever asks.
 */
export function policyOf(subject: Subject, view: WorkshopView, readOnly: boolean): Policy {
  const refusal = (act: Act): RefusalCode | null => {
    if (readOnly) return 'unknown-change';
    return refusalOf(subject, view, act);
  };
  return {
    subject,
    view,
    may: (act) => refusal(act) === null,
    refusal,
    authorFor: (id) => authorOf(subject, view, id),
    anonymous: view.anonymous,
  };
}

/** Who this person is to the policy: their role, and the identity the server gave them. */
function useSubject(): Subject {
  const me = useMe();
  const connection = useConnection();
  const identity = useSyncExternalStore(connection.onChange, connection.identity);
  return useMemo(
    () => ({
      role: me.role,
      id: me.role === 'viewer' ? null : (identity?.id ?? null),
      authorKey: me.role === 'viewer' ? null : (identity?.authorKey ?? null),
    }),
    [me.role, identity],
  );
}

/**
 * Selects from the policy as it stands after each change of the workshop; the component
 * re-renders only when the selection changed (`isEqual`).
 */
export function usePolicySelect<T>(
  selector: (policy: Policy, workshop: Workshop) => T,
  isEqual: (a: T, b: T) => boolean = Object.is,
): T {
  const subject = useSubject();
  const { doc, store } = useConnection();
  // The view reads the document as it stands whenever asked: one per document suffices.
  const view = useMemo(() => workshopView(doc), [doc]);
  const select = useCallback(
    (workshop: Workshop) => selector(policyOf(subject, view, workshop.readOnly !== null), workshop),
    // The selector may close over props: a new one must run (useSelector compares it).
    [selector, subject, view],
  );
  return useSelector(store.subscribe, store.getSnapshot, select, isEqual);
}

const whole = (policy: Policy): Policy => policy;

/**
 * The policy as it stands when called, for event handlers (a key, a drop, a paste): asks without
 * re-rendering the component on each change.
 */
export function usePolicyNow(): () => Policy {
  const subject = useSubject();
  const { doc, store } = useConnection();
  const view = useMemo(() => workshopView(doc), [doc]);
  return useCallback(
    () => policyOf(subject, view, store.getSnapshot().readOnly !== null),
    [subject, view, store],
  );
}

/** The policy, evaluated anew whenever the workshop changes. */
export function usePolicy(): Policy {
  return usePolicySelect(whole);
}

/** Whether this person may do `act` now: re-renders only when the answer changes. */
export function useMay(act: Act): boolean {
  const key = JSON.stringify(act);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the act is compared by its content.
  const select = useCallback((policy: Policy) => policy.may(act), [key]);
  return usePolicySelect(select);
}

/** Why this person may not do `act` now (null when they may): re-renders only when that changes. */
export function useRefusal(act: Act): RefusalCode | null {
  const key = JSON.stringify(act);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the act is compared by its content.
  const select = useCallback((policy: Policy) => policy.refusal(act), [key]);
  return usePolicySelect(select);
}
