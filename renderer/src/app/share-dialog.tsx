/**
 * Share (facilitators): makes participant and viewer join links for this workshop through the
 * server (POST /api/workshops/ROOM/links with the facilitator's own token), to copy, send or
 * scan as a QR code. Each link comes with a short code (`K7MX-42QP`) to read out or write on a
 * board, and a short link that the QR code carries, so the code stays sparse enough to scan from
 * the back of a room. The facilitator chooses how long new links work (a week unless this device
 * chose otherwise before). A workshop hosted on this laptop is reachable from this laptop only until
 * the facilitator opens it to the local network here. Below, the links made for the workshop, each
 * of which a facilitator can revoke (made-links.tsx).
 */
import { useEffect, useId, useState } from 'react';
import type { MessageKey } from '../../../shared';
import { DialogFooter, Modal } from '../controls/modal';
import { QrCode } from '../controls/qr-code';
import { useLanguage, useT, useTn } from '../i18n';
import {
  hostedHere,
  localHostStatus,
  refreshLocalHost,
  serverUrl,
  setLocalHostNetwork,
  type Place,
} from '../platform';
import { roomToken } from '../routes';
import { recall, remember } from '../storage';
import { apiRefusal, failureReason } from './failure-reason';
import { MadeLinks } from './made-links';

/** A made link: the address to share (the short link when the server gave one), its code and end. */
type Made = { url: string; code: string | null; expires: string };

/** How long a new link may work, as the API's `ttl`; the first is the default. */
const VALIDITIES = ['7d', '1d', '30d', '90d'] as const;
type Validity = (typeof VALIDITIES)[number];
const VALIDITY_KEYS: Readonly<Record<Validity, MessageKey>> = {
  '1d': 'share.ttl.1d',
  '7d': 'share.ttl.7d',
  '30d': 'share.ttl.30d',
  '90d': 'share.ttl.90d',
};
/** Where this device keeps the facilitator's last choice. Never rename. */
const VALIDITY_KEY = 'talkoo.share.validity';

function rememberedValidity(): Validity {
  const kept = recall(VALIDITY_KEY);
  return VALIDITIES.find((v) => v === kept) ?? VALIDITIES[0];
}

/** The host of a link, as people type it. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** `url` with its origin replaced by `origin` (the laptop address the facilitator picked). */
function atOrigin(url: string, origin: string | null): string {
  if (!origin) return url;
  const current = new URL(url).origin;
  return url.startsWith(current) ? origin + url.slice(current.length) : url;
}

