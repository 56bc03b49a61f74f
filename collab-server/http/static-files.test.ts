/**
 * The web client's files (#10, finding 6): a file that cannot be read after it was found (here a
 * link to /proc/self/mem, whose first page cannot be read) ends that one response, and the server
 * goes on serving; before, the stream had no error handler and its error ended the process.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../server';
import { rawHttpStatus, removeDir, startTestServer, tempDir } from '../test-support';

describe.skipIf(process.platform !== 'linux')('static files that cannot be read', () => {
  let server: RunningServer;
  let dir = '';
  beforeAll(async () => {
    dir = tempDir();
    const staticDir = join(dir, 'static');
    mkdirSync(staticDir);
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Talkoo</title>');
    symlinkSync('/proc/self/mem', join(staticDir, 'unreadable.js'));
    server = await startTestServer({ staticDir });
  });
  afterAll(async () => {
    await server?.close();
    removeDir(dir);
  });

  it('ends that response and keeps serving', async () => {
    for (let i = 0; i < 3; i++) {
      // The response ends early (headers were sent): reading it may fail, which is fine here.
      await fetch(`${server.url}/unreadable.js`)
        .then((response) => response.arrayBuffer())
        .catch(() => null);
    }
    expect(await rawHttpStatus(server, '/')).toBe(200);
    expect(await rawHttpStatus(server, '/healthz')).toBe(200);
  });
});
