/**
 * The server's signing key: created on first start in the data directory (or in the key file the
 * nodes of a cluster share), readable by its owner only.
 */
import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { newSigningKey } from './tokens';

/** File name of the key inside the data directory. */
export const SIGNING_KEY_FILE = 'signing-key';

/** What link() fails with on a file system that has no hard links. */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'ENOSYS']);

/** Where the server says what it tightened: standard error by default (stdout carries JSON). */
export type Warn = (message: string) => void;

/** Warnings on standard error, prefixed as the server's. */
export const toStderr: Warn = (message) => process.stderr.write(`talkoo server: warning: ${message}\n`);

/**
 * Makes `path` private to its owner (`mode`), warning when others could read or write it. POSIX
 * only: Windows folders and files carry no such mode. One that cannot be changed (a read-only
 * mount, as Docker and Kubernetes hand secrets over, or a file of another user) is used as it is,
 * with a warning: refusing it would stop the server over what its operator chose.
 */
export async function keepPrivate(path: string, mode: number, warn: Warn): Promise<void> {
  if (process.platform === 'win32') return;
  const current = (await stat(path)).mode & 0o777;
  if ((current & 0o077) === 0) return;
  try {
    await chmod(path, mode);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EROFS' && code !== 'EPERM') throw error;
    const why = code === 'EROFS' ? 'read-only' : 'not ours to change';
    warn(
      `${path} could be read by other users (mode ${current.toString(8)}) and cannot be made private (${why}); keep it readable by this server's user only.`,
    );
    return;
  }
  warn(`${path} could be read by other users (mode ${current.toString(8)}); it is now ${mode.toString(8)}.`);
}

/**
 * Reads the signing key at `path` (64 hex digits), or creates it (mode 0600) when there is none: the
 * nodes of a cluster share one such file (`--key-file`), and whichever starts first creates it. A
 * key file others could read is tightened, with a warning; a damaged one is refused, never replaced
 * (every link signed with it would stop working). Its folder must exist.
 */
export async function loadOrCreateKeyFile(path: string, warn: Warn = toStderr): Promise<Buffer> {
  const existing = await readKeyFile(path, warn);
  if (existing) return existing;
  const key = newSigningKey();
  // Written whole under a name of its own, then linked into place: link fails when another node
  // created the key meanwhile (that key wins), and nobody ever reads a key half written.
  const draft = `${path}.${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await writeFile(draft, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new Error(`cannot create the key file ${path}: its folder ${dirname(path)} does not exist`, {
        cause: error,
      });
    throw error;
  }
  try {
    await chmod(draft, 0o600);
    try {
      await link(draft, path);
    } catch (error) {
      if (!NO_HARD_LINKS.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
      // A file system without hard links (FAT, some network mounts): written in place, and
      // only when nobody created it meanwhile; a node reading it that moment may find it short.
      await writeFile(path, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    }
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const theirs = await readKeyFile(path, warn);
    if (!theirs) throw new Error(`${path} disappeared while it was being created`, { cause: error });
    return theirs;
  } finally {
    await rm(draft, { force: true });
  }
}

/**
 * Reads the signing key at `path` without ever creating one: for commands that sign with the key
 * the nodes use (a key made up here would open nothing).
 */
export async function loadKeyFile(path: string, warn: Warn = toStderr): Promise<Buffer> {
  const key = await readKeyFile(path, warn);
  if (!key)
    throw new Error(`there is no key file ${path} (a node creates it when it first starts with --key-file)`);
  return key;
}

/** The key in `path`, or null when there is no such file. */
async function readKeyFile(path: string, warn: Warn): Promise<Buffer | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const hex = text.trim();
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error(`${path} is not a Talkoo signing key (64 hex digits)`);
  await keepPrivate(path, 0o600, warn);
  return Buffer.from(hex, 'hex');
}

/**
 * Creates the data directory (mode 0700) if needed, tightening one others could read, with a
 * warning; then reads the key from `keyFile` (default: `signing-key` in that directory), creating
 * it (mode 0600) when there is none.
 */
export async function loadOrCreateSigningKey(
  dataDir: string,
  warn: Warn = toStderr,
  keyFile: string = join(dataDir, SIGNING_KEY_FILE),
): Promise<Buffer> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  // The folder holds the link book and every workshop: nobody else may list or read it.
  await keepPrivate(dataDir, 0o700, warn);
  return loadOrCreateKeyFile(keyFile, warn);
}
