/** One open workshop: top bar with the phase stepper, the current board, and the status bar. */
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { BOARD_KINDS, upsertParticipant, type BoardKind } from '../../../shared';
import { ActionsBoard } from '../boards/actions-board';
import { NeedsBoard } from '../boards/needs-board';
import { ThemesBoard } from '../boards/themes-board';
import { useWorkshopConnection, type ConnectionStatus, type WorkshopConnection } from '../connection';
import { canvasCommand } from '../canvas/canvas-view';
import { ExportIcon, HistoryIcon } from '../controls/icons';
import { LanguagePicker, UiLanguage } from '../controls/ui-language';
import { FacilitationBar } from '../facilitation/facilitation-bar';
import { TimerControl } from '../facilitation/timer';
import { DocumentLanguageContext, useT, useTn } from '../i18n';
import { MeContext, type Me } from '../me';
import { refusalMessage } from '../refusals';
import { rememberWorkshop } from '../routes';
import { colourOf, displayName, participantId, rememberName, roleIn } from '../session';
import { type Place } from '../platform';
import { onCommand } from '../commands';
import { textFieldHasFocus } from '../desktop-events';
import { saveWorkshopCopy } from '../files/save-copy';
import { useRestoreNotice } from '../restore-notices';
import { useRollbackNotice } from '../rollback-notice';
import { Toasts, useToasts } from '../toasts';
import { ExportDialog } from './export-dialog';
import { JoinDialog } from './join-dialog';
import { OutlinePanel } from './outline-panel';
import { ShareDialog } from './share-dialog';
import { VersionsDialog } from './versions-dialog';
import { MunicipalityFilterBar } from '../plan/municipality-filter';
import { PlanDialog } from '../plan/plan-dialog';
import { SidePanel } from './side-panel';
import { useUi } from '../ui-store';
import { useWorkshop, WorkshopContext } from '../use-workshop';

export function WorkshopScreen({ place }: { place: Place }) {
  const connection = useWorkshopConnection(place);
  // Leaving the workshop (Back, another link) ends any edit in place, forgets its draft and the
  // selection: the next workshop, or this one again, opens with no editor open.
  useEffect(() => () => useUi.setState({ editing: null, draft: null, selection: [] }), []);
  return (
    <WorkshopContext.Provider value={connection}>
      <WorkshopLanguage>
        <WorkshopLayout connection={connection} />
      </WorkshopLanguage>
    </WorkshopContext.Provider>
  );
}

/** The UI speaks the person's chosen language; until they choose, the workshop's. */
function WorkshopLanguage({ children }: { children: React.ReactNode }) {
  const language = useWorkshop((w) => w.meta.language);
  return (
    <DocumentLanguageContext.Provider value={language}>
      <UiLanguage fallback={language}>{children}</UiLanguage>
    </DocumentLanguageContext.Provider>
  );
}

function useConnectionState(connection: WorkshopConnection) {
  const status = useSyncExternalStore(connection.onChange, connection.status);
  const synced = useSyncExternalStore(connection.onChange, connection.synced);
  const refusal = useSyncExternalStore(connection.onChange, connection.refusal);
  const unsent = useSyncExternalStore(connection.onChange, connection.unsent);
  const syncing = useSyncExternalStore(connection.onChange, connection.syncing);
  const confirmsSaves = useSyncExternalStore(connection.onChange, connection.confirmsSaves);
  return { status, synced, refusal, unsent, syncing, confirmsSaves };
}

