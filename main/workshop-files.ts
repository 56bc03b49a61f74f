/**
 * `.talkoo` workshop files on disk (format: shared/workshop-file.ts). Saving is atomic: the
 * bytes go to a temporary file in the same folder, are flushed to disk, and only then renamed
 * over the target, so a crash, a full disk or a failed write never leaves a half-written file
 * or destroys the previous one. The atomic writer ({@link stageFile}, {@link writeFileAtomic})
 * serves exports too (export-files.ts).
 */
import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { open, realpath, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import * as Y from 'yjs';
import type { OpenWorkshopFileResponse } from '../shared/ipc';
import { readMeta } from '../shared/model/read';
import { fail, ok, type ParseError, type Result } from '../shared/result';
import {
  decodeWorkshopFile,
  encodeWorkshopFile,
  MAX_WORKSHOP_FILE_BYTES,
  WORKSHOP_FILE_EXTENSION,
  workshopFileProblem,
  type DecodedWorkshopFile,
  type WorkshopFileMeta,
} from '../shared/workshop-file';

/** Longest file name stem offered in the save dialog; leaves room for the extension. */
const MAX_NAME_STEM = 200;

/** Characters no file name may hold on Windows, macOS or Linux. */
const FORBIDDEN_NAME_CHARS = '<>:"/\\|?*';

/** Names Windows reserves for devices, with or without an extension. */
export const WINDOWS_DEVICE_NAME = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

/**
 * A file written in full to a temporary name beside its target and flushed to disk, not yet in
 * place: {@link StagedFile.commit} renames it over the target, {@link StagedFile.discard}
 * removes it. Staging every file of a group first lets a caller write several files where a
 * failure leaves none of them changed (see export-files.ts).
 */
export type StagedFile = {
  /** The path the file will take (a symlink's target, not the link). */
  readonly target: string;
  /** Puts the file in place; if it rejects, the temporary file is removed and the target untouched. */
  commit(): Promise<void>;
  /** Removes the temporary file; never rejects. */
  discard(): Promise<void>;
};

/**
 * Writes `bytes` to a temporary file beside `filePath` and flushes it; nothing visible changes
 * until the returned file is committed. If it rejects, no temporary file is left.
 * Overwriting keeps the existing file's permissions; a symlink is followed, not replaced.
 */
export async function stageFile(filePath: string, bytes: Uint8Array): Promise<StagedFile> {
  const target = await realpath(filePath).catch(() => path.resolve(filePath));
  const directory = path.dirname(target);
  // Same folder, so the rename never crosses file systems (which would make it a copy).
  const temp = path.join(directory, `.${path.basename(target).slice(0, 100)}.${randomUUID()}.tmp`);
  const existingMode = await stat(target).then(
    (info) => info.mode & 0o7777,
    () => null,
  );
  const discard = (): Promise<void> => unlink(temp).catch(() => undefined);

  let handle: FileHandle | null = null;
  try {
    handle = await open(temp, 'wx');
    if (existingMode !== null) await handle.chmod(existingMode);
    await handle.writeFile(bytes);
    await handle.sync();
    await handle.close();
    handle = null;
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await discard();
    throw error;
  }
  return {
    target,
    discard,
    commit: async () => {
      try {
        await rename(temp, target);
      } catch (error) {
        await discard();
        throw error;
      }
      await syncDirectory(directory);
    },
  };
}

/**
 * Writes `bytes` to `filePath` atomically: after it resolves the file holds exactly `bytes`;
 * if it rejects, whatever was at `filePath` before is untouched and no temporary file is left.
 * Overwriting keeps the existing file's permissions; a symlink is followed, not replaced.
 */
export async function writeFileAtomic(filePath: string, bytes: Uint8Array): Promise<void> {
  await (await stageFile(filePath, bytes)).commit();
}

/** Makes the rename itself durable. Best effort: Windows and some file systems cannot do it. */
async function syncDirectory(directory: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(directory, 'r').catch(() => null);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close().catch(() => undefined);
}

/**
 * Saves a workshop to `filePath` atomically (see {@link writeFileAtomic}).
 *
 * @throws The file system error when the file cannot be written; describe it to the user with
 *   {@link describeFileError}.
 */
export async function saveWorkshopFile(
  filePath: string,
  state: Uint8Array,
  meta: WorkshopFileMeta,
): Promise<void> {
  await writeFileAtomic(filePath, encodeWorkshopFile(state, meta));
}

/**
 * Reads a workshop file. A file that is not a workshop file this version reads (damaged,
 * truncated, foreign, newer format, too large) gives an error whose message says exactly that.
 *
 * @throws The file system error when the file cannot be read at all (missing, no permission).
 */
export async function readWorkshopFile(filePath: string): Promise<Result<DecodedWorkshopFile, ParseError>> {
  // Opened without blocking and checked on the open handle: a named pipe would otherwise wait for
  // a writer forever, a device such as /dev/zero has no end, and a path swapped between a stat
  // and the open would slip past a check made on the path.
  const handle = await open(filePath, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const info = await handle.stat();
    if (info.isDirectory()) return fail({ path: '', message: 'This is a folder, not a workshop file.' });
    if (!info.isFile()) {
      return fail({
        path: '',
        message: 'This is not a regular file (a device, a pipe or a socket), so it is not a workshop file.',
      });
    }
    if (info.size > MAX_WORKSHOP_FILE_BYTES) {
      return fail({
        path: '',
        message: `The file is too large to be a Talkoo workshop (${info.size} bytes, at most ${MAX_WORKSHOP_FILE_BYTES}).`,
      });
    }
    // The size above is what the file was: it may have grown since, or (Linux's /proc) not say.
    const bytes = await readAtMost(handle, MAX_WORKSHOP_FILE_BYTES, info.size);
    if (bytes === null) {
      return fail({
        path: '',
        message: `The file is too large to be a Talkoo workshop (more than ${MAX_WORKSHOP_FILE_BYTES} bytes).`,
      });
    }
    return decodeWorkshopFile(bytes);
  } finally {
    await handle.close();
  }
}

/**
 * The whole of the file open at `handle`, from its start, or null when it holds more than
 * `limit` bytes: never more than `limit + 1` bytes are read, whatever its size says.
 * `expected` (its size by a stat) only decides how much memory to take at first.
 */
export async function readAtMost(
  handle: FileHandle,
  limit: number,
  expected = 0,
): Promise<Uint8Array | null> {
  let buffer = new Uint8Array(Math.min(limit + 1, Math.max(expected + 1, 64 * 1024)));
  let length = 0;
  for (;;) {
    if (length === buffer.length) {
      if (length > limit) return null;
      const larger = new Uint8Array(Math.min(limit + 1, buffer.length * 2));
      larger.set(buffer);
      buffer = larger;
    }
    const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
    if (bytesRead === 0) return buffer.subarray(0, length);
    length += bytesRead;
  }
}

/**
 * Opens the workshop file at `filePath` for the page, however it was chosen (the open dialog, a
 * double-click, a path in argv, a second instance, Open Recent, a drop): its state, or a sentence
 * naming the file and what is wrong with it. Never throws.
 */
export async function openWorkshopPath(filePath: string): Promise<OpenWorkshopFileResponse> {
  const name = path.basename(filePath);
  try {
    const result = await readWorkshopFile(filePath);
    if (!result.ok) {
      const message = `Could not open ${name}. ${result.error.message}`;
      return { ok: false, reason: 'invalid', message, problem: workshopFileProblem(result.error) };
    }
    return { ok: true, path: filePath, header: result.value.header, state: result.value.state };
  } catch (error) {
    return { ok: false, reason: 'error', message: `Could not open ${name}. ${describeFileError(error)}` };
  }
}

/**
 * The schema version recorded in a workshop's Yjs state, for the file header. Fails when the
 * bytes are not a Yjs update at all, so garbage from a renderer is never saved as a workshop.
 */
export function readSchemaVersion(state: Uint8Array): Result<number, ParseError> {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, state);
    return ok(readMeta(doc).schemaVersion);
  } catch {
    return fail({ path: 'state', message: 'is not a Yjs document update' });
  } finally {
    doc.destroy();
  }
}

