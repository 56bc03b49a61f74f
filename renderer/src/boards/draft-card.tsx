/**
 * My private notes of a private writing round, in their lane: written to my own document, which
 * only I and the server read, until the facilitator reveals them and the server publishes them
 * as notes. Each can be edited and deleted like a note; nobody else sees them meanwhile.
 */
import { useCallback } from 'react';
import {
  addDraft,
  deleteDraft,
  setDraftText,
  type BoardId,
  type LaneId,
  type Note,
  type NoteId,
} from '../../../shared';
import { useDocumentLanguage, useT } from '../i18n';
import { useMe } from '../me';
import { useMyDrafts } from '../personal';
import { useUi } from '../ui-store';
import { useConnection, useWorkshop } from '../use-workshop';
import { TextEditor } from './text-editor';

/** True while my new notes become private drafts (a participant in a private writing round). */
export function useWritesDrafts(): boolean {
  const me = useMe();
  const on = useWorkshop((w) => w.facilitation.privateWriting);
  return on && me.role === 'participant';
}

/**
 * Writes a new draft in `laneId` at `y` (an empty one opens for editing); null when this person
 * has no document of their own yet (then nothing is written).
 */
export function useAddDraft(): (
  boardId: BoardId,
  laneId: LaneId | null,
  y: number,
  text?: string,
) => NoteId | null {
  const connection = useConnection();
  return useCallback(
    (boardId, laneId, y, text = '') => {
      const personal = connection.personal();
      if (!personal) return null;
      const id = addDraft(personal, boardId, { text, laneId, y });
      if (!text) useUi.getState().edit(id);
      return id;
    },
    [connection],
  );
}

/** What a private writing round means, above the board while one runs (else `children`: the usual hint). */
export function PrivateWritingHint({ children }: { children?: React.ReactNode }) {
  const t = useT();
  const me = useMe();
  const on = useWorkshop((w) => w.facilitation.privateWriting);
  if (!on) return children;
  return (
    <p className="board-hint private-hint">
      {t(me.role === 'participant' ? 'private.boardHint' : 'private.boardHintFacilitator')}
    </p>
  );
}

/** The lanes of `boardId` by id, for finding drafts whose lane is gone. */
function useLaneIds(boardId: BoardId): ReadonlySet<string> {
  const lanes = useWorkshop((w) => w.boards.find((b) => b.id === boardId)?.lanes);
  return new Set(lanes?.map((lane) => lane.id) ?? []);
}

/** My drafts in one lane of one board; laneId null: outside any lane, or in a lane since deleted. */
function useLaneDrafts(boardId: BoardId, laneId: LaneId | null): Note[] {
  const lanes = useLaneIds(boardId);
  return useMyDrafts().filter(
    (d) =>
      d.boardId === boardId &&
      (laneId === null ? d.laneId === null || !lanes.has(d.laneId) : d.laneId === laneId),
  );
}

/** True when I have drafts on `boardId` outside its lanes (the board then shows its "no group" column). */
export function useHasLooseDrafts(boardId: BoardId): boolean {
  return useLaneDrafts(boardId, null).length > 0;
}

/** My drafts in one lane of one board (laneId null: the notes outside any lane). */
export function DraftList({ boardId, laneId }: { boardId: BoardId; laneId: LaneId | null }) {
  const t = useT();
  const drafts = useLaneDrafts(boardId, laneId);
  if (drafts.length === 0) return null;
  const helpId = `drafts-help-${boardId}-${laneId ?? 'none'}`;
  return (
    <div className="drafts">
      <p className="drafts-help" id={helpId}>
        {t('private.help')}
      </p>
      <ul className="note-list" aria-label={t('private.listLabel')} aria-describedby={helpId}>
        {drafts.map((draft) => (
          <DraftCard key={draft.id} draft={draft} />
        ))}
      </ul>
    </div>
  );
}

function DraftCard({ draft }: { draft: Note }) {
  const t = useT();
  const documentLanguage = useDocumentLanguage();
  const connection = useConnection();
  const editing = useUi((s) => s.editing === draft.id);
  const edit = useUi((s) => s.edit);
  const personal = connection.personal();
  const remove = (): void => {
    if (personal) deleteDraft(personal, draft.id);
  };
  return (
    <li className={`note note-${draft.colour} draft`} data-draft-id={draft.id}>
      <span className="draft-badge" id={`draft-badge-${draft.id}`}>
        {t('private.badge')}
      </span>
      {editing ? (
        // Unlike a note's editor, a draft's tells nobody (through presence) what is being edited.
        <TextEditor
          initial={draft.text}
          label={t('note.text')}
          onDone={(text) => {
            // A new draft left empty (or cancelled) is not kept, like a note.
            if (draft.text === '' && !text) remove();
            else if (text && text !== draft.text && personal) setDraftText(personal, draft.id, text);
            edit(null);
          }}
        />
      ) : (
        <button
          type="button"
          className="note-body"
          lang={documentLanguage}
          aria-describedby={`draft-badge-${draft.id}`}
          onClick={() => edit(draft.id)}
        >
          {draft.text}
        </button>
      )}
      {!editing && (
        <button
          type="button"
          className="icon-button danger draft-delete"
          aria-label={t('private.delete', { text: draft.text })}
          onClick={remove}
        >
          ×
        </button>
      )}
    </li>
  );
}
