/**
 * The organiser's workshops on Home: each with its date, language and what it holds, renamed in
 * place, duplicated, saved as a template, archived (and restored from the archived list) or
 * deleted after a confirmation that says what will be lost. Every change is the server's
 * (collab-server/http/workshops-api.ts); the list is read again after each.
 */
import { useEffect, useRef, useState } from 'react';
import { announce } from '../controls/announcer';
import { DialogFooter, Modal } from '../controls/modal';
import { useLanguage, useT, useTn } from '../i18n';
import { placeKey, placeOf, type Place } from '../platform';
import { recentWorkshops, rememberRecent, workshopHref } from '../routes';
import { api, type Organiser, type WorkshopCounts, type WorkshopEntry } from './home-api';
import { ApiRefusal, failureReason } from './failure-reason';

/** An ISO time as a date people read, in the UI's language; '' when there is none. */
export function useDate(): (iso: string) => string {
  const language = useLanguage();
  return (iso) => {
    const time = Date.parse(iso);
    return Number.isNaN(time) ? '' : new Intl.DateTimeFormat(language, { dateStyle: 'medium' }).format(time);
  };
}

/** "42 needs", "7 themes", "12 actions", in the UI's language. */
function useCountParts(): (counts: WorkshopCounts) => string[] {
  const tn = useTn();
  return (counts) => [
    tn('home.countNeeds', counts.needs),
    tn('home.countThemes', counts.themes),
    tn('home.countActions', counts.actions),
  ];
}

type Changed = () => void;

/**
 * Keeps this device's recent workshops true to a change made here: a deleted workshop leaves the
 * list (its links open nothing now), a renamed one shows its new title.
 */
function updateRecent(place: Place, title: string | null): void {
  const key = placeKey(place);
  const recent = recentWorkshops();
  if (!recent.some((w) => placeKey(w) === key)) return;
  rememberRecent(
    title === null
      ? recent.filter((w) => placeKey(w) !== key)
      : recent.map((w) => (placeKey(w) === key ? { ...w, title } : w)),
  );
}

export function WorkshopList({
  organiser,
  workshops,
  labelId,
  onChanged,
  onTemplateSaved,
}: {
  organiser: Organiser;
  workshops: readonly WorkshopEntry[];
  /** The id of what names the list. */
  labelId: string;
  onChanged: Changed;
  onTemplateSaved: Changed;
}) {
  return (
    <ul className="workshop-list workshop-rows" aria-labelledby={labelId}>
      {workshops.map((w) => (
        <WorkshopRow
          key={w.room}
          organiser={organiser}
          workshop={w}
          onChanged={onChanged}
          onTemplateSaved={onTemplateSaved}
        />
      ))}
    </ul>
  );
}

type Dialog = 'delete' | 'template' | null;

