/**
 * The stored acknowledgement (shared/stored-message.ts) with real y-websocket clients and LevelDB:
 * a client that asks is told how many of its updates are on disk, only once they are.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { addNote, TEMPLATE_BOARD_IDS } from '../../shared';
import { openLevelStorage, type DocumentStorage } from '../storage/level-storage';
import {
  hearStoredAcks,
  lastStoredAck,
  noteTexts,
  startWorkshop,
  synced,
  TestBed,
  type ServerAddress,
  type StoredAcks,
  type TestClient,
  until,
  waitFor,
} from '../test-support';

const ROOM = 'room-ack';

const bed = new TestBed();
afterEach(() => bed.cleanUp());

/** The notes stored on disk for ROOM. */
async function notesOnDisk(level: DocumentStorage): Promise<string[]> {
  const doc = new Y.Doc();
  const updates = await level.load(ROOM);
  if (updates.length) Y.applyUpdate(doc, Y.mergeUpdates(updates));
  return noteTexts(doc);
}

/** A writer on ROOM that asks for acknowledgements, once its new workshop is acknowledged. */
async function ackedWorkshop(server: ServerAddress): Promise<{ writer: TestClient; asking: StoredAcks }> {
  const writer = bed.connect(server, ROOM);
  const asking = hearStoredAcks(writer, true);
  await synced(writer);
  startWorkshop(writer.doc, 'Acked');
  await waitFor(
    'the workshop to be acknowledged',
    () => asking.sent > 0 && lastStoredAck(asking) === asking.sent,
  );
  return { writer, asking };
}

describe('stored acknowledgements', () => {
  it('tells a client that asked how many of its updates are stored, once they are on disk', async () => {
    const dataDir = bed.dir();
    const level = await openLevelStorage(join(dataDir, 'rooms'));
    // Writes wait at this gate until the test opens it.
    let open = (): void => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let writes = 0;
    const storage: DocumentStorage = {
      ...level,
      append: async (room, updates) => {
        writes++;
        await gate;
        await level.append(room, updates);
      },
    };
    const server = await bed.start({ dataDir, storage, flushMs: 20 });
    const writer = bed.connect(server, ROOM);
    const asking = hearStoredAcks(writer, true);
    const stock = bed.connect(server, ROOM);
    const silent = hearStoredAcks(stock, false);
    await Promise.all([synced(writer), synced(stock)]);

    startWorkshop(writer.doc, 'Acked');
    addNote(writer.doc, TEMPLATE_BOARD_IDS.needs, { text: 'one' });
    addNote(writer.doc, TEMPLATE_BOARD_IDS.needs, { text: 'two' });
    await until(stock.doc, () => noteTexts(stock.doc).length === 2);
    await waitFor('the write to start', () => writes > 0);
    // The server holds every change, but none is on disk yet: none is acknowledged.
    const unstored = asking.sent;
    expect(lastStoredAck(asking)).toBeLessThan(unstored);

    open();
    await waitFor('every update to be acknowledged', () => lastStoredAck(asking) === asking.sent);
    expect(asking.sent).toBe(unstored);
    expect(await notesOnDisk(level)).toEqual(['one', 'two']);
    // Counts only grow, one message per change of count.
    expect(asking.acks).toEqual([...asking.acks].sort((a, b) => a - b));
    expect(new Set(asking.acks).size).toBe(asking.acks.length);
    // The stock client is still connected and was never sent the extension.
    expect(stock.provider.wsconnected).toBe(true);
    expect(silent.acks).toEqual([]);
  });

  it('acknowledges nothing that could not be stored, and everything once it is', async () => {
    const dataDir = bed.dir();
    const level = await openLevelStorage(join(dataDir, 'rooms'));
    let failing = false;
    const storage: DocumentStorage = {
      ...level,
      append: async (room, updates) => {
        if (failing) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
        await level.append(room, updates);
      },
    };
    const server = await bed.start({ dataDir, storage, flushMs: 20 });
    const { writer, asking } = await ackedWorkshop(server);
    const before = lastStoredAck(asking);

    failing = true;
    addNote(writer.doc, TEMPLATE_BOARD_IDS.needs, { text: 'while the disk is full' });
    await waitFor('a storage error', () => server.metrics.storageErrors >= 2);
    expect(asking.sent).toBe(before + 1);
    expect(lastStoredAck(asking)).toBe(before);

    failing = false;
    await waitFor('the note to be acknowledged', () => lastStoredAck(asking) === before + 1);
    expect(await notesOnDisk(level)).toEqual(['while the disk is full']);
  });

  it('acknowledges an update held aside for what it builds on only once that arrives and both are stored', async () => {
    const dataDir = bed.dir();
    const level = await openLevelStorage(join(dataDir, 'rooms'));
    const server = await bed.start({ dataDir, storage: level, flushMs: 20 });
    const { writer, asking } = await ackedWorkshop(server);

    // Another replica's two notes, the second built on the first (as a client's keystrokes after
    // a reconnect build on what it sent before): the second arrives alone and is held aside.
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(writer.doc));
    const base = Y.encodeStateVector(other);
    addNote(other, TEMPLATE_BOARD_IDS.needs, { text: 'first' });
    const first = Y.encodeStateAsUpdate(other, base);
    const middle = Y.encodeStateVector(other);
    addNote(other, TEMPLATE_BOARD_IDS.needs, { text: 'second' });
    const second = Y.encodeStateAsUpdate(other, middle);
    const send = (update: Uint8Array): void => {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 0);
      syncProtocol.writeUpdate(encoder, update);
      writer.provider.ws?.send(encoding.toUint8Array(encoder));
    };
    send(second);
    const heldFrame = asking.sent;
    // A change of the writer's own, integrated at once, stored after the held one arrived.
    addNote(writer.doc, TEMPLATE_BOARD_IDS.needs, { text: 'mine' });
    await waitFor("the writer's own note to be on disk", async () =>
      (await notesOnDisk(level)).includes('mine'),
    );
    await waitFor(
      "the writer's note to be stored and acknowledged up to the held frame",
      () => server.rooms.unstored === 0,
    );
    // Its content is not on disk, so neither it nor anything after it is acknowledged.
    expect(await notesOnDisk(level)).not.toContain('second');
    expect(lastStoredAck(asking)).toBeLessThan(heldFrame);

    send(first);
    await waitFor('every frame to be acknowledged', () => lastStoredAck(asking) === asking.sent);
    expect(await notesOnDisk(level)).toEqual(expect.arrayContaining(['first', 'second', 'mine']));
  });
});
