/**
 * Theme clustering: an affinity canvas over the needs. Unsorted notes wait in the tray; drag
 * them (several when selected) into themes or back. Themes are created, renamed, recoloured,
 * merged and deleted here (a deleted theme's notes return to the tray, with Undo). Each theme
 * counts its notes, lists its actions and starts a new action from itself.
 */
import { useCallback } from 'react';
import {
  addAction,
  createTheme,
  deleteTheme,
  mergeThemes,
  moveNotesToTheme,
  NOTE_COLOURS,
  randomUuid,
  recolourTheme,
  renameTheme,
  type ActionId,
  type NoteColour,
  type NoteId,
  type ThemeId,
} from '../../../shared';
import { CanvasView } from '../canvas/canvas-view';
import { InlineTitle } from '../controls/inline-title';
import { useT, useTn } from '../i18n';
import { useMay, usePolicyNow, usePolicySelect, type Policy } from '../policy';
import { useToasts } from '../toasts';
import { useUi } from '../ui-store';
import { sameItems, useConnection, useWorkshop } from '../use-workshop';
import { focusActionTitle } from './actions-board';
import { DotControl } from './dot-control';
import { CollisionNotices } from './collision-notice';
import { LockBanner } from './lock-banner';
import { NoteList } from './note-card';
import { startNoteDrag } from './note-drag';

/** A new theme's colour: the first no theme has yet, else the next in turn, so themes differ. */
export function nextColour(used: readonly NoteColour[]): NoteColour {
  const free = NOTE_COLOURS.find((colour) => !used.includes(colour));
  return free ?? NOTE_COLOURS[used.length % NOTE_COLOURS.length] ?? 'blue';
}

type DragStart = (id: NoteId, event: React.PointerEvent<HTMLElement>) => void;

function ThemeColumn({ id, onDragStart }: { id: ThemeId; onDragStart: DragStart }) {
  const t = useT();
  const tn = useTn();
  const { doc, undo } = useConnection();
  const theme = useWorkshop((w) => w.themes.find((th) => th.id === id));
  const others = useWorkshop((w) => w.themes.filter((th) => th.id !== id), sameItems);
  const actions = useWorkshop((w) => w.actions.filter((a) => a.themeIds.includes(id)), sameItems);
  const votes = useWorkshop((w) => w.revealedVotes.themes[id] ?? 0);
  const showBoard = useUi((s) => s.showBoard);
  const showToast = useToasts((s) => s.show);
  const policyNow = usePolicyNow();
  const mayRename = useMay({ kind: 'edit', root: 'themes', id, field: 'title' });
  const mayRecolour = useMay({ kind: 'edit', root: 'themes', id, field: 'colour' });
  // Deleting a theme returns its notes to the tray; merging also moves its actions' links.
  const noteIds = theme?.noteIds;
  const deletable = useCallback(
    (policy: Policy) =>
      policy.may({ kind: 'delete', root: 'themes', id }) &&
      (noteIds ?? []).every((note) =>
        policy.may({ kind: 'edit', root: 'notes', id: note, field: 'themeId' }),
      ),
    [id, noteIds],
  );
  const mayDelete = usePolicySelect(deletable);
  const linksMovable = useCallback(
    (policy: Policy) =>
      actions.every((action) =>
        policy.may({ kind: 'edit', root: 'actions', id: action.id, field: 'themeIds' }),
      ),
    [actions],
  );
  const mayMerge = usePolicySelect(linksMovable) && mayDelete;
  const mayAddAction = useMay({ kind: 'add', root: 'actions' });
  if (!theme) return null;
  const headingId = `theme-${id}`;
  const title = theme.title;
  return (
    <section className={`lane theme theme-${theme.colour}`} aria-labelledby={headingId} data-theme-id={id}>
      <header className="lane-header">
        <h2 id={headingId} className="visually-hidden">
          {title}
        </h2>
        {mayRename ? (
          <InlineTitle
            value={title}
            renameLabel={t('theme.rename', { title })}
            inputLabel={t('theme.title')}
            onRename={(next) => renameTheme(doc, id, next)}
          />
        ) : (
          <span className="lane-title">{title}</span>
        )}
        <span className="count">{tn('themes.noteCount', theme.noteIds.length)}</span>
      </header>
      {votes > 0 && (
        // The revealed result of the dot rounds, on the card itself (it stays after a round closes).
        <p className="vote-badge">{tn('needs.votes', votes)}</p>
      )}
      <DotControl target={id} kind="themes" title={title} />
      {(mayRecolour || mayMerge || mayDelete) && (
        <div className="lane-tools">
          {mayRecolour && (
            <select
              className="colour-select"
              aria-label={t('theme.colour', { title })}
              value={theme.colour}
              onChange={(e) => recolourTheme(doc, id, e.target.value as NoteColour)}
            >
              {NOTE_COLOURS.map((colour) => (
                <option key={colour} value={colour}>
                  {t(`colour.${colour}`)}
                </option>
              ))}
            </select>
          )}
          {mayMerge && others.length > 0 && (
            <select
              className="merge-select"
              aria-label={t('theme.mergeInto', { title })}
              value=""
              onChange={(e) => {
                const into = others.find((o) => o.id === e.target.value);
                if (!into) return;
                undo.stopCapturing();
                mergeThemes(doc, id, into.id);
                showToast(t('toast.themesMerged', { from: title, into: into.title }), () => undo.undo());
              }}
            >
              <option value="">{t('theme.mergeInto', { title: '' }).trim()}</option>
              {others.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.title}
                </option>
              ))}
            </select>
          )}
          {mayDelete && (
            <button
              type="button"
              className="icon-button danger"
              aria-label={t('theme.delete', { title })}
              onClick={() => {
                undo.stopCapturing();
                deleteTheme(doc, id);
                showToast(t('toast.themeDeleted', { title }), () => undo.undo());
              }}
            >
              ×
            </button>
          )}
        </div>
      )}
      <CollisionNotices root="themes" id={id} />
      <NoteList ids={theme.noteIds} labelledBy={headingId} onDragStart={onDragStart} />
      {actions.length > 0 && (
        <ul className="theme-actions" aria-label={t('theme.actions')}>
          {actions.map((a) => (
            <li key={a.id}>{a.title}</li>
          ))}
        </ul>
      )}
      {mayAddAction && (
        <button
          type="button"
          className="add-note"
          onClick={() => {
            const action = randomUuid() as ActionId;
            // Titled after the theme, the title ready to be rewritten on the action plan.
            addAction(doc, {
              id: action,
              author: policyNow().authorFor(action),
              title,
              themeIds: [id],
            });
            focusActionTitle(action);
            showBoard('actions');
          }}
        >
          + {t('theme.newAction')}
        </button>
      )}
    </section>
  );
}

