/**
 * One note as a card. Selects only its own note, so it re-renders only when that note changes.
 * Click selects (Shift adds to the selection), double-click or Enter edits in place (Enter saves,
 * Shift+Enter breaks the line, Escape cancels), and `onDragStart` lets a board move it.
 */
import { memo, useCallback, useEffect, useMemo, useState } from 'react';
import { deleteNotes, setNoteText, type Note, type NoteId, type Participant } from '../../../shared';
import { useDocumentLanguage, useLanguage, useT, useTn } from '../i18n';
import { usePolicySelect, type Policy } from '../policy';
import { usePeers, type Presence } from '../presence';
import { CollisionNotices } from './collision-notice';
import { DotControl } from './dot-control';
import { municipalityNames, outsideFilter, useMunicipalityFilter } from '../plan/municipality-filter';
import { MunicipalityTag } from '../plan/municipality-tag';
import { StickyChunks } from './note-chunks';
import { TextEditor } from './text-editor';
import { whenIdle } from '../idle';
import { useUi } from '../ui-store';
import { noteById, sameItems, useConnection, useWorkshop } from '../use-workshop';

/** A person's initials for a note's corner: "Aino Virtanen" → "AV", "Bob" → "B". */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = (word: string | undefined): string => (word ? (Array.from(word)[0] ?? '') : '');
  const letters = words.length > 1 ? first(words[0]) + first(words.at(-1)) : first(words[0]);
  return letters.toLocaleUpperCase();
}

/** Two rosters with the same people, names and colours (a snapshot reads the roster anew). */
function sameRoster(a: readonly Participant[], b: readonly Participant[]): boolean {
  return (
    a.length === b.length &&
    a.every((p, i) => p.id === b[i]?.id && p.name === b[i]?.name && p.colour === b[i]?.colour)
  );
}

const NO_ROSTER: readonly Participant[] = [];

/** No one else is editing: one shared empty list, so memoised cards stay unchanged. */
export const NO_EDITORS: readonly Presence[] = [];

/**
 * Who edits which note, and whether a dot round on notes is open: selected once per lane by the
 * board and handed to its cards, rather than subscribed to by each of thousands of cards.
 */
export function useNoteActivity(): { editorsOf: (id: NoteId) => readonly Presence[]; voting: boolean } {
  const { awareness } = useConnection();
  // In an anonymous workshop nobody is shown writing a note: that would say who wrote it.
  const anonymous = useWorkshop((w) => w.facilitation.anonymous);
  const editing = usePeers(
    awareness,
    (peers) => (anonymous ? NO_EDITORS : peers.filter((p) => p.editing !== null)),
    sameItems,
  );
  const voting = useWorkshop((w) =>
    w.rounds.some((r) => r.id === w.facilitation.activeRoundId && r.state === 'open' && r.target === 'notes'),
  );
  return {
    editorsOf: (id) =>
      editing.some((p) => p.editing === id) ? editing.filter((p) => p.editing === id) : NO_EDITORS,
    voting,
  };
}

/**
 * One card, drawn from its props alone: the list above it holds the subscriptions, and the card
 * (memoised) re-renders only when its note (kept identical while unchanged), its dots, its
 * selection or its editors change. Thousands of cards then cost no subscriptions of their own.
 */
