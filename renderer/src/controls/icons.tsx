/**
 * Small line icons for buttons that show no words (the top bar's compact actions). Each is
 * decorative: the button around it carries the accessible name (aria-label) and a tooltip (title).
 * Drawn on a 16×16 grid in the text colour, so they follow hover, disabled and high-contrast styles.
 */
import type { ReactNode } from 'react';

function Icon({ children }: { children: ReactNode }) {
  return (
    <svg
      className="icon"
      width="16"
      height="16"
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {children}
    </svg>
  );
}

/** A stopwatch: the countdown. */
export const TimerIcon = () => (
  <Icon>
    <circle cx="8" cy="9" r="5.5" />
    <path d="M8 9V6.5M6.5 1.75h3M12.25 4.25l1 -1" />
  </Icon>
);

/** An arrow into a tray: take the plan out (export). */
export const ExportIcon = () => (
  <Icon>
    <path d="M8 2v8M4.75 6.75 8 10l3.25-3.25M2.5 11v2.5h11V11" />
  </Icon>
);

/** A clock with an arrow turning back: earlier versions. */
export const HistoryIcon = () => (
  <Icon>
    <path d="M2.5 8a5.5 5.5 0 1 0 1.6-3.9" />
    <path d="M2.25 2.5v2.25H4.5M8 5v3l2 1.5" />
  </Icon>
);

/** Two bars: pause. */
export const PauseIcon = () => (
  <Icon>
    <path d="M5.5 3.5v9M10.5 3.5v9" />
  </Icon>
);

/** A slider pair: settings. */
export const SettingsIcon = () => (
  <Icon>
    <path d="M2.5 5h11M2.5 11h11" />
    <circle cx="6" cy="5" r="1.75" fill="var(--surface, #fff)" />
    <circle cx="10.5" cy="11" r="1.75" fill="var(--surface, #fff)" />
  </Icon>
);
