import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

/** The launchers' freshness check (plain JavaScript, so typed here by hand). */
const { isFresh } = (await import(new URL('./fresh-build.mjs', import.meta.url).href)) as {
  isFresh: (part: 'server' | 'cli', root: string) => boolean;
};

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** Writes `path` under `root` with the modification time `seconds` (Unix). */
function writeAt(root: string, path: string, seconds: number): void {
  const full = join(root, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, '{}');
  utimesSync(full, seconds, seconds);
}

describe('the built server is rebuilt when a source changed', () => {
  const now = Math.floor(Date.now() / 1000);

  it('a translation edited after the build makes the built server stale', () => {
    const root = mkdtempSync(join(tmpdir(), 'talkoo-fresh-'));
    roots.push(root);
    writeAt(root, 'collab-server/cli.ts', now + 100);
    writeAt(root, 'dist/server/cli.mjs', now + 200);
    expect(isFresh('server', root)).toBe(true);
    writeAt(root, 'shared/i18n/fi.json', now + 300);
    expect(isFresh('server', root)).toBe(false);
  });
});
