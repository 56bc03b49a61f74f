/**
 * The row under the top bar where the group is led. A facilitator sets the group's phase, locks
 * the workshop or this board, asks everyone to follow their view, brings everyone to their board,
 * spotlights the selected note, and opens the settings. Everyone sees where the group is (with
 * Go there and Follow the group), whom they follow (with Stop following), the locks and the
 * spotlight. Every control is a plain button, select or checkbox: the keyboard reaches them all.
 */
import { useState } from 'react';
import {
  PHASES,
  setBoardLocked,
  setFollow,
  setLocked,
  setPhase,
  setSpotlight,
  summonEveryone,
  type Phase,
} from '../../../shared';
import { SettingsIcon } from '../controls/icons';
import { useT } from '../i18n';
import { useMe } from '../me';
import { usePeers } from '../presence';
import { useUi } from '../ui-store';
import { useConnection, useWorkshop } from '../use-workshop';
import { FollowEffects, spotlightSelector, useFollowChoices, useLeader } from './follow';
import { SettingsDialog } from './settings-dialog';
import './facilitation.css';

export function FacilitationBar() {
  const t = useT();
  const me = useMe();
  const facilitator = me.role === 'facilitator';
  return (
    <section className="facilitation-bar" aria-label={t('facilitation.label')}>
      <FollowEffects />
      <PhaseControl facilitator={facilitator} />
      <Following />
      {facilitator && <LeadControls />}
      <Locks facilitator={facilitator} />
      <SpotlightControl facilitator={facilitator} />
      {facilitator && <SettingsButton />}
    </section>
  );
}

function PhaseControl({ facilitator }: { facilitator: boolean }) {
  const t = useT();
  const { doc } = useConnection();
  const phase = useWorkshop((w) => w.facilitation.phase);
  const board = useUi((s) => s.board);
  const followPhase = useFollowChoices((s) => s.followPhase);
  if (facilitator) {
    return (
      <label className="phase-select">
        {t('phase.label')}
        <select
          value={phase}
          onChange={(e) => {
            const next = e.target.value as Phase;
            setPhase(doc, next);
            useUi.getState().showBoard(next);
          }}
        >
          {PHASES.map((p, i) => (
            <option key={p} value={p}>
              {`${i + 1}. ${t(`board.${p}`)}`}
            </option>
          ))}
        </select>
      </label>
    );
  }
  return (
    <span className="bar-group">
      <span>{t('phase.groupAt', { phase: t(`board.${phase}`) })}</span>
      {board !== phase && (
        <button type="button" className="button-link" onClick={() => useUi.getState().showBoard(phase)}>
          {t('phase.goThere')}
        </button>
      )}
      <button
        type="button"
        className="secondary-button toggle-button"
        aria-pressed={followPhase}
        onClick={() => {
          const on = !followPhase;
          useFollowChoices.setState({ followPhase: on });
          if (on && useUi.getState().board !== phase) useUi.getState().showBoard(phase);
        }}
      >
        {t('phase.follow')}
      </button>
    </span>
  );
}

/** "Following Alice · Stop following", while this device follows someone. */
function Following() {
  const t = useT();
  const { awareness } = useConnection();
  const leader = useLeader();
  const rosterName = useWorkshop((w) =>
    leader ? w.participants.find((p) => p.id === leader)?.name : undefined,
  );
  const peerName = usePeers(awareness, (peers) =>
    leader ? peers.find((p) => p.id === leader)?.name : undefined,
  );
  if (!leader) return null;
  return (
    <span className="bar-group following" role="status">
      <span>{t('follow.following', { name: rosterName ?? peerName ?? '' })}</span>
      <button
        type="button"
        className="button-link"
        onClick={() => useFollowChoices.setState({ stopped: leader })}
      >
        {t('follow.stop')}
      </button>
    </span>
  );
}

/** The facilitator's Follow me and Bring everyone here. */
function LeadControls() {
  const t = useT();
  const me = useMe();
  const { doc, serverNow } = useConnection();
  const following = useWorkshop((w) => w.facilitation.followParticipantId === me.id);
  const board = useUi((s) => s.board);
  const boardId = useWorkshop((w) => w.boards.find((b) => b.kind === board)?.id);
  return (
    <span className="bar-group">
      <button
        type="button"
        className="secondary-button toggle-button"
        aria-pressed={following}
        onClick={() => setFollow(doc, following ? null : me.id)}
      >
        {t('follow.me')}
      </button>
      <button
        type="button"
        className="secondary-button"
        disabled={!boardId}
        onClick={() => {
          if (!boardId) return;
          const id = summonEveryone(doc, boardId, me.name, serverNow());
          useFollowChoices.setState((s) => ({ ownSummons: [...s.ownSummons, id] }));
        }}
      >
        {t('summon.button')}
      </button>
    </span>
  );
}

