/**
 * The version history's refusals say what happened (#10, review): a restore whose state before it
 * cannot be kept as a version (a full disk) changes nothing and says so, with 503, rather than
 * "The server could not do that." with 500.
 */
import { join as joinPath } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addNote, TEMPLATE_BOARD_IDS } from '../../shared';
import { signToken } from '../auth/tokens';
import { openLevelStorage, type DocumentStorage } from '../storage/level-storage';
import { noteTexts, startWorkshop, synced, TestBed, until, waitFor } from '../test-support';

const bed = new TestBed();
afterEach(() => bed.cleanUp());

const ROOM = 'history-errors';

describe('version history errors', () => {
  it('a restore that cannot first keep the current state as a version changes nothing and answers 503 in words', async () => {
    const dataDir = bed.dir();
    const level = await openLevelStorage(joinPath(dataDir, 'rooms'));
    let full = false;
    const storage: DocumentStorage = {
      ...level,
      putVersion: (room, info, state) =>
        full
          ? Promise.reject(Object.assign(new Error('IO error: No space left on device'), { code: 'ENOSPC' }))
          : level.putVersion(room, info, state),
    };
    const server = await bed.start({ dataDir, storage });
    const doc = new Y.Doc();
    startWorkshop(doc, 'Kept');
    addNote(doc, TEMPLATE_BOARD_IDS.needs, { text: 'First' });
    await server.rooms.create(ROOM, doc);
    const facilitator = signToken(server.signingKey, {
      room: ROOM,
      role: 'facilitator',
      name: 'Alice',
      ttlSeconds: 3600,
    });
    const alice = bed.connect(server, ROOM, { token: facilitator });
    await synced(alice);
    const list = async (): Promise<{ id: string }[]> =>
      (
        (await (
          await fetch(`${server.url}/api/workshops/${ROOM}/versions`, {
            headers: { Authorization: `Bearer ${facilitator}` },
          })
        ).json()) as { versions: { id: string }[] }
      ).versions;
    // The room opened without a version: its state then is the first.
    await waitFor('the first version', async () => (await list()).length === 1);
    const [first] = await list();
    addNote(alice.doc, TEMPLATE_BOARD_IDS.needs, { text: 'Second' });
    await waitFor('the note to reach the server', () =>
      noteTexts(server.rooms.peek(ROOM)?.doc ?? new Y.Doc()).includes('Second'),
    );
    full = true;
    const res = await fetch(`${server.url}/api/workshops/${ROOM}/versions/${first?.id}/restore`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${facilitator}` },
    });
    expect(res.status).toBe(503);
    const answer = (await res.json()) as { error: string; code: string; detail: string };
    expect(answer.error).toMatch(/could not .*store.*nothing was changed/i);
    expect([answer.code, answer.detail]).toEqual([
      'restore-not-stored',
      'the current state could not be kept as a version',
    ]);
    expect(noteTexts(server.rooms.peek(ROOM)?.doc ?? new Y.Doc())).toEqual(['First', 'Second']);
    full = false;
    await until(alice.doc, () => noteTexts(alice.doc).length === 2);
  });
});
