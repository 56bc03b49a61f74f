// Workshop files on a real disk: a save is complete or did not happen, a failed save never
// destroys the previous one, and a bad file is refused with a message that says why.
import { execFile } from 'node:child_process';
import {
  appendFile,
  chmod,
  lstat,
  mkdir,
  mkdtemp,
  open,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { workshopState } from './test-support';
import { encodeWorkshopFile } from '../shared/workshop-file';
import {
  describeFileError,
  readAtMost,
  readSchemaVersion,
  readWorkshopFile,
  safeWorkshopFileName,
  saveWorkshopFile,
} from './workshop-files';

const here = path.dirname(fileURLToPath(import.meta.url));
let dir = '';

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'talkoo-files-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function openedNoteText(filePath: string): Promise<string> {
  const result = await readWorkshopFile(filePath);
  if (!result.ok) throw new Error(result.error.message);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, result.value.state);
  const note = doc.getMap('notes').get('note-1');
  return note instanceof Y.Map ? String(note.get('text')) : '';
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

describe('saving', () => {
  it('writes a complete file that opens with the same workshop, and nothing else', async () => {
    const file = path.join(dir, 'Tarvekartoitus.talkoo');
    await saveWorkshopFile(file, workshopState('Nuorille kohtaamispaikka'), {
      title: 'Tarvekartoitus',
      schemaVersion: 1,
    });

    expect(await openedNoteText(file)).toBe('Nuorille kohtaamispaikka');
    const result = await readWorkshopFile(file);
    expect(result.ok && result.value.header).toEqual({
      formatVersion: 1,
      title: 'Tarvekartoitus',
      schemaVersion: 1,
      workshop: null,
      origin: null,
    });
    expect(await readdir(dir)).toEqual(['Tarvekartoitus.talkoo']);
  });

  it('replaces an earlier, longer save completely', async () => {
    const file = path.join(dir, 'plan.talkoo');
    await saveWorkshopFile(file, workshopState('x'.repeat(100_000)), { title: 'Long', schemaVersion: 1 });
    await saveWorkshopFile(file, workshopState('short'), { title: 'Short', schemaVersion: 1 });

    expect(await openedNoteText(file)).toBe('short');
    expect(await readdir(dir)).toEqual(['plan.talkoo']);
  });

  it('keeps the permissions of the file it replaces', async () => {
    const file = path.join(dir, 'private.talkoo');
    await saveWorkshopFile(file, workshopState('a'), { title: 'a', schemaVersion: 1 });
    await chmod(file, 0o600);
    await saveWorkshopFile(file, workshopState('b'), { title: 'b', schemaVersion: 1 });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('saves through a symlink into the file it points at, keeping the link', async () => {
    const real = path.join(dir, 'real.talkoo');
    const link = path.join(dir, 'link.talkoo');
    await saveWorkshopFile(real, workshopState('old'), { title: 'a', schemaVersion: 1 });
    await symlink(real, link);
    await saveWorkshopFile(link, workshopState('new'), { title: 'a', schemaVersion: 1 });

    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await openedNoteText(real)).toBe('new');
  });

  it('leaves the previous save intact when the disk refuses more bytes midway', async () => {
    const file = path.join(dir, 'plan.talkoo');
    await saveWorkshopFile(file, workshopState('the previous save'), { title: 'Plan', schemaVersion: 1 });
    const before = await readFile(file);

    // A real failure midway: a child process whose file size limit (ulimit -f) is far below the
    // new save, so the kernel fails the write with EFBIG after part of the bytes are on disk.
    const driver = path.join(dir, 'driver.cjs');
    const bundled = await build({
      stdin: {
        contents: `
          import * as Y from 'yjs';
          import { saveWorkshopFile } from './workshop-files';
          const doc = new Y.Doc();
          doc.getText('t').insert(0, 'x'.repeat(4 * 1024 * 1024));
          saveWorkshopFile(process.argv[2], Y.encodeStateAsUpdate(doc), { title: 'Big', schemaVersion: 1 }).then(
            () => console.log(JSON.stringify({ saved: true })),
            (error) => console.log(JSON.stringify({ saved: false, code: error.code })),
          );`,
        resolveDir: here,
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      write: false,
      logLevel: 'silent',
    });
    await writeFile(driver, bundled.outputFiles[0]?.text ?? '');
    const { stdout } = await promisify(execFile)('sh', [
      '-c',
      'ulimit -f 256 && exec "$0" "$@"',
      process.execPath,
      driver,
      file,
    ]);

    expect(JSON.parse(stdout)).toEqual({ saved: false, code: 'EFBIG' });
    expect(await readFile(file)).toEqual(before);
    expect(await openedNoteText(file)).toBe('the previous save');
    expect((await readdir(dir)).sort()).toEqual(['driver.cjs', 'plan.talkoo']);
  });

  it('leaves things as they were when the final rename fails (a folder has the name)', async () => {
    const target = path.join(dir, 'taken.talkoo');
    await mkdir(target);
    await writeFile(path.join(target, 'inside.txt'), 'keep me');

    const error = await rejection(
      saveWorkshopFile(target, workshopState('a'), { title: 'a', schemaVersion: 1 }),
    );

    expect(describeFileError(error)).toBe('A folder has that name.');
    expect(await readdir(dir)).toEqual(['taken.talkoo']);
    expect(await readFile(path.join(target, 'inside.txt'), 'utf8')).toBe('keep me');
  });

  it('fails clearly and creates nothing when the folder does not exist', async () => {
    const missing = path.join(dir, 'no-such-folder', 'plan.talkoo');
    const error = await rejection(
      saveWorkshopFile(missing, workshopState('a'), { title: 'a', schemaVersion: 1 }),
    );
    expect(describeFileError(error)).toBe('The file or its folder does not exist.');
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('opening', () => {
  it('refuses a file cut short, saying it is truncated', async () => {
    const file = path.join(dir, 'cut.talkoo');
    const bytes = encodeWorkshopFile(workshopState('a note'), { title: 'Cut', schemaVersion: 1 });
    await writeFile(file, bytes.subarray(0, bytes.length - 5));

    const result = await readWorkshopFile(file);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.message).toBe(
      `The file is truncated: it ends inside the workshop data (${bytes.length - 5} bytes, at least ${bytes.length} expected).`,
    );
  });

  it('refuses a file of another kind', async () => {
    const file = path.join(dir, 'notes.talkoo');
    await writeFile(file, 'Just some notes, not a workshop.\n');
    const result = await readWorkshopFile(file);
    expect(!result.ok && result.error.message).toBe(
      'This is not a Talkoo workshop file: it does not begin with "TALKOO".',
    );
  });

  it('refuses a folder', async () => {
    const result = await readWorkshopFile(dir);
    expect(!result.ok && result.error.message).toBe('This is a folder, not a workshop file.');
  });

  // #10, finding 6: a device read 3.3 GiB from /dev/zero, and a FIFO waits for a writer forever.
  it('refuses a device without reading from it', async () => {
    const result = await readWorkshopFile('/dev/zero');
    expect(!result.ok && result.error.message).toBe(
      'This is not a regular file (a device, a pipe or a socket), so it is not a workshop file.',
    );
  });

  it('refuses a named pipe without waiting for a writer', async () => {
    const fifo = path.join(dir, 'pipe.talkoo');
    await promisify(execFile)('mkfifo', [fifo]);
    const result = await readWorkshopFile(fifo);
    expect(!result.ok && result.error.message).toBe(
      'This is not a regular file (a device, a pipe or a socket), so it is not a workshop file.',
    );
  });

  // A file may grow after its size was checked, and some (Linux's /proc) say 0 bytes and hold more.
  it('reads no more than the limit and one byte, whatever a file grew to after its size was checked', async () => {
    const file = path.join(dir, 'growing.talkoo');
    await writeFile(file, 'x'.repeat(10));
    const handle = await open(file, 'r');
    try {
      expect((await handle.stat()).size).toBe(10);
      await appendFile(file, 'y'.repeat(20));
      expect(await readAtMost(handle, 16)).toBeNull();
      expect(new TextDecoder().decode((await readAtMost(handle, 30)) ?? undefined)).toBe(
        `${'x'.repeat(10)}${'y'.repeat(20)}`,
      );
    } finally {
      await handle.close();
    }
    const large = path.join(dir, 'large.talkoo');
    await writeFile(large, new Uint8Array(150_000).fill(7));
    const largeHandle = await open(large, 'r');
    try {
      expect(await readAtMost(largeHandle, 100_000)).toBeNull();
      expect((await readAtMost(largeHandle, 200_000))?.length).toBe(150_000);
    } finally {
      await largeHandle.close();
    }
    const proc = await open('/proc/self/status', 'r');
    try {
      expect((await proc.stat()).size).toBe(0);
      expect(await readAtMost(proc, 8)).toBeNull();
    } finally {
      await proc.close();
    }
  });

  it('rejects with a describable error when the file is missing', async () => {
    const error = await rejection(readWorkshopFile(path.join(dir, 'gone.talkoo')));
    expect(describeFileError(error)).toBe('The file or its folder does not exist.');
  });
});

describe('workshop data from the window', () => {
  it('reads the schema version for the file header', () => {
    expect(readSchemaVersion(workshopState('a'))).toEqual({ ok: true, value: 1 });
  });

  it('refuses bytes that are not a Yjs document', () => {
    expect(readSchemaVersion(Uint8Array.from([1, 2, 3]))).toEqual({
      ok: false,
      error: { path: 'state', message: 'is not a Yjs document update' },
    });
  });
});

describe('suggested file names', () => {
  it('turns a workshop title into a file name every OS accepts', () => {
    expect(safeWorkshopFileName('Tegevuskava 2026/2027: Võru maakond')).toBe(
      'Tegevuskava 2026 2027 Võru maakond.talkoo',
    );
    expect(safeWorkshopFileName('Handlingsplan "Närpes" <utkast>?')).toBe(
      'Handlingsplan Närpes utkast.talkoo',
    );
    expect(safeWorkshopFileName('plan.talkoo')).toBe('plan.talkoo');
  });

  it('never names a folder, a hidden file or a device', () => {
    expect(safeWorkshopFileName('../../etc/passwd')).toBe('etc passwd.talkoo');
    expect(safeWorkshopFileName('..')).toBe('workshop.talkoo');
    expect(safeWorkshopFileName('  \n\t ')).toBe('workshop.talkoo');
    expect(safeWorkshopFileName('CON')).toBe('CON workshop.talkoo');
    expect(safeWorkshopFileName('a'.repeat(300))).toBe(`${'a'.repeat(200)}.talkoo`);
  });
});
