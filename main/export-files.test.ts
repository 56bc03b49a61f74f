// Export files on a real disk: the name offered in the save dialog, where a CSV export's second
// file goes, and that an export is written whole or not at all (no temporary file left behind).
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExportWriteError, exportFileName, exportPaths, writeExportFiles } from './export-files';
import { describeFileError } from './workshop-files';

const here = path.dirname(fileURLToPath(import.meta.url));
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
let dir = '';

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'talkoo-export-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

describe('the name offered in the save dialog', () => {
  it('is the suggested name, made safe, with the format extension once', () => {
    expect(exportFileName('Toimintasuunnitelma 2026', 'docx')).toBe('Toimintasuunnitelma 2026.docx');
    expect(exportFileName('Plan.docx', 'docx')).toBe('Plan.docx');
    expect(exportFileName('Plan.DOCX', 'docx')).toBe('Plan.docx');
    expect(exportFileName('Plan.docx', 'pdf')).toBe('Plan.docx.pdf');
    expect(exportFileName('Handlingsplan', 'outline')).toBe('Handlingsplan.json');
    expect(exportFileName('Eelarve: 2026/27', 'xlsx')).toBe('Eelarve 2026 27.xlsx');
  });

  it('never names a folder, a hidden file or a device, and is never empty', () => {
    expect(exportFileName('../../etc/passwd', 'md')).toBe('etc passwd.md');
    expect(exportFileName('C:\\Windows\\plan', 'csv')).toBe('C Windows plan.csv');
    expect(exportFileName('.hidden', 'md')).toBe('hidden.md');
    expect(exportFileName('line\nbreak\u0007', 'md')).toBe('line break.md');
    expect(exportFileName('', 'pdf')).toBe('Talkoo.pdf');
    expect(exportFileName(' . ', 'pdf')).toBe('Talkoo.pdf');
    expect(exportFileName('CON', 'xlsx')).toBe('CON Talkoo.xlsx');
    expect(exportFileName('x'.repeat(300), 'docx')).toBe(`${'x'.repeat(100)}.docx`);
  });
});

describe('where the files go', () => {
  it('puts the first file where the user chose and the needs beside it', () => {
    const chosen = path.join(dir, 'Suunnitelma.csv');
    expect(exportPaths(chosen, 1)).toEqual([chosen]);
    expect(exportPaths(chosen, 2)).toEqual([chosen, path.join(dir, 'Suunnitelma-needs.csv')]);
    // The user may drop the extension in the dialog.
    expect(exportPaths(path.join(dir, 'plan'), 2)[1]).toBe(path.join(dir, 'plan-needs'));
  });
});

describe('writing an export', () => {
  it('writes every file, replacing older ones, and leaves nothing else', async () => {
    const [actions, needs] = exportPaths(path.join(dir, 'plan.csv'), 2) as [string, string];
    await writeFile(needs, 'an older export, much longer than the new one');
    await writeExportFiles([actions, needs], [bytes('actions'), bytes('needs')]);
    expect(await readFile(actions, 'utf8')).toBe('actions');
    expect(await readFile(needs, 'utf8')).toBe('needs');
    expect((await readdir(dir)).sort()).toEqual(['plan-needs.csv', 'plan.csv']);
  });

  it('writes neither file when the second cannot be written (a folder has its name)', async () => {
    const [actions, needs] = exportPaths(path.join(dir, 'plan.csv'), 2) as [string, string];
    await writeFile(actions, 'the previous actions');
    await mkdir(needs);

    const error = await rejection(writeExportFiles([actions, needs], [bytes('new'), bytes('new')]));

    expect(error).toBeInstanceOf(ExportWriteError);
    const { failedPath, writtenPaths, cause } = error as ExportWriteError;
    expect({ failedPath, writtenPaths, reason: describeFileError(cause) }).toEqual({
      failedPath: needs,
      writtenPaths: [],
      reason: 'A folder has that name.',
    });
    expect(await readFile(actions, 'utf8')).toBe('the previous actions');
    expect((await readdir(dir)).sort()).toEqual(['plan-needs.csv', 'plan.csv']);
    expect(await readdir(needs)).toEqual([]);
  });

  it('writes nothing and leaves no temporary file when the folder is gone', async () => {
    const gone = path.join(dir, 'removed');
    const error = await rejection(
      writeExportFiles(exportPaths(path.join(gone, 'plan.csv'), 2), [bytes('a'), bytes('b')]),
    );
    expect(describeFileError((error as ExportWriteError).cause)).toBe(
      'The file or its folder does not exist.',
    );
    expect(await readdir(dir)).toEqual([]);
  });

  it('writes neither file when the disk refuses the second one midway', async () => {
    const [actions, needs] = exportPaths(path.join(dir, 'plan.csv'), 2) as [string, string];
    await writeFile(actions, 'the previous actions');

    // A real failure midway: a child process whose file size limit (ulimit -f, 256 blocks) lets
    // the small actions file through and fails the large needs file after part of it is on disk.
    const driver = path.join(dir, 'driver.cjs');
    const bundled = await build({
      stdin: {
        contents: `
          import { writeExportFiles } from './export-files';
          const [actions, needs] = process.argv.slice(2);
          writeExportFiles([actions, needs], [new Uint8Array(100).fill(65), new Uint8Array(4 * 1024 * 1024).fill(66)]).then(
            () => console.log(JSON.stringify({ saved: true })),
            (error) => console.log(JSON.stringify({ saved: false, failed: error.failedPath, written: error.writtenPaths, code: error.cause.code })),
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
      actions,
      needs,
    ]);

    expect(JSON.parse(stdout)).toEqual({ saved: false, failed: needs, written: [], code: 'EFBIG' });
    expect(await readFile(actions, 'utf8')).toBe('the previous actions');
    expect((await readdir(dir)).sort()).toEqual(['driver.cjs', 'plan.csv']);
  });
});