/**
 * A file name safe on every desktop OS, made from a name the renderer suggests (usually the
 * workshop title): no folders, no forbidden or control characters, ending in `.talkoo`.
 */
export function safeWorkshopFileName(suggestedName: string): string {
  let stem = [...suggestedName.normalize('NFC')]
    .map((char) => (char < ' ' || char === '\u007f' || FORBIDDEN_NAME_CHARS.includes(char) ? ' ' : char))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
  const extension = `.${WORKSHOP_FILE_EXTENSION}`;
  if (stem.toLowerCase().endsWith(extension)) stem = stem.slice(0, -extension.length);
  // Windows drops trailing dots and spaces; leading dots hide the file on macOS and Linux.
  stem = [...stem]
    .slice(0, MAX_NAME_STEM)
    .join('')
    .replace(/^[.\s]+|[.\s]+$/g, '');
  if (stem === '') stem = 'workshop';
  if (WINDOWS_DEVICE_NAME.test(stem)) stem = `${stem} workshop`;
  return `${stem}${extension}`;
}

/** A short sentence for a file system error, fit to show to the user. */
export function describeFileError(error: unknown): string {
  const code =
    typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
      ? error.code
      : '';
  switch (code) {
    case 'ENOENT':
      return 'The file or its folder does not exist.';
    case 'EACCES':
    case 'EPERM':
      return 'Permission denied.';
    case 'ENOSPC':
      return 'The disk is full.';
    case 'EDQUOT':
      return 'The disk quota is used up.';
    case 'EROFS':
      return 'The disk is read-only.';
    case 'EISDIR':
      return 'A folder has that name.';
    case 'ENOTDIR':
      return 'Part of the path is not a folder.';
    case 'EFBIG':
      return 'The file is too large for this disk.';
    case 'ENAMETOOLONG':
      return 'The file name is too long.';
    case 'EBUSY':
      return 'The file is in use by another program.';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
