/**
 * Export files on disk (the action-plan exports of shared/report/): the name offered in the save
 * dialog, where each file of an export goes, and writing them all or none. Each file is staged
 * beside its target (temporary file, fsync) before any is renamed into place, so a full disk, a
 * missing folder or a read-only one leaves no new file and no temporary file behind.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import {
  EXPORT_FILE_TYPES,
  needsCsvName,
  safeFileBaseName,
  type ExportFormat,
} from '../shared/report/export';
import { stageFile, WINDOWS_DEVICE_NAME, type StagedFile } from './workshop-files';

/**
 * The file name offered in the save dialog for an export: `suggestedName` made safe (no
 * folders, no forbidden or control characters, never empty) with the format's extension.
 * A suggested name that already ends in that extension does not get it twice.
 */
export function exportFileName(suggestedName: string, format: ExportFormat): string {
  const extension = `.${EXPORT_FILE_TYPES[format].extension}`;
  const name = suggestedName.normalize('NFC');
  const stem = name.toLowerCase().endsWith(extension) ? name.slice(0, -extension.length) : name;
  let base = safeFileBaseName(stem, 'Talkoo');
  if (WINDOWS_DEVICE_NAME.test(base)) base = `${base} Talkoo`;
  return `${base}${extension}`;
}

/**
 * Where each of an export's `count` files goes once the user chose `chosenPath`: the first
 * there, the second (a CSV export's needs) beside it, named with {@link needsCsvName}.
 */
export function exportPaths(chosenPath: string, count: number): string[] {
  const paths = [chosenPath];
  if (count > 1) paths.push(path.join(path.dirname(chosenPath), needsCsvName(path.basename(chosenPath))));
  return paths;
}

/** Why writing an export failed: the file at fault, and which files were written before it. */
export class ExportWriteError extends Error {
  override name = 'ExportWriteError';
  constructor(
    /** The path that could not be written. */
    readonly failedPath: string,
    /** Paths already in place when it failed (empty unless a rename failed midway). */
    readonly writtenPaths: readonly string[],
    /** The file system error. */
    override readonly cause: unknown,
  ) {
    super(`Could not write ${failedPath}`);
  }
}

/**
 * Writes each `bytes[i]` to `paths[i]`: all are staged first (if any cannot be, none is
 * written and no temporary file remains), then renamed into place in order. Only a rename
 * failing after an earlier one succeeded (rare: same folder, bytes already on disk) leaves part
 * of the export written; the error then says which paths were written, and the caller tells the
 * user. A written file is not removed: it may have replaced an older file of the same name,
 * which removing would lose as well.
 *
 * @throws ExportWriteError
 */
export async function writeExportFiles(
  paths: readonly string[],
  bytes: readonly Uint8Array[],
): Promise<void> {
  const staged: StagedFile[] = [];
  const discardAll = (): Promise<unknown> => Promise.all(staged.map((file) => file.discard()));
  for (const [index, filePath] of paths.entries()) {
    try {
      // A folder of that name would fail only at the rename, after the first file is in place.
      if ((await stat(filePath).catch(() => null))?.isDirectory()) {
        throw Object.assign(new Error(`${filePath} is a folder`), { code: 'EISDIR' });
      }
      staged.push(await stageFile(filePath, bytes[index] ?? new Uint8Array()));
    } catch (error) {
      await discardAll();
      throw new ExportWriteError(filePath, [], error);
    }
  }
  const written: string[] = [];
  for (const [index, file] of staged.entries()) {
    const filePath = paths[index] ?? file.target;
    try {
      await file.commit();
      written.push(filePath);
    } catch (error) {
      await Promise.all(staged.slice(index + 1).map((rest) => rest.discard()));
      throw new ExportWriteError(filePath, written, error);
    }
  }
}