function WorkshopLayout({ connection }: { connection: WorkshopConnection }) {
  const t = useT();
  const tn = useTn();
  const title = useWorkshop((w) => w.meta.title);
  const documentLanguage = useWorkshop((w) => w.meta.language);
  const readOnly = useWorkshop((w) => w.readOnly);
  const hasContent = useWorkshop((w) => w.boards.length > 0);
  const groupPhase = useWorkshop((w) => w.facilitation.phase);
  const { status, synced, refusal, unsent, syncing, confirmsSaves } = useConnectionState(connection);
  useRestoreNotice();
  useRollbackNotice(connection);
  const identity = useSyncExternalStore(connection.onChange, connection.identity);
  const board = useUi((s) => s.board);
  const showBoard = useUi((s) => s.showBoard);
  const [name, setName] = useState(displayName);
  const [showOutline, setShowOutline] = useState(false);
  const [sharing, setSharing] = useState(false);
  const [showVersions, setShowVersions] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [planning, setPlanning] = useState(false);
  const exportButton = useRef<HTMLButtonElement>(null);
  // The desktop menu's File > Export… opens the same dialog as the Export button.
  useEffect(
    () =>
      onCommand((command) => {
        if (command.kind === 'menu' && command.command === 'export') setExporting(true);
      }),
    [],
  );
  const me = useMemo<Me | null>(() => {
    if (!name) return null;
    const role = roleIn(connection.place);
    // A participant or facilitator is who the server says (it tells before the first sync ends):
    // until then nothing is written as them. Viewers have no identity, nor do servers older than it.
    const id = identity?.id ?? (role === 'viewer' || synced ? participantId() : null);
    return id ? { id, name, colour: colourOf(id), role } : null;
  }, [name, connection.place, identity, synced]);

  useEffect(() => {
    document.title = title ? `${title} · Talkoo` : 'Talkoo';
    if (title) rememberWorkshop(connection.place, title);
  }, [title, connection.place]);

  // Announce myself: presence for everyone here, and the roster once the document is in.
  useEffect(() => {
    if (!me) return;
    connection.awareness.setLocalStateField('user', {
      id: me.id,
      name: me.name,
      colour: me.colour,
      role: me.role,
    });
    if (synced && hasContent && !readOnly && me.role !== 'viewer') {
      const { undo } = connection;
      const steps = undo.undoStack.length;
      upsertParticipant(connection.doc, me.id, { name: me.name, colour: me.colour, role: me.role });
      // Joining the roster is not an edit of mine to undo.
      if (undo.undoStack.length > steps) undo.undoStack.pop();
    }
  }, [connection, me, synced, hasContent, readOnly]);

  // A link that opens no workshop (refused, or to a room with nothing in it) gets a page of its
  // own with a way back, not an empty board around one line. A facilitator of an emptied
  // workshop still gets the board: its way back is the version history.
  const lost = !hasContent && (refusal !== null || (synced && me !== null && me.role !== 'facilitator'));
  if (lost) {
    const reason =
      refusal !== null
        ? t('connection.refused', { reason: t(refusalMessage(refusal)) })
        : t('workshop.notFound');
    return <BadLinkScreen reason={reason} />;
  }

  return (
    <div className="workshop">
      <header className="top-bar">
        <a className="brand" href="#/" aria-label={t('workshop.back')}>
          {t('app.name')}
        </a>
        {/* Gives way to the buttons at 1280 px in every language: cut short, whole in its tooltip. */}
        <h1 className="workshop-title" lang={documentLanguage} title={title}>
          {title}
        </h1>
        {me?.role === 'viewer' && (
          // A viewer's page offers no edit controls at all: this says why.
          <span className="view-only-badge" title={t('role.viewOnlyHint')}>
            {t('role.viewOnly')}
          </span>
        )}
        <nav className="stepper" role="tablist" aria-label={t('nav.boards')}>
          {BOARD_KINDS.map((kind, i) => (
            <button
              key={kind}
              role="tab"
              type="button"
              id={`tab-${kind}`}
              aria-selected={board === kind}
              aria-controls="board-panel"
              // Where the group is (facilitation row: "The group is at …"): a mark, not a name.
              data-group-phase={groupPhase === kind}
              className="step"
              onClick={() => showBoard(kind)}
            >
              <span className="step-number" aria-hidden="true">
                {i + 1}
              </span>
              {t(`board.${kind}`)}
            </button>
          ))}
        </nav>
        {me && hasContent && (
          <MeContext.Provider value={me}>
            <TimerControl />
          </MeContext.Provider>
        )}
        {me && hasContent && (
          // Everyone reads the plan (municipalities, funding, work packages); the facilitator edits it.
          <button type="button" className="secondary-button" onClick={() => setPlanning(true)}>
            {t('plan.open')}
          </button>
        )}
        {me && hasContent && (
          // Everyone may take the plan home: facilitators, participants and viewers.
          // Less used than the plan and sharing: an icon, named and with a tooltip, keeps the bar one row.
          <button
            ref={exportButton}
            type="button"
            className="secondary-button icon-only"
            aria-label={t('export.button')}
            title={t('export.button')}
            onClick={() => setExporting(true)}
          >
            <ExportIcon />
          </button>
        )}
        {me?.role === 'facilitator' && refusal === null && (
          // Also when the board is gone: that is when a facilitator needs the versions most.
          <button
            type="button"
            className="secondary-button icon-only"
            aria-label={t('versions.button')}
            title={t('versions.button')}
            onClick={() => setShowVersions(true)}
          >
            <HistoryIcon />
          </button>
        )}
        {me?.role === 'facilitator' && hasContent && (
          <button type="button" className="primary-button" onClick={() => setSharing(true)}>
            {t('share.button')}
          </button>
        )}
        <LanguagePicker />
      </header>
      {me && hasContent && (
        <MeContext.Provider value={me}>
          <FacilitationBar />
        </MeContext.Provider>
      )}
      {readOnly && (
        <p className="banner" role="status">
          {t('workshop.readOnlyNewer', { version: readOnly.version })}
        </p>
      )}
      {refusal !== null && hasContent && (
        // Refused for good (a revoked link, a workshop at its largest size): the board stays
        // on screen, and this says plainly that nothing done on it reaches the others.
        <p className="banner banner-refused" role="alert">
          {t('connection.refused', { reason: t(refusalMessage(refusal)) })} {t('workshop.refusedCopy')}
        </p>
      )}
      {sharing && <ShareDialog place={connection.place} onClose={() => setSharing(false)} />}
      {showVersions && (
        <VersionsDialog place={connection.place} title={title} onClose={() => setShowVersions(false)} />
      )}
      {planning && me && (
        <MeContext.Provider value={me}>
          <PlanDialog onClose={() => setPlanning(false)} />
        </MeContext.Provider>
      )}
      {exporting && (
        <ExportDialog
          onClose={() => {
            setExporting(false);
            exportButton.current?.focus();
          }}
        />
      )}
      {!name && refusal === null && (
        <JoinDialog
          onJoin={(chosen) => {
            rememberName(chosen);
            setName(chosen);
          }}
        />
      )}
      <MeContext.Provider value={me}>
        <div className="workshop-body">
          {me && hasContent && board !== 'actions' && showOutline && <OutlinePanel board={board} />}
          <main id="board-panel" role="tabpanel" aria-labelledby={`tab-${board}`} className="board-panel">
            {refusal !== null && !hasContent ? (
              <p className="empty" role="alert">
                {t('connection.refused', { reason: t(refusalMessage(refusal)) })}
              </p>
            ) : !synced && !hasContent ? (
              <p className="empty">{t('workshop.loading')}</p>
            ) : !hasContent ? (
              <div className="empty">
                <p>{t('workshop.notFound')}</p>
                {me?.role === 'facilitator' && (
                  // The board may have been erased: the way back is the version history.
                  <>
                    <p>{t('workshop.emptyVersions')}</p>
                    <button type="button" className="primary-button" onClick={() => setShowVersions(true)}>
                      {t('versions.button')}
                    </button>
                  </>
                )}
              </div>
            ) : (
              me && <Board kind={board} />
            )}
          </main>
          {me && hasContent && board !== 'actions' && <SidePanel />}
        </div>
      </MeContext.Provider>
      <Toasts />
      <footer className="status-bar">
        <span className={`status-dot status-${status}`} aria-hidden="true" />
        <span role="status">
          {refusal !== null
            ? t('connection.refused', { reason: t(refusalMessage(refusal)) })
            : connectionText(t, tn, status, syncing, unsent, confirmsSaves)}
        </span>
        {board !== 'actions' && (
          <button
            type="button"
            className="button-link"
            aria-pressed={showOutline}
            onClick={() => setShowOutline((v) => !v)}
          >
            {t(showOutline ? 'outline.hide' : 'outline.show')}
          </button>
        )}
        <SaveCopy connection={connection} title={title} />
        {me && hasContent && board !== 'actions' && (
          // The boards' municipality filter lives here, where the view's state is: always in
          // sight, and over no note or button of the board.
          <MunicipalityFilterBar />
        )}
        <span className="spacer" />
        {board !== 'actions' && <ZoomControls />}
        <UndoControls connection={connection} />
      </footer>
    </div>
  );
}

