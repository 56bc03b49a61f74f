/**
 * Recovery files: the changes a server could not store when it stopped (its disk was full, say),
 * written where they can be and replayed into their rooms by the next start, before anyone joins;
 * removed once stored. Places, in order: `<data folder>/recovery/`, then, when that disk refuses
 * too, `<system temp folder>/talkoo-recovery-<hash of the data folder>/` (it survives a restart of
 * the server, not always one of the machine). The next start reads both.
 *
 * File format (never change without a migration): UTF-8 JSON
 *   { "talkooRecovery": 1, "written": "<ISO time>", "rooms": { "<room>": "<base64 Yjs update>" } }
 */
import { createHash, randomUUID } from 'node:crypto';
import { lstat, mkdir, open, readdir, readFile, rename, unlink, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const FORMAT = 1;
const SUFFIX = '.talkoo-recovery.json';

/** Where recovery files go, best first. */
export function recoveryDirs(dataDir: string): string[] {
  const id = createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 16);
  return [join(dataDir, 'recovery'), join(tmpdir(), `talkoo-recovery-${id}`)];
}

/**
 * Why `dir` may not hold recovery files, or null when it may: a real folder of this process's
 * user that nobody else may write. The temp folder is shared and the second place's name can be
 * worked out: another user could make it first, read what is written there and leave files that
 * the next start would replay into any workshop.
 */
async function untrusted(dir: string): Promise<string | null> {
  const stats = await lstat(dir);
  if (!stats.isDirectory()) return `${dir} is not a folder`;
  if (process.platform === 'win32') return null;
  const uid = process.getuid?.();
  if (uid !== undefined && stats.uid !== uid) return `${dir} belongs to another user (${stats.uid})`;
  if (stats.mode & 0o022) return `others may write in ${dir} (mode ${(stats.mode & 0o777).toString(8)})`;
  return null;
}

/** What earlier runs left to recover. */
export type Recovery = {
  /** Every room's changes, from every file. */
  readonly changes: Map<string, Uint8Array[]>;
  /** The files they came from (remove them once the changes are stored). */
  readonly files: string[];
  /** Files that could not be read or parsed, and folders not trusted: kept, and named in the log. */
  readonly damaged: { readonly file: string; readonly error: string }[];
};

/** The room updates of one recovery file's text; throws with what is wrong. */
function parseRecovery(text: string): Map<string, Uint8Array> {
  const json: unknown = JSON.parse(text);
  if (typeof json !== 'object' || json === null) throw new Error('not a JSON object');
  const { talkooRecovery, rooms } = json as Record<string, unknown>;
  if (talkooRecovery !== FORMAT) throw new Error(`unknown format ${JSON.stringify(talkooRecovery)}`);
  if (typeof rooms !== 'object' || rooms === null) throw new Error('no "rooms" object');
  const out = new Map<string, Uint8Array>();
  for (const [room, value] of Object.entries(rooms)) {
    if (typeof value !== 'string') throw new Error(`room ${room}: not base64 text`);
    out.set(room, new Uint8Array(Buffer.from(value, 'base64')));
  }
  return out;
}

