/**
 * Updates whose dependencies never arrive (#10, finding 3). Yjs keeps such an update aside
 * ("pending") until what it builds on arrives, and `Y.encodeStateAsUpdate` (a joiner's sync step
 * 2, a compaction) includes it. A participant can send megabytes of them: the server must never
 * relay or store them, and hold only a bounded amount aside, so that everyone else keeps syncing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readMeta } from '../../shared/model/read';
import type { RunningServer } from '../server';
import { passedThrough, startWorkshop, synced, TestBed, until, type TestClient } from '../test-support';
import { MAX_HELD_UPDATE_BYTES } from './held-updates';

const ROOM = 'room-p';

const bed = new TestBed();
afterEach(() => bed.cleanUp());

/**
 * Two updates of one client's text: `first` inserts a character, `rest` appends `bytes` more
 * characters after it, so `rest` alone cannot be integrated anywhere.
 */
function dependentUpdates(bytes: number, text = 'x'): { first: Uint8Array; rest: Uint8Array } {
  const doc = new Y.Doc();
  const t = doc.getText('t');
  t.insert(0, 'a');
  const first = Y.encodeStateAsUpdate(doc);
  const before = Y.encodeStateVector(doc);
  t.insert(1, text.repeat(Math.ceil(bytes / text.length)).slice(0, bytes));
  return { first, rest: Y.encodeStateAsUpdate(doc, before) };
}

/**
 * A stock participant client whose document holds `orphan` (an update missing what it builds on):
 * its sync step 2 carries it to the server. Resolves once the server has handled it.
 */
async function sendOrphan(
  server: RunningServer,
  observer: TestClient,
  orphan: Uint8Array,
  waiting: 'structs' | 'deletes' = 'structs',
): Promise<void> {
  const sender = bed.connect(server, ROOM);
  Y.applyUpdate(sender.doc, orphan);
  expect(waiting === 'structs' ? sender.doc.store.pendingStructs : sender.doc.store.pendingDs).not.toBeNull();
  await synced(sender);
  await passedThrough(sender, observer);
  sender.provider.destroy();
}

/** Bytes of everything a client's document would send or save. */
function stateBytes(client: TestClient): number {
  return Y.encodeStateAsUpdate(client.doc).byteLength;
}

