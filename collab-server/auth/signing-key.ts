/** The server's signing key: created on first start in the data directory, readable by its owner only. */
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { newSigningKey } from './tokens';

/** File name of the key inside the data directory. */
export const SIGNING_KEY_FILE = 'signing-key';

/** Where the server says what it tightened: standard error by default (stdout carries JSON). */
export type Warn = (message: string) => void;

/** Warnings on standard error, prefixed as the server's. */
export const toStderr: Warn = (message) => process.stderr.write(`talkoo server: warning: ${message}\n`);

/**
 * Makes `path` private to its owner (`mode`), warning when others could read or write it. POSIX
 * only: Windows folders and files carry no such mode.
 */
export async function keepPrivate(path: string, mode: number, warn: Warn): Promise<void> {
  if (process.platform === 'win32') return;
  const current = (await stat(path)).mode & 0o777;
  if ((current & 0o077) === 0) return;
  await chmod(path, mode);
  warn(`${path} could be read by other users (mode ${current.toString(8)}); it is now ${mode.toString(8)}.`);
}

/**
 * Reads the key from `dataDir`, creating the directory (mode 0700) and a new key (mode 0600) if
 * needed. An existing folder or key that others could read is tightened, with a warning.
 */
export async function loadOrCreateSigningKey(dataDir: string, warn: Warn = toStderr): Promise<Buffer> {
  const path = join(dataDir, SIGNING_KEY_FILE);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  // The folder holds the key and every workshop: nobody else may list or read it.
  await keepPrivate(dataDir, 0o700, warn);
  try {
    const hex = (await readFile(path, 'utf8')).trim();
    if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error(`${path} is not a Talkoo signing key (64 hex digits)`);
    await keepPrivate(path, 0o600, warn);
    return Buffer.from(hex, 'hex');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = newSigningKey();
  // 'wx' fails if another process created it meanwhile: then that key wins.
  try {
    await writeFile(path, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    await chmod(path, 0o600);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateSigningKey(dataDir, warn);
    throw error;
  }
}