/** Reads every recovery file of `dataDir`, oldest first. */
export async function readRecovery(dataDir: string): Promise<Recovery> {
  const recovery: Recovery = { changes: new Map(), files: [], damaged: [] };
  for (const dir of recoveryDirs(dataDir)) {
    let names: string[];
    try {
      const refused = await untrusted(dir);
      if (refused) {
        recovery.damaged.push({ file: dir, error: `not replayed: ${refused}` });
        continue;
      }
      names = (await readdir(dir)).filter((name) => name.endsWith(SUFFIX)).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    for (const name of names) {
      const file = join(dir, name);
      try {
        for (const [room, update] of parseRecovery(await readFile(file, 'utf8'))) {
          const list = recovery.changes.get(room) ?? [];
          list.push(update);
          recovery.changes.set(room, list);
        }
        recovery.files.push(file);
      } catch (error) {
        recovery.damaged.push({ file, error: (error as Error).message });
      }
    }
  }
  return recovery;
}

/** Writes `bytes` to a new file in `dir` durably (temp file, fsync, rename, fsync of the folder). */
async function writeDurably(dir: string, name: string, bytes: Uint8Array): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const refused = await untrusted(dir);
  if (refused) throw new Error(`not written there: ${refused}`);
  const target = join(dir, name);
  const temp = join(dir, `.${randomUUID()}.tmp`);
  let handle: FileHandle | null = null;
  try {
    handle = await open(temp, 'wx', 0o600);
    await handle.writeFile(bytes);
    await handle.sync();
    await handle.close();
    handle = null;
    await rename(temp, target);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  const folder = await open(dir, 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
  return target;
}

/**
 * Writes a recovery file of `changes` (room → one update) in the first place that takes it and
 * returns its path; throws naming every place's error when none does.
 */
export async function writeRecovery(
  dataDir: string,
  changes: ReadonlyMap<string, Uint8Array>,
): Promise<string> {
  const rooms: Record<string, string> = {};
  for (const [room, update] of changes) rooms[room] = Buffer.from(update).toString('base64');
  const written = new Date().toISOString();
  const bytes = new TextEncoder().encode(JSON.stringify({ talkooRecovery: FORMAT, written, rooms }));
  const name = `${written.replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}${SUFFIX}`;
  const errors: string[] = [];
  for (const dir of recoveryDirs(dataDir)) {
    try {
      return await writeDurably(dir, name, bytes);
    } catch (error) {
      errors.push(`${dir}: ${(error as Error).message}`);
    }
  }
  throw new Error(errors.join('; '));
}

/** Removes recovery files whose changes are stored now. */
export async function removeRecovery(files: readonly string[]): Promise<void> {
  for (const file of files) await unlink(file).catch(() => undefined);
}

/** What replays recovered changes into rooms (the RoomManager). */
type Recoverer = { recover(changes: ReadonlyMap<string, readonly Uint8Array[]>): Promise<boolean> };
type Log = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

/**
 * At start, before anyone joins: replays every recovery file of `dataDir` into its rooms and
 * removes the files once their changes are stored (else they stay for the next start; replaying
 * twice changes nothing). A damaged file is named in the log and kept.
 */
export async function replayRecovery(dataDir: string, rooms: Recoverer, log: Log): Promise<void> {
  const recovery = await readRecovery(dataDir);
  for (const { file, error } of recovery.damaged)
    log('error', 'recovery file could not be read; it is kept', { file, error });
  if (recovery.files.length === 0) return;
  const stored = await rooms.recover(recovery.changes);
  const fields = { files: recovery.files, rooms: [...recovery.changes.keys()] };
  if (!stored)
    return log('error', 'recovered changes could not be stored yet; the recovery files stay', fields);
  await removeRecovery(recovery.files);
  log('info', 'recovered changes an earlier run could not store', fields);
}

/**
 * At shutdown: writes what could not be stored to a recovery file. Returns null when everything
 * was stored, else what happened, for the operator (shutdown then fails).
 */
export async function saveUnstored(
  dataDir: string,
  unstored: ReadonlyMap<string, Uint8Array>,
  log: Log,
): Promise<string | null> {
  if (unstored.size === 0) return null;
  const rooms = [...unstored.keys()];
  const what = `changes to ${rooms.length} workshop${rooms.length === 1 ? '' : 's'} (${rooms.join(', ')}) could not be stored`;
  try {
    const file = await writeRecovery(dataDir, unstored);
    log('error', 'changes could not be stored; they are in a recovery file', { rooms, file });
    return `${what}; they are in the recovery file ${file}, which the next start replays`;
  } catch (error) {
    log('error', 'changes could not be stored nor written to a recovery file: they are lost', {
      rooms,
      error: (error as Error).message,
    });
    return `${what}, nor written to a recovery file (${(error as Error).message}): they are LOST`;
  }
}