/** A link that opens no workshop: what went wrong, what to do, and the way back to Home. */
function BadLinkScreen({ reason }: { reason: string }) {
  const t = useT();
  return (
    <div className="workshop">
      <header className="top-bar">
        <a className="brand" href="#/" aria-label={t('workshop.back')}>
          {t('app.name')}
        </a>
        <span className="spacer" />
        <LanguagePicker />
      </header>
      <main className="error-screen" aria-labelledby="bad-link-title">
        <h1 id="bad-link-title">{t('badLink.title')}</h1>
        <p role="alert">{reason}</p>
        <p className="muted">{t('badLink.help')}</p>
        <a className="primary-button" href="#/">
          {t('badLink.home')}
        </a>
      </main>
    </div>
  );
}

/**
 * The status bar's words: "Online · all changes saved" (the server said every change made here
 * is on its disk), "Syncing…", "Offline · 3 changes not yet saved".
 */
function connectionText(
  t: ReturnType<typeof useT>,
  tn: ReturnType<typeof useTn>,
  status: ConnectionStatus,
  syncing: boolean,
  unsent: number,
  confirmsSaves: boolean,
): string {
  const base = syncing
    ? t('connection.syncing')
    : t(`connection.${status === 'refused' ? 'offline' : status}`);
  if (unsent > 0) return tn('connection.unsent', unsent, { status: base });
  // A server that does not tell when changes are stored: "Online", never "saved".
  return status === 'online' && !syncing && confirmsSaves ? t('connection.saved', { status: base }) : base;
}

