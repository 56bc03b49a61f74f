/** The server's signing key: created on first start in the data directory, readable by its owner only. */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { newSigningKey } from './tokens';

/** File name of the key inside the data directory. */
export const SIGNING_KEY_FILE = 'signing-key';

/** Reads the key from `dataDir`, creating the directory and a new key (mode 0600) if needed. */
export async function loadOrCreateSigningKey(dataDir: string): Promise<Buffer> {
  const path = join(dataDir, SIGNING_KEY_FILE);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  try {
    const hex = (await readFile(path, 'utf8')).trim();
    if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error(`${path} is not a Talkoo signing key (64 hex digits)`);
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
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateSigningKey(dataDir);
    throw error;
  }
}
