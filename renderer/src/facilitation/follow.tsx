/**
 * Where the facilitator takes everyone's view, and each person's own choice to go along:
 * following a person (their board and viewport, until this person stops following), following
 * the group's phase (the board switches when the phase does), "bring everyone here" (the view
 * moves once) and the spotlight (the item comes into view). The choices are this device's alone.
 */
import { useEffect, useRef } from 'react';
import { create } from 'zustand';
import type { BoardKind, ParticipantId, Summon } from '../../../shared';
import { requestReveal, requestView } from '../canvas/view-requests';
import { announce } from '../controls/announcer';
import { useT } from '../i18n';
import { useMe } from '../me';
import { usePeers, type Presence, type SharedView } from '../presence';
import { useUi } from '../ui-store';
import { useConnection, useWorkshop } from '../use-workshop';

type FollowChoices = {
  /** The person whose following this device stopped (until the facilitator asks again). */
  stopped: ParticipantId | null;
  /** The board switches with the group's phase. */
  followPhase: boolean;
  /** Summons this device made itself: it is already where it brought everyone. */
  ownSummons: readonly string[];
};

export const useFollowChoices = create<FollowChoices>(() => ({
  stopped: null,
  followPhase: false,
  ownSummons: [],
}));

/** The person everyone is asked to follow, unless it is me or I stopped following them. */
export function useLeader(): ParticipantId | null {
  const me = useMe();
  const leader = useWorkshop((w) => w.facilitation.followParticipantId);
  const stopped = useFollowChoices((s) => s.stopped);
  return leader && leader !== me.id && leader !== stopped ? leader : null;
}

const sameView = (a: SharedView | null, b: SharedView | null): boolean =>
  a === b || (!!a && !!b && a.board === b.board && a.x === b.x && a.y === b.y && a.zoom === b.zoom);

/** Shows `view`'s board and asks its canvas for the same view. */
function goTo(view: SharedView): void {
  if (useUi.getState().board !== view.board) useUi.getState().showBoard(view.board);
  requestView(view);
}

/** The view of the person (by id) a facilitator would bring everyone to: theirs, on `board`. */
function viewOf(peers: readonly Presence[], summon: Summon, board: BoardKind): SharedView | null {
  const onBoard = peers.filter((p) => p.role === 'facilitator' && p.view?.board === board);
  return (onBoard.find((p) => p.name === summon.by) ?? onBoard[0])?.view ?? null;
}

/** Tells everyone which board this device shows (the action plan has no canvas to tell it). */
function useShareBoard(): void {
  const { awareness } = useConnection();
  const board = useUi((s) => s.board);
  useEffect(() => awareness.setLocalStateField('board', board), [awareness, board]);
}

/** Follows the leader's board and viewport while there is one. */
function useFollowLeader(): void {
  const { awareness } = useConnection();
  const leader = useLeader();
  const board = usePeers(awareness, (peers) =>
    leader ? (peers.find((p) => p.id === leader && p.board)?.board ?? null) : null,
  );
  useEffect(() => {
    if (board && useUi.getState().board !== board) useUi.getState().showBoard(board);
  }, [board]);
  const view = usePeers(
    awareness,
    (peers) => (leader ? (peers.find((p) => p.id === leader && p.view)?.view ?? null) : null),
    sameView,
  );
  useEffect(() => {
    if (view) goTo(view);
  }, [view]);
  // Asked to follow again (or someone else): this device follows again.
  const asked = useWorkshop((w) => w.facilitation.followParticipantId);
  useEffect(() => {
    if (asked === null) useFollowChoices.setState({ stopped: null });
  }, [asked]);
}

/** Announces each phase change, and moves this device's board along when it follows the phase. */
function usePhase(): void {
  const t = useT();
  const phase = useWorkshop((w) => w.facilitation.phase);
  const before = useRef(phase);
  useEffect(() => {
    if (before.current === phase) return;
    before.current = phase;
    announce(t('phase.changed', { phase: t(`board.${phase}`) }));
    if (useFollowChoices.getState().followPhase && useUi.getState().board !== phase)
      useUi.getState().showBoard(phase);
  }, [phase, t]);
}

/** "Bring everyone here": each summon made after this device arrived moves its view once. */
function useSummon(): void {
  const t = useT();
  const { awareness } = useConnection();
  const summon = useWorkshop((w) => w.facilitation.summon);
  const boards = useWorkshop((w) => w.boards);
  const peers = usePeers(awareness);
  const seen = useRef(summon?.id ?? null);
  useEffect(() => {
    if (!summon || summon.id === seen.current) return;
    seen.current = summon.id;
    if (useFollowChoices.getState().ownSummons.includes(summon.id)) return;
    const board = boards.find((b) => b.id === summon.boardId)?.kind;
    if (!board) return;
    const view = viewOf(peers, summon, board);
    if (view) goTo(view);
    else if (useUi.getState().board !== board) useUi.getState().showBoard(board);
    announce(t('summon.announce', { name: summon.by, board: t(`board.${board}`) }));
  }, [summon, boards, peers, t]);
}

/** The spotlight: each new one comes into view (on a board that shows it). */
function useSpotlight(): void {
  const spotlight = useWorkshop((w) => w.facilitation.spotlight);
  const key = spotlight ? `${spotlight.kind}:${spotlight.id}:${spotlight.at}` : null;
  useEffect(() => {
    if (!spotlight) return;
    const here = useUi.getState().board;
    const board: BoardKind = spotlight.kind === 'theme' ? 'themes' : here === 'actions' ? 'needs' : here;
    if (here !== board) useUi.getState().showBoard(board);
    requestReveal({ board, selector: spotlightSelector(spotlight.kind, spotlight.id) });
    // Once per spotlight (its time tells a new one from the same item spotlit again).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
}

/** The CSS selector of a spotlit item's element on a board. */
export function spotlightSelector(kind: 'note' | 'theme', id: string): string {
  return kind === 'note' ? `[data-note-id="${CSS.escape(id)}"]` : `[data-theme-id="${CSS.escape(id)}"]`;
}

/** Mounted once per open workshop: every way the facilitator moves this device's view. */
export function FollowEffects() {
  useShareBoard();
  useFollowLeader();
  usePhase();
  useSummon();
  useSpotlight();
  return null;
}
