/**
 * The recent-files list behind File > Open Recent: the workshop files last opened or saved, most
 * recent first, each once (one file however Windows cases or slashes its path), ten at most,
 * kept in a small JSON file in the user data folder written atomically. A missing or damaged
 * store reads as an empty list; files that are gone are dropped when the menu is built (Windows
 * network files excepted: see {@link RecentFiles.existing}).
 */
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { isNetworkPath } from '../shared/ipc';
import { isWorkshopFileName } from './desktop-files';
import { writeFileAtomic } from './workshop-files';

/** How many files Open Recent lists. */
export const MAX_RECENT_FILES = 10;

/** The key two paths of one file share: Windows paths compare without case and slash style. */
function fileKey(filePath: string, platform: string): string {
  return platform === 'win32' ? path.win32.normalize(filePath).toLowerCase() : filePath;
}

/** `list` with `filePath` first, any earlier mention of the same file removed, ten at most. */
export function withRecentFile(list: readonly string[], filePath: string, platform: string): string[] {
  const key = fileKey(filePath, platform);
  return [filePath, ...list.filter((other) => fileKey(other, platform) !== key)].slice(0, MAX_RECENT_FILES);
}

/** The list a store holds: its absolute `.talkoo` paths, each once, ten at most; [] when damaged. */
function parseStore(text: string, platform: string): string[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return [];
  }
  if (typeof raw !== 'object' || raw === null || !('files' in raw) || !Array.isArray(raw.files)) return [];
  const paths = platform === 'win32' ? path.win32 : path.posix;
  let list: string[] = [];
  for (const file of [...(raw.files as unknown[])].reverse()) {
    if (typeof file === 'string' && paths.isAbsolute(file) && isWorkshopFileName(file)) {
      list = withRecentFile(list, file, platform);
    }
  }
  return list;
}

/** The recent list and its store. Every change is written in the order made, and heard after. */
export class RecentFiles {
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly storePath: string,
    private readonly platform: string,
    private files: readonly string[],
    private readonly onChange: (files: readonly string[]) => void,
  ) {}

  /**
   * Reads the list stored at `storePath` (empty when missing or damaged). `onChange` hears the
   * list after every change, e.g. to rebuild the menu.
   */
  static async load(
    storePath: string,
    platform: string,
    onChange: (files: readonly string[]) => void = () => undefined,
  ): Promise<RecentFiles> {
    const text = await readFile(storePath, 'utf8').catch(() => '');
    return new RecentFiles(storePath, platform, parseStore(text, platform), onChange);
  }

  /** The files, most recent first (some may be gone: see {@link existing}). */
  list(): readonly string[] {
    return this.files;
  }

  /** Puts `filePath` first. */
  add(filePath: string): Promise<void> {
    return this.change(withRecentFile(this.files, filePath, this.platform));
  }

  /** Empties the list (Clear Recent). */
  clear(): Promise<void> {
    return this.change([]);
  }

  /**
   * The files that still exist, for the menu; the others are forgotten. A Windows network file
   * (only the OS puts one here: a double-click, the open dialog) is listed unchecked: checking
   * would reach its host, which may be down (the menu would wait) or not the user's own.
   */
  async existing(): Promise<readonly string[]> {
    const checked = this.files;
    const found = await Promise.all(
      checked.map((file) =>
        this.platform === 'win32' && isNetworkPath(file)
          ? Promise.resolve(true)
          : access(file).then(
              () => true,
              () => false,
            ),
      ),
    );
    // The list may have changed meanwhile (a file opened): drop only what was found gone from it.
    const gone = new Set(checked.filter((_file, index) => !found[index]));
    const kept = this.files.filter((file) => !gone.has(file));
    if (kept.length !== this.files.length) await this.change(kept);
    return this.files;
  }

  /** Settles once every change made so far is written (or failed to be). */
  idle(): Promise<void> {
    return this.writing;
  }

  private change(files: readonly string[]): Promise<void> {
    this.files = files;
    const bytes = new TextEncoder().encode(`${JSON.stringify({ files }, null, 2)}\n`);
    this.writing = this.writing.then(async () => {
      try {
        await writeFileAtomic(this.storePath, bytes);
      } catch (error) {
        // The list still serves this session; only remembering it for the next one failed.
        console.error('Talkoo could not store the recent files:', error);
      }
      this.onChange(files);
    });
    return this.writing;
  }
}
