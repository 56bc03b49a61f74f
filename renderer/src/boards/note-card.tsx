/** One note as a card. Selects only its own note, so it re-renders only when that note changes. */
import { memo } from 'react';
import type { NoteId } from '../../../shared';
import { useWorkshop } from '../use-workshop';

export const NoteCard = memo(function NoteCard({ id }: { id: NoteId }) {
  const note = useWorkshop((w) => w.notes.find((n) => n.id === id));
  if (!note) return null;
  return (
    <li className={`note note-${note.colour}`}>
      <p className="note-text">{note.text}</p>
      {note.municipality && <span className="tag">{note.municipality}</span>}
    </li>
  );
});
