/**
 * Share (facilitators): makes participant and viewer join links for this workshop through the
 * server (POST /api/workshops/ROOM/links with the facilitator's own token), to copy and send.
 */
import { useState } from 'react';
import { Modal } from '../controls/modal';
import { useLanguage, useT } from '../i18n';
import { serverBaseUrl } from '../platform';
import { roomToken } from '../routes';

type Made = { url: string; expires: string };

function LinkRow({ room, role }: { room: string; role: 'participant' | 'viewer' }) {
  const t = useT();
  const language = useLanguage();
  const [made, setMade] = useState<Made | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const label = t(role === 'participant' ? 'share.participant' : 'share.viewer');

  const make = (): void => {
    setError(null);
    fetch(`${serverBaseUrl()}/api/workshops/${encodeURIComponent(room)}/links`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${roomToken(room) ?? ''}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ role }),
    })
      .then(async (res) => {
        const body = (await res.json()) as { url?: unknown; expires?: unknown; error?: unknown };
        if (!res.ok || typeof body.url !== 'string') {
          throw new Error(typeof body.error === 'string' ? body.error : `HTTP ${res.status}`);
        }
        setMade({ url: body.url, expires: typeof body.expires === 'string' ? body.expires : '' });
      })
      .catch((e: unknown) => setError(t('share.failed', { reason: (e as Error).message })));
  };

  return (
    <div className="share-row">
      <label>
        {label}
        <input readOnly value={made?.url ?? ''} onFocus={(e) => e.currentTarget.select()} />
      </label>
      {made?.expires && (
        <p className="muted">
          {t('share.expires', {
            time: new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(
              new Date(made.expires),
            ),
          })}
        </p>
      )}
      {error && <p role="alert">{error}</p>}
      <div className="panel-buttons">
        <button type="button" className="secondary-button" onClick={make}>
          {t('share.make')}
        </button>
        <button
          type="button"
          className="button-link"
          disabled={!made}
          onClick={() => {
            if (!made) return;
            void navigator.clipboard?.writeText(made.url).then(() => setCopied(true));
          }}
        >
          {copied ? t('share.copied') : t('share.copy')}
        </button>
      </div>
    </div>
  );
}

export function ShareDialog({ room, onClose }: { room: string; onClose: () => void }) {
  const t = useT();
  return (
    <Modal titleId="share-title" title={t('share.title')} wide onClose={onClose}>
      <LinkRow room={room} role="participant" />
      <LinkRow room={room} role="viewer" />
      <button type="button" className="button-link" onClick={onClose}>
        {t('share.close')}
      </button>
    </Modal>
  );
}
