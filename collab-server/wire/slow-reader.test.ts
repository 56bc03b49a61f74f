/**
 * A connection that asks for much and reads nothing (#10, review): every sync step 1 a client
 * sends is answered with the whole document, so a viewer that sends them by the hundred and stops
 * reading its socket had the server hold every answer in memory, without bound. A connection with
 * more than `maxOutboundBytes` waiting to be sent is cut; everyone else keeps working.
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
});
