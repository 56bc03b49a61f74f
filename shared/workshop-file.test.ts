// The .talkoo format: what was saved opens again unchanged, and every kind of bad file is
// refused with a message that says what is wrong with it.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  decodeWorkshopFile,
  encodeWorkshopFile,
  workshopFileProblem,
  MAX_WORKSHOP_HEADER_BYTES,
  WORKSHOP_FILE_FORMAT_VERSION,
} from './workshop-file';

function sampleDoc(): Y.Doc {
  const doc = new Y.Doc();
  doc.getMap('meta').set('schemaVersion', 1);
  doc.getMap('meta').set('title', 'Kulttuurin tarvekartoitus');
  const note = new Y.Map<unknown>();
  note.set('text', new Y.Text('Mötesplatser för unga i Närpes'));
  note.set('lane', 'lane-1');
  doc.getMap('notes').set('note-1', note);
  return doc;
}

function sampleFile(title = 'Tegevuskava 2026 — Võru maakond'): Uint8Array {
  return encodeWorkshopFile(Y.encodeStateAsUpdate(sampleDoc()), { title, schemaVersion: 1 });
}

/** The decode error message, failing the test when decoding succeeds. */
function decodeError(bytes: Uint8Array): { path: string; message: string } {
  const result = decodeWorkshopFile(bytes);
  if (result.ok) throw new Error('expected the file to be refused');
  return result.error;
}

function withUint32(bytes: Uint8Array, offset: number, value: number): Uint8Array {
  const copy = bytes.slice();
  new DataView(copy.buffer).setUint32(offset, value);
  return copy;
}

function headerLength(bytes: Uint8Array): number {
  return new DataView(bytes.buffer, bytes.byteOffset).getUint32(8);
}

/** The same file with its header replaced by `json` (ASCII), lengths kept consistent. */
function withHeaderJson(file: Uint8Array, json: string): Uint8Array {
  const header = Uint8Array.from([...json].map((c) => c.charCodeAt(0)));
  const rest = file.subarray(12 + headerLength(file));
  const out = new Uint8Array(12 + header.length + rest.length);
  out.set(file.subarray(0, 12));
  new DataView(out.buffer).setUint32(8, header.length);
  out.set(header, 12);
  out.set(rest, 12 + header.length);
  return out;
}

describe('workshop file round trip', () => {
  it('reopens a saved workshop with the same notes, title and schema version', () => {
    const title = 'Tegevuskava 2026 — Võru maakond, Åland & Närpes 🎭';
    const bytes = encodeWorkshopFile(Y.encodeStateAsUpdate(sampleDoc()), { title, schemaVersion: 1 });

    const result = decodeWorkshopFile(bytes);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.header).toEqual({
      formatVersion: WORKSHOP_FILE_FORMAT_VERSION,
      title,
      schemaVersion: 1,
      workshop: null,
      origin: null,
    });

    const reopened = new Y.Doc();
    Y.applyUpdate(reopened, result.value.state);
    expect(reopened.getMap('meta').toJSON()).toEqual(sampleDoc().getMap('meta').toJSON());
    const note = reopened.getMap('notes').get('note-1');
    expect(note instanceof Y.Map && String(note.get('text'))).toBe('Mötesplatser för unga i Närpes');
  });

  it('starts with the TALKOO signature so the file is recognisable', () => {
    const bytes = sampleFile();
    expect(String.fromCharCode(...bytes.subarray(0, 6))).toBe('TALKOO');
  });

  it('stores the header as standard UTF-8 JSON that other tools can read', () => {
    const title = 'Åbo – Tartu – Oulu 🎭 "quoted" \\ \u0000';
    const file = encodeWorkshopFile(Y.encodeStateAsUpdate(sampleDoc()), { title, schemaVersion: 1 });
    const headerBytes = file.subarray(12, 12 + headerLength(file));
    expect(headerBytes).toEqual(new TextEncoder().encode(JSON.stringify({ title, schemaVersion: 1 })));
    expect(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes))).toEqual({
      title,
      schemaVersion: 1,
    });
  });

  it('keeps an empty workshop and an empty title', () => {
    const state = Y.encodeStateAsUpdate(new Y.Doc());
    const result = decodeWorkshopFile(encodeWorkshopFile(state, { title: '', schemaVersion: 0 }));
    expect(result).toEqual({
      ok: true,
      value: {
        header: { formatVersion: 1, title: '', schemaVersion: 0, workshop: null, origin: null },
        state,
      },
    });
  });

  it('reads a file that sits inside a larger buffer (as a Node Buffer slice does)', () => {
    const file = sampleFile();
    const padded = new Uint8Array(file.length + 10);
    padded.set(file, 7);
    const result = decodeWorkshopFile(padded.subarray(7, 7 + file.length));
    expect(result.ok).toBe(true);
  });

  it('refuses to write a header larger than any reader accepts', () => {
    const state = Y.encodeStateAsUpdate(new Y.Doc());
    const title = 'x'.repeat(MAX_WORKSHOP_HEADER_BYTES);
    expect(() => encodeWorkshopFile(state, { title, schemaVersion: 1 })).toThrow(RangeError);
  });
});

