/**
 * Versions (facilitators): the workshop's version history as the server keeps it, newest first,
 * each with its time, why it was kept and who was present; one can be viewed read-only, restored
 * in place for everyone (after a confirmation), restored as a new workshop, or exported as a
 * `.talkoo` file. Every call carries the facilitator's own token; the server refuses anyone else
 * (GET/POST /api/workshops/ROOM/versions…, collab-server/http/history-api.ts).
 */
import { useEffect, useState } from 'react';
import * as Y from 'yjs';
import { readWorkshop, type MessageKey } from '../../../shared';
import { Modal } from '../controls/modal';
import { useLanguage, useT } from '../i18n';
import { followLink } from '../links';
import { serverUrl, workshopFiles, type Place } from '../platform';
import { roomToken } from '../routes';
import { useToasts } from '../toasts';

type Person = { readonly name: string; readonly role: 'facilitator' | 'participant' | 'viewer' };
type Version = {
  readonly id: string;
  readonly time: number;
  readonly trigger: 'active' | 'unload' | 'opened' | 'restore';
  readonly present: readonly Person[];
};

const TRIGGERS: Readonly<Record<Version['trigger'], MessageKey>> = {
  active: 'versions.trigger.active',
  unload: 'versions.trigger.unload',
  opened: 'versions.trigger.opened',
  restore: 'versions.trigger.restore',
};
const ROLES: readonly Person['role'][] = ['facilitator', 'participant', 'viewer'];

/** The server's list, checked: entries that do not parse are left out, never trusted. */
function parseVersions(body: unknown): Version[] {
  const list = (body as { versions?: unknown } | null)?.versions;
  if (!Array.isArray(list)) throw new Error('The server answered without a list of versions.');
  return list.flatMap((item: unknown) => {
    const { id, time, trigger, present } = (item ?? {}) as Record<string, unknown>;
    if (
      typeof id !== 'string' ||
      typeof time !== 'number' ||
      !(typeof trigger === 'string' && trigger in TRIGGERS)
    )
      return [];
    const people = (Array.isArray(present) ? present : []).flatMap((p: unknown) => {
      const { name, role } = (p ?? {}) as Record<string, unknown>;
      return typeof name === 'string' && ROLES.includes(role as Person['role'])
        ? [{ name, role: role as Person['role'] }]
        : [];
    });
    return [{ id, time, trigger: trigger as Version['trigger'], present: people }];
  });
}

