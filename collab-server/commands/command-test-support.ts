/**
 * Helpers for the `talkoo` command's tests: the command run in-process with its output caught,
 * workshop files written from documents, and text read back from PDFs. Used by tests only.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as Y from 'yjs';
import { readMeta } from '../../shared/model/read';
import { encodeWorkshopFile } from '../../shared/workshop-file';
import { runTalkoo } from './run';

/** What one run of the command did. */
export type CommandRun = { readonly code: number; readonly stdout: string; readonly stderr: string };

/** Runs `talkoo ...argv` in this process; `env` stands for the environment (TALKOO_TOKEN). */
export async function talkoo(argv: readonly string[], env: Record<string, string> = {}): Promise<CommandRun> {
  let stdout = '';
  let stderr = '';
  const code = await runTalkoo(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env,
  });
  return { code, stdout, stderr };
}

/** The bytes of `doc` as a `.talkoo` file. */
export function workshopFileBytes(doc: Y.Doc): Uint8Array {
  const meta = readMeta(doc);
  return encodeWorkshopFile(Y.encodeStateAsUpdate(doc), {
    title: meta.title,
    schemaVersion: meta.schemaVersion,
  });
}

/** Writes `doc` to `path` as a `.talkoo` file. */
export function writeWorkshopFile(path: string, doc: Y.Doc): void {
  writeFileSync(path, workshopFileBytes(doc));
}

/**
 * The text of a PDF (pdftotext, content order), whitespace runs as one space and line-end
 * hyphenation kept, so a phrase wrapped in a table cell still reads as one.
 */
export function pdfText(path: string): string {
  let text: string;
  try {
    text = execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', path, '-'], { encoding: 'utf8' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new Error(
      'pdftotext is not installed: the PDF export tests read PDFs with it. Install poppler-utils ' +
        '(Debian/Ubuntu: sudo apt-get install poppler-utils), as .ci/run does.',
      { cause: error },
    );
  }
  return text.replace(/\s+/g, ' ');
}

/** `text` with whitespace runs (no-break and narrow spaces too) as one space. */
export function oneSpaced(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
