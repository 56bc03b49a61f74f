/**
 * The workshop the model's tests start from: a Finnish workshop with the three method boards,
 * created at a fixed time, and the needs board and two participants they use. Used by tests only (not named `*.test.ts`, so it runs no tests itself).
 */
import * as Y from 'yjs';
import type { ParticipantId } from '../ids';
import { createWorkshop, TEMPLATE_BOARD_IDS } from './write';

/** The workshop's needs board. */
export const needs = TEMPLATE_BOARD_IDS.needs;
/** Two participants, by identity id. */
export const alice = 'alice' as ParticipantId;
export const bob = 'bob' as ParticipantId;

/** A new document holding the workshop 'Työpaja' (Finnish, the three boards, fixed creation time). */
export function newWorkshop(): Y.Doc {
  const doc = new Y.Doc();
  createWorkshop(doc, {
    title: 'Työpaja',
    language: 'fi',
    boardTitles: { needs: 'Tarpeet', themes: 'Teemat', actions: 'Toimenpiteet' },
    created: '2026-11-22T10:00:00.000Z',
  });
  return doc;
}