function WorkshopRow({
  organiser,
  workshop,
  onChanged,
  onTemplateSaved,
}: {
  organiser: Organiser;
  workshop: WorkshopEntry;
  onChanged: Changed;
  onTemplateSaved: Changed;
}) {
  const t = useT();
  const date = useDate();
  const parts = useCountParts();
  const [renaming, setRenaming] = useState(false);
  const renameButton = useRef<HTMLButtonElement>(null);
  // After renaming (saved or not), the focus goes back to the Rename button, not to the page.
  const wasRenaming = useRef(false);
  useEffect(() => {
    if (wasRenaming.current && !renaming) renameButton.current?.focus();
    wasRenaming.current = renaming;
  }, [renaming]);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const title = workshop.title || workshop.room;
  const path = `/api/workshops/${encodeURIComponent(workshop.room)}`;
  const place = placeOf(workshop.room, organiser.server);

  const run = (work: () => Promise<unknown>, done: string): void => {
    setBusy(true);
    setError(null);
    work()
      .then(() => {
        announce(done);
        onChanged();
      })
      .catch((err: unknown) => setError(t('home.changeFailed', { reason: failureReason(err, t) })))
      .finally(() => setBusy(false));
  };
  const patch = (body: object) => () => api(organiser, path, { method: 'PATCH', body: JSON.stringify(body) });

  const about = [
    date(workshop.created),
    t(`language.${workshop.language}`),
    ...(workshop.counts ? [parts(workshop.counts).join(' · ')] : []),
  ].filter(Boolean);

  return (
    <li className="workshop-row">
      <div className="workshop-row-main">
        {renaming ? (
          <RenameField
            title={title}
            onCancel={() => setRenaming(false)}
            onSave={(next) => {
              setRenaming(false);
              if (next === workshop.title) return;
              run(
                () => patch({ title: next })().then(() => updateRecent(place, next)),
                t('home.renamed', { title: next }),
              );
            }}
          />
        ) : workshop.archived ? (
          <span className="workshop-row-title" lang={workshop.language}>
            {title}
          </span>
        ) : (
          <a
            className="workshop-row-title"
            lang={workshop.language}
            href={workshopHref(place, workshop.token)}
          >
            {title}
          </a>
        )}
        <span className="muted workshop-row-about">{about.join(' · ')}</span>
        {error && (
          <p role="alert" className="workshop-row-error">
            {error}
          </p>
        )}
      </div>
      {!renaming && (
        <div className="workshop-row-actions" role="group" aria-label={title}>
          {workshop.archived ? (
            <button
              type="button"
              className="secondary-button"
              disabled={busy}
              onClick={() => run(patch({ archived: false }), t('home.restored', { title }))}
            >
              {t('home.restore')}
            </button>
          ) : (
            <>
              <button
                ref={renameButton}
                type="button"
                className="secondary-button"
                onClick={() => setRenaming(true)}
              >
                {t('home.rename')}
              </button>
              <button
                type="button"
                className="secondary-button"
                disabled={busy}
                onClick={() =>
                  run(
                    () =>
                      api(organiser, `${path}/duplicate`, {
                        method: 'POST',
                        body: JSON.stringify({ title: t('home.copyOf', { title }).slice(0, 200) }),
                      }),
                    t('home.duplicated', { title }),
                  )
                }
              >
                {t('home.duplicate')}
              </button>
              <button
                type="button"
                className="secondary-button"
                disabled={busy}
                onClick={() => setDialog('template')}
              >
                {t('home.saveTemplate')}
              </button>
              <button
                type="button"
                className="secondary-button"
                disabled={busy}
                onClick={() => run(patch({ archived: true }), t('home.archivedOne', { title }))}
              >
                {t('home.archive')}
              </button>
            </>
          )}
          <button type="button" className="danger-button" disabled={busy} onClick={() => setDialog('delete')}>
            {t('home.delete')}
          </button>
        </div>
      )}
      {dialog === 'delete' && (
        <DeleteWorkshopDialog
          organiser={organiser}
          workshop={workshop}
          onClose={() => setDialog(null)}
          onDeleted={() => {
            setDialog(null);
            updateRecent(place, null);
            announce(t('home.deleted', { title }));
            onChanged();
          }}
        />
      )}
      {dialog === 'template' && (
        <SaveTemplateDialog
          organiser={organiser}
          workshop={workshop}
          onClose={() => setDialog(null)}
          onSaved={(name) => {
            setDialog(null);
            announce(t('home.templateSaved', { name }));
            onTemplateSaved();
          }}
        />
      )}
    </li>
  );
}

/** The title in place: Enter (or Save) saves, Escape (or Cancel) keeps the old one. */
function RenameField({
  title,
  onSave,
  onCancel,
}: {
  title: string;
  onSave: (title: string) => void;
  onCancel: () => void;
}) {
  const t = useT();
  const [value, setValue] = useState(title);
  const next = value.trim();
  return (
    <form
      className="workshop-rename"
      onSubmit={(e) => {
        e.preventDefault();
        if (next) onSave(next);
      }}
    >
      <input
        value={value}
        maxLength={200}
        autoFocus
        aria-label={t('home.renameField', { title })}
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={(e) => {
          if (e.key !== 'Escape') return;
          e.preventDefault();
          onCancel();
        }}
      />
      <button type="submit" className="primary-button" disabled={!next}>
        {t('home.save')}
      </button>
      <button type="button" className="secondary-button" onClick={onCancel}>
        {t('home.cancel')}
      </button>
    </form>
  );
}

