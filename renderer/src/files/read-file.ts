/**
 * Workshop files as the browser reads and writes them (no dialogs of main's here): a file chosen
 * with `<input type=file>` or dropped on the window, decoded by the same decoder main uses, and a
 * copy saved as a download. Both answer as main does for the desktop app (shared/ipc.ts), so the
 * file flow treats every file alike.
 */
import type { OpenWorkshopFileResponse } from '../../../shared/ipc';
import {
  decodeWorkshopFile,
  encodeWorkshopFile,
  MAX_WORKSHOP_FILE_BYTES,
  WORKSHOP_FILE_EXTENSION,
  workshopFileProblem,
  type WorkshopFileMeta,
} from '../../../shared/workshop-file';

/** Reads and decodes `file`; never throws. */
export async function readWorkshopBlob(file: File): Promise<OpenWorkshopFileResponse> {
  const name = file.name;
  if (file.size > MAX_WORKSHOP_FILE_BYTES) {
    return {
      ok: false,
      reason: 'invalid',
      problem: 'not-workshop',
      message: `Could not open ${name}. The file is too large to be a Talkoo workshop (${file.size} bytes, at most ${MAX_WORKSHOP_FILE_BYTES}).`,
    };
  }
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: 'error', message: `Could not open ${name}. ${reason}` };
  }
  const decoded = decodeWorkshopFile(bytes);
  if (!decoded.ok) {
    return {
      ok: false,
      reason: 'invalid',
      problem: workshopFileProblem(decoded.error),
      message: `Could not open ${name}. ${decoded.error.message}`,
    };
  }
  return { ok: true, path: name, header: decoded.value.header, state: decoded.value.state };
}

/** Characters no file name may hold on Windows, macOS or Linux. */
const FORBIDDEN_NAME_CHARS = '<>:"/\\|?*';

/** `title` as a file name stem: forbidden and control characters become spaces. */
function safeStem(title: string): string {
  const stem = [...title]
    .map((char) => (char < ' ' || char === '\u007f' || FORBIDDEN_NAME_CHARS.includes(char) ? ' ' : char))
    .join('');
  return stem.replace(/\s+/g, ' ').trim().slice(0, 200).replace(/^\.+/, '') || 'workshop';
}

/** Offers the workshop as a `.talkoo` download named after its title; returns the file name. */
export function downloadWorkshopFile(state: Uint8Array, meta: WorkshopFileMeta): string {
  const bytes = encodeWorkshopFile(state, meta);
  const stem = safeStem(meta.title);
  const name = `${stem}.${WORKSHOP_FILE_EXTENSION}`;
  const url = URL.createObjectURL(new Blob([new Uint8Array(bytes)], { type: 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  // After the browser has taken the download.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
  return name;
}

/** The file name of `path` (main's answer carries a whole path; a browser's, the name alone). */
export function fileNameOf(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}
