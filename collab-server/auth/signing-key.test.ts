/**
 * The data folder and the signing key are private to the server's user (#10, finding 5): a folder
 * left at 0755 and a key at 0644 (made by hand, an old version, a copy) are tightened, and the
 * server says so, instead of loading them silently.
 */
import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOrCreateSigningKey, SIGNING_KEY_FILE } from './signing-key';
import { removeDir, tempDir } from '../test-support';

const mode = (path: string): number => statSync(path).mode & 0o777;

describe.skipIf(process.platform === 'win32')('permissions of the data folder and the key', () => {
  let root = '';
  afterEach(() => removeDir(root));

  it('tightens a readable data folder and key, warning about each', async () => {
    root = tempDir();
    const dataDir = join(root, 'data');
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    const keyFile = join(dataDir, SIGNING_KEY_FILE);
    writeFileSync(keyFile, `${'ab'.repeat(32)}\n`);
    chmodSync(keyFile, 0o644);
    const warnings: string[] = [];

    const key = await loadOrCreateSigningKey(dataDir, (message) => warnings.push(message));
    expect(key.toString('hex')).toBe('ab'.repeat(32));
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(keyFile)).toBe(0o600);
    expect(warnings).toEqual([
      `${dataDir} could be read by other users (mode 755); it is now 700.`,
      `${keyFile} could be read by other users (mode 644); it is now 600.`,
    ]);
  });

  it('creates a new folder and key private, with nothing to warn about', async () => {
    root = tempDir();
    const dataDir = join(root, 'fresh');
    const warnings: string[] = [];
    await loadOrCreateSigningKey(dataDir, (message) => warnings.push(message));
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(join(dataDir, SIGNING_KEY_FILE))).toBe(0o600);
    expect(warnings).toEqual([]);
  });
});
