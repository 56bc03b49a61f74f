/**
 * The outline: every lane or theme of the current board with its notes as a plain list, the
 * keyboard and screen-reader path to everything on the canvas. Each note has a "Move to…" menu
 * (lane on the needs board, theme on the clustering board) and a checkbox that selects it, the
 * same selection as on the canvas; the selected notes move together from the menu at the top.
 */
import {
  moveNotesToLane,
  moveNotesToTheme,
  type BoardKind,
  type LaneId,
  type Note,
  type NoteId,
  type ThemeId,
  type Workshop,
} from '../../../shared';
import { useCallback, useMemo } from 'react';
import type { Doc } from 'yjs';
import { useT } from '../i18n';
import { usePolicySelect, type Policy } from '../policy';
import { useUi } from '../ui-store';
import { sameItems, useConnection, useWorkshop } from '../use-workshop';

type Group = { readonly key: string; readonly title: string; readonly notes: readonly Note[] };

/** Moves notes to the group keyed `to` ('' = no lane, or the unsorted tray). */
function moveTo(doc: Doc, board: BoardKind, ids: readonly NoteId[], to: string): void {
  if (board === 'needs') moveNotesToLane(doc, ids, to ? (to as LaneId) : null);
  else moveNotesToTheme(doc, ids, to ? (to as ThemeId) : null);
}

/** One option per lane or theme, for the "Move to…" menus. */
function GroupOptions({ groups }: { groups: readonly Group[] }) {
  return groups.map((g) => (
    <option key={g.key} value={g.key}>
      {g.title}
    </option>
  ));
}

/** The selection's own "Move to…": shown while notes are selected. */
function SelectionBar({
  board,
  groups,
  fixed,
}: {
  board: BoardKind;
  groups: readonly Group[];
  fixed: ReadonlySet<NoteId>;
}) {
  const t = useT();
  const { doc } = useConnection();
  const selection = useUi((s) => s.selection);
  if (selection.length === 0) return null;
  return (
    <div className="outline-selection">
      <span>{t('outline.selected', { count: selection.length })}</span>
      {/* Moved together only when this person may move every one of them. */}
      {selection.every((id) => !fixed.has(id)) && (
        <select
          aria-label={t('outline.moveSelected')}
          value="choose"
          onChange={(e) => moveTo(doc, board, selection, e.target.value)}
        >
          <option value="choose" disabled>
            {t('outline.moveSelected')}
          </option>
          <GroupOptions groups={groups} />
        </select>
      )}
    </div>
  );
}

function NoteItem({
  note,
  board,
  groups,
  movable,
}: {
  note: Note;
  board: BoardKind;
  groups: readonly Group[];
  /** This person may move the note to another lane or theme. */
  movable: boolean;
}) {
  const t = useT();
  const { doc } = useConnection();
  const current = board === 'needs' ? (note.laneId ?? '') : (note.themeId ?? '');
  const selected = useUi((s) => s.selection.includes(note.id));
  const toggle = useUi((s) => s.toggle);
  return (
    <li className="outline-note">
      <label>
        <input
          type="checkbox"
          checked={selected}
          aria-label={t('outline.select', { text: note.text.slice(0, 60) })}
          onChange={() => toggle(note.id)}
        />
        <span>{note.text}</span>
      </label>
      {movable && (
        <select
          aria-label={t('outline.moveTo', { text: note.text.slice(0, 60) })}
          value={current}
          onChange={(e) => moveTo(doc, board, [note.id], e.target.value)}
        >
          <GroupOptions groups={groups} />
        </select>
      )}
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
  // The notes this person may not move here: usually none (or, for a viewer, all).
  const field = board === 'needs' ? 'laneId' : 'themeId';
  const fixedOf = useCallback(
    (policy: Policy, w: Workshop) =>
      w.notes.filter((n) => !policy.may({ kind: 'edit', root: 'notes', id: n.id, field })).map((n) => n.id),
    [field],
  );
  const fixedIds = usePolicySelect(fixedOf, sameItems);
  const fixed = useMemo(() => new Set(fixedIds), [fixedIds]);
  return (
    <nav className="outline-panel" aria-label={t('outline.title')}>
      <SelectionBar board={board} groups={groups} fixed={fixed} />
      {groups.map((group) =>
        group.notes.length || group.key ? (
          <section key={group.key || 'none'} aria-label={group.title}>
            <h2>{group.title}</h2>
            <ul>
              {group.notes.map((note) => (
                <NoteItem
                  key={note.id}
                  note={note}
                  board={board}
                  groups={groups}
                  movable={!fixed.has(note.id)}
                />
              ))}
            </ul>
          </section>
        ) : null,
      )}
    </nav>
  );
}