/** "Delete 'X'?": what will be lost, the archive as the way to keep it, and the delete itself. */
function DeleteWorkshopDialog({
  organiser,
  workshop,
  onClose,
  onDeleted,
}: {
  organiser: Organiser;
  workshop: WorkshopEntry;
  onClose: () => void;
  onDeleted: () => void;
}) {
  const t = useT();
  const language = useLanguage();
  const parts = useCountParts();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** Deleted, but its links still open it (their revocation could not be recorded). */
  const [linksOpen, setLinksOpen] = useState(false);
  const title = workshop.title || workshop.room;
  const lost = workshop.counts
    ? t('home.deleteLoss', {
        what: new Intl.ListFormat(language, { type: 'conjunction' }).format(parts(workshop.counts)),
      })
    : t('home.deleteLossUnknown');
  if (linksOpen)
    // Deleted, though its links could not be revoked: said as it is, and closing shows the list without it.
    return (
      <Modal titleId="delete-workshop-title" title={t('home.deleted', { title })} onClose={onDeleted}>
        <p role="alert">{t('home.deletedLinksOpen', { title })}</p>
        <DialogFooter>
          <button type="button" className="secondary-button" onClick={onDeleted}>
            {t('home.deletedClose')}
          </button>
        </DialogFooter>
      </Modal>
    );
  return (
    <Modal titleId="delete-workshop-title" title={t('home.deleteTitle', { title })} onClose={onClose}>
      <p>{lost}</p>
      <p className="muted">{t('home.deleteHint')}</p>
      {error && <p role="alert">{error}</p>}
      <DialogFooter>
        <button type="button" className="secondary-button" onClick={onClose}>
          {t('home.cancel')}
        </button>
        <button
          type="button"
          className="danger-button"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            setError(null);
            api(organiser, `/api/workshops/${encodeURIComponent(workshop.room)}`, { method: 'DELETE' })
              .then(onDeleted)
              .catch((err: unknown) => {
                setBusy(false);
                if (err instanceof ApiRefusal && err.answer.code === 'delete-links-not-revoked')
                  setLinksOpen(true);
                else setError(t('home.deleteFailed', { reason: failureReason(err, t) }));
              });
          }}
        >
          {t('home.deleteConfirm')}
        </button>
      </DialogFooter>
    </Modal>
  );
}

/** Names the template a workshop's structure is saved as (its title unless changed). */
function SaveTemplateDialog({
  organiser,
  workshop,
  onClose,
  onSaved,
}: {
  organiser: Organiser;
  workshop: WorkshopEntry;
  onClose: () => void;
  onSaved: (name: string) => void;
}) {
  const t = useT();
  const [name, setName] = useState((workshop.title || workshop.room).slice(0, 120));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const chosen = name.trim();
  return (
    <Modal titleId="save-template-title" title={t('home.saveTemplate')} onClose={onClose}>
      <form
        className="dialog-form"
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          setError(null);
          api(organiser, '/api/templates', {
            method: 'POST',
            body: JSON.stringify({ room: workshop.room, name: chosen }),
          })
            .then(() => onSaved(chosen))
            .catch((err: unknown) => {
              setBusy(false);
              setError(t('home.templateFailed', { reason: failureReason(err, t) }));
            });
        }}
      >
        <p className="muted">{t('home.saveTemplateHint')}</p>
        <label>
          {t('home.templateName')}
          <input value={name} maxLength={120} autoFocus onChange={(e) => setName(e.target.value)} />
        </label>
        {error && <p role="alert">{error}</p>}
        <DialogFooter>
          <button type="button" className="secondary-button" onClick={onClose}>
            {t('home.cancel')}
          </button>
          <button type="submit" className="primary-button" disabled={busy || !chosen}>
            {t('home.save')}
          </button>
        </DialogFooter>
      </form>
    </Modal>
  );
}
