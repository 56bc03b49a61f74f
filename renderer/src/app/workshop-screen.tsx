/** One open workshop: top bar with the phase stepper, the current board, and the status bar. */
import { useEffect, useSyncExternalStore } from 'react';
import { BOARD_KINDS, CLOSE, type BoardKind, type MessageKey } from '../../../shared';
import { ActionsBoard } from '../boards/actions-board';
import { NeedsBoard } from '../boards/needs-board';
import { ThemesBoard } from '../boards/themes-board';
import { useWorkshopConnection, type WorkshopConnection } from '../connection';
import { LanguageContext, useT } from '../i18n';
import { useUi } from '../ui-store';
import { useWorkshop, WorkshopContext } from '../use-workshop';

export function WorkshopScreen({ room }: { room: string }) {
  const connection = useWorkshopConnection(room);
  return (
    <WorkshopContext.Provider value={connection.store}>
      <WorkshopLanguage>
        <WorkshopLayout connection={connection} />
      </WorkshopLanguage>
    </WorkshopContext.Provider>
  );
}

function WorkshopLanguage({ children }: { children: React.ReactNode }) {
  const language = useWorkshop((w) => w.meta.language);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  return <LanguageContext.Provider value={language}>{children}</LanguageContext.Provider>;
}

function useConnectionState(connection: WorkshopConnection) {
  const status = useSyncExternalStore(connection.onChange, connection.status);
  const synced = useSyncExternalStore(connection.onChange, connection.synced);
  const refusal = useSyncExternalStore(connection.onChange, connection.refusal);
  return { status, synced, refusal };
}

function WorkshopLayout({ connection }: { connection: WorkshopConnection }) {
  const t = useT();
  const title = useWorkshop((w) => w.meta.title);
  const readOnly = useWorkshop((w) => w.readOnly);
  const hasContent = useWorkshop((w) => w.boards.length > 0);
  const { status, synced, refusal } = useConnectionState(connection);
  const board = useUi((s) => s.board);
  const showBoard = useUi((s) => s.showBoard);

  useEffect(() => {
    document.title = title ? `${title} · Talkoo` : 'Talkoo';
  }, [title]);

  return (
    <div className="workshop">
      <header className="top-bar">
        <a className="brand" href="#/" aria-label={t('workshop.back')}>
          {t('app.name')}
        </a>
        <h1 className="workshop-title">{title}</h1>
        <nav className="stepper" role="tablist" aria-label={t('nav.boards')}>
          {BOARD_KINDS.map((kind, i) => (
            <button
              key={kind}
              role="tab"
              type="button"
              id={`tab-${kind}`}
              aria-selected={board === kind}
              aria-controls="board-panel"
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
      </header>
      {readOnly && (
        <p className="banner" role="status">
          {t('workshop.readOnlyNewer', { version: readOnly.version })}
        </p>
      )}
      <main id="board-panel" role="tabpanel" aria-labelledby={`tab-${board}`} className="board-panel">
        {refusal !== null && !hasContent ? (
          <p className="empty" role="alert">
            {t('connection.refused', { reason: t(refusalMessage(refusal)) })}
          </p>
        ) : !synced && !hasContent ? (
          <p className="empty">{t('workshop.loading')}</p>
        ) : !hasContent ? (
          <p className="empty">{t('workshop.notFound')}</p>
        ) : (
          <Board kind={board} />
        )}
      </main>
      <footer className="status-bar">
        <span className={`status-dot status-${status}`} aria-hidden="true" />
        <span role="status">
          {refusal !== null
            ? t('connection.refused', { reason: t(refusalMessage(refusal)) })
            : t(`connection.${status === 'refused' ? 'offline' : status}`)}
        </span>
      </footer>
    </div>
  );
}

const REFUSALS: Readonly<Record<number, MessageKey>> = {
  [CLOSE.tokenMissing]: 'refused.4401',
  [CLOSE.tokenMalformed]: 'refused.4402',
  [CLOSE.tokenForged]: 'refused.4403',
  [CLOSE.tokenWrongRoom]: 'refused.4404',
  [CLOSE.tokenWrongRole]: 'refused.4405',
  [CLOSE.tokenExpired]: 'refused.4410',
};

/** Why the server refused this link, in words. */
function refusalMessage(code: number): MessageKey {
  return REFUSALS[code] ?? 'refused.4402';
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
