/**
 * A connection that asks for much and reads nothing (#10, review): every sync step 1 a client
 * sends is answered with the whole document, so a viewer that sends them by the hundred and stops
 * reading its socket had the server hold every answer in memory, without bound. A connection with
 * more than `maxOutboundBytes` waiting to be sent is cut; everyone else keeps working. And what a
 * connection's requests make the server send counts against its byte rate, like what it sends.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addNote, TEMPLATE_BOARD_IDS } from '../../shared';
import {
  joinedSocket,
  noteTexts,
  startWorkshop,
  synced,
  TestBed,
  tokenFor,
  until,
  waitFor,
} from '../test-support';

const bed = new TestBed();
afterEach(() => bed.cleanUp());

const ROOM = 'slow-reader';
/** A sync step 1 with an empty state vector: "send me everything". */
const ASK_ALL = new Uint8Array([0, 0, 1, 0]);

describe('a connection that does not read', () => {
  it('is cut once more than maxOutboundBytes wait for it, and the others keep syncing', async () => {
    const server = await bed.start({ limits: { maxOutboundBytes: 1024 * 1024 } });
    const doc = new Y.Doc();
    startWorkshop(doc, 'Big board');
    addNote(doc, TEMPLATE_BOARD_IDS.needs, { text: 'x'.repeat(256 * 1024) });
    await server.rooms.create(ROOM, doc);
    const alice = bed.connect(server, ROOM, 'facilitator');
    await synced(alice);

    const viewer = await joinedSocket(server, ROOM, tokenFor(server, ROOM, 'viewer'));
    let closed = false;
    viewer.on('close', () => (closed = true));
    viewer.pause();
    for (let i = 0; i < 200; i++) viewer.send(ASK_ALL);
    await waitFor('the viewer to be cut off', () => server.rooms.peek(ROOM)?.size === 1);
    expect(server.metrics.render({ connections: 1, rooms: 1 })).toMatch(/reason="slow-reader"/);

    const bob = bed.connect(server, ROOM, 'participant');
    await synced(bob);
    addNote(alice.doc, TEMPLATE_BOARD_IDS.needs, { text: 'After the flood' });
    await until(bob.doc, () => noteTexts(bob.doc).includes('After the flood'));
    viewer.resume();
    await waitFor('the viewer to see its socket closed', () => closed);
  });

  it('pays for the answers to its requests from its byte rate: asking for the whole board again and again is slowed', async () => {
    const server = await bed.start({ limits: { bytesPerSecond: 16 * 1024, byteBurst: 300 * 1024 } });
    const doc = new Y.Doc();
    startWorkshop(doc, 'Big board');
    addNote(doc, TEMPLATE_BOARD_IDS.needs, { text: 'x'.repeat(256 * 1024) });
    await server.rooms.create(ROOM, doc);
    const alice = bed.connect(server, ROOM, 'facilitator');
    await synced(alice);
    const viewer = await joinedSocket(server, ROOM, tokenFor(server, ROOM, 'viewer'));
    let answers = 0;
    let answersBeforeNote: number | null = null;
    const twoAnswers = new Promise<void>((resolve) =>
      viewer.on('message', (data: Buffer) => {
        // [0 = sync, 1 = step 2]: the whole board, in answer to a request; [0, 2]: Alice's change.
        if (data[0] === 0 && data[1] === 1 && ++answers === 2) resolve();
        if (data[0] === 0 && data[1] === 2) answersBeforeNote ??= answers;
      }),
    );
    // Four bytes each, well within the frame rate; each answer is the whole 256 KiB board.
    for (let i = 0; i < 50; i++) viewer.send(ASK_ALL);
    await twoAnswers;
    addNote(alice.doc, TEMPLATE_BOARD_IDS.needs, { text: 'Meanwhile' });
    await waitFor('Alice’s note to reach the viewer', () => answersBeforeNote !== null);
    // The second answer overdrew the viewer's budget: the rest wait for it to refill, while
    // everyone's changes still reach the viewer at once.
    expect(answersBeforeNote).toBeLessThan(50);
    viewer.close();
  });
});