/** Lock toggles for the facilitator; what is locked, for everyone else. */
function Locks({ facilitator }: { facilitator: boolean }) {
  const t = useT();
  const { doc } = useConnection();
  const board = useUi((s) => s.board);
  const boardId = useWorkshop((w) => w.boards.find((b) => b.kind === board)?.id);
  const locked = useWorkshop((w) => w.facilitation.locked);
  const boardLocked = useWorkshop((w) => !!boardId && w.facilitation.lockedBoards.includes(boardId));
  if (facilitator) {
    return (
      <span className="bar-group">
        <button
          type="button"
          className="secondary-button toggle-button"
          aria-pressed={locked}
          onClick={() => setLocked(doc, !locked)}
        >
          <LockIcon /> {t('lock.workshop')}
        </button>
        <button
          type="button"
          className="secondary-button toggle-button"
          aria-pressed={boardLocked}
          disabled={!boardId}
          onClick={() => boardId && setBoardLocked(doc, boardId, !boardLocked)}
        >
          <LockIcon /> {t('lock.board')}
        </button>
      </span>
    );
  }
  if (!locked && !boardLocked) return null;
  return (
    <span className="lock-badge">
      <LockIcon /> {t(locked ? 'lock.workshopOn' : 'lock.boardOn')}
    </span>
  );
}

function LockIcon() {
  return (
    <svg
      className="lock-icon"
      viewBox="0 0 16 16"
      width="14"
      height="14"
      aria-hidden="true"
      focusable="false"
    >
      <rect x="3" y="7" width="10" height="7" rx="1.5" fill="currentColor" />
      <path d="M5 7V5a3 3 0 0 1 6 0v2" fill="none" stroke="currentColor" strokeWidth="1.6" />
    </svg>
  );
}

/** The spotlit note or theme for everyone (its ring drawn here); Spotlight and Clear for the facilitator. */
function SpotlightControl({ facilitator }: { facilitator: boolean }) {
  const t = useT();
  const { doc, serverNow } = useConnection();
  const spotlight = useWorkshop((w) => w.facilitation.spotlight);
  const title = useWorkshop((w) =>
    !spotlight
      ? ''
      : spotlight.kind === 'note'
        ? (w.notes.find((n) => n.id === spotlight.id)?.text ?? '')
        : (w.themes.find((th) => th.id === spotlight.id)?.title ?? ''),
  );
  const selected = useUi((s) => s.selection[0]);
  const board = useUi((s) => s.board);
  const themes = useWorkshop((w) => w.themes);
  return (
    <span className="bar-group">
      {spotlight && (
        <>
          {/* The ring follows the item wherever it is drawn, whenever it is drawn anew. */}
          <style>{`${spotlightSelector(spotlight.kind, spotlight.id)} { outline: 4px solid var(--spotlight); outline-offset: 3px; }`}</style>
          <span className="spotlight-label" role="status">
            {t('spotlight.on', { title })}
          </span>
        </>
      )}
      {facilitator && (
        <>
          <button
            type="button"
            className="secondary-button"
            disabled={!selected}
            title={selected ? undefined : t('spotlight.hint')}
            onClick={() => selected && setSpotlight(doc, { kind: 'note', id: selected }, serverNow())}
          >
            {t('spotlight.button')}
          </button>
          {board === 'themes' && themes.length > 0 && (
            // A theme has no selection of its own: the facilitator picks it here.
            <select
              className="spotlight-theme"
              aria-label={t('spotlight.theme')}
              value={spotlight?.kind === 'theme' ? spotlight.id : ''}
              onChange={(e) =>
                e.target.value && setSpotlight(doc, { kind: 'theme', id: e.target.value }, serverNow())
              }
            >
              <option value="">{t('spotlight.theme')}…</option>
              {themes.map((theme) => (
                <option key={theme.id} value={theme.id}>
                  {theme.title}
                </option>
              ))}
            </select>
          )}
          {spotlight && (
            <button
              type="button"
              className="button-link"
              onClick={() => setSpotlight(doc, null, serverNow())}
            >
              {t('spotlight.clear')}
            </button>
          )}
        </>
      )}
    </span>
  );
}

function SettingsButton() {
  const t = useT();
  const [open, setOpen] = useState(false);
  return (
    <>
      {/* An icon, named and with a tooltip: the facilitation row keeps to one line at 1280 px. */}
      <button
        type="button"
        className="secondary-button icon-only"
        aria-label={t('settings.button')}
        title={t('settings.button')}
        onClick={() => setOpen(true)}
      >
        <SettingsIcon />
      </button>
      {open && <SettingsDialog onClose={() => setOpen(false)} />}
    </>
  );
}
