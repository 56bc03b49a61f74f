/**
 * Versions (facilitators): the workshop's version history as the server keeps it, newest first,
 * each with its time, why it was kept and who was present; one can be viewed read-only, restored
 * in place for everyone (after a confirmation), restored as a new workshop, or exported as a
 * `.talkoo` file. Every call carries the facilitator's own token; the server refuses anyone else
 * (GET/POST /api/workshops/ROOM/versions…, collab-server/http/history-api.ts).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import * as Y from 'yjs';
import { readWorkshop, type MessageKey, type Note, type Workshop } from '../../../shared';
import { DialogFooter, Modal } from '../controls/modal';
import { useDocumentLanguage, useLanguage, useT, useTn } from '../i18n';
import { followLink } from '../links';
import { fileIdentity, serverUrl, workshopFiles, type Place } from '../platform';
import { roomToken } from '../routes';
import { markRestoreTold, whileRestoring } from '../restore-notices';
import { useToasts } from '../toasts';
import { apiRefusal, failureReason } from './failure-reason';

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
  if (!res.ok) throw await apiRefusal(res);
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

/** A note as the boards show it: its text on its colour. */
function NoteItem({ note }: { note: Note }) {
  const documentLanguage = useDocumentLanguage();
  return (
    <li className={`version-note note-${note.colour}`} lang={documentLanguage}>
      {note.text}
    </li>
  );
}

/** The needs boards: one column per stakeholder group, its notes on their colours. */
function NeedsPreview({ workshop }: { workshop: Workshop }) {
  const t = useT();
  return workshop.boards
    .filter((board) => board.kind === 'needs')
    .map((board) => {
      const notes = workshop.notes.filter((note) => note.boardId === board.id);
      const lanes = new Set(board.lanes.map((lane) => lane.id));
      const columns = [
        ...board.lanes.map((lane) => ({
          key: lane.id,
          title: lane.title,
          notes: notes.filter((n) => n.laneId === lane.id),
        })),
        // A note whose group was deleted (or that never had one) is still a need.
        {
          key: 'none',
          title: t('needs.unsorted'),
          notes: notes.filter((n) => n.laneId === null || !lanes.has(n.laneId)),
        },
      ].filter((column) => column.key !== 'none' || column.notes.length > 0);
      return (
        <section key={board.id} className="version-board" aria-label={t('board.needs')}>
          <h4>{t('board.needs')}</h4>
          <div className="version-columns">
            {columns.map((column) => (
              <div key={column.key} className="version-column">
                <h5>{column.title}</h5>
                <ul aria-label={column.title}>
                  {column.notes.map((note) => (
                    <NoteItem key={note.id} note={note} />
                  ))}
                </ul>
              </div>
            ))}
          </div>
        </section>
      );
    });
}

/** The themes, each with the notes clustered into it. */
function ThemesPreview({ workshop }: { workshop: Workshop }) {
  const t = useT();
  if (workshop.themes.length === 0) return null;
  const byId = new Map(workshop.notes.map((note) => [note.id as string, note]));
  return (
    <section className="version-board" aria-label={t('board.themes')}>
      <h4>{t('board.themes')}</h4>
      <div className="version-columns">
        {workshop.themes.map((theme) => (
          <div key={theme.id} className="version-column">
            <h5>
              <span className={`version-chip note-${theme.colour}`} aria-hidden="true" />
              {theme.title}
            </h5>
            <ul aria-label={theme.title}>
              {theme.noteIds.flatMap((id) => {
                const note = byId.get(id);
                return note ? [<NoteItem key={id} note={note} />] : [];
              })}
            </ul>
          </div>
        ))}
      </div>
    </section>
  );
}

