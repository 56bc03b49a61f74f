// A workshop file read by a browser (file input, drop) answers as main does for the desktop app:
// the header with the workshop's identity, or what is wrong with the file.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { encodeWorkshopFile } from '../../../shared/workshop-file';
import { fileNameOf, readWorkshopBlob } from './read-file';

const workshop = 'w-0b6f3d2e-1c4a-4e8b-9d7f-5a2c3b4d5e6f';

function fileOf(bytes: Uint8Array, name = 'Anna.talkoo'): File {
  return new File([new Uint8Array(bytes)], name);
}

function savedFile(): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap('meta').set('title', 'Kulttuuri');
  return encodeWorkshopFile(Y.encodeStateAsUpdate(doc), {
    title: 'Kulttuuri',
    schemaVersion: 1,
    workshop,
    origin: 'https://talkoo.example.fi',
  });
}

describe('a workshop file read in a browser', () => {
  it('gives its header, with the workshop and its server, and its state', async () => {
    const opened = await readWorkshopBlob(fileOf(savedFile()));
    expect(opened.ok && opened.header).toEqual({
      formatVersion: 1,
      title: 'Kulttuuri',
      schemaVersion: 1,
      workshop,
      origin: 'https://talkoo.example.fi',
    });
    expect(opened.ok && opened.path).toBe('Anna.talkoo');
  });

  it('says what is wrong with a file it refuses, as main does', async () => {
    const bytes = savedFile();
    expect(await readWorkshopBlob(fileOf(bytes.subarray(0, 30), 'Cut.talkoo'))).toMatchObject({
      ok: false,
      reason: 'invalid',
      problem: 'truncated',
      message: expect.stringMatching(/^Could not open Cut\.talkoo\. The file is truncated/) as unknown,
    });
    expect(await readWorkshopBlob(fileOf(new TextEncoder().encode('<html>'), 'page.talkoo'))).toMatchObject({
      ok: false,
      problem: 'not-workshop',
    });
  });

  it('names a file by its name, whether main gave a whole path or a browser the name alone', () => {
    expect(fileNameOf('/home/anna/Työpaja.talkoo')).toBe('Työpaja.talkoo');
    expect(fileNameOf('C:\\Users\\Anna\\Työpaja.talkoo')).toBe('Työpaja.talkoo');
    expect(fileNameOf('Työpaja.talkoo')).toBe('Työpaja.talkoo');
  });
});
