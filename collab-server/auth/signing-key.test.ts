/**
 * The data folder and the signing key are private to the server's user (#10, finding 5): a folder
 * left at 0755 and a key at 0644 (made by hand, an old version, a copy) are tightened, and the
 * server says so, instead of loading them silently.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOrCreateKeyFile, loadOrCreateSigningKey, SIGNING_KEY_FILE } from './signing-key';
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

/**
 * The key file the nodes of a cluster share (#14, `--key-file`): the first node to start creates
 * it, every other node reads that one, so a token signed by any of them opens a room on all.
 */
describe('a shared key file', () => {
  let root = '';
  afterEach(() => removeDir(root));
  const noWarnings = (message: string): never => {
    throw new Error(`unexpected warning: ${message}`);
  };

  it.skipIf(process.platform === 'win32')(
    'is created private to its owner, and read back the same',
    async () => {
      root = tempDir();
      const path = join(root, 'signing-key');
      const key = await loadOrCreateKeyFile(path, noWarnings);
      expect(mode(path)).toBe(0o600);
      expect(readFileSync(path, 'utf8')).toBe(`${key.toString('hex')}\n`);
      expect((await loadOrCreateKeyFile(path, noWarnings)).equals(key)).toBe(true);
    },
  );

  it('ends with one key when several nodes create it at the same moment', async () => {
    root = tempDir();
    const path = join(root, 'signing-key');
    const keys = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateKeyFile(path, noWarnings)));
    const written = readFileSync(path, 'utf8').trim();
    expect(keys.map((key) => key.toString('hex'))).toEqual(Array.from({ length: 8 }, () => written));
  });

  it.skipIf(process.platform === 'win32')(
    'tightens a key file others could read, with a warning',
    async () => {
      root = tempDir();
      const path = join(root, 'signing-key');
      writeFileSync(path, `${'cd'.repeat(32)}\n`);
      chmodSync(path, 0o640);
      const warnings: string[] = [];
      const key = await loadOrCreateKeyFile(path, (message) => warnings.push(message));
      expect(key.toString('hex')).toBe('cd'.repeat(32));
      expect(mode(path)).toBe(0o600);
      expect(warnings).toEqual([`${path} could be read by other users (mode 640); it is now 600.`]);
    },
  );

  it('refuses a damaged key file instead of replacing it', async () => {
    root = tempDir();
    const path = join(root, 'signing-key');
    writeFileSync(path, 'ab'.repeat(20), { mode: 0o600 });
    await expect(loadOrCreateKeyFile(path, noWarnings)).rejects.toThrow(
      `${path} is not a Talkoo signing key (64 hex digits)`,
    );
    expect(readFileSync(path, 'utf8')).toBe('ab'.repeat(20));
  });

  it.skipIf(process.platform === 'win32')(
    "is used instead of the data folder's, whose folder is still made private",
    async () => {
      root = tempDir();
      const shared = join(root, 'signing-key');
      writeFileSync(shared, `${'ef'.repeat(32)}\n`, { mode: 0o600 });
      const dataDir = join(root, 'node1');
      const key = await loadOrCreateSigningKey(dataDir, noWarnings, shared);
      expect(key.toString('hex')).toBe('ef'.repeat(32));
      expect(mode(dataDir)).toBe(0o700);
      expect(existsSync(join(dataDir, SIGNING_KEY_FILE))).toBe(false);
    },
  );

  it('says so when the folder of the key file does not exist', async () => {
    root = tempDir();
    const path = join(root, 'missing', 'signing-key');
    await expect(loadOrCreateKeyFile(path, noWarnings)).rejects.toThrow(
      `cannot create the key file ${path}: its folder ${join(root, 'missing')} does not exist`,
    );
  });
});

/**
 * A key file handed to the node read-only, as Docker and Kubernetes mount secrets (mode 0644 on a
 * read-only file system): it cannot be tightened, but it is the key, so the node warns and starts.
 * Linux, as root (CI too): the test mounts the folder read-only itself.
 */
describe.skipIf(process.platform !== 'linux')('a key file on a read-only mount', () => {
  let root = '';
  let mounted = '';
  afterEach(() => {
    if (mounted) execFileSync('umount', [mounted]);
    mounted = '';
    removeDir(root);
  });

  it('is read, with a warning that it could not be made private', async () => {
    root = tempDir();
    const secrets = join(root, 'secrets');
    mkdirSync(secrets);
    writeFileSync(join(secrets, 'signing-key'), `${'9a'.repeat(32)}\n`);
    chmodSync(join(secrets, 'signing-key'), 0o644);
    const readOnly = join(root, 'mounted');
    mkdirSync(readOnly);
    execFileSync('mount', ['--bind', '-o', 'ro', secrets, readOnly]);
    mounted = readOnly;
    const path = join(readOnly, 'signing-key');
    const warnings: string[] = [];

    const key = await loadOrCreateSigningKey(join(root, 'data'), (message) => warnings.push(message), path);
    expect(key.toString('hex')).toBe('9a'.repeat(32));
    expect(mode(path)).toBe(0o644);
    expect(warnings).toEqual([
      `${path} could be read by other users (mode 644) and cannot be made private (read-only); keep it readable by this server's user only.`,
    ]);
  });
});
