/**
 * Updates held aside cost their sender (#10, review): each update that waits for what it builds on
 * is merged with everything the room already holds aside (up to 1 MiB), so a participant sending
 * tiny such updates made the server merge a megabyte per frame, hundreds of times a second, which
 * stalls every room of the server. That work is paid from the sender's byte rate now, like the
 * bytes it sends: the sender is slowed, everyone else is not.
 */
import * as encoding from 'lib0/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { addNote, TEMPLATE_BOARD_IDS } from '../../shared';
import { joinedSocket, startWorkshop, synced, TestBed, tokenFor, waitFor } from '../test-support';

const bed = new TestBed();
afterEach(() => bed.cleanUp());

const ROOM = 'held-cost';

/** An update frame of `client` whose text builds on a character the server never receives. */
function orphanFrame(client: number, bytes: number): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = client;
  const text = doc.getText('orphan');
  text.insert(0, 'a');
  const before = Y.encodeStateVector(doc);
  text.insert(1, 'b'.repeat(bytes));
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  syncProtocol.writeUpdate(encoder, Y.encodeStateAsUpdate(doc, before));
  return encoding.toUint8Array(encoder);
}

describe('updates held aside', () => {
  it('slow down the facilitator who sends them, not the room', async () => {
    const server = await bed.start({ limits: { bytesPerSecond: 64 * 1024, byteBurst: 2 * 1024 * 1024 } });
    const doc = new Y.Doc();
    startWorkshop(doc, 'Held');
    await server.rooms.create(ROOM, doc);
    // Facilitators: a participant's update that builds on what the room lacks is refused by the
    // role policy (shared/policy, 'unknown-change'), never held aside.
    const alice = bed.connect(server, ROOM, 'facilitator');
    await synced(alice);
    const mallory = await joinedSocket(server, ROOM, tokenFor(server, ROOM, 'facilitator'));
    const seen: string[] = [];
    mallory.on('message', (data: Buffer) => {
      // [0, 1]: the answer to Mallory's sync step 1; [0, 2]: an update, Alice's note.
      if (data[0] === 0 && data[1] === 1) seen.push('answer');
      if (data[0] === 0 && data[1] === 2) seen.push('note');
    });
    mallory.send(orphanFrame(1_000_000, 900 * 1024));
    for (let i = 1; i <= 50; i++) mallory.send(orphanFrame(1_000_000 + i, 8));
    // Then a sync step 1: its answer tells how far the server got with Mallory's frames.
    mallory.send(new Uint8Array([0, 0, 1, 0]));
    await waitFor('the first held update', () => (server.rooms.peek(ROOM)?.heldBytes ?? 0) > 0);
    addNote(alice.doc, TEMPLATE_BOARD_IDS.needs, { text: 'Meanwhile' });
    await waitFor('Alice’s note to reach Mallory', () => seen.includes('note'));
    // Each tiny frame cost a merge of 900 KiB: Mallory's budget ran out long before the last.
    expect(seen.indexOf('answer') === -1 || seen.indexOf('answer') > seen.indexOf('note')).toBe(true);
    mallory.close();
  });
});
