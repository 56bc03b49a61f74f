/**
 * The shared countdown in the top bar. Everyone sees the same time: it is counted from the
 * server's clock (connection.serverNow()), not from this laptop's. The facilitator starts it
 * (1, 3, 5 or 10 minutes, or any number of minutes), pauses, resumes, adds a minute and stops it.
 * When it runs out, the timer says "Time is up" (a short glow, none when motion is reduced), the
 * live region says so, and a short tone plays when the facilitator turned the sound on.
 */
import { useEffect, useId, useRef, useState } from 'react';
import {
  extendTimer,
  pauseTimer,
  resumeTimer,
  setTimerSound,
  startTimer,
  stopTimer,
  timerState,
  type TimerState,
} from '../../../shared';
import { announce } from '../controls/announcer';
import { PauseIcon, TimerIcon } from '../controls/icons';
import { useT } from '../i18n';
import { useMe } from '../me';
import { useConnection, useWorkshop } from '../use-workshop';
import { playEndTone } from './sound';

const PRESETS = [1, 3, 5, 10] as const;
const MINUTE = 60_000;

/** "04:32" (minutes may pass 99). Rounds up: a countdown shows 00:01 until it is really over. */
export function formatRemaining(ms: number): string {
  const seconds = Math.ceil(Math.max(0, ms) / 1000);
  return `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
}

/** The timer's state now, on the server's clock, redrawn four times a second while it runs. */
function useTimerNow(): TimerState {
  const { serverNow } = useConnection();
  const timer = useWorkshop((w) => w.facilitation.timer);
  const [, tick] = useState(0);
  const running = timer.endsAt !== null;
  useEffect(() => {
    if (!running) return;
    const id = setInterval(() => tick((n) => n + 1), 250);
    return () => clearInterval(id);
  }, [running]);
  return timerState(timer, serverNow());
}

export function TimerControl() {
  const t = useT();
  const me = useMe();
  const { doc, serverNow } = useConnection();
  const sound = useWorkshop((w) => w.facilitation.timerSound);
  const { state, remainingMs } = useTimerNow();
  const [menuOpen, setMenuOpen] = useState(false);
  const facilitator = me.role === 'facilitator';

  // The end is told once, to those who saw it run out (not to someone who arrives later).
  const before = useRef(state);
  useEffect(() => {
    if (before.current === 'running' && state === 'ended') {
      announce(t('timer.up'));
      if (sound) playEndTone();
    }
    before.current = state;
  }, [state, sound, t]);

  return (
    <div className="timer-control">
      {state !== 'stopped' && (
        <span role="timer" className={`timer timer-${state}`} aria-live="off">
          {state === 'ended' ? (
            t('timer.up')
          ) : (
            <>
              <span className="timer-time">{formatRemaining(remainingMs)}</span>
              {state === 'paused' && (
                // A pause mark, not a word: the top bar keeps to one row; the word is read and hovered.
                <span className="timer-paused" title={t('timer.paused')}>
                  <PauseIcon />
                  <span className="visually-hidden"> · {t('timer.paused')}</span>
                </span>
              )}
            </>
          )}
        </span>
      )}
      {facilitator && (
        <TimerMenu
          open={menuOpen}
          onOpenChange={setMenuOpen}
          sound={sound}
          onSound={(on) => setTimerSound(doc, on)}
          onStart={(minutes) => {
            startTimer(doc, Math.round(minutes * MINUTE), serverNow());
            setMenuOpen(false);
          }}
        >
          {state !== 'stopped' && (
            // What a running countdown needs sits in the menu, first: the top bar keeps to one row.
            <div role="group" aria-label={t('timer.button')} className="timer-running">
              {state === 'running' && (
                <button
                  type="button"
                  className="secondary-button"
                  autoFocus
                  onClick={() => pauseTimer(doc, serverNow())}
                >
                  {t('timer.pause')}
                </button>
              )}
              {state === 'paused' && (
                <button
                  type="button"
                  className="secondary-button"
                  autoFocus
                  onClick={() => resumeTimer(doc, serverNow())}
                >
                  {t('timer.resume')}
                </button>
              )}
              <button
                type="button"
                className="secondary-button"
                autoFocus={state === 'ended'}
                onClick={() => extendTimer(doc, MINUTE, serverNow())}
              >
                {t('timer.extend')}
              </button>
              <button
                type="button"
                className="secondary-button"
                onClick={() => {
                  stopTimer(doc);
                  setMenuOpen(false);
                }}
              >
                {t('timer.stop')}
              </button>
            </div>
          )}
        </TimerMenu>
      )}
    </div>
  );
}

/** The facilitator's "Timer" button and what it opens: presets, any minutes, the sound. */
function TimerMenu({
  open,
  onOpenChange,
  sound,
  onSound,
  onStart,
  children,
}: {
  children?: React.ReactNode;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  sound: boolean;
  onSound: (on: boolean) => void;
  onStart: (minutes: number) => void;
}) {
  const t = useT();
  const id = useId();
  const [minutes, setMinutes] = useState('15');
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const close = (): void => {
    onOpenChange(false);
    button.current?.focus();
  };

  // A press anywhere else closes it.
  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent): void => {
      const target = event.target as Node;
      if (!panel.current?.contains(target) && !button.current?.contains(target)) onOpenChange(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open, onOpenChange]);

  const custom = Number(minutes.replace(',', '.'));
  const valid = Number.isFinite(custom) && custom > 0 && custom <= 600;
  return (
    <div className="timer-menu">
      <button
        ref={button}
        type="button"
        // An icon, named and with a tooltip: the top bar holds one row in every language.
        className="secondary-button icon-only"
        aria-label={t('timer.button')}
        title={t('timer.button')}
        aria-expanded={open}
        aria-controls={open ? `${id}-panel` : undefined}
        onClick={() => onOpenChange(!open)}
      >
        <TimerIcon />
      </button>
      {open && (
        <div
          ref={panel}
          id={`${id}-panel`}
          className="timer-panel"
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              event.preventDefault();
              close();
            }
          }}
        >
          {children}
          <div role="group" aria-label={t('timer.presets')} className="timer-presets">
            <span aria-hidden="true" className="muted">
              {t('timer.presets')}
            </span>
            {PRESETS.map((m, i) => (
              <button
                key={m}
                type="button"
                className="secondary-button"
                // The menu opens with its first preset under the focus: a keyboard starts in two keys
                // (with a countdown on, its own first control has the focus).
                autoFocus={i === 0 && !children}
                onClick={() => onStart(m)}
              >
                {t('timer.minutes', { minutes: m })}
              </button>
            ))}
          </div>
          <form
            className="timer-custom"
            onSubmit={(event) => {
              event.preventDefault();
              if (valid) onStart(custom);
            }}
          >
            <label>
              {t('timer.customMinutes')}
              <input
                type="number"
                min={0.05}
                max={600}
                step="any"
                inputMode="decimal"
                value={minutes}
                onChange={(e) => setMinutes(e.target.value)}
              />
            </label>
            <button type="submit" className="primary-button" disabled={!valid}>
              {t('timer.start')}
            </button>
          </form>
          <label className="check">
            <input type="checkbox" checked={sound} onChange={(e) => onSound(e.target.checked)} />
            {t('timer.sound')}
          </label>
        </div>
      )}
    </div>
  );
}
