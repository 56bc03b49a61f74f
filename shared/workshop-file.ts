/**
 * The `.talkoo` workshop file format: a small versioned header and the Yjs document state.
 * Pure (no Node, no DOM), so main/ writes files with it and tests can read them anywhere.
 *
 * Layout, all integers big-endian. Wire format stored in users' files: never rename or reorder.
 *
 * | offset   | size | field                                                     |
 * | -------- | ---- | --------------------------------------------------------- |
 * | 0        | 6    | magic: the ASCII bytes `TALKOO`                           |
 * | 6        | 2    | format version (uint16), {@link WORKSHOP_FILE_FORMAT_VERSION} |
 * | 8        | 4    | header length H (uint32)                                  |
 * | 12       | H    | header: UTF-8 JSON object (keys below)                    |
 * | 12+H     | 4    | state length S (uint32)                                   |
 * | 16+H     | 4    | CRC-32 of the state                                       |
 * | 20+H     | S    | state: `Y.encodeStateAsUpdate(doc)`                       |
 *
 * The file ends exactly after the state. A reader checks the format version before anything
 * after it, so a later format may change everything past byte 8.
 *
 * Header keys (wire format: never rename): `title`, `schemaVersion`, and, in files that know
 * their workshop, `workshop` (its room name, {@link WORKSHOP_ROOM_NAME}) and `origin` (the
 * http(s) origin of its server, or null for a laptop's own server). Readers ignore keys they do
 * not know, so the identity came without a new format version; a file without it is a copy of
 * an unknown workshop.
 */
import { MAX_DOCUMENT_BYTES } from './limits';
import { fail, ok, type ParseError, type Result } from './result';
import { utf8Decode, utf8Encode } from './utf8';

/** File name extension of workshop files, without the dot. Never rename. */
export const WORKSHOP_FILE_EXTENSION = 'talkoo';

/** The first six bytes of every workshop file, as ASCII. Wire format: never change. */
export const WORKSHOP_FILE_MAGIC = 'TALKOO';

/** The layout this code writes and the newest it reads. Raise it when the layout changes. */
export const WORKSHOP_FILE_FORMAT_VERSION = 1;

/** Largest header this code reads or writes, in bytes; a larger length means corruption. */
export const MAX_WORKSHOP_HEADER_BYTES = 64 * 1024;

/**
 * Largest Yjs state this code writes, in bytes: the largest workshop a server room holds, so a
 * saved workshop can always be opened again (shared/limits.ts).
 */
export const MAX_WORKSHOP_STATE_BYTES = MAX_DOCUMENT_BYTES;

/** Largest workshop file this code writes, so readers can refuse anything bigger unread. */
export const MAX_WORKSHOP_FILE_BYTES = MAX_WORKSHOP_STATE_BYTES + MAX_WORKSHOP_HEADER_BYTES + 20;

/**
 * The room name of a workshop as a server makes it: `w-` and a random UUID. A file names its
 * workshop by it, and a server creates a room under that name only when it has this shape.
 */
export const WORKSHOP_ROOM_NAME = /^w-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** An http(s) origin (scheme, host, optional port; no path), as `URL.origin` gives it. */
const HTTP_ORIGIN = /^https?:\/\/[A-Za-z0-9.\-[\]:]{1,253}$/;

/** True when `value` may be a file's `origin`: an http(s) origin, as `URL.origin` gives it. */
export function isServerOrigin(value: string): boolean {
  return HTTP_ORIGIN.test(value);
}

/** What the writer knows about the document besides its state. */
export type WorkshopFileMeta = {
  /** The workshop's title, shown before the document is loaded (recent files, dialogs). */
  readonly title: string;
  /** The document schema version (`meta.schemaVersion` in the Y.Doc). */
  readonly schemaVersion: number;
  /** The workshop's room name ({@link WORKSHOP_ROOM_NAME}); null or absent: none recorded. */
  readonly workshop?: string | null;
  /** The http(s) origin of the workshop's server; null or absent: a laptop's own server. */
  readonly origin?: string | null;
};

/** The parsed header of a workshop file. */
export type WorkshopFileHeader = {
  /** The file layout version read from bytes 6 to 8. */
  readonly formatVersion: number;
  readonly title: string;
  readonly schemaVersion: number;
  /** The workshop the file is a copy of; null in files saved before files carried it. */
  readonly workshop: string | null;
  /** Its server's http(s) origin; null for a laptop's own server (and when `workshop` is null). */
  readonly origin: string | null;
};

/** A decoded workshop file: the header and the Yjs state to apply to a fresh Y.Doc. */
export type DecodedWorkshopFile = {
  readonly header: WorkshopFileHeader;
  /** `Y.encodeStateAsUpdate` output; a fresh copy that shares no memory with the input. */
  readonly state: Uint8Array;
};

const MAGIC_BYTES = [0x54, 0x41, 0x4c, 0x4b, 0x4f, 0x4f]; // "TALKOO"
const VERSION_OFFSET = 6;
const HEADER_LENGTH_OFFSET = 8;
const HEADER_OFFSET = 12;
const STATE_PREFIX_BYTES = 8; // state length + CRC-32

