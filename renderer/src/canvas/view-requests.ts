/**
 * Asks a board's canvas to move its view from outside it: to show what someone else's canvas
 * shows (follow me, bring everyone here) or to bring an item into the middle (spotlight). A
 * request waits here until the canvas of its board is on screen (the board may be switching),
 * which takes it once.
 */
import { create } from 'zustand';
import type { BoardKind } from '../../../shared';

/** Centre the view on content point (x, y) at `zoom`. */
export type ViewRequest = {
  readonly board: BoardKind;
  readonly x: number;
  readonly y: number;
  readonly zoom: number;
};

/** Centre the view on the first element that matches `selector`. */
export type RevealRequest = { readonly board: BoardKind; readonly selector: string };

type Requests = { view: ViewRequest | null; reveal: RevealRequest | null };

export const useViewRequests = create<Requests>(() => ({ view: null, reveal: null }));

/** Moves `board`'s canvas to show what `view` describes (now, or when that board shows next). */
export function requestView(view: ViewRequest): void {
  useViewRequests.setState({ view });
}

/** Brings the element `selector` finds on `board` into the middle of that board's canvas. */
export function requestReveal(reveal: RevealRequest): void {
  useViewRequests.setState({ reveal });
}