/** The action plan: each action with its owner and months. */
function ActionsPreview({ workshop }: { workshop: Workshop }) {
  const t = useT();
  if (workshop.actions.length === 0) return null;
  return (
    <section className="version-board" aria-label={t('board.actions')}>
      <h4>{t('board.actions')}</h4>
      <ul className="version-actions" aria-label={t('board.actions')}>
        {workshop.actions.map((action) => {
          const months = [action.start, action.end].filter(Boolean).join('–');
          const details = [action.owner, months].filter(Boolean).join(' · ');
          return (
            <li key={action.id}>
              <strong>{action.title}</strong>
              {details && <span className="muted"> · {details}</span>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** A version's content, read-only: its title and counts, and its three boards as they were. */
function Preview({ state, time }: { state: Uint8Array; time: string }) {
  const t = useT();
  const tn = useTn();
  const language = useLanguage();
  const workshop = useMemo(() => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    const read = readWorkshop(doc);
    doc.destroy();
    return read;
  }, [state]);
  return (
    <section className="version-preview" aria-label={t('versions.preview', { time })}>
      <h3>{t('versions.preview', { time })}</h3>
      <p>
        <strong>{workshop.meta.title}</strong> ·{' '}
        {new Intl.ListFormat(language, { type: 'unit', style: 'short' }).format([
          tn('versions.previewNotes', workshop.notes.length),
          tn('versions.previewThemes', workshop.themes.length),
          tn('versions.previewActions', workshop.actions.length),
        ])}
      </p>
      <NeedsPreview workshop={workshop} />
      <ThemesPreview workshop={workshop} />
      <ActionsPreview workshop={workshop} />
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
  /** What is under way (loading the version, restoring, ...), in words; null when nothing is. */
  const [busy, setBusy] = useState<MessageKey | null>(null);
  const [error, setError] = useState<string | null>(null);
  const restoreButton = useRef<HTMLButtonElement>(null);
  const time = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(version.time),
  );

  // While one thing runs the others wait; the buttons stay focusable (a disabled button would
  // drop the keyboard's focus onto the page) and say they are unavailable.
  const run = (work: () => Promise<void>, doing: MessageKey, failure: MessageKey): void => {
    if (busy) return;
    setBusy(doing);
    setError(null);
    work()
      .catch((e: unknown) => setError(t(failure, { reason: failureReason(e, t) })))
      .finally(() => setBusy(null));
  };

  /** Closes the confirmation and puts the focus back on Restore…. */
  const endConfirming = (): void => {
    setConfirming(false);
    restoreButton.current?.focus();
  };

  const view = (): void => {
    if (state) return setState(null);
    run(
      async () => {
        const res = await call(place, `/${version.id}`, 'GET');
        setState(new Uint8Array(await res.arrayBuffer()));
      },
      'versions.opening',
      'versions.openFailed',
    );
  };

  const restore = (): void =>
    run(
      async () => {
        // The document tells everyone of the restore; here the answer tells whoever restored it.
        await whileRestoring(async () => {
          const res = await call(place, `/${version.id}/restore`, 'POST');
          const answer = (await res.json().catch(() => null)) as { notice?: unknown } | null;
          if (typeof answer?.notice === 'string') markRestoreTold(answer.notice);
        });
        endConfirming();
        showToast(t('versions.restored', { time }));
        onRestored();
      },
      'versions.restoring',
      'versions.restoreFailed',
    );

  const copy = (): void =>
    run(
      async () => {
        const res = await call(place, `/${version.id}/copy`, 'POST', {
          title: t('versions.copyTitle', { title, time }).slice(0, 200),
        });
        const made = (await res.json()) as { facilitatorUrl?: unknown };
        if (typeof made.facilitatorUrl !== 'string' || !followLink(made.facilitatorUrl))
          throw new Error('The server answered without a link to the new workshop.');
      },
      'versions.copying',
      'versions.copyFailed',
    );

  const exportFile = (): void =>
    run(
      async () => {
        const files = workshopFiles();
        if (files) {
          // Desktop: main's save dialog writes the .talkoo file from the version's state.
          const res = await call(place, `/${version.id}`, 'GET');
          const state = new Uint8Array(await res.arrayBuffer());
          const saved = await files.save({ title, state, ...fileIdentity(place) });
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
      },
      'versions.exporting',
      'versions.exportFailed',
    );

  return (
    <li className="version-row" aria-label={time}>
      <div className="version-summary">
        <strong>{time}</strong> <span className="muted">· {t(TRIGGERS[version.trigger])}</span>
        <p>{people(version.present)}</p>
      </div>
      <div className="panel-buttons">
        <button
          type="button"
          className="button-link"
          aria-expanded={state !== null}
          onClick={view}
          aria-disabled={busy !== null}
        >
          {state ? t('versions.hide') : t('versions.view')}
        </button>
        <button
          ref={restoreButton}
          type="button"
          className="secondary-button"
          onClick={() => busy === null && setConfirming(true)}
          aria-disabled={busy !== null}
        >
          {t('versions.restore')}
        </button>
        <button type="button" className="button-link" onClick={copy} aria-disabled={busy !== null}>
          {t('versions.copy')}
        </button>
        <button type="button" className="button-link" onClick={exportFile} aria-disabled={busy !== null}>
          {t('versions.export')}
        </button>
      </div>
      {confirming && (
        <div
          className="version-confirm"
          role="alertdialog"
          aria-label={t('versions.confirmRestore')}
          onKeyDown={(e) => {
            // Escape answers this question, not the whole dialog.
            if (e.key !== 'Escape') return;
            e.preventDefault();
            endConfirming();
          }}
        >
          <p>{t('versions.confirm', { time })}</p>
          <div className="panel-buttons">
            <button type="button" className="danger-button" onClick={restore} aria-disabled={busy !== null}>
              {t('versions.confirmRestore')}
            </button>
            {/* The answer that changes nothing has the focus first. */}
            <button type="button" className="button-link" autoFocus onClick={endConfirming}>
              {t('versions.cancel')}
            </button>
          </div>
        </div>
      )}
      {busy && (
        <p className="muted" role="status">
          {t(busy)}
        </p>
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
  const [failure, setFailure] = useState<unknown>(null);
  const error = failure === null ? null : t('versions.loadFailed', { reason: failureReason(failure, t) });

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
        (e: unknown) => current && setFailure(e),
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
      <DialogFooter>
        <button type="button" className="secondary-button" onClick={onClose}>
          {t('versions.close')}
        </button>
      </DialogFooter>
    </Modal>
  );
}
