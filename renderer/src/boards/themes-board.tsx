/** Theme clustering: themes with their notes, and the tray of unsorted notes (read-only for now). */
import type { ThemeId } from '../../../shared';
import { useT } from '../i18n';
import { sameItems, useWorkshop } from '../use-workshop';
import { NoteCard } from './note-card';

function ThemeColumn({ id }: { id: ThemeId }) {
  const t = useT();
  const theme = useWorkshop((w) => w.themes.find((th) => th.id === id));
  if (!theme) return null;
  const headingId = `theme-${id}`;
  return (
    <section className={`theme theme-${theme.colour}`} aria-labelledby={headingId}>
      <h2 id={headingId} className="theme-title">
        {theme.title}
      </h2>
      <p className="muted">{t('themes.noteCount', { count: theme.noteIds.length })}</p>
      <ul className="note-list" aria-labelledby={headingId}>
        {theme.noteIds.map((noteId) => (
          <NoteCard key={noteId} id={noteId} />
        ))}
      </ul>
    </section>
  );
}

export function ThemesBoard() {
  const t = useT();
  const themeIds = useWorkshop((w) => w.themes.map((th) => th.id), sameItems);
  const unsorted = useWorkshop((w) => w.notes.filter((n) => n.themeId === null).map((n) => n.id), sameItems);
  return (
    <div className="themes-board">
      <section className="tray" aria-labelledby="tray-title">
        <h2 id="tray-title" className="lane-title">
          {t('themes.unsorted')} <span className="count">{unsorted.length}</span>
        </h2>
        <ul className="note-list" aria-labelledby="tray-title">
          {unsorted.map((id) => (
            <NoteCard key={id} id={id} />
          ))}
        </ul>
      </section>
      <div className="themes">
        {themeIds.length === 0 && <p className="empty">{t('themes.empty')}</p>}
        {themeIds.map((id) => (
          <ThemeColumn key={id} id={id} />
        ))}
      </div>
    </div>
  );
}