describe("a workshop file's identity", () => {
  const workshop = 'w-3f2c1a9e-8b7d-4c6e-9f10-123456789abc';

  it('carries the workshop and its server of origin, so a copy can find its workshop again', () => {
    const state = Y.encodeStateAsUpdate(sampleDoc());
    const origin = 'https://talkoo.example.fi:8443';
    const result = decodeWorkshopFile(
      encodeWorkshopFile(state, { title: 'Kulttuuri', schemaVersion: 1, workshop, origin }),
    );
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.header).toEqual({
      formatVersion: 1,
      title: 'Kulttuuri',
      schemaVersion: 1,
      workshop,
      origin,
    });
  });

  it("names no origin for a workshop on a laptop's own server", () => {
    const state = Y.encodeStateAsUpdate(sampleDoc());
    const file = encodeWorkshopFile(state, { title: 'T', schemaVersion: 1, workshop, origin: null });
    const result = decodeWorkshopFile(file);
    expect(result.ok && result.value.header).toMatchObject({ workshop, origin: null });
    // Format 1 still: readers that came before identities ignore the keys they do not know.
    expect(new DataView(file.buffer).getUint16(6)).toBe(1);
  });

  it('opens a file saved before files carried identities as an unknown workshop', () => {
    const old = withHeaderJson(sampleFile(), '{"title":"Vanha","schemaVersion":1}');
    const result = decodeWorkshopFile(old);
    expect(result.ok && result.value.header).toEqual({
      formatVersion: 1,
      title: 'Vanha',
      schemaVersion: 1,
      workshop: null,
      origin: null,
    });
  });

  it('ignores header keys a later Talkoo may add', () => {
    const later = withHeaderJson(
      sampleFile(),
      `{"title":"T","schemaVersion":1,"workshop":"${workshop}","origin":null,"colour":"red"}`,
    );
    expect(decodeWorkshopFile(later).ok).toBe(true);
  });

  it('refuses an identity that is not a workshop room name', () => {
    for (const bad of ['"../../etc"', '"w-1"', '42', '""']) {
      const file = withHeaderJson(sampleFile(), `{"title":"T","schemaVersion":1,"workshop":${bad}}`);
      expect(decodeError(file)).toEqual({
        path: 'header.workshop',
        message: 'The file is damaged: its header names no valid workshop.',
      });
    }
  });

  it('refuses an origin that is not an http(s) origin', () => {
    for (const bad of ['"file:///etc"', '"https://a.example/path"', '"javascript:alert(1)"', '7']) {
      const file = withHeaderJson(
        sampleFile(),
        `{"title":"T","schemaVersion":1,"workshop":"${workshop}","origin":${bad}}`,
      );
      expect(decodeError(file)).toEqual({
        path: 'header.origin',
        message: 'The file is damaged: its header names no valid server.',
      });
    }
  });

  it('refuses to write an identity no reader would accept', () => {
    const state = Y.encodeStateAsUpdate(new Y.Doc());
    expect(() => encodeWorkshopFile(state, { title: '', schemaVersion: 1, workshop: 'room 1' })).toThrow(
      RangeError,
    );
    expect(() =>
      encodeWorkshopFile(state, { title: '', schemaVersion: 1, workshop, origin: 'ftp://x.example' }),
    ).toThrow(RangeError);
  });
});

