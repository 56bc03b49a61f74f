/**
 * The policy's view of a workshop document (policy.ts), read from a Y.Doc as it stands. Cheap:
 * nothing is read until the policy asks, and the server makes one view per update.
 */
import * as Y from 'yjs';
import { CLIENTS_ROOT } from '../model/collisions';
import { bool, childMap, str } from '../model/fields';
import { roots } from '../model/roots';
import type { EntityRoot, Rules, WorkshopView } from './policy';

/** The default rules: participants may do all the policy allows them. */
export const OPEN_RULES: Rules = { editOthers: true, addThemes: true, addActions: true };

/** The facilitator's narrowing (facilitation key `rules`, a plain object), with defaults. */
export function readRules(facilitation: Y.Map<unknown>): Rules {
  const value = facilitation.get('rules');
  if (typeof value !== 'object' || value === null || value instanceof Y.AbstractType) return OPEN_RULES;
  const given = value as Record<string, unknown>;
  const flag = (key: keyof Rules): boolean => (typeof given[key] === 'boolean' ? given[key] : true);
  return { editOthers: flag('editOthers'), addThemes: flag('addThemes'), addActions: flag('addActions') };
}

/** A view of `doc` for the policy. */
export function workshopView(doc: Y.Doc): WorkshopView {
  const r = roots(doc);
  const { facilitation } = r;
  const lockedBoards = childMap(facilitation, 'lockedBoards');
  const isLocked = (id: string): boolean => lockedBoards?.get(id) === true;
  const entity = (root: EntityRoot, id: string): Y.Map<unknown> | undefined => {
    const value = r[root].get(id);
    return value instanceof Y.Map ? (value as Y.Map<unknown>) : undefined;
  };
  return {
    get locked() {
      return bool(facilitation, 'locked');
    },
    get privateWriting() {
      return bool(facilitation, 'privateWriting');
    },
    get anonymous() {
      return bool(facilitation, 'anonymous');
    },
    get rules() {
      return readRules(facilitation);
    },
    boardLocked: isLocked,
    kindLocked(kind) {
      let locked = false;
      lockedBoards?.forEach((on, id) => {
        const board = r.boards.get(id);
        if (on === true && board instanceof Y.Map && board.get('kind') === kind) locked = true;
      });
      return locked;
    },
    authorOf(root, id) {
      const item = entity(root, id);
      return item ? str(item, 'author') : undefined;
    },
    boardOf(noteId) {
      const note = entity('notes', noteId);
      return note ? str(note, 'boardId') : undefined;
    },
    actionKeys(actionId, prefix) {
      const keys: string[] = [];
      entity('actions', actionId)?.forEach((_value, key) => {
        if (key.startsWith(prefix)) keys.push(key);
      });
      return keys;
    },
    clientRecord(key) {
      return doc.getMap(CLIENTS_ROOT).get(key);
    },
  };
}