export function ThemesBoard() {
  const t = useT();
  const { doc, store } = useConnection();
  const board = useWorkshop((w) => w.boards.find((b) => b.kind === 'themes'));
  const themeIds = useWorkshop((w) => w.themes.map((th) => th.id), sameItems);
  const unsorted = useWorkshop((w) => w.notes.filter((n) => n.themeId === null).map((n) => n.id), sameItems);
  const selection = useUi((s) => s.selection);
  const policyNow = usePolicyNow();
  const mayAddTheme = useMay({ kind: 'add', root: 'themes' });

  const onDragStart = useCallback<DragStart>(
    (id, event) => {
      const ids = selection.includes(id) ? selection : [id];
      // Moved only when every note dragged may move: nothing is offered that would be refused.
      const policy = policyNow();
      if (!ids.every((note) => policy.may({ kind: 'edit', root: 'notes', id: note, field: 'themeId' })))
        return;
      startNoteDrag(event, (drop) => {
        const column = drop.closest('[data-theme-id]');
        if (!column) return;
        const themeAttr = column.getAttribute('data-theme-id') ?? '';
        if (themeAttr === '') {
          moveNotesToTheme(doc, ids, null);
          return;
        }
        const themeId = themeAttr as ThemeId;
        const members = store
          .getSnapshot()
          .notes.filter((n) => n.themeId === themeId && !ids.includes(n.id))
          .sort((a, b) => a.themeOrder - b.themeOrder);
        const before = drop.closest('[data-note-id]')?.getAttribute('data-note-id');
        const at = members.findIndex((n) => n.id === before);
        const start =
          at < 0
            ? members.reduce((max, n) => Math.max(max, n.themeOrder + 1), 0)
            : at === 0
              ? (members[0]?.themeOrder ?? 0) - 1
              : ((members[at - 1]?.themeOrder ?? 0) + (members[at]?.themeOrder ?? 0)) / 2;
        moveNotesToTheme(doc, ids, themeId, start);
      });
    },
    [doc, store, selection, policyNow],
  );

  const addTheme = (): void => {
    const theme = randomUuid() as ThemeId;
    createTheme(doc, {
      id: theme,
      author: policyNow().authorFor(theme),
      title: t('themes.newTitle'),
      colour: nextColour(store.getSnapshot().themes.map((th) => th.colour)),
    });
  };

  return (
    <>
      <p className="board-hint">{t('themes.hint')}</p>
      <LockBanner act={{ kind: 'edit', root: 'notes', id: '', field: 'themeId' }} />
      <CanvasView label={board?.title ?? t('board.themes')} board="themes">
        <div className="lanes" data-canvas-background="true">
          <section className="lane tray" aria-labelledby="tray-title" data-theme-id="">
            <header className="lane-header">
              <h2 id="tray-title" className="lane-title">
                {t('themes.unsorted')}
              </h2>
              <span className="count">{unsorted.length}</span>
            </header>
            <NoteList ids={unsorted} labelledBy="tray-title" onDragStart={onDragStart} />
          </section>
          {themeIds.map((id) => (
            <ThemeColumn key={id} id={id} onDragStart={onDragStart} />
          ))}
          {themeIds.length === 0 ? (
            // Empty states teach (UI.md): where the themes will be, and how to start one.
            <section className="lane board-empty-column" aria-labelledby="themes-empty-title">
              <h2 id="themes-empty-title" className="board-empty-title">
                {t('themes.empty')}
              </h2>
              <p>{t('themes.emptyHow')}</p>
              {mayAddTheme && (
                <button type="button" className="primary-button" onClick={addTheme}>
                  + {t('themes.add')}
                </button>
              )}
            </section>
          ) : (
            mayAddTheme && (
              <button type="button" className="add-lane" onClick={addTheme}>
                + {t('themes.add')}
              </button>
            )
          )}
        </div>
      </CanvasView>
    </>
  );
}
