// The real launchers (build/talkoo.mjs, build/server.mjs): after a source changed, calls started
// side by side both rebuild and both succeed, leaving no temporary file; a call when the build is
// fresh runs it as it is (the built file is not rewritten).
import { execFile } from 'node:child_process';
import { accessSync, constants, readFileSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { removeDir, tempDir } from '../test-support';

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cliOut = join(root, 'dist', 'cli', 'talkoo.mjs');
const serverOut = join(root, 'dist', 'server', 'cli.mjs');

function node(script: string, args: readonly string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [join(root, 'build', script), ...args], { cwd: root });
}

function identity(path: string): { ino: number; mtimeMs: number } {
  const info = statSync(path);
  return { ino: info.ino, mtimeMs: info.mtimeMs };
}

function leftovers(folder: string): string[] {
  return readdirSync(folder).filter((name) => name.endsWith('.tmp'));
}

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) removeDir(dir);
  dirs = [];
});

describe('launchers', () => {
  it('talkoo: two calls after a source changed both rebuild and succeed; a fresh call does not rebuild', async () => {
    const source = join(root, 'collab-server', 'commands', 'args.ts');
    const now = new Date();
    utimesSync(source, now, now);

    const calls = await Promise.all([node('talkoo.mjs', ['--help']), node('talkoo.mjs', ['--help'])]);
    for (const call of calls) expect(call.stdout).toContain('talkoo import FILE --out W.talkoo');
    expect(statSync(cliOut).mtimeMs).toBeGreaterThan(statSync(source).mtimeMs);
    expect(leftovers(dirname(cliOut))).toEqual([]);

    const before = identity(cliOut);
    const again = await node('talkoo.mjs', ['--help']);
    expect(again.stdout).toContain('talkoo export W.talkoo');
    expect(identity(cliOut)).toEqual(before);
  });

  it('talkoo: passes on the exit code and the message of a failed command', async () => {
    const failed = await node('talkoo.mjs', ['export', 'w.talkoo', '--out', 'x.md', '--colour', 'red']).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed).toMatchObject({
      code: 2,
      stderr: 'talkoo: unknown option --colour for export (see talkoo --help)\n',
    });
  });

  it('server: two token calls side by side with a stale build both succeed; a fresh call does not rebuild', async () => {
    // The server's build made stale by dating it back, not by touching a source of the server's.
    // A data folder per call: this is about the build, not two servers sharing one key file.
    const [one, two] = [tempDir('talkoo-launcher-'), tempDir('talkoo-launcher-')];
    dirs.push(one, two);
    try {
      utimesSync(serverOut, new Date(2000, 0, 1), new Date(2000, 0, 1));
    } catch {
      // not built yet: stale all the same
    }
    const args = (dataDir: string): string[] => ['token', '--role', 'organiser', '--data-dir', dataDir];
    const calls = await Promise.all([node('server.mjs', args(one)), node('server.mjs', args(two))]);
    for (const call of calls) expect(JSON.parse(call.stdout)).toHaveProperty('token');
    expect(leftovers(dirname(serverOut))).toEqual([]);

    const before = identity(serverOut);
    const again = await node('server.mjs', args(one));
    expect((JSON.parse(again.stdout) as { url: string }).url).toContain('organiser=');
    expect(identity(serverOut)).toEqual(before);
  });

  it('each command the package installs (bin) runs from a shell and prints its usage with --help', async () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
    };
    expect(Object.keys(manifest.bin).sort()).toEqual(['talkoo', 'talkoo-server']);
    for (const file of Object.values(manifest.bin)) {
      const script = join(root, file);
      expect(readFileSync(script, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
      accessSync(script, constants.X_OK);
      // Run as a shell would: the file itself, not `node file`.
      const { stdout } = await run(script, ['--help'], { cwd: root });
      expect(stdout).toMatch(/^Usage:/);
    }
  });
});
