/**
 * Workshop files the operating system hands the app, and the way every desktop event takes to the
 * page. Files come by a double-click (a path in `process.argv` on Windows and Linux, `open-file`
 * on macOS, even before the app is ready), from a second launch (its argv, relative paths
 * meaning its own working folder), from Open Recent or from a drop; menu commands come from the
 * native menu. Each reaches the page as a {@link DesktopEvent}, in the order given, once the page
 * has loaded: the {@link DesktopOutbox} holds what comes before (or while the page reloads).
 * main.ts only wires Electron's events to it.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DesktopEvent, MenuCommand, OpenWorkshopFileResponse } from '../shared/ipc';
import { WORKSHOP_FILE_EXTENSION } from '../shared/workshop-file';
import { openWorkshopPath } from './workshop-files';

/** True when `name` ends in `.talkoo`, in any case. */
export function isWorkshopFileName(name: string): boolean {
  return name.toLowerCase().endsWith(`.${WORKSHOP_FILE_EXTENSION}`);
}

/**
 * The workshop files named in a command line: Electron's `argv` at start, or a second instance's
 * in `second-instance`. The first entry (the executable), flags (`-…`, Chromium's and Electron's
 * own switches among them) and anything not ending in `.talkoo` are ignored; a `file:` URL (a
 * Linux desktop entry's `%U`) becomes its path; a relative path is resolved against
 * `workingDirectory`, the folder the launching program was in. Each file once, in order.
 */
export function workshopFilesInArgv(
  argv: readonly string[],
  workingDirectory: string,
  platform: string,
): string[] {
  const paths = platform === 'win32' ? path.win32 : path.posix;
  const files: string[] = [];
  for (const arg of argv.slice(1)) {
    if (arg.startsWith('-') || !isWorkshopFileName(arg)) continue;
    const given = arg.startsWith('file:') ? fromFileUrl(arg, platform) : arg;
    if (given === null) continue;
    const file = paths.resolve(workingDirectory, given);
    if (!files.includes(file)) files.push(file);
  }
  return files;
}

function fromFileUrl(url: string, platform: string): string | null {
  try {
    return fileURLToPath(url, { windows: platform === 'win32' });
  } catch {
    return null; // A file URL of another host, or malformed: not a file here.
  }
}

/**
 * Opens the workshop file at `filePath` for the page (workshop-files.ts `openWorkshopPath`) and,
 * when it opened, hands its path to `remember` (the recent list).
 */
export async function openAndRemember(
  filePath: string,
  remember: (filePath: string) => void,
): Promise<OpenWorkshopFileResponse> {
  const opened = await openWorkshopPath(filePath);
  if (opened.ok) remember(filePath);
  return opened;
}

/** Hands one event to the page; false when the page cannot take it now (not the app's page). */
export type SendToPage = (event: DesktopEvent) => boolean;

/**
 * What main has to tell the page, held until the page is there to hear it and then sent in the
 * order it came. A file is read when its turn comes, so what the page gets is the file as it is.
 */
export class DesktopOutbox {
  private readonly queue: (DesktopEvent | (() => Promise<DesktopEvent>))[] = [];
  private send: SendToPage | null = null;
  private draining: Promise<void> = Promise.resolve();
  private running = false;

  /** `open`: reads a file for the page (usually {@link openAndRemember}). */
  constructor(private readonly open: (filePath: string) => Promise<OpenWorkshopFileResponse>) {}

  /** A workshop file to open in the page. */
  openFile(filePath: string): void {
    this.queue.push(async () => ({ kind: 'open-file', file: await this.open(filePath) }));
    this.drain();
  }

  /** A menu command for the page. */
  menu(command: MenuCommand): void {
    this.queue.push({ kind: 'menu', command });
    this.drain();
  }

  /** The app's page has loaded: from now on events go to it through `send`. */
  pageReady(send: SendToPage): void {
    this.send = send;
    this.drain();
  }

  /** The page is going (reloading, navigating, its window closed): hold events until the next. */
  pageGone(): void {
    this.send = null;
  }

  /** Settles once everything that can be sent now has been. */
  idle(): Promise<void> {
    return this.draining;
  }

  private drain(): void {
    if (this.running) return;
    this.running = true;
    this.draining = this.run();
  }

  private async run(): Promise<void> {
    try {
      while (this.send !== null && this.queue.length > 0) {
        const next = this.queue[0];
        if (next === undefined) break;
        const event = typeof next === 'function' ? await next() : next;
        // The page may have gone while the file was read: keep what was read for the next page.
        if (this.send === null || !this.send(event)) {
          this.queue[0] = event;
          break;
        }
        this.queue.shift();
      }
    } finally {
      this.running = false;
    }
  }
}
