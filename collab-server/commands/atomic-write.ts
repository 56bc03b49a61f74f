/**
 * Atomic file output for the `talkoo` command (the idea of main/workshop-files.ts, which this
 * layer may not import): each file's bytes go to a temporary file in the target's folder, are
 * flushed, and are renamed over the target only when every file of the export is written. A
 * failure at any point leaves no temporary file and whatever was at the targets before.
 */
import { randomUUID } from 'node:crypto';
import { open, realpath, rename, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

/** One file to write. */
export type OutputFile = { readonly path: string; readonly bytes: Uint8Array };

async function writeTemp(target: string, bytes: Uint8Array): Promise<string> {
  // Same folder as the target, so the rename never crosses file systems (that would be a copy).
  const temp = path.join(path.dirname(target), `.${path.basename(target).slice(0, 100)}.${randomUUID()}.tmp`);
  let handle: FileHandle | null = null;
  try {
    handle = await open(temp, 'wx');
    await handle.writeFile(bytes);
    await handle.sync();
    await handle.close();
    handle = null;
    return temp;
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

/**
 * Writes every file of `files` atomically: all are written to temporary files first, then renamed
 * into place, so an error while writing leaves none of them (a CSV export never leaves the actions
 * without their needs file). A symlinked target is followed, not replaced.
 */
export async function writeFilesAtomic(files: readonly OutputFile[]): Promise<void> {
  const targets = await Promise.all(
    files.map((file) => realpath(file.path).catch(() => path.resolve(file.path))),
  );
  const temps: string[] = [];
  try {
    for (const [i, file] of files.entries()) temps.push(await writeTemp(targets[i] ?? file.path, file.bytes));
    for (const [i, temp] of temps.entries()) await rename(temp, targets[i] ?? '');
  } catch (error) {
    await Promise.all(temps.map((temp) => unlink(temp).catch(() => undefined)));
    throw error;
  }
}