export const NoteCard = memo(function NoteCard({
  note,
  votes,
  selected,
  editing,
  onDragStart,
  editors = NO_EDITORS,
  voting = false,
  editable = true,
  author,
  municipalities,
  outside = false,
}: {
  note: Note;
  /** Revealed dots on this note. */
  votes: number;
  selected: boolean;
  editing: boolean;
  onDragStart?: (id: NoteId, event: React.PointerEvent<HTMLElement>) => void;
  /** Others editing this note now. */
  editors?: readonly Presence[];
  /** A dot round on notes is open. */
  voting?: boolean;
  /** This person may change the note's text (the policy says so). */
  editable?: boolean;
  /** Who wrote the note, when the workshop shows authors and the roster knows them. */
  author?: Participant;
  /** The workshop's municipalities: offered by the card's tag control (when editable). */
  municipalities?: readonly string[];
  /** The board is filtered by a municipality other than this note's: drawn dimmed. */
  outside?: boolean;
}) {
  const t = useT();
  const tn = useTn();
  const language = useLanguage();
  const documentLanguage = useDocumentLanguage();
  const { doc } = useConnection();
  const { select, toggle, edit } = useUi.getState();
  const id = note.id;
  // Who may change the note tags it from the card (the tag is then that control, not text).
  const tagControl = editable && !!municipalities && (municipalities.length > 0 || !!note.municipality);
  const meta = (!!note.municipality && !tagControl) || votes > 0 || !!author || outside;
  // A tagless note offers a tag once selected (a click, or the focus on it: Tab then reaches the
  // offer), so that a board of tagless notes stays calm.
  const tag =
    tagControl && !editing && municipalities && (note.municipality || selected) ? (
      <MunicipalityTag noteId={id} value={note.municipality} names={municipalities} />
    ) : null;
  return (
    <li
      // Explicit: the list it sits in is a chunk's, presentation only (see NoteList).
      role="listitem"
      className={`note note-${note.colour}${selected ? ' selected' : ''}${outside ? ' outside-filter' : ''}`}
      data-note-id={id}
      onPointerDown={(event) => {
        if (editing || event.button !== 0) return;
        if (event.shiftKey) toggle(id);
        else if (!selected) select([id]);
        onDragStart?.(id, event);
      }}
      onDoubleClick={() => {
        if (editable) edit(id);
      }}
    >
      {editing && editable ? (
        <NoteEditor
          noteId={id}
          initial={note.text}
          label={t('note.text')}
          onDone={(text) => {
            // A new note left empty (or cancelled) is not kept.
            if (note.text === '' && !text) deleteNotes(doc, [id]);
            else if (text && text !== note.text) setNoteText(doc, id, text);
            edit(null);
          }}
        />
      ) : (
        <button
          type="button"
          className="note-body"
          // The note is written in the workshop's language; its vote count (below) in the reader's.
          lang={documentLanguage}
          // Selected, the note's button is pressed (a list item cannot say aria-selected).
          aria-pressed={selected}
          // The name is the text alone; its tag and votes are its description.
          aria-describedby={meta ? `note-meta-${id}` : undefined}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && editable) {
              event.preventDefault();
              edit(id);
            }
          }}
          onFocus={() => {
            if (!selected) select([id]);
          }}
        >
          {meta ? (
            <>
              {note.text}
              <span className="note-meta" id={`note-meta-${id}`} aria-hidden="true">
                {note.municipality && !tagControl && <span className="tag">{note.municipality}</span>}
                {outside && <span className="visually-hidden">{t('filter.outside')}</span>}
                {votes > 0 && (
                  <span className="votes" lang={language}>
                    {tn('needs.votes', votes)}
                  </span>
                )}
                {author && (
                  <span
                    className="initials"
                    lang={language}
                    title={t('note.writtenBy', { name: author.name })}
                    style={{ borderColor: author.colour }}
                  >
                    <span aria-hidden="true">{initials(author.name)}</span>
                    <span className="visually-hidden">{t('note.writtenBy', { name: author.name })}</span>
                  </span>
                )}
              </span>
            </>
          ) : (
            // A lone string becomes the button's text content: no node of its own to create.
            note.text
          )}
        </button>
      )}
      {editors.length > 0 && (
        <span className="edited-by">
          {editors.map((p) => (
            <span key={p.clientId} className="cursor-name" style={{ background: p.colour }}>
              {p.name}
            </span>
          ))}
        </span>
      )}
      {voting ? (
        // While a round is open the tag sits in the card's last row, beside the vote controls:
        // on the card's edge it ran into them and touched the next card.
        <div className="note-footer">
          <DotControl target={id} kind="notes" title={note.text} />
          {tag}
        </div>
      ) : (
        tag
      )}
      <CollisionNotices root="notes" id={id} />
    </li>
  );
});

/**
 * False until the browser has been idle once since the list first showed. Until then its chunks
 * out of view are not laid out (note-chunks.ts): the first frame holds only what is on the
 * screen, and the rest of the list is laid out when the browser has time. Not for longer: while
 * deferred, Chromium's accessibility tree holds only the chunks near the view (measured: 50 of a
 * lane's 200 notes), and panning would meet notes still to be laid out.
 */
function useSettled(): boolean {
  const [settled, setSettled] = useState(false);
  useEffect(() => {
    if (settled) return;
    return whenIdle(() => setSettled(true));
  }, [settled]);
  return settled;
}

