/**
 * The side panel's details of the one selected note: its text, who wrote it (never in an
 * anonymous workshop) and, when this person may delete it, a Delete button with Undo.
 */
import { useCallback } from 'react';
import { deleteNotes, type Note } from '../../../shared';
import { isAuthor } from '../../../shared/policy/policy';
import { useDocumentLanguage, useT, useTn } from '../i18n';
import { useMay, usePolicySelect, type Policy } from '../policy';
import { useToasts } from '../toasts';
import { useUi } from '../ui-store';
import { noteById, useConnection, useWorkshop } from '../use-workshop';

/** Who wrote the note, in words; null when nobody may be named (anonymous) or nobody is known. */
function useWriter(note: Note): string | null {
  const t = useT();
  const select = useCallback(
    (policy: Policy, workshop: { participants: readonly { id: string; name: string }[] }) => {
      const author = note.author;
      if (policy.anonymous || !author) return null;
      if (isAuthor(policy.subject, author, note.id)) return t('note.writtenByYou');
      const name = workshop.participants.find((p) => p.id === author)?.name;
      return name ? t('note.writtenBy', { name }) : t('note.writtenByUnknown');
    },
    [note, t],
  );
  return usePolicySelect(select);
}

function Details({ note }: { note: Note }) {
  const t = useT();
  const tn = useTn();
  const lang = useDocumentLanguage();
  const { doc, undo } = useConnection();
  const showToast = useToasts((s) => s.show);
  const select = useUi((s) => s.select);
  const writer = useWriter(note);
  const mayDelete = useMay({ kind: 'delete', root: 'notes', id: note.id });
  return (
    <section aria-labelledby="note-details-title" className="panel-section note-details">
      <h2 id="note-details-title">{t('note.details')}</h2>
      <p className="note-details-text" lang={lang}>
        {note.text}
      </p>
      {writer && <p className="muted">{writer}</p>}
      {mayDelete && (
        <div className="panel-buttons">
          <button
            type="button"
            className="secondary-button danger"
            onClick={() => {
              undo.stopCapturing();
              const count = deleteNotes(doc, [note.id]);
              select([]);
              showToast(tn('toast.notesDeleted', count), () => undo.undo());
            }}
          >
            {t('note.delete')}
          </button>
        </div>
      )}
    </section>
  );
}

/** The details of the selected note, when exactly one is selected. */
export function NoteDetails() {
  const selected = useUi((s) => (s.selection.length === 1 ? s.selection[0] : undefined));
  const note = useWorkshop((w) => (selected ? noteById(w, selected) : undefined));
  return note ? <Details note={note} /> : null;
}
