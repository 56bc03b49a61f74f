/**
 * What the window does when its page fails to load (`did-fail-load`), as a pure decision: a
 * failed main-frame load is retried once, then given up, and main.ts tells the user why and
 * quits, instead of leaving the app running with no window anyone can see.
 */

/** A `did-fail-load` event's arguments, named. */
export type PageLoadFailure = {
  /** Chromium's net error code, e.g. -6 (ERR_FILE_NOT_FOUND), -3 (ERR_ABORTED). */
  readonly errorCode: number;
  readonly errorDescription: string;
  /** The URL that failed (Electron's `validatedURL`). */
  readonly url: string;
  readonly isMainFrame: boolean;
};

export type LoadFailureDecision =
  | { readonly action: 'ignore' }
  | { readonly action: 'retry' }
  /** Tell the user `reason` (and `url`), then quit. */
  | { readonly action: 'give-up'; readonly reason: string; readonly url: string };

/** How many times a failed page is loaded again before giving up. */
export const LOAD_RETRIES = 1;

/** Chromium's ERR_ABORTED: the load was replaced by another (a navigation), not a failure. */
const ERR_ABORTED = -3;

/** Decides what to do with a failed load, after `retries` retries of it already. */
export function decideLoadFailure(failure: PageLoadFailure, retries: number): LoadFailureDecision {
  if (!failure.isMainFrame || failure.errorCode === ERR_ABORTED) return { action: 'ignore' };
  if (retries < LOAD_RETRIES) return { action: 'retry' };
  const description = failure.errorDescription.trim() || 'unknown error';
  return { action: 'give-up', reason: `${description} (${failure.errorCode})`, url: failure.url };
}