/**
 * Serialises a workshop into the bytes of a `.talkoo` file.
 *
 * @param state - The Yjs state, `Y.encodeStateAsUpdate(doc)`.
 * @param meta - The title and schema version written into the header.
 * @returns The complete file contents.
 * @throws RangeError when the schema version is not a whole number ≥ 0, the header would
 *   exceed {@link MAX_WORKSHOP_HEADER_BYTES} or the state {@link MAX_WORKSHOP_STATE_BYTES}:
 *   callers bound titles and states before they get here (see shared/ipc.ts).
 */
export function encodeWorkshopFile(state: Uint8Array, meta: WorkshopFileMeta): Uint8Array {
  if (!Number.isSafeInteger(meta.schemaVersion) || meta.schemaVersion < 0) {
    throw new RangeError(`schemaVersion must be a whole number ≥ 0, got ${meta.schemaVersion}`);
  }
  const workshop = meta.workshop ?? null;
  const origin = meta.origin ?? null;
  if (workshop !== null && !WORKSHOP_ROOM_NAME.test(workshop)) {
    throw new RangeError(`workshop must be a workshop room name, got ${JSON.stringify(workshop)}`);
  }
  if (origin !== null && !HTTP_ORIGIN.test(origin)) {
    throw new RangeError(`origin must be an http(s) origin, got ${JSON.stringify(origin)}`);
  }
  // Header keys are wire format: never rename. No identity: the header an older Talkoo wrote.
  const identity = workshop === null ? {} : { workshop, origin };
  const header = utf8Encode(
    JSON.stringify({ title: meta.title, schemaVersion: meta.schemaVersion, ...identity }),
  );
  if (header.length > MAX_WORKSHOP_HEADER_BYTES) {
    throw new RangeError(`The header is ${header.length} bytes; at most ${MAX_WORKSHOP_HEADER_BYTES} fit.`);
  }
  if (state.length > MAX_WORKSHOP_STATE_BYTES) {
    throw new RangeError(`The state is ${state.length} bytes; at most ${MAX_WORKSHOP_STATE_BYTES} fit.`);
  }

  const stateOffset = HEADER_OFFSET + header.length + STATE_PREFIX_BYTES;
  const bytes = new Uint8Array(stateOffset + state.length);
  const view = new DataView(bytes.buffer);
  bytes.set(MAGIC_BYTES, 0);
  view.setUint16(VERSION_OFFSET, WORKSHOP_FILE_FORMAT_VERSION);
  view.setUint32(HEADER_LENGTH_OFFSET, header.length);
  bytes.set(header, HEADER_OFFSET);
  view.setUint32(HEADER_OFFSET + header.length, state.length);
  view.setUint32(HEADER_OFFSET + header.length + 4, crc32(state));
  bytes.set(state, stateOffset);
  return bytes;
}

/**
 * Parses the bytes of a `.talkoo` file. Never throws: anything that is not a complete file in
 * a format this code reads gives an error whose `message` is a full sentence fit to show to
 * people ("The file is truncated: ...", "This file was saved by a newer version of Talkoo ...")
 * and whose `path` names the part at fault (`''` for the file as a whole, `formatVersion`,
 * `header`, `header.title`, `header.schemaVersion`, `header.workshop`, `header.origin`, `state`).
 *
 * The Yjs state itself is checked against its CRC-32, not interpreted: applying it to a
 * Y.Doc, and migrating or opening a newer schema read-only, is the document model's job.
 */
export function decodeWorkshopFile(bytes: Uint8Array): Result<DecodedWorkshopFile, ParseError> {
  if (bytes.length === 0) return fail({ path: '', message: EMPTY_MESSAGE });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

  const signatureLength = Math.min(bytes.length, MAGIC_BYTES.length);
  for (let i = 0; i < signatureLength; i++) {
    if (view.getUint8(i) !== MAGIC_BYTES[i]) {
      return fail({
        path: '',
        message: `${FOREIGN_PREFIX}: it does not begin with "${WORKSHOP_FILE_MAGIC}".`,
      });
    }
  }
  if (bytes.length < HEADER_OFFSET) return truncated('the file header', HEADER_OFFSET, bytes.length);

  const formatVersion = view.getUint16(VERSION_OFFSET);
  if (formatVersion > WORKSHOP_FILE_FORMAT_VERSION) {
    return fail({
      path: 'formatVersion',
      message:
        `${NEWER_PREFIX} (file format ${formatVersion}; ` +
        `this version reads format ${WORKSHOP_FILE_FORMAT_VERSION}). Update Talkoo to open it.`,
    });
  }
  if (formatVersion === 0) {
    return fail({ path: 'formatVersion', message: 'The file is damaged: its format version is 0.' });
  }

  const headerLength = view.getUint32(HEADER_LENGTH_OFFSET);
  if (headerLength > MAX_WORKSHOP_HEADER_BYTES) {
    return fail({
      path: 'header',
      message:
        `The file is damaged: its header claims ${headerLength} bytes, ` +
        `more than any Talkoo header (at most ${MAX_WORKSHOP_HEADER_BYTES}).`,
    });
  }
  const headerEnd = HEADER_OFFSET + headerLength;
  if (bytes.length < headerEnd) return truncated('the header', headerEnd, bytes.length);

  const header = parseHeader(bytes.subarray(HEADER_OFFSET, headerEnd), formatVersion);
  if (!header.ok) return header;

  const stateOffset = headerEnd + STATE_PREFIX_BYTES;
  if (bytes.length < stateOffset)
    return truncated('the state length and checksum', stateOffset, bytes.length);
  const stateLength = view.getUint32(headerEnd);
  const expectedCrc = view.getUint32(headerEnd + 4);
  const fileEnd = stateOffset + stateLength;
  if (bytes.length < fileEnd) return truncated('the workshop data', fileEnd, bytes.length);
  if (bytes.length > fileEnd) {
    return fail({
      path: 'state',
      message: `The file is damaged: ${bytes.length - fileEnd} unexpected bytes follow the workshop data.`,
    });
  }

  const state = bytes.subarray(stateOffset, fileEnd);
  if (crc32(state) !== expectedCrc) {
    return fail({
      path: 'state',
      message: 'The file is damaged: the workshop data does not match its checksum.',
    });
  }
  // A copy, so the result neither keeps the whole file alive nor is a Node Buffer view.
  return ok({ header: header.value, state: new Uint8Array(state) });
}

