/**
 * The link book cannot stop the server (#10, review): it is read before every token check and
 * every two seconds, and a read that failed (the file replaced by an operator, no file handle
 * left) threw out of a timer or a connection's start, which ends the process. Now the failure is
 * a warning (once), the book keeps what it read, and tokens are still checked.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, it } from 'vitest';
import { LINK_BOOK_FILE } from './link-book';
import { synced, TestBed } from '../test-support';

const bed = new TestBed();
afterEach(() => bed.cleanUp());

describe('a link book that cannot be read', () => {
  it('does not end the server: links still join', async () => {
    const dataDir = bed.dir();
    const server = await bed.start({ dataDir });
    server.organiserToken();
    // An operator moves the book away and something else takes its name.
    rmSync(join(dataDir, LINK_BOOK_FILE));
    mkdirSync(join(dataDir, LINK_BOOK_FILE));
    const client = bed.connect(server, 'room', 'participant');
    await synced(client);
    const again = bed.connect(server, 'room', 'viewer');
    await synced(again);
  });
});