describe('updates whose dependencies never arrive', () => {
  it('are never relayed: a joiner receives none of them', async () => {
    const server = await bed.start();
    const observer = bed.connect(server, ROOM);
    await synced(observer);
    await sendOrphan(server, observer, dependentUpdates(200_000).rest);
    const joiner = bed.connect(server, ROOM);
    await synced(joiner);
    expect(joiner.doc.store.pendingStructs).toBeNull();
    expect(stateBytes(joiner)).toBeLessThan(1000);
    expect(stateBytes(observer)).toBeLessThan(1000);
  });

  it('are never stored: after the room was compacted and the server restarted, a joiner receives none', async () => {
    const dataDir = bed.dir();
    const first = await bed.start({ dataDir, compactAfter: 1 });
    const observer = bed.connect(first, ROOM);
    await synced(observer);
    observer.doc.getMap('m').set('kept', 'yes');
    await sendOrphan(first, observer, dependentUpdates(100_000).rest);
    observer.provider.destroy();
    await bed.stop(first);
    const second = await bed.start({ dataDir });
    const joiner = bed.connect(second, ROOM);
    await synced(joiner);
    expect(joiner.doc.getMap('m').get('kept')).toBe('yes');
    expect(joiner.doc.store.pendingStructs).toBeNull();
    expect(stateBytes(joiner)).toBeLessThan(1000);
  });

  it('are not imported: a workshop file carrying them opens without them', async () => {
    const server = await bed.start();
    const saved = new Y.Doc();
    startWorkshop(saved, 'Imported');
    Y.applyUpdate(saved, dependentUpdates(100_000).rest);
    expect(saved.store.pendingStructs).not.toBeNull();
    const link = new URL(server.organiserLink());
    const organiser = new URLSearchParams(link.hash.slice(link.hash.indexOf('?'))).get('organiser') ?? '';
    const res = await fetch(`${server.url}/api/workshops/import`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${organiser}`, 'Content-Type': 'application/octet-stream' },
      body: new Uint8Array(Y.encodeStateAsUpdate(saved)),
    });
    expect(res.status).toBe(201);
    const { room } = (await res.json()) as { room: string };
    const joiner = bed.connect(server, room);
    await synced(joiner);
    expect(readMeta(joiner.doc).title).toBe('Imported');
    expect(joiner.doc.store.pendingStructs).toBeNull();
    expect(stateBytes(joiner)).toBeLessThan(20_000);
  });

  it('do not lock out a client that synced once: it reconnects and syncs, never closed', async () => {
    // Frames of at most 64 KiB; two senders leave 80 KiB of updates that wait for what is missing.
    const server = await bed.start({ limits: { maxMessageBytes: 64 * 1024 } });
    const observer = bed.connect(server, ROOM);
    await synced(observer);
    await sendOrphan(server, observer, dependentUpdates(40_000, 'y').rest);
    await sendOrphan(server, observer, dependentUpdates(40_000, 'z').rest);
    const participant = bed.connect(server, ROOM);
    await synced(participant);
    const closes: number[] = [];
    participant.provider.on('connection-close', (event: CloseEvent | null) => closes.push(event?.code ?? 0));
    participant.provider.disconnect();
    participant.doc.getMap('m').set('offline edit', 1);
    participant.provider.connect();
    await until(observer.doc, () => observer.doc.getMap('m').get('offline edit') === 1);
    expect(participant.provider.wsconnected).toBe(true);
    // Only its own disconnect: the server closed it for nothing.
    expect(closes.filter((code) => code >= 4000)).toEqual([]);
  });

  it('are held aside and integrated, then relayed, once the part they build on arrives', async () => {
    const server = await bed.start();
    const observer = bed.connect(server, ROOM);
    await synced(observer);
    const { first, rest } = dependentUpdates(1000);
    await sendOrphan(server, observer, rest);
    expect(observer.doc.getText('t').length).toBe(0);
    const late = bed.connect(server, ROOM);
    Y.applyUpdate(late.doc, first);
    await until(observer.doc, () => observer.doc.getText('t').length === 1001);
    const joiner = bed.connect(server, ROOM);
    await synced(joiner);
    expect(joiner.doc.getText('t').toJSON()).toBe(`a${'x'.repeat(1000)}`);
  });

  it('a deletion of items not there yet waits for them, then applies', async () => {
    const server = await bed.start();
    const observer = bed.connect(server, ROOM);
    await synced(observer);
    const doc = new Y.Doc();
    const text = doc.getText('t');
    text.insert(0, 'keep, drop');
    const whole = Y.encodeStateAsUpdate(doc);
    const before = Y.encodeStateVector(doc);
    text.delete(4, 6);
    const deletion = Y.encodeStateAsUpdate(doc, before);
    await sendOrphan(server, observer, deletion, 'deletes');
    const late = bed.connect(server, ROOM);
    Y.applyUpdate(late.doc, whole);
    await until(observer.doc, () => observer.doc.getText('t').toJSON() === 'keep');
    const joiner = bed.connect(server, ROOM);
    await synced(joiner);
    expect(joiner.doc.getText('t').toJSON()).toBe('keep');
  });

  it('are held only up to a bound per room; beyond it they are dropped', async () => {
    const server = await bed.start();
    const observer = bed.connect(server, ROOM);
    await synced(observer);
    for (const text of ['p', 'q', 'r'])
      await sendOrphan(server, observer, dependentUpdates(MAX_HELD_UPDATE_BYTES / 2, text).rest);
    const room = server.rooms.peek(ROOM);
    expect(room?.heldBytes).toBeGreaterThan(0);
    expect(room?.heldBytes).toBeLessThanOrEqual(MAX_HELD_UPDATE_BYTES);
    expect(room?.doc.store.pendingStructs).toBeNull();
  });
});
