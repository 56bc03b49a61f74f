/**
 * Share (facilitators): the links made for this workshop that still work (role, name, when made,
 * until when valid, by whom, its short code when it has one), each with "Revoke": after a confirmation the server refuses the
 * link from then on and disconnects everyone using it (DELETE /api/workshops/ROOM/links/ID with
 * the facilitator's own token). The link this device uses is marked and cannot be revoked here.
 */
import { useEffect, useRef, useState } from 'react';
import type { MessageKey } from '../../../shared';
import { isLinkCode } from '../../../shared/link-code';
import { useLanguage, useT } from '../i18n';
import { apiRefusal, failureReason } from './failure-reason';

/** A link as GET /api/workshops/ROOM/links lists it. */
type MadeLink = {
  readonly id: string;
  readonly role: 'facilitator' | 'participant' | 'viewer';
  readonly name: string;
  readonly made: string;
  readonly expires: string;
  readonly madeBy: 'you' | 'facilitator' | 'organiser' | 'command-line' | 'server';
  readonly current: boolean;
  /** Its short code (`K7MX-42QP`), when it has one. */
  readonly code: string | null;
};

const ROLES: readonly MadeLink['role'][] = ['facilitator', 'participant', 'viewer'];
const MAKERS: readonly MadeLink['madeBy'][] = ['you', 'facilitator', 'organiser', 'command-line', 'server'];

/** The server's answer, checked: rows that do not parse are left out, never trusted. */
function parseLinks(body: unknown): MadeLink[] {
  const list = (body as { links?: unknown } | null)?.links;
  if (!Array.isArray(list)) throw new Error('The server answered without a list of links.');
  return list.flatMap((item: unknown) => {
    const { id, role, name, made, expires, madeBy, current, code } = (item ?? {}) as Record<string, unknown>;
    const ok =
      typeof id === 'string' &&
      ROLES.includes(role as MadeLink['role']) &&
      typeof name === 'string' &&
      typeof made === 'string' &&
      typeof expires === 'string' &&
      MAKERS.includes(madeBy as MadeLink['madeBy']);
    const shown = typeof code === 'string' && isLinkCode(code.replace('-', '')) ? code : null;
    return ok
      ? [{ id, role, name, made, expires, madeBy, current: current === true, code: shown } as MadeLink]
      : [];
  });
}

async function call(url: string, token: string, method: 'GET' | 'DELETE'): Promise<unknown> {
  const res = await fetch(url, { method, headers: { Authorization: `Bearer ${token}` } });
  if (!res.ok) throw await apiRefusal(res);
  return (await res.json().catch(() => null)) as unknown;
}

const ROLE_KEYS: Readonly<Record<MadeLink['role'], MessageKey>> = {
  facilitator: 'links.role.facilitator',
  participant: 'links.role.participant',
  viewer: 'links.role.viewer',
};
const MAKER_KEYS: Readonly<Record<MadeLink['madeBy'], MessageKey>> = {
  you: 'links.by.you',
  facilitator: 'links.by.facilitator',
  organiser: 'links.by.organiser',
  'command-line': 'links.by.commandLine',
  server: 'links.by.server',
};

/**
 * The list of `room`'s links on `server`, asked for with `token` (the facilitator's); asked
 * again whenever `version` changes (a link was made).
 */