/** A two-line note and the gap below it, in pixels. */
const ESTIMATED_NOTE_HEIGHT = 66;

/**
 * A list of note cards (a lane, a theme, the tray): the one place that subscribes for them. Drawn
 * in chunks (note-chunks.ts) so that a long list costs little until it comes into view.
 */
export function NoteList({
  ids,
  labelledBy,
  onDragStart,
}: {
  ids: readonly NoteId[];
  labelledBy: string;
  onDragStart: (id: NoteId, event: React.PointerEvent<HTMLElement>) => void;
}) {
  const activity = useNoteActivity();
  const notes = useWorkshop((w) => ids.flatMap((id) => noteById(w, id) ?? []), sameItems);
  // The notes whose text this person may not change: usually none (or, for a viewer, all).
  const fixedOf = useCallback(
    (policy: Policy) => ids.filter((id) => !policy.may({ kind: 'edit', root: 'notes', id, field: 'text' })),
    [ids],
  );
  const fixed = usePolicySelect(fixedOf, sameItems);
  const fixedSet = useMemo(() => new Set(fixed), [fixed]);
  const votes = useWorkshop((w) => w.revealedVotes.notes);
  // Authors' initials on the cards, unless the workshop is anonymous.
  const roster = useWorkshop((w) => (w.facilitation.anonymous ? NO_ROSTER : w.participants), sameRoster);
  const authors = useMemo(() => new Map(roster.map((p) => [p.id as string, p])), [roster]);
  const selection = useUi((s) => s.selection);
  const editingId = useUi((s) => s.editing);
  const municipalities = useWorkshop(municipalityNames, sameItems);
  const filter = useMunicipalityFilter();
  const [sticky] = useState(() => new StickyChunks());
  const chunks = useMemo(() => sticky.chunk(notes), [sticky, notes]);
  const settled = useSettled();
  // The chunks are presentation only: assistive technology sees one list of the notes (their
  // items say role="listitem" outright, as ARIA would pass a chunk's presentation on to them).
  // The list is a role="list" <div>: a <ul> may hold only <li>s, and a chunk is not an item.
  return (
    <div role="list" className="note-list" aria-labelledby={labelledBy}>
      {chunks.map((chunk) => (
        <div
          key={chunk.key}
          className={settled ? 'note-chunk' : 'note-chunk deferred'}
          // While deferred and out of view, the chunk reserves about this much height.
          style={
            settled
              ? undefined
              : { containIntrinsicBlockSize: `auto ${chunk.items.length * ESTIMATED_NOTE_HEIGHT}px` }
          }
        >
          <ul role="none" className="note-list">
            {chunk.items.map((note) => (
              <NoteCard
                key={note.id}
                note={note}
                votes={votes[note.id] ?? 0}
                selected={selection.includes(note.id)}
                editing={editingId === note.id}
                onDragStart={onDragStart}
                editors={activity.editorsOf(note.id)}
                voting={activity.voting}
                editable={!fixedSet.has(note.id)}
                author={note.author ? authors.get(note.author) : undefined}
                municipalities={municipalities}
                outside={outsideFilter(note, filter)}
              />
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}

/** A note's in-place editor, which tells the others (unless anonymous) which note I edit. */
export function NoteEditor({
  noteId,
  initial,
  label,
  onDone,
}: {
  noteId: NoteId;
  initial: string;
  label: string;
  onDone: (text: string | null) => void;
}) {
  // An editor drawn anew while its note is still being edited goes on with what was typed.
  const [resumed] = useState(() => {
    const { draft } = useUi.getState();
    return draft?.noteId === noteId ? draft.text : null;
  });
  const { awareness } = useConnection();
  // In an anonymous workshop nobody else is told who writes which note.
  const anonymous = useWorkshop((w) => w.facilitation.anonymous);
  useEffect(() => {
    if (anonymous) return;
    awareness.setLocalStateField('editing', noteId);
    return () => awareness.setLocalStateField('editing', null);
  }, [awareness, noteId, anonymous]);
  return (
    <TextEditor
      initial={initial}
      resumed={resumed}
      label={label}
      onChange={(text) => useUi.getState().setDraft(noteId, text)}
      onDone={onDone}
    />
  );
}