function ZoomControls() {
  const t = useT();
  const zoom = useUi((s) => s.zoom);
  return (
    <span className="zoom-controls">
      <button
        type="button"
        className="icon-button"
        aria-label={t('canvas.zoomOut')}
        onClick={() => canvasCommand('zoom-out')}
      >
        −
      </button>
      <span>{t('canvas.zoom', { percent: Math.round(zoom * 100) })}</span>
      <button
        type="button"
        className="icon-button"
        aria-label={t('canvas.zoomIn')}
        onClick={() => canvasCommand('zoom-in')}
      >
        +
      </button>
      <button type="button" className="button-link" onClick={() => canvasCommand('fit')}>
        {t('canvas.fit')}
      </button>
    </span>
  );
}

/** Undo and redo of this user's own changes, by button and by Ctrl/⌘+Z, Ctrl/⌘+Shift+Z, Ctrl+Y. */
function UndoControls({ connection }: { connection: WorkshopConnection }) {
  const t = useT();
  const { undo } = connection;
  const subscribe = (listener: () => void): (() => void) => {
    undo.on('stack-item-added', listener);
    undo.on('stack-item-popped', listener);
    undo.on('stack-cleared', listener);
    return () => {
      undo.off('stack-item-added', listener);
      undo.off('stack-item-popped', listener);
      undo.off('stack-cleared', listener);
    };
  };
  const canUndo = useSyncExternalStore(subscribe, () => undo.canUndo());
  const canRedo = useSyncExternalStore(subscribe, () => undo.canRedo());
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      const target = event.target as HTMLElement | null;
      if (target?.closest('input, textarea')) return;
      if (!(event.ctrlKey || event.metaKey)) return;
      const key = event.key.toLowerCase();
      if (key === 'z' && !event.shiftKey) undo.undo();
      else if ((key === 'z' && event.shiftKey) || key === 'y') undo.redo();
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [undo]);
  // The desktop menu's Edit > Undo and Redo: the same undo as the keys, a text field's own when
  // one has the focus (desktop-events.ts handles that case).
  useEffect(
    () =>
      onCommand((command) => {
        if (command.kind !== 'menu' || textFieldHasFocus()) return;
        if (command.command === 'undo') undo.undo();
        else if (command.command === 'redo') undo.redo();
      }),
    [undo],
  );
  return (
    <span className="undo-controls">
      <button type="button" className="button-link" disabled={!canUndo} onClick={() => undo.undo()}>
        {t('edit.undo')}
      </button>
      <button type="button" className="button-link" disabled={!canRedo} onClick={() => undo.redo()}>
        {t('edit.redo')}
      </button>
    </span>
  );
}

function Board({ kind }: { kind: BoardKind }) {
  switch (kind) {
    case 'needs':
      return <NeedsBoard />;
    case 'themes':
      return <ThemesBoard />;
    case 'actions':
      return <ActionsBoard />;
  }
}

/**
 * Saves the workshop as it is here to a `.talkoo` file (desktop: where the user picks; browser: a
 * download), naming the workshop and its server so the copy merges into it when opened again.
 * Also the menu's Save a Copy.
 */
function SaveCopy({ connection, title }: { connection: WorkshopConnection; title: string }) {
  const t = useT();
  const showToast = useToasts((s) => s.show);
  const save = (): void => {
    saveWorkshopCopy(connection, title)
      .then((saved) => {
        if (saved !== null) showToast(t('file.saved', { path: saved }));
      })
      .catch((error: unknown) =>
        showToast(t('file.saveFailed', { reason: error instanceof Error ? error.message : String(error) })),
      );
  };
  // The latest render's save, for the menu's command (subscribed once).
  const latest = useRef(save);
  useEffect(() => {
    latest.current = save;
  });
  useEffect(
    () =>
      onCommand((command) => {
        if (command.kind === 'menu' && command.command === 'save-copy') latest.current();
      }),
    [],
  );
  return (
    <button type="button" className="button-link" onClick={save}>
      {t('file.save')}
    </button>
  );
}