export function MadeLinks({
  server,
  room,
  token,
  version,
}: {
  server: string;
  room: string;
  token: string;
  version: number;
}) {
  const t = useT();
  const language = useLanguage();
  const [links, setLinks] = useState<MadeLink[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [asking, setAsking] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [revoked, setRevoked] = useState(0);
  /** What the last revoke did, in words ("Revoked the Participant link (Anna)."). */
  const [done, setDone] = useState<string | null>(null);
  /** The Revoke button whose confirmation was last answered with Cancel gets the focus back. */
  const returnTo = useRef<string | null>(null);
  const revokeButtons = useRef(new Map<string, HTMLButtonElement>());
  const base = `${server}/api/workshops/${encodeURIComponent(room)}/links`;

  useEffect(() => {
    let current = true;
    call(base, token, 'GET')
      .then((body) => {
        if (!current) return;
        setLinks(parseLinks(body));
        setError(null);
      })
      .catch((e: unknown) => current && setError(t('links.loadFailed', { reason: failureReason(e, t) })));
    return () => {
      current = false;
    };
  }, [base, token, version, revoked, t]);

  const time = (iso: string): string =>
    new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

  const named = (link: MadeLink): string =>
    t('links.revokeNamed', { role: t(ROLE_KEYS[link.role]), name: link.name || t('links.noName') });

  useEffect(() => {
    if (asking !== null || returnTo.current === null) return;
    revokeButtons.current.get(returnTo.current)?.focus();
    returnTo.current = null;
  }, [asking]);

  const cancel = (id: string): void => {
    returnTo.current = id;
    setAsking(null);
  };

  const revoke = (link: MadeLink): void => {
    setBusy(true);
    setError(null);
    setDone(null);
    call(`${base}/${encodeURIComponent(link.id)}`, token, 'DELETE')
      .then(() => {
        setAsking(null);
        setDone(t('links.revoked', { role: t(ROLE_KEYS[link.role]), name: link.name || t('links.noName') }));
        setRevoked((n) => n + 1);
      })
      .catch((e: unknown) => setError(t('links.revokeFailed', { reason: failureReason(e, t) })))
      .finally(() => setBusy(false));
  };

  return (
    <section className="made-links" aria-labelledby="made-links-title">
      <h3 id="made-links-title">{t('links.title')}</h3>
      {error && <p role="alert">{error}</p>}
      <p role="status" className={done ? 'made-links-done' : 'visually-hidden'}>
        {done}
      </p>
      {links === null && !error && <p className="muted">{t('links.loading')}</p>}
      {links?.length === 0 && <p className="muted">{t('links.none')}</p>}
      {links && links.length > 0 && (
        <div className="table-scroll">
          <table className="actions-table made-links-table">
            <thead>
              <tr>
                <th scope="col">{t('links.role')}</th>
                <th scope="col">{t('links.name')}</th>
                <th scope="col">{t('links.made')}</th>
                <th scope="col">{t('links.expires')}</th>
                <th scope="col">{t('links.code')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('links.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {links.map((link) => (
                <tr key={link.id}>
                  <td>{t(ROLE_KEYS[link.role])}</td>
                  <td>{link.name || <span className="muted">{t('links.noName')}</span>}</td>
                  <td>
                    {time(link.made)}
                    <br />
                    <span className="muted">{t(MAKER_KEYS[link.madeBy])}</span>
                  </td>
                  <td>{time(link.expires)}</td>
                  <td className="made-links-code">{link.code ?? ''}</td>
                  <td>
                    {link.current ? (
                      <span className="muted">{t('links.current')}</span>
                    ) : asking === link.id ? (
                      <div
                        className="made-links-confirm"
                        role="group"
                        aria-label={t('links.confirm')}
                        onKeyDown={(e) => {
                          // Escape answers this question, not the whole dialog.
                          if (e.key !== 'Escape') return;
                          e.preventDefault();
                          cancel(link.id);
                        }}
                      >
                        <span>{t('links.confirm')}</span>
                        <button
                          type="button"
                          className="danger-button"
                          disabled={busy}
                          onClick={() => revoke(link)}
                        >
                          {t('links.revokeYes')}
                        </button>
                        {/* The answer that loses nothing has the focus first. */}
                        <button
                          type="button"
                          className="button-link"
                          autoFocus
                          onClick={() => cancel(link.id)}
                        >
                          {t('links.revokeNo')}
                        </button>
                      </div>
                    ) : (
                      <button
                        type="button"
                        className="secondary-button"
                        ref={(button) => {
                          if (button) revokeButtons.current.set(link.id, button);
                          else revokeButtons.current.delete(link.id);
                        }}
                        aria-label={named(link)}
                        onClick={() => {
                          setDone(null);
                          setAsking(link.id);
                        }}
                      >
                        {t('links.revoke')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