/**
 * What is wrong with a file {@link decodeWorkshopFile} refused, as a stable name the app
 * translates: `not-workshop` (empty, or another kind of file), `truncated` (it ends too early:
 * a copy or download that did not finish), `newer` (a newer Talkoo's format), `damaged`
 * (anything else: a bad header, a checksum that does not match, bytes after the end).
 */
export type WorkshopFileProblem = 'not-workshop' | 'truncated' | 'newer' | 'damaged';

/** The {@link WorkshopFileProblem} of an error {@link decodeWorkshopFile} returned. */
export function workshopFileProblem(error: ParseError): WorkshopFileProblem {
  if (error.path === 'formatVersion' && error.message.startsWith(NEWER_PREFIX)) return 'newer';
  if (error.message.startsWith(TRUNCATED_PREFIX)) return 'truncated';
  if (error.message === EMPTY_MESSAGE || error.message.startsWith(FOREIGN_PREFIX)) return 'not-workshop';
  return 'damaged';
}

const NEWER_PREFIX = 'This file was saved by a newer version of Talkoo';
const TRUNCATED_PREFIX = 'The file is truncated';
const FOREIGN_PREFIX = 'This is not a Talkoo workshop file';
const EMPTY_MESSAGE = 'The file is empty.';

function truncated(part: string, needed: number, found: number): { ok: false; error: ParseError } {
  return fail({
    path: '',
    message: `${TRUNCATED_PREFIX}: it ends inside ${part} (${found} bytes, at least ${needed} expected).`,
  });
}

function parseHeader(bytes: Uint8Array, formatVersion: number): Result<WorkshopFileHeader, ParseError> {
  const text = utf8Decode(bytes);
  if (text === null) {
    return fail({ path: 'header', message: 'The file is damaged: its header is not valid UTF-8 text.' });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return fail({ path: 'header', message: 'The file is damaged: its header is not valid JSON.' });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return fail({ path: 'header', message: 'The file is damaged: its header is not a JSON object.' });
  }
  const title = 'title' in json ? json.title : undefined;
  const schemaVersion = 'schemaVersion' in json ? json.schemaVersion : undefined;
  if (typeof title !== 'string') {
    return fail({ path: 'header.title', message: 'The file is damaged: its header has no title text.' });
  }
  if (typeof schemaVersion !== 'number' || !Number.isSafeInteger(schemaVersion) || schemaVersion < 0) {
    return fail({
      path: 'header.schemaVersion',
      message: 'The file is damaged: its header has no valid schema version.',
    });
  }
  const workshop = 'workshop' in json ? json.workshop : null;
  if (workshop !== null && (typeof workshop !== 'string' || !WORKSHOP_ROOM_NAME.test(workshop))) {
    return fail({
      path: 'header.workshop',
      message: 'The file is damaged: its header names no valid workshop.',
    });
  }
  const origin = workshop !== null && 'origin' in json ? json.origin : null;
  if (origin !== null && (typeof origin !== 'string' || !HTTP_ORIGIN.test(origin))) {
    return fail({ path: 'header.origin', message: 'The file is damaged: its header names no valid server.' });
  }
  return ok({ formatVersion, title, schemaVersion, workshop, origin });
}

let crcTable: Uint32Array | null = null;

/** CRC-32 (IEEE 802.3, as zip and PNG use), so a damaged state is reported, not half-loaded. */
function crc32(bytes: Uint8Array): number {
  crcTable ??= makeCrcTable();
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) {
    crc = (crcTable[(crc ^ (bytes[i] ?? 0)) & 0xff] ?? 0) ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function makeCrcTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}
