import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { UnsavedChanges } from './unsaved-changes';

/** Frames as y-websocket sends them: [0 = sync, 1 = step 2 | 2 = update, payload]. */
function frame(kind: 'step2' | 'update' | 'step1'): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap('m').set('k', 1);
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  if (kind === 'step1') syncProtocol.writeSyncStep1(encoder, doc);
  else if (kind === 'step2') syncProtocol.writeSyncStep2(encoder, doc);
  else syncProtocol.writeUpdate(encoder, Y.encodeStateAsUpdate(doc));
  return encoding.toUint8Array(encoder);
}

/** A local change made while a socket is open: the provider sends it in its own frame. */
function changeSent(changes: UnsavedChanges): void {
  changes.changed();
  changes.sent(frame('update'));
  changes.settled();
}

/** A local change made with no socket. */
function changeKept(changes: UnsavedChanges): void {
  changes.changed();
  changes.settled();
}

describe('UnsavedChanges', () => {
  it('counts a change sent online until the server says its frame is stored', () => {
    const changes = new UnsavedChanges(0);
    changes.connected();
    changes.sent(frame('step1'));
    changes.sent(frame('step2'));
    changeSent(changes);
    changeSent(changes);
    expect(changes.count()).toBe(2);
    expect(changes.acknowledged(1)).toBe(false); // the sync step 2 carried none of them
    expect(changes.acknowledged(2)).toBe(true);
    expect(changes.count()).toBe(1);
    changes.acknowledged(3);
    expect(changes.count()).toBe(0);
  });

  it('sends changes made offline, and those of a socket closed unacknowledged, in the next sync step 2', () => {
    const changes = new UnsavedChanges(2); // two from an earlier session, in the local copy
    changeKept(changes);
    changes.connected();
    changeSent(changes); // frame 1, before the sync: carries only itself
    changes.sent(frame('step2')); // frame 2: the three that no frame carried
    expect(changes.count()).toBe(4);
    changes.acknowledged(1);
    expect(changes.count()).toBe(3);
    // The socket closes before frame 2 is acknowledged: its changes wait for the next socket.
    changes.connected();
    changes.acknowledged(1); // an acknowledgement counts frames of the new socket only
    expect(changes.count()).toBe(3);
    changes.sent(frame('step2'));
    changes.acknowledged(1);
    expect(changes.count()).toBe(0);
  });

  it('ignores acknowledgements of frames it never sent and counts that do not grow', () => {
    const changes = new UnsavedChanges(0);
    changes.connected();
    changeSent(changes);
    expect(changes.acknowledged(5)).toBe(true);
    expect(changes.count()).toBe(0);
    changeSent(changes);
    expect(changes.acknowledged(1)).toBe(false);
    expect(changes.count()).toBe(1);
  });

  it('with a server that does not acknowledge, counts a change as saved once it is sent', () => {
    const changes = new UnsavedChanges(1);
    changes.connected();
    changes.withoutAcknowledgements();
    expect(changes.confirmsSaves()).toBe(false);
    changeKept(changes);
    changes.connected();
    changes.sent(frame('step2'));
    expect(changes.count()).toBe(0);
    changeSent(changes);
    expect(changes.count()).toBe(0);
  });
});
