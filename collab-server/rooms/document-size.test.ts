/**
 * How large a workshop may grow, and that every limit on the way agrees (#10, finding 3): a
 * workshop of the largest size syncs whole from an offline copy in one frame, saves as a
 * `.talkoo` file, and that file imports again; a change that would grow a room beyond its size
 * is refused with a permanent reason, and only its sender is closed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CLOSE, PERMANENT_CLOSE_CODES } from '../../shared/close-codes';
import { MAX_DOCUMENT_BYTES } from '../../shared/limits';
import { readMeta } from '../../shared/model/read';
import { decodeWorkshopFile, encodeWorkshopFile, MAX_WORKSHOP_STATE_BYTES } from '../../shared/workshop-file';
import { MAX_IMPORT_BYTES } from '../http/api';
import type { RunningServer } from '../server';
import { DEFAULT_LIMITS } from '../wire/limits';
import { refused, startWorkshop, synced, TestBed, until, type TestClient } from '../test-support';

const ROOM = 'room-s';

const bed = new TestBed();
afterEach(() => bed.cleanUp());

/** The room and token of a join link (`…/#/w/ROOM?token=…`). */
function fromJoinUrl(url: unknown): { room: string; token: string } {
  const match = /^#\/w\/([^?]+)\?token=(.+)$/.exec(new URL(String(url)).hash);
  if (!match?.[1] || !match[2]) throw new Error(`not a join link: ${String(url)}`);
  return { room: decodeURIComponent(match[1]), token: decodeURIComponent(match[2]) };
}

/** The organiser token inside the server's organiser login link. */
function organiserToken(server: RunningServer): string {
  const link = new URL(server.organiserLink());
  return new URLSearchParams(link.hash.slice(link.hash.indexOf('?'))).get('organiser') ?? '';
}

function bulkOf(client: TestClient): number {
  return client.doc.getText('bulk').length;
}

describe('the size of a workshop', () => {
  it('one largest size holds for the room, a frame, an import and a .talkoo file', () => {
    expect(DEFAULT_LIMITS.maxDocumentBytes).toBe(MAX_DOCUMENT_BYTES);
    expect(MAX_WORKSHOP_STATE_BYTES).toBe(MAX_DOCUMENT_BYTES);
    expect(MAX_IMPORT_BYTES).toBeGreaterThanOrEqual(MAX_WORKSHOP_STATE_BYTES);
    // A whole document in one sync frame (message type, sync type and length come first).
    expect(DEFAULT_LIMITS.maxMessageBytes).toBeGreaterThanOrEqual(MAX_DOCUMENT_BYTES + 16);
    // Such a frame may wait while its sender is over its rate, rather than close it.
    expect(DEFAULT_LIMITS.maxBacklogBytes).toBeGreaterThanOrEqual(DEFAULT_LIMITS.maxMessageBytes);
  });

  it('a workshop of nearly the largest size syncs whole from an offline copy, saves as a file and imports again', async () => {
    const server = await bed.start();
    const size = MAX_DOCUMENT_BYTES - 64 * 1024;
    // Written before the socket opens: everything goes in the client's one sync step 2.
    const offline = bed.connect(server, ROOM, 'facilitator');
    startWorkshop(offline.doc, 'Large');
    offline.doc.getText('bulk').insert(0, 'x'.repeat(size));
    const joiner = bed.connect(server, ROOM);
    await synced(joiner);
    await until(joiner.doc, () => bulkOf(joiner) === size);
    expect(offline.provider.wsconnected).toBe(true);

    const state = Y.encodeStateAsUpdate(joiner.doc);
    const file = encodeWorkshopFile(state, {
      title: 'Large',
      schemaVersion: readMeta(joiner.doc).schemaVersion,
    });
    const decoded = decodeWorkshopFile(file);
    if (!decoded.ok) throw new Error(decoded.error.message);
    const res = await fetch(`${server.url}/api/workshops/import`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${organiserToken(server)}`,
        'Content-Type': 'application/octet-stream',
      },
      body: new Uint8Array(decoded.value.state),
    });
    expect(res.status).toBe(201);
    const link = fromJoinUrl(((await res.json()) as { facilitatorUrl: string }).facilitatorUrl);
    const reopened = bed.connect(server, link.room, { token: link.token });
    await synced(reopened);
    expect(bulkOf(reopened)).toBe(size);
  });

  it('refuses a change that would grow the room beyond its size: its sender stops with tooLarge, others go on', async () => {
    const server = await bed.start({ limits: { maxDocumentBytes: 64 * 1024 } });
    const writer = bed.connect(server, ROOM);
    const reader = bed.connect(server, ROOM);
    await Promise.all([synced(writer), synced(reader)]);
    writer.doc.getText('bulk').insert(0, 'a'.repeat(40_000));
    await until(reader.doc, () => bulkOf(reader) === 40_000);
    const closed = refused(writer);
    writer.doc.getText('bulk').insert(0, 'b'.repeat(40_000));
    const { code, reason } = await closed;
    expect(code).toBe(CLOSE.tooLarge);
    expect(PERMANENT_CLOSE_CODES.has(code)).toBe(true);
    expect(reason).toMatch(/workshop/);
    // The others keep working, and nobody received the refused change.
    reader.doc.getMap('m').set('still', 'editing');
    const joiner = bed.connect(server, ROOM);
    await synced(joiner);
    await until(joiner.doc, () => joiner.doc.getMap('m').get('still') === 'editing');
    expect(bulkOf(joiner)).toBe(40_000);
    expect(bulkOf(reader)).toBe(40_000);
    // Deleting never grows a room: a room at its size can still be trimmed.
    reader.doc.getText('bulk').delete(0, 20_000);
    await until(joiner.doc, () => bulkOf(joiner) === 20_000);
  });
});
