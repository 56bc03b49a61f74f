/**
 * Recovery files are replayed only from folders this server's user alone may write (#10, review).
 * The second place, `<temp folder>/talkoo-recovery-<hash of the data folder>`, has a name anyone
 * can work out in a folder everyone shares: another user of the machine could make it first, read
 * what the server writes there, and leave a file the next start replays into any workshop.
 */
import { chmodSync, chownSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addNote, TEMPLATE_BOARD_IDS } from '../../shared';
import { noteTexts, startWorkshop, synced, TestBed } from '../test-support';
import { recoveryDirs } from './recovery';

const bed = new TestBed();
const tmp = process.env.TMPDIR;
afterEach(async () => {
  await bed.cleanUp();
  if (tmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = tmp;
});

/** A recovery file that adds a note to `room`. */
function plantedFile(room: string): string {
  const doc = new Y.Doc();
  startWorkshop(doc, 'Planted');
  addNote(doc, TEMPLATE_BOARD_IDS.needs, { text: 'Planted by someone else' });
  const rooms = { [room]: Buffer.from(Y.encodeStateAsUpdate(doc)).toString('base64') };
  return JSON.stringify({ talkooRecovery: 1, written: new Date().toISOString(), rooms });
}

describe('recovery folders', () => {
  it('a temp recovery folder made by someone else, or that others may write, is not replayed', async () => {
    process.env.TMPDIR = bed.dir();
    const dataDir = bed.dir();
    const [, shared] = recoveryDirs(dataDir) as [string, string];
    mkdirSync(shared);
    writeFileSync(
      join(shared, '2026-01-01T00-00-00-000Z-aaaaaaaa.talkoo-recovery.json'),
      plantedFile('room'),
    );
    const others = process.getuid?.() === 0;
    // As root the test can make the folder another user's; otherwise one that anyone may write.
    if (others) chownSync(shared, 4242, 4242);
    else chmodSync(shared, 0o777);

    const server = await bed.start({ dataDir });
    const client = bed.connect(server, 'room', 'participant');
    await synced(client);
    expect(noteTexts(client.doc)).toEqual([]);
    // The planted file is left where it is.
    expect(readdirSync(shared)).toHaveLength(1);
  });
});
