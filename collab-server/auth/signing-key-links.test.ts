/**
 * A key file on a file system without hard links (FAT, some network mounts: link() fails with
 * EPERM, ENOTSUP or EXDEV): the first start still creates the key, written in place. Node's link()
 * is made to fail as those file systems make it fail; everything else is the real file system.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import type * as fsPromises from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadOrCreateKeyFile } from './signing-key';
import { removeDir, tempDir } from '../test-support';

const refused = vi.hoisted(() => ({ code: 'EPERM' }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof fsPromises>();
  const link = (): Promise<never> =>
    Promise.reject(Object.assign(new Error(`${refused.code}: link refused`), { code: refused.code }));
  return { ...actual, default: { ...actual, link }, link };
});

describe('a key file where hard links cannot be made', () => {
  let root = '';
  afterEach(() => removeDir(root));
  const noWarnings = (message: string): never => {
    throw new Error(`unexpected warning: ${message}`);
  };

  it.each(['EPERM', 'ENOTSUP', 'EXDEV'])(
    'is created all the same when link() fails with %s',
    async (code) => {
      refused.code = code;
      root = tempDir();
      const path = join(root, 'signing-key');
      const key = await loadOrCreateKeyFile(path, noWarnings);
      expect(readFileSync(path, 'utf8')).toBe(`${key.toString('hex')}\n`);
      if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(readdirSync(root)).toEqual(['signing-key']);
      expect((await loadOrCreateKeyFile(path, noWarnings)).equals(key)).toBe(true);
    },
  );

  it('ends with one key when several nodes create it at the same moment', async () => {
    refused.code = 'EPERM';
    root = tempDir();
    const path = join(root, 'signing-key');
    const keys = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateKeyFile(path, noWarnings)));
    const written = readFileSync(path, 'utf8').trim();
    expect(keys.map((key) => key.toString('hex'))).toEqual(Array.from({ length: 8 }, () => written));
  });
});
