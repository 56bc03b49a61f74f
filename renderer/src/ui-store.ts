/** Local UI state only (never document data): which board is shown. */
import { create } from 'zustand';
import type { BoardKind } from '../../shared';

type UiState = {
  board: BoardKind;
  showBoard: (board: BoardKind) => void;
};

export const useUi = create<UiState>((set) => ({
  board: 'needs',
  showBoard: (board) => set({ board }),
}));