/** One call to the history API; a refusal throws the server's words. */
async function call(place: Place, path: string, method: 'GET' | 'POST', body?: unknown): Promise<Response> {
  const res = await fetch(
    `${serverUrl(place)}/api/workshops/${encodeURIComponent(place.room)}/versions${path}`,
    {
      method,
      headers: {
        Authorization: `Bearer ${roomToken(place) ?? ''}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    },
  );
  if (!res.ok) {
    const answer = (await res.json().catch(() => null)) as { error?: unknown } | null;
    throw new Error(typeof answer?.error === 'string' ? answer.error : `HTTP ${res.status}`);
  }
  return res;
}

function usePeople() {
  const t = useT();
  return (present: readonly Person[]): string => {
    if (present.length === 0) return t('versions.nobody');
    const names = present.map(({ name, role }) => {
      const shown = name || t('versions.unnamed');
      if (role === 'facilitator') return t('versions.asFacilitator', { name: shown });
      if (role === 'viewer') return t('versions.asViewer', { name: shown });
      return shown;
    });
    return t('versions.present', { names: names.join(', ') });
  };
}

/** A version's content, read-only: its title, counts, and the notes, themes and actions by name. */
function Preview({ state, time }: { state: Uint8Array; time: string }) {
  const t = useT();
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  const workshop = readWorkshop(doc);
  doc.destroy();
  return (
    <section className="version-preview" aria-label={t('versions.preview', { time })}>
      <h3>{t('versions.preview', { time })}</h3>
      <p>
        <strong>{workshop.meta.title}</strong> ·{' '}
        {t('versions.previewCounts', {
          notes: workshop.notes.length,
          themes: workshop.themes.length,
          actions: workshop.actions.length,
        })}
      </p>
      <ul aria-label={t('board.needs')}>
        {workshop.notes.map((note) => (
          <li key={note.id}>{note.text}</li>
        ))}
      </ul>
      {workshop.themes.length > 0 && (
        <ul aria-label={t('board.themes')}>
          {workshop.themes.map((theme) => (
            <li key={theme.id}>{theme.title}</li>
          ))}
        </ul>
      )}
      {workshop.actions.length > 0 && (
        <ul aria-label={t('board.actions')}>
          {workshop.actions.map((action) => (
            <li key={action.id}>{action.title}</li>
          ))}
        </ul>
      )}
    </section>
  );
}

function VersionRow({
  place,
  version,
  title,
  onRestored,
}: {
  place: Place;
  version: Version;
  title: string;
  onRestored: () => void;
}) {
  const t = useT();
  const language = useLanguage();
  const people = usePeople();
  const showToast = useToasts((s) => s.show);
  const [state, setState] = useState<Uint8Array | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const time = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(version.time),
  );

  const run = (work: () => Promise<void>, failure: MessageKey): void => {
    setBusy(true);
    setError(null);
    work()
      .catch((e: unknown) => setError(t(failure, { reason: (e as Error).message })))
      .finally(() => setBusy(false));
  };

  const view = (): void => {
    if (state) return setState(null);
    run(async () => {
      const res = await call(place, `/${version.id}`, 'GET');
      setState(new Uint8Array(await res.arrayBuffer()));
    }, 'versions.loadFailed');
  };

  const restore = (): void =>
    run(async () => {
      await call(place, `/${version.id}/restore`, 'POST');
      setConfirming(false);
      showToast(t('versions.restored', { time }));
      onRestored();
    }, 'versions.restoreFailed');

  const copy = (): void =>
    run(async () => {
      const res = await call(place, `/${version.id}/copy`, 'POST', {
        title: t('versions.copyTitle', { title, time }).slice(0, 200),
      });
      const made = (await res.json()) as { facilitatorUrl?: unknown };
      if (typeof made.facilitatorUrl !== 'string' || !followLink(made.facilitatorUrl))
        throw new Error('The server answered without a link to the new workshop.');
    }, 'versions.copyFailed');

  const exportFile = (): void =>
    run(async () => {
      const files = workshopFiles();
      if (files) {
        // Desktop: main's save dialog writes the .talkoo file from the version's state.
        const res = await call(place, `/${version.id}`, 'GET');
        const saved = await files.save(title, new Uint8Array(await res.arrayBuffer()));
        if (saved.ok) showToast(t('versions.exported', { path: saved.path }));
        else if (saved.reason === 'error') throw new Error(saved.message ?? '');
        return;
      }
      const res = await call(place, `/${version.id}/file`, 'GET');
      const name = /filename="([^"]*)"/.exec(res.headers.get('Content-Disposition') ?? '')?.[1];
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = name || `${title || 'workshop'}.talkoo`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    }, 'versions.exportFailed');

  return (
    <li className="version-row" aria-label={time}>
      <div className="version-summary">
        <strong>{time}</strong> <span className="muted">{t(TRIGGERS[version.trigger])}</span>
        <p>{people(version.present)}</p>
      </div>
      <div className="panel-buttons">
        <button
          type="button"
          className="button-link"
          aria-expanded={state !== null}
          onClick={view}
          disabled={busy}
        >
          {state ? t('versions.hide') : t('versions.view')}
        </button>
        <button
          type="button"
          className="secondary-button"
          onClick={() => setConfirming(true)}
          disabled={busy}
        >
          {t('versions.restore')}
        </button>
        <button type="button" className="button-link" onClick={copy} disabled={busy}>
          {t('versions.copy')}
        </button>
        <button type="button" className="button-link" onClick={exportFile} disabled={busy}>
          {t('versions.export')}
        </button>
      </div>
      {confirming && (
        <div className="version-confirm" role="alertdialog" aria-label={t('versions.confirmRestore')}>
          <p>{t('versions.confirm', { time })}</p>
          <div className="panel-buttons">
            <button type="button" className="danger-button" onClick={restore} disabled={busy}>
              {t('versions.confirmRestore')}
            </button>
            <button type="button" className="button-link" onClick={() => setConfirming(false)}>
              {t('versions.cancel')}
            </button>
          </div>
        </div>
      )}
      {error && <p role="alert">{error}</p>}
      {state && <Preview state={state} time={time} />}
    </li>
  );
}

export function VersionsDialog({
  place,
  title,
  onClose,
}: {
  place: Place;
  title: string;
  onClose: () => void;
}) {
  const t = useT();
  const [versions, setVersions] = useState<Version[] | null>(null);
  /** Why the list could not be read, in the server's words. */
  const [failure, setFailure] = useState<string | null>(null);
  const error = failure === null ? null : t('versions.loadFailed', { reason: failure });

  /** Bumped to read the list again (after a restore added a version). */
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let current = true;
    call(place, '', 'GET')
      .then(async (res) => parseVersions(await res.json()))
      .then(
        (list) => {
          if (!current) return;
          setVersions(list);
          setFailure(null);
        },
        (e: unknown) => current && setFailure((e as Error).message),
      );
    return () => {
      current = false;
    };
  }, [place, generation]);

  return (
    <Modal titleId="versions-title" title={t('versions.title')} wide onClose={onClose}>
      <p className="muted">{t('versions.intro')}</p>
      {error && <p role="alert">{error}</p>}
      {versions === null && !error && <p>{t('versions.loading')}</p>}
      {versions?.length === 0 && <p>{t('versions.empty')}</p>}
      {versions && versions.length > 0 && (
        <ul className="version-list" aria-label={t('versions.list')}>
          {versions.map((version) => (
            <VersionRow
              key={version.id}
              place={place}
              version={version}
              title={title}
              onRestored={() => setGeneration((n) => n + 1)}
            />
          ))}
        </ul>
      )}
      <button type="button" className="button-link" onClick={onClose}>
        {t('versions.close')}
      </button>
    </Modal>
  );
}