describe('workshop file refused', () => {
  it('an empty file', () => {
    expect(decodeError(new Uint8Array(0)).message).toBe('The file is empty.');
  });

  it('a file of another kind (a PNG image)', () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    expect(decodeError(png).message).toBe(
      'This is not a Talkoo workshop file: it does not begin with "TALKOO".',
    );
  });

  it('a text file that only starts like one', () => {
    const text = Uint8Array.from([...'TALKING POINTS'].map((c) => c.charCodeAt(0)));
    expect(decodeError(text).message).toMatch(/not a Talkoo workshop file/);
  });

  it('a file cut off inside the signature', () => {
    expect(decodeError(sampleFile().subarray(0, 4)).message).toBe(
      'The file is truncated: it ends inside the file header (4 bytes, at least 12 expected).',
    );
  });

  it('a file cut off inside the header', () => {
    const file = sampleFile();
    const error = decodeError(file.subarray(0, 20));
    expect(error.message).toBe(
      `The file is truncated: it ends inside the header (20 bytes, at least ${12 + headerLength(file)} expected).`,
    );
  });

  it('a file cut off inside the workshop data', () => {
    const file = sampleFile();
    const error = decodeError(file.subarray(0, file.length - 1));
    expect(error.message).toBe(
      `The file is truncated: it ends inside the workshop data (${file.length - 1} bytes, at least ${file.length} expected).`,
    );
  });

  it('a file cut off right after the header', () => {
    const file = sampleFile();
    const end = 12 + headerLength(file);
    expect(decodeError(file.subarray(0, end + 3)).message).toMatch(
      /^The file is truncated: it ends inside the state length and checksum/,
    );
  });

  it('a file saved by a newer Talkoo, with the versions named', () => {
    const file = sampleFile();
    new DataView(file.buffer).setUint16(6, WORKSHOP_FILE_FORMAT_VERSION + 1);
    const error = decodeError(file);
    expect(error.path).toBe('formatVersion');
    expect(error.message).toBe(
      `This file was saved by a newer version of Talkoo (file format ${WORKSHOP_FILE_FORMAT_VERSION + 1}; ` +
        `this version reads format ${WORKSHOP_FILE_FORMAT_VERSION}). Update Talkoo to open it.`,
    );
  });

  it('a newer-format file is named as such even when its layout is unreadable to us', () => {
    const future = Uint8Array.from([0x54, 0x41, 0x4c, 0x4b, 0x4f, 0x4f, 0, 9, 0xff, 0xff, 0xff, 0xff]);
    expect(decodeError(future).message).toMatch(/newer version of Talkoo \(file format 9;/);
  });

  it('a format version of 0', () => {
    const file = sampleFile();
    new DataView(file.buffer).setUint16(6, 0);
    expect(decodeError(file).message).toBe('The file is damaged: its format version is 0.');
  });

  it('an absurd header length', () => {
    const error = decodeError(withUint32(sampleFile(), 8, 0x7fffffff));
    expect(error.message).toBe(
      `The file is damaged: its header claims 2147483647 bytes, more than any Talkoo header (at most ${MAX_WORKSHOP_HEADER_BYTES}).`,
    );
  });

  it('a header that is not UTF-8', () => {
    const file = sampleFile();
    file[13] = 0xff;
    expect(decodeError(file)).toEqual({
      path: 'header',
      message: 'The file is damaged: its header is not valid UTF-8 text.',
    });
  });

  it('a header that is not JSON', () => {
    const file = sampleFile();
    file[12] = '['.charCodeAt(0);
    expect(decodeError(file)).toEqual({
      path: 'header',
      message: 'The file is damaged: its header is not valid JSON.',
    });
  });

  it('a header without a title', () => {
    expect(decodeError(withHeaderJson(sampleFile(), '{"name":"x","schemaVersion":1}'))).toEqual({
      path: 'header.title',
      message: 'The file is damaged: its header has no title text.',
    });
  });

  it('a header with a negative schema version', () => {
    expect(decodeError(withHeaderJson(sampleFile(), '{"title":"x","schemaVersion":-1}'))).toEqual({
      path: 'header.schemaVersion',
      message: 'The file is damaged: its header has no valid schema version.',
    });
  });

  it('a header that is a JSON array', () => {
    expect(decodeError(withHeaderJson(sampleFile(), '["x",1]')).message).toBe(
      'The file is damaged: its header is not a JSON object.',
    );
  });

  it('workshop data damaged on disk (one flipped byte)', () => {
    const file = sampleFile();
    const last = file.length - 1;
    file[last] = (file[last] ?? 0) ^ 0x01;
    expect(decodeError(file)).toEqual({
      path: 'state',
      message: 'The file is damaged: the workshop data does not match its checksum.',
    });
  });

  it('extra bytes after the workshop data', () => {
    const file = sampleFile();
    const longer = new Uint8Array(file.length + 3);
    longer.set(file);
    expect(decodeError(longer).message).toBe(
      'The file is damaged: 3 unexpected bytes follow the workshop data.',
    );
  });
});

describe('what is wrong with a refused file, for the message people read', () => {
  it('names each kind of refusal', () => {
    const file = sampleFile();
    const problem = (bytes: Uint8Array): string => workshopFileProblem(decodeError(bytes));
    expect(problem(new Uint8Array())).toBe('not-workshop');
    expect(problem(new TextEncoder().encode('<html>'))).toBe('not-workshop');
    expect(problem(file.subarray(0, file.length - 10))).toBe('truncated');
    expect(problem(file.subarray(0, 9))).toBe('truncated');
    const newer = file.slice();
    new DataView(newer.buffer).setUint16(6, WORKSHOP_FILE_FORMAT_VERSION + 1);
    expect(problem(newer)).toBe('newer');
    const flipped = file.slice();
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] ?? 0) ^ 1;
    expect(problem(flipped)).toBe('damaged');
    expect(problem(withHeaderJson(file, '{"title":1}'))).toBe('damaged');
  });
});
