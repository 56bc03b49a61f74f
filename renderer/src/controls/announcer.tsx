/**
 * The page's one polite live region. Anything a screen reader user should hear without moving the
 * focus (the timer ran out, votes were revealed, the phase changed) is said through `announce`;
 * `Announcer` is mounted once, by the app.
 */
import { useEffect, useState } from 'react';

const listeners = new Set<(message: string) => void>();

/** Says `message` through the live region (politely: after what the screen reader is saying). */
export function announce(message: string): void {
  for (const listener of listeners) listener(message);
}

export function Announcer() {
  const [said, setSaid] = useState({ message: '', times: 0 });
  useEffect(() => {
    const listener = (message: string): void => setSaid((s) => ({ message, times: s.times + 1 }));
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, []);
  return (
    <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
      {/* A screen reader says a region again only when its text changes: the same message twice
          differs by a trailing no-break space. */}
      {said.message && said.message + (said.times % 2 ? '' : '\u00a0')}
    </div>
  );
}
