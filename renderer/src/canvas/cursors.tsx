/** Other people's cursors on this board, with their names; a cursor fades after 4 s of stillness. */
import { useEffect, useState } from 'react';
import type { BoardKind } from '../../../shared';
import { useT } from '../i18n';
import { usePeers } from '../presence';
import { useConnection } from '../use-workshop';

const FADE_MS = 4000;

export function Cursors({ board }: { board: BoardKind }) {
  const t = useT();
  const { awareness } = useConnection();
  const peers = usePeers(awareness);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return (
    <>
      {peers.map((p) =>
        p.cursor && p.cursor.board === board ? (
          <div
            key={p.clientId}
            className={`cursor${now - p.cursor.at > FADE_MS ? ' still' : ''}`}
            style={{ transform: `translate(${p.cursor.x}px, ${p.cursor.y}px)`, color: p.colour }}
            aria-label={t('presence.cursor', { name: p.name })}
            role="img"
          >
            <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">
              <path d="M1 1 L6 15 L8 9 L14 7 Z" fill="currentColor" stroke="white" strokeWidth="1" />
            </svg>
            <span className="cursor-name" style={{ background: p.colour }}>
              {p.name}
            </span>
          </div>
        ) : null,
      )}
    </>
  );
}
