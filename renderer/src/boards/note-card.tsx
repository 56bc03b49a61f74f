/** One note as a card. Selects only its own note, so it re-renders only when that note changes. */
import { memo } from 'react';
import type { NoteId } from '../../../shared';
import { useT } from '../i18n';
import { useWorkshop } from '../use-workshop';

export const NoteCard = memo(function NoteCard({ id }: { id: NoteId }) {
  const t = useT();
  const note = useWorkshop((w) => w.notes.find((n) => n.id === id));
  const votes = useWorkshop((w) => w.revealedVotes.notes[id] ?? 0);
  if (!note) return null;
  return (
    <li className={`note note-${note.colour}`}>
      <p className="note-text">{note.text}</p>
      {(note.municipality || votes > 0) && (
        <p className="note-meta">
          {note.municipality && <span className="tag">{note.municipality}</span>}
          {votes > 0 && <span className="votes">{t('needs.votes', { count: votes })}</span>}
        </p>
      )}
    </li>
  );
});
