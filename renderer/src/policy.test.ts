import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addNote,
  anonymousTag,
  createWorkshop,
  setAnonymous,
  setBoardLocked,
  TEMPLATE_BOARD_IDS,
  type NoteId,
} from '../../shared';
import { workshopView } from '../../shared/policy/view';
import { policyOf } from './policy';

const needs = TEMPLATE_BOARD_IDS.needs;
const bob = { role: 'participant', id: 'p-bob', authorKey: 'bob-key' } as const;

function workshop(): Y.Doc {
  const doc = new Y.Doc();
  createWorkshop(doc, {
    title: 'Roles',
    language: 'en',
    boardTitles: { needs: 'Needs', themes: 'Themes', actions: 'Actions' },
  });
  return doc;
}

describe('the policy the page asks', () => {
  it('lets a participant delete what they wrote and not what the facilitator wrote', () => {
    const doc = workshop();
    const view = workshopView(doc);
    const policy = policyOf(bob, view, false);
    const mine = addNote(doc, needs, { id: 'n-1' as NoteId, text: 'mine', author: policy.authorFor('n-1') })!;
    const theirs = addNote(doc, needs, { text: 'theirs', author: 'p-alice' })!;
    expect(policy.may({ kind: 'delete', root: 'notes', id: mine })).toBe(true);
    expect(policy.refusal({ kind: 'delete', root: 'notes', id: theirs })).toBe('not-yours');
  });

  it('answers from the document as it stands: a board locked since says so', () => {
    const doc = workshop();
    const policy = policyOf(bob, workshopView(doc), false);
    expect(policy.may({ kind: 'add', root: 'notes', boardId: needs })).toBe(true);
    setBoardLocked(doc, needs, true);
    expect(policy.refusal({ kind: 'add', root: 'notes', boardId: needs })).toBe('board-locked');
  });

  it('writes an anonymous tag per item in an anonymous workshop, and says authors are hidden', () => {
    const doc = workshop();
    setAnonymous(doc, true);
    const policy = policyOf(bob, workshopView(doc), false);
    expect(policy.anonymous).toBe(true);
    expect(policy.authorFor('n-1')).toBe(anonymousTag('bob-key', 'n-1'));
    expect(policy.authorFor('n-2')).not.toBe(policy.authorFor('n-1'));
  });

  it('offers nothing at all in a document of a newer schema, not even to the facilitator', () => {
    const facilitator = { role: 'facilitator', id: 'p-alice', authorKey: null } as const;
    const policy = policyOf(facilitator, workshopView(workshop()), true);
    expect(policy.may({ kind: 'add', root: 'notes', boardId: needs })).toBe(false);
    expect(policy.may({ kind: 'facilitate' })).toBe(false);
  });
});
