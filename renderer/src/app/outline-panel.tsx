/**
 * The outline: every lane or theme of the current board with its notes as a plain list, the
 * keyboard and screen-reader path to everything on the canvas. Each note has a "Move to…" menu
 * (lane on the needs board, theme on the clustering board).
 */
import {
  moveNotesToLane,
  moveNoteToTheme,
  type BoardKind,
  type LaneId,
  type Note,
  type ThemeId,
} from '../../../shared';
import { useT } from '../i18n';
import { useConnection, useWorkshop } from '../use-workshop';

type Group = { readonly key: string; readonly title: string; readonly notes: readonly Note[] };

function NoteItem({ note, board, groups }: { note: Note; board: BoardKind; groups: readonly Group[] }) {
  const t = useT();
  const { doc } = useConnection();
  const current = board === 'needs' ? (note.laneId ?? '') : (note.themeId ?? '');
  return (
    <li className="outline-note">
      <span>{note.text}</span>
      <select
        aria-label={t('outline.moveTo', { text: note.text.slice(0, 60) })}
        value={current}
        onChange={(e) => {
          const to = e.target.value;
          if (board === 'needs') moveNotesToLane(doc, [note.id], to ? (to as LaneId) : null);
          else moveNoteToTheme(doc, note.id, to ? (to as ThemeId) : null);
        }}
      >
        {groups.map((g) => (
          <option key={g.key} value={g.key}>
            {g.title}
          </option>
        ))}
      </select>
    </li>
  );
}

export function OutlinePanel({ board }: { board: BoardKind }) {
  const t = useT();
  const groups = useWorkshop((w): Group[] => {
    if (board === 'needs') {
      const lanes = w.boards.find((b) => b.kind === 'needs')?.lanes ?? [];
      return [
        ...lanes.map((l) => ({
          key: l.id,
          title: l.title,
          notes: w.notes.filter((n) => n.laneId === l.id),
        })),
        { key: '', title: t('needs.unsorted'), notes: w.notes.filter((n) => n.laneId === null) },
      ];
    }
    return [
      { key: '', title: t('themes.unsorted'), notes: w.notes.filter((n) => n.themeId === null) },
      ...w.themes.map((th) => ({
        key: th.id,
        title: th.title,
        notes: th.noteIds.flatMap((id) => w.notes.find((n) => n.id === id) ?? []),
      })),
    ];
  });
  return (
    <nav className="outline-panel" aria-label={t('outline.title')}>
      {groups.map((group) =>
        group.notes.length || group.key ? (
          <section key={group.key || 'none'} aria-label={group.title}>
            <h2>{group.title}</h2>
            <ul>
              {group.notes.map((note) => (
                <NoteItem key={note.id} note={note} board={board} groups={groups} />
              ))}
            </ul>
          </section>
        ) : null,
      )}
    </nav>
  );
}
