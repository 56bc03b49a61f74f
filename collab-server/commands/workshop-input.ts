/**
 * What the `talkoo` command reads, judged by content, never by the file's extension: a `.talkoo`
 * workshop file (its magic bytes), an outline (JSON text) or a notes CSV (other text). A file of
 * the wrong kind, damaged, truncated or from a newer Talkoo gives a one-line reason.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import * as Y from 'yjs';
import { readMeta, readOnlyReason } from '../../shared/model/read';
import { SCHEMA_VERSION } from '../../shared/model/schema';
import { parseOutlineText } from '../../shared/outline/outline';
import { decodeWorkshopFile, MAX_WORKSHOP_FILE_BYTES, WORKSHOP_FILE_MAGIC } from '../../shared/workshop-file';

/** What a file holds, from its first bytes. */
export type InputKind = 'workshop' | 'json' | 'text' | 'binary';

const BOM = [0xef, 0xbb, 0xbf];

/** The kind of `bytes`: `.talkoo` magic, JSON text (`{` or `[` first), other UTF-8 text, or not text. */
export function sniffInput(bytes: Uint8Array): InputKind {
  const magic = [...WORKSHOP_FILE_MAGIC].map((c) => c.charCodeAt(0));
  if (bytes.length > 0 && magic.slice(0, bytes.length).every((b, i) => bytes[i] === b)) return 'workshop';
  if (decodeUtf8(bytes) === null) return 'binary';
  let i = BOM.every((b, j) => bytes[j] === b) ? BOM.length : 0;
  // JSON's insignificant whitespace: space, tab, line feed, carriage return.
  while (i < bytes.length && [0x20, 0x09, 0x0a, 0x0d].includes(bytes[i] ?? 0)) i++;
  return bytes[i] === 0x7b || bytes[i] === 0x5b ? 'json' : 'text';
}

/** `bytes` as UTF-8 text without its byte-order mark, or null when they are not UTF-8 text. */
export function decodeUtf8(bytes: Uint8Array): string | null {
  if (bytes.includes(0)) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return null;
  }
}

/** Reads a file whole, refusing folders and files larger than any workshop or outline. */
export async function readInputFile(path: string): Promise<Uint8Array> {
  // Opened without blocking and checked on the handle: a named pipe would wait for a writer
  // forever and a device such as /dev/zero never ends.
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw new Error(`cannot read ${path}: ${describeFsError(error)}`, { cause: error });
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw new Error(`${path} is a folder, not a file`);
    if (!info.isFile()) throw new Error(`${path} is not a regular file (a device, a pipe or a socket)`);
    if (info.size > MAX_WORKSHOP_FILE_BYTES)
      throw new Error(`${path} is too large (${info.size} bytes) to be a Talkoo workshop or outline`);
    try {
      return new Uint8Array(await handle.readFile());
    } catch (error) {
      throw new Error(`cannot read ${path}: ${describeFsError(error)}`, { cause: error });
    }
  } finally {
    await handle.close();
  }
}

/** A file system error in a few words. */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a folder';
  if (code === 'ENOSPC') return 'the disk is full';
  if (code === 'EROFS') return 'the disk is read-only';
  return (error as Error).message;
}

/**
 * The workshop in a `.talkoo` file's bytes, as a document.
 * @throws Error naming `path` and why it is not a workshop this version can export.
 */
export function workshopFromFile(path: string, bytes: Uint8Array): Y.Doc {
  const kind = sniffInput(bytes);
  if (kind === 'json') {
    const text = decodeUtf8(bytes)?.replace(/^\uFEFF/, '') ?? '';
    const what = parseOutlineText(text).ok ? 'a workshop outline (JSON)' : 'JSON';
    throw new Error(
      `${path} is ${what}, not a .talkoo workshop file. ` +
        `To make a workshop of an outline, use: talkoo import ${quoteArg(path)} --out W.talkoo`,
    );
  }
  const decoded = decodeWorkshopFile(bytes);
  if (!decoded.ok) {
    const hint =
      kind === 'text' ? ' To make a workshop of a notes CSV, use: talkoo import FILE --out W.talkoo' : '';
    throw new Error(`${path}: ${decoded.error.message}${hint}`);
  }
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, decoded.value.state);
  } catch {
    throw new Error(`${path}: The file is damaged: its workshop data cannot be read.`);
  }
  const newer = readOnlyReason(doc);
  const headerVersion = decoded.value.header.schemaVersion;
  if (newer || headerVersion > SCHEMA_VERSION) {
    const version = newer?.version ?? headerVersion;
    throw new Error(
      `${path}: This workshop was saved by a newer version of Talkoo (schema ${version}; ` +
        `this version reads schema ${SCHEMA_VERSION}). Update Talkoo to export it.`,
    );
  }
  if (readMeta(doc).schemaVersion === 0 || doc.getMap('boards').size === 0)
    throw new Error(`${path}: The file holds no workshop (no boards).`);
  return doc;
}

/** `path` as one shell word, for hints a person can copy. */
export function quoteArg(path: string): string {
  return /^[\w./:@-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}
