/**
 * The command-line server outlives whoever reads its log (#10, review): `serve` logs JSON lines on
 * stdout, and when that pipe's reader went away (a log shipper restarted, `| head`), the next log
 * line's EPIPE was an unhandled 'error' that ended the server mid-workshop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { buildServerCli, removeDir, TestBed, waitFor } from './test-support';

const bed = new TestBed();
let cli = '';
let buildDir = '';
const children: ChildProcess[] = [];

beforeAll(async () => {
  ({ cli, dir: buildDir } = await buildServerCli('talkoo-cli-stdout-'));
});
afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await bed.cleanUp();
});
afterAll(() => removeDir(buildDir));

describe('serve with a log reader that goes away', () => {
  it('keeps serving after its stdout pipe is closed', async () => {
    const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--data-dir', bed.dir()], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let exited = false;
    child.once('exit', () => (exited = true));
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await waitFor('the server to listen', () => /listening on (http:\/\/\S+)/.test(stderr));
    const url = /listening on (http:\/\/\S+)/.exec(stderr)?.[1] ?? '';
    // The log's reader goes away.
    child.stdout?.destroy();
    // Each refused connection is a log line.
    for (let i = 0; i < 5; i++) {
      const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/room`);
      ws.on('error', () => undefined);
      await new Promise((resolve) => ws.once('close', resolve));
    }
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(exited).toBe(false);
    await waitFor('the server to say its log stopped', () => /log cannot be written to stdout/.test(stderr));
  });
});
