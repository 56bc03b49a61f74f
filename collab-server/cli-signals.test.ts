/**
 * Ctrl+C in a terminal signals the whole foreground process group: `npm run server` (and `npm run
 * web`) pass SIGINT on to the server, which has already had it from the terminal, so a server
 * stopping cleanly gets a second SIGINT at once (#13). It must go on storing, not die of it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildServerCli, removeDir, TestBed, waitFor } from './test-support';

const bed = new TestBed();
let cli = '';
let buildDir = '';
const children: ChildProcess[] = [];

beforeAll(async () => {
  ({ cli, dir: buildDir } = await buildServerCli('talkoo-cli-signals-'));
});
afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await bed.cleanUp();
});
afterAll(() => removeDir(buildDir));

describe('serve, stopped with Ctrl+C', () => {
  it('stores and exits 0 when SIGINT comes again while it stops, as the terminal and a launcher both send it', async () => {
    const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--data-dir', bed.dir()], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await waitFor('the server to listen', () => /listening on http/.test(stderr));
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    // The terminal's SIGINT, then the launcher's, and more while it stores (a user pressing again).
    const again = setInterval(() => child.kill('SIGINT'), 1);
    child.kill('SIGINT');
    const ended = await exit.finally(() => clearInterval(again));
    expect(ended).toEqual({ code: 0, signal: null });
  });
});
