/** Local UI state only (never document data): board shown, selection, zoom. */
import { create } from 'zustand';
import type { BoardKind, NoteId } from '../../shared';

type UiState = {
  board: BoardKind;
  showBoard: (board: BoardKind) => void;
  /** Selected notes (on the current board). */
  selection: readonly NoteId[];
  select: (ids: readonly NoteId[]) => void;
  toggle: (id: NoteId) => void;
  /** The note being edited in place, if any. */
  editing: NoteId | null;
  edit: (id: NoteId | null) => void;
  /**
   * What has been typed into a note's editor: kept here, so that the editor keeps it when its
   * card is drawn anew (someone moved the note to another lane while it was being edited).
   */
  draft: { readonly noteId: NoteId; readonly text: string } | null;
  setDraft: (noteId: NoteId, text: string) => void;
  /** Zoom of the visible canvas, for the status bar. */
  zoom: number;
  setZoom: (zoom: number) => void;
};

export const useUi = create<UiState>((set) => ({
  board: 'needs',
  showBoard: (board) => set({ board, selection: [], editing: null, draft: null }),
  selection: [],
  select: (selection) => set({ selection }),
  toggle: (id) =>
    set((s) => ({
      selection: s.selection.includes(id) ? s.selection.filter((x) => x !== id) : [...s.selection, id],
    })),
  editing: null,
  edit: (editing) => set((s) => ({ editing, draft: s.draft?.noteId === editing ? s.draft : null })),
  draft: null,
  setDraft: (noteId, text) => set({ draft: { noteId, text } }),
  zoom: 1,
  setZoom: (zoom) => set((s) => (s.zoom === zoom ? s : { zoom })),
}));
