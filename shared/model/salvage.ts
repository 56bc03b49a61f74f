/**
 * A person's own new items, kept across a reload. When the server refuses one of this device's
 * updates, the client drops its copy of the workshop and loads the server's afresh; with it would
 * go the notes, themes and actions this person added that the server has never had (their update
 * was the refused one, or the server lost it in a crash). They are written again into the fresh
 * copy, as this person's own new change, where the role policy still lets them add them.
 */
import * as Y from 'yjs';
import type { ActionId, NoteId, ThemeId } from '../ids';
import { isSingleBudget, writeActionPlan } from './plan';
import { readActions, readNotes, readOnlyReason, readThemes } from './read';
import { roots } from './roots';
import type { Action, Note, Theme } from './schema';
import { addAction, addNotes, createTheme, LOCAL_ORIGIN, type NewAction } from './write';

/** One item that may come back, for the caller to judge (the role policy's `add`). */
export type SalvageCandidate =
  | { readonly root: 'notes'; readonly item: Note }
  | { readonly root: 'themes'; readonly item: Theme }
  | { readonly root: 'actions'; readonly item: Action };

/** The ids written again into the fresh document, by root. */
export type Salvaged = {
  readonly notes: readonly NoteId[];
  readonly themes: readonly ThemeId[];
  readonly actions: readonly ActionId[];
};

/**
 * True when the server never had item `id` of `collection` in `previous`: `fresh` (the server's
 * state) has not seen the update that created it. An item the server had and then deleted (its
 * deletion not yet heard of here) is seen, and stays deleted.
 */
function neverStored(collection: Y.Map<unknown>, id: string, fresh: Y.Doc): boolean {
  const created = collection._map.get(id)?.id;
  return created !== undefined && created.clock >= Y.getState(fresh.store, created.client);
}

/**
 * Writes into `fresh` every note, theme and action of `previous` that `mine` says this person
 * wrote (by its author and id), that the server never had, and that `allowed` lets them add now,
 * with the same ids and fields: one transaction with the local origin, so that it is sent to the
 * server as this person's change and their undo takes it back. Themes go first, so that a
 * salvaged note stays in its salvaged theme. Returns the ids written.
 */
export function salvageOwnItems(
  previous: Y.Doc,
  fresh: Y.Doc,
  mine: (author: string, id: string) => boolean,
  allowed: (candidate: SalvageCandidate) => boolean,
): Salvaged {
  const salvaged = { notes: [] as NoteId[], themes: [] as ThemeId[], actions: [] as ActionId[] };
  // A workshop of a newer schema takes no change here.
  if (readOnlyReason(fresh)) return salvaged;
  const before = roots(previous);
  const after = roots(fresh);
  const wanted = <T extends { id: string; author: string | null }>(
    collection: 'notes' | 'themes' | 'actions',
    item: T,
  ): boolean =>
    item.author !== null &&
    !after[collection].has(item.id) &&
    neverStored(before[collection], item.id, fresh) &&
    mine(item.author, item.id);
  const themes = readThemes(previous).filter(
    (item) => wanted('themes', item) && allowed({ root: 'themes', item }),
  );
  const notes = readNotes(previous).filter(
    (item) => wanted('notes', item) && allowed({ root: 'notes', item }),
  );
  const actions = readActions(previous).filter(
    (item) => wanted('actions', item) && allowed({ root: 'actions', item }),
  );
  if (themes.length + notes.length + actions.length === 0) return salvaged;
  fresh.transact(() => {
    for (const theme of themes) {
      const { id, title, colour, x, y, order } = theme;
      salvaged.themes.push(
        createTheme(fresh, { id, title, colour, x, y, order, author: theme.author ?? '' }),
      );
    }
    for (const note of notes) salvaged.notes.push(...addNotes(fresh, note.boardId, [note]));
    for (const action of actions) {
      const id = addAction(fresh, asNewAction(action));
      writeActionPlan(fresh, id, action);
      salvaged.actions.push(id);
    }
  }, LOCAL_ORIGIN);
  return salvaged;
}

/** An action as written again. An end before its start (two people's edits) cannot be written: it is dropped. */
function asNewAction(action: Action): NewAction {
  const { start, end } = action;
  // A budget of funding lines of its own is written as those lines (writeActionPlan).
  const legacy = isSingleBudget(action.split);
  return {
    ...action,
    budgetCents: legacy ? action.budgetCents : 0,
    funding: legacy ? action.funding : '',
    author: action.author ?? '',
    end: start !== null && end !== null && end < start ? null : end,
  };
}