function LinkRow({
  place,
  role,
  validity,
  stale,
  origin,
  onMade,
}: {
  place: Place;
  role: 'participant' | 'viewer';
  validity: Validity;
  stale: number;
  /** Show links at this origin instead of the server's own choice of address. */
  origin: string | null;
  /** Called once the server made a link (the list of links is asked for again). */
  onMade: () => void;
}) {
  const t = useT();
  const language = useLanguage();
  const [made, setMade] = useState<(Made & { for: number }) | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const label = t(role === 'participant' ? 'share.participant' : 'share.viewer');
  // A link made before the laptop's network setting changed carries the old address.
  const current = made?.for === stale ? { ...made, url: atOrigin(made.url, origin) } : null;

  const make = (): void => {
    setError(null);
    setCopied(false);
    fetch(`${serverUrl(place)}/api/workshops/${encodeURIComponent(place.room)}/links`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${roomToken(place) ?? ''}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ role, ttl: validity }),
    })
      .then(async (res) => {
        // The server keeps a bounded number of links per workshop (collab-server/http/api.ts).
        if (res.status === 429) return setError(t('share.tooManyLinks'));
        if (!res.ok) throw await apiRefusal(res);
        const body = (await res.json()) as {
          url?: unknown;
          shortUrl?: unknown;
          code?: unknown;
          expires?: unknown;
        };
        if (typeof body.url !== 'string') throw new Error(`HTTP ${res.status}`);
        setMade({
          // An older server gives no short link: its full link works the same.
          url: typeof body.shortUrl === 'string' ? body.shortUrl : body.url,
          code: typeof body.code === 'string' ? body.code : null,
          expires: typeof body.expires === 'string' ? body.expires : '',
          for: stale,
        });
        onMade();
      })
      .catch((e: unknown) => setError(t('share.failed', { reason: failureReason(e, t) })));
  };

  return (
    <div className="share-row">
      <div className="share-link">
        <label>
          {label}
          <input readOnly value={current?.url ?? ''} onFocus={(e) => e.currentTarget.select()} />
        </label>
        {current?.code && (
          <div className="share-code">
            <p>
              {t('share.code')} <strong className="share-code-value">{current.code}</strong>
            </p>
            <p className="muted">{t('share.codeHint', { host: hostOf(current.url) })}</p>
          </div>
        )}
        {current?.expires && (
          <p className="muted">
            {t('share.expires', {
              time: new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(
                new Date(current.expires),
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
            disabled={!current}
            onClick={() => {
              if (!current) return;
              void navigator.clipboard?.writeText(current.url).then(() => setCopied(true));
            }}
          >
            {copied ? t('share.copied') : t('share.copy')}
          </button>
        </div>
      </div>
      {current && <QrCode text={current.url} label={`${t('share.qr')}: ${label}`} />}
    </div>
  );
}

/** How often the dialog asks whether anyone has joined from the network while it is open. */
const VISITORS_POLL_MS = 3000;

/**
 * While the laptop is open to the network: whether any other device has reached it yet and, until
 * one has, why people may not get in. A firewall lets this laptop's own connections through
 * whatever it blocks, so the laptop cannot test itself; only another device's arrival tells.
 */
function NetworkReach({ visitors }: { visitors: number }) {
  const t = useT();
  const tn = useTn();
  if (visitors > 0)
    return (
      <p role="status" className="share-reach">
        {tn('share.visitors', visitors)}
      </p>
    );
  return (
    <div className="share-reach">
      <p role="status">{t('share.nobodyYet')}</p>
      <p className="muted">{t('share.firewallHint')}</p>
      <ul className="muted">
        <li>{t('share.firewallWindows')}</li>
        <li>{t('share.firewallMac')}</li>
      </ul>
    </div>
  );
}

/** Desktop, for a workshop on this laptop: whether others on the network can reach it, and at which address. */
function NetworkSetting({
  onChanged,
  origin,
  onOrigin,
}: {
  onChanged: () => void;
  origin: string | null;
  onOrigin: (origin: string) => void;
}) {
  const t = useT();
  const [status, setStatus] = useState(localHostStatus);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const open = status?.ok === true && status.networkUrl !== null;
  // Who has joined since it opened: asked again while open, until the dialog closes.
  useEffect(() => {
    if (!open) return;
    const timer = setInterval(() => {
      refreshLocalHost()
        .then((next) => {
          if (next?.ok) setStatus(next);
        })
        .catch(() => undefined); // The next change of the setting reports a host that went away.
    }, VISITORS_POLL_MS);
    return () => clearInterval(timer);
  }, [open]);
  if (!status?.ok) return null;

  const change = (wanted: boolean): void => {
    setBusy(true);
    setError(null);
    setLocalHostNetwork(wanted)
      .then((next) => {
        setStatus(next);
        if (!next.ok) setError(t('share.networkFailed', { reason: next.message }));
        onChanged();
      })
      .catch((e: unknown) => setError(t('share.networkFailed', { reason: (e as Error).message })))
      .finally(() => setBusy(false));
  };

  return (
    <div className="share-network" role="group" aria-label={t('home.thisLaptop')}>
      <p>
        {open ? t('share.networkOpen', { url: origin ?? status.networkUrl ?? '' }) : t('share.localOnly')}
      </p>
      {open && status.networkUrls.length > 1 && (
        <label>
          {t('share.address')}
          <select value={origin ?? status.networkUrl ?? ''} onChange={(e) => onOrigin(e.target.value)}>
            {status.networkUrls.map((url) => (
              <option key={url} value={url}>
                {url}
              </option>
            ))}
          </select>
          <span className="muted">{t('share.addressHint')}</span>
        </label>
      )}
      {open && <NetworkReach visitors={status.networkVisitors} />}
      {error && <p role="alert">{error}</p>}
      <button
        type="button"
        className={open ? 'secondary-button' : 'primary-button'}
        disabled={busy}
        onClick={() => change(!open)}
      >
        {open ? t('share.closeNetwork') : t('share.openNetwork')}
      </button>
    </div>
  );
}

export function ShareDialog({ place, onClose }: { place: Place; onClose: () => void }) {
  const t = useT();
  const [stale, setStale] = useState(0);
  const [origin, setOrigin] = useState<string | null>(null);
  const [made, setMade] = useState(0);
  const [validity, setValidity] = useState<Validity>(rememberedValidity);
  const validityHint = useId();
  const onMade = (): void => setMade((n) => n + 1);
  return (
    <Modal titleId="share-title" title={t('share.title')} wide onClose={onClose}>
      {hostedHere(place) && (
        <NetworkSetting
          origin={origin}
          onOrigin={setOrigin}
          onChanged={() => {
            setOrigin(null);
            setStale((n) => n + 1);
          }}
        />
      )}
      <div className="share-validity">
        <label>
          {t('share.validFor')}
          <select
            value={validity}
            aria-describedby={validityHint}
            onChange={(e) => {
              const chosen = VALIDITIES.find((v) => v === e.target.value) ?? VALIDITIES[0];
              setValidity(chosen);
              remember(VALIDITY_KEY, chosen);
            }}
          >
            {VALIDITIES.map((v) => (
              <option key={v} value={v}>
                {t(VALIDITY_KEYS[v])}
              </option>
            ))}
          </select>
        </label>
        <p id={validityHint} className="muted">
          {t('share.validHint')}
        </p>
      </div>
      <LinkRow
        place={place}
        role="participant"
        validity={validity}
        stale={stale}
        origin={origin}
        onMade={onMade}
      />
      <LinkRow
        place={place}
        role="viewer"
        validity={validity}
        stale={stale}
        origin={origin}
        onMade={onMade}
      />
      <MadeLinks server={serverUrl(place)} room={place.room} token={roomToken(place) ?? ''} version={made} />
      <DialogFooter>
        <button type="button" className="secondary-button" onClick={onClose}>
          {t('share.close')}
        </button>
      </DialogFooter>
    </Modal>
  );
}
