// The talkoo command's import and export on files: what a user gets on disk, and what they get
// instead when the input is wrong (a clear message and no output file).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { EXAMPLE_OUTLINES } from '../../shared/examples';
import { readWorkshop } from '../../shared/model/read';
import { SCHEMA_VERSION } from '../../shared/model/schema';
import { buildReport, defaultReportOptions } from '../../shared/report/model';
import { exampleDoc, planDoc } from '../../shared/report/sample-workshops';
import { decodeWorkshopFile } from '../../shared/workshop-file';
import { removeDir, tempDir } from '../test-support';
import { talkoo, workshopFileBytes, writeWorkshopFile } from './command-test-support';
import { localDate } from './export-command';

let dir: string;
beforeEach(() => {
  dir = tempDir('talkoo-cli-');
});
afterEach(() => removeDir(dir));

const OUTLINE = EXAMPLE_OUTLINES['example-etela-savo-fi'];

function docOf(path: string): Y.Doc {
  const decoded = decodeWorkshopFile(readFileSync(path));
  if (!decoded.ok) throw new Error(decoded.error.message);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, decoded.value.state);
  return doc;
}

async function importedExample(): Promise<string> {
  const source = join(dir, 'outline.json');
  writeFileSync(source, JSON.stringify(OUTLINE));
  const out = join(dir, 'workshop.talkoo');
  const run = await talkoo(['import', source, '--out', out]);
  expect(run).toMatchObject({ code: 0, stderr: '' });
  return out;
}

function startsWith(path: string, bytes: readonly number[]): boolean {
  return bytes.every((b, i) => readFileSync(path)[i] === b);
}

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const BOM = [0xef, 0xbb, 0xbf];

describe('talkoo import', () => {
  it('makes a workshop file of an outline that exports back to the same outline', async () => {
    const workshop = await importedExample();
    expect(readFileSync(workshop).subarray(0, 6).toString('latin1')).toBe('TALKOO');
    const outline = join(dir, 'back.json');
    const run = await talkoo(['export', workshop, '--format', 'outline', '--out', outline]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(readFileSync(outline, 'utf8'))).toEqual(OUTLINE);
  });

  it('makes a workshop of a notes CSV: a lane per group, text kept as given, title from the file name', async () => {
    const csv = join(dir, 'Mikkelin tarpeet.csv');
    writeFileSync(
      csv,
      '\uFEFFtarve;sidosryhmä;kunta\r\n' +
        '"Lisää nuorisotiloja; iltaisin\u0007auki";Nuoret;Mikkeli\r\n' +
        'Kirjasto auki sunnuntaisin;nuoret;\r\n' +
        '"Enemmän bussivuoroja\nkylille";Seniorit;Juva\r\n' +
        'Yhteinen tapahtumakalenteri;;\r\n',
    );
    const out = join(dir, 'notes.talkoo');
    const run = await talkoo(['import', csv, '--out', out, '--lang', 'fi']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain('4 needs');

    const workshop = readWorkshop(docOf(out));
    expect(workshop.meta).toMatchObject({ title: 'Mikkelin tarpeet', language: 'fi' });
    const needsBoard = workshop.boards.find((b) => b.kind === 'needs');
    expect(needsBoard?.lanes.map((l) => l.title)).toEqual(['Nuoret', 'Seniorit']);
    expect(needsBoard?.municipalities).toEqual(['Mikkeli', 'Juva']);
    const lane = new Map(needsBoard?.lanes.map((l) => [l.id, l.title]));
    expect(
      workshop.notes.map((n) => [n.text, n.laneId === null ? null : lane.get(n.laneId), n.municipality]),
    ).toEqual([
      ['Lisää nuorisotiloja; iltaisin\u0007auki', 'Nuoret', 'Mikkeli'],
      ['Kirjasto auki sunnuntaisin', 'Nuoret', null],
      ['Enemmän bussivuoroja\nkylille', 'Seniorit', 'Juva'],
      ['Yhteinen tapahtumakalenteri', null, null],
    ]);
  });

  it('names each bad CSV row by its line and writes nothing', async () => {
    const csv = join(dir, 'bad.csv');
    writeFileSync(
      csv,
      'text,stakeholder\nGood need,Youth\n,Youth\nAnother good one,Youth\n' + `${'x'.repeat(2001)},\n`,
    );
    const out = join(dir, 'bad.talkoo');
    const run = await talkoo(['import', csv, '--out', out]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^talkoo: .*bad\.csv: 2 row\(s\) of the CSV cannot be imported; nothing was written/,
    );
    expect(run.stderr).toContain('Line 3: the text is empty');
    expect(run.stderr).toContain('Line 5: the text is longer than 2000 characters');
    expect(existsSync(out)).toBe(false);
  });

  it('names each field of a bad outline by its path and writes nothing', async () => {
    const source = join(dir, 'broken.json');
    const outline = OUTLINE as { actions: Record<string, unknown>[] };
    const broken = {
      ...outline,
      actions: [
        { ...outline.actions[0], budgetEur: 'lots' },
        { ...outline.actions[1], start: 'spring' },
      ],
    };
    writeFileSync(source, JSON.stringify(broken));
    const out = join(dir, 'broken.talkoo');
    const run = await talkoo(['import', source, '--out', out]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('is not a valid workshop outline; nothing was written');
    expect(run.stderr).toMatch(/actions\[0\]\.budgetEur: /);
    expect(run.stderr).toMatch(/actions\[1\]\.start: must be a month as YYYY-MM/);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a workshop file and a binary file, pointing to the right command', async () => {
    const workshop = await importedExample();
    const again = await talkoo(['import', workshop, '--out', join(dir, 'again.talkoo')]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('is already a Talkoo workshop file');
    expect(again.stderr).toContain('talkoo export');
    const binary = join(dir, 'sheet.xlsx');
    writeFileSync(binary, Uint8Array.from([...ZIP, 0, 0, 0xff, 0xfe]));
    const run = await talkoo(['import', binary, '--out', join(dir, 'x.talkoo')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('"CSV UTF-8"');
    expect(existsSync(join(dir, 'again.talkoo')) || existsSync(join(dir, 'x.talkoo'))).toBe(false);
  });
});

describe('talkoo export', () => {
  it('writes a Word file, a workbook, Markdown and the two CSVs of a workshop', async () => {
    const workshop = await importedExample();
    const report = buildReport(
      readWorkshop(exampleDoc('example-etela-savo-fi')),
      defaultReportOptions(readWorkshop(exampleDoc('example-etela-savo-fi')), localDate()),
    );

    const docx = join(dir, 'plan.docx');
    expect(await talkoo(['export', workshop, '--format', 'docx', '--out', docx])).toMatchObject({ code: 0 });
    expect(startsWith(docx, ZIP)).toBe(true);
    expect(Object.keys(unzipSync(readFileSync(docx)))).toContain('word/document.xml');

    const xlsx = join(dir, 'plan.xlsx');
    expect(await talkoo(['export', workshop, '--format', 'xlsx', '--out', xlsx])).toMatchObject({ code: 0 });
    expect(startsWith(xlsx, ZIP)).toBe(true);
    expect(Object.keys(unzipSync(readFileSync(xlsx)))).toContain('xl/workbook.xml');

    // The format follows from the extension when --format is not given.
    const md = join(dir, 'plan.md');
    expect(await talkoo(['export', workshop, '--out', md])).toMatchObject({ code: 0 });
    const markdown = readFileSync(md, 'utf8');
    expect(markdown).toContain(report.title);
    for (const action of report.actions) expect(markdown).toContain(action.title);

    const csv = join(dir, 'plan.v1.csv');
    const run = await talkoo(['export', workshop, '--format', 'csv', '--out', csv]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const needs = join(dir, 'plan.v1-needs.csv');
    expect(run.stdout).toContain(needs);
    expect(startsWith(csv, BOM)).toBe(true);
    expect(startsWith(needs, BOM)).toBe(true);
    const actionsText = readFileSync(csv, 'utf8');
    expect(actionsText).toContain('Budjetti');
    for (const action of report.actions) expect(actionsText).toContain(action.title);
    expect(readFileSync(needs, 'utf8')).toContain(report.needsByStakeholder[0]?.needs[0]?.text ?? '?');
  });

  it('writes the document in another language with --lang', async () => {
    const workshop = await importedExample();
    const md = join(dir, 'plan-en.md');
    expect(await talkoo(['export', workshop, '--format', 'md', '--lang', 'en', '--out', md])).toMatchObject({
      code: 0,
    });
    const english = buildReport(readWorkshop(exampleDoc('example-etela-savo-fi')), {
      ...defaultReportOptions(readWorkshop(exampleDoc('example-etela-savo-fi')), localDate()),
      language: 'en',
    });
    expect(readFileSync(md, 'utf8')).toContain(english.labels.summary);
    expect(readFileSync(md, 'utf8')).toContain(english.budget.totalText);
  });

  it('limits the document to one work package with --package, or to one owner with --owner', async () => {
    const workshop = join(dir, 'plan.talkoo');
    writeWorkshopFile(workshop, planDoc());
    const md = join(dir, 'package.md');
    const run = await talkoo(['export', workshop, '--package', 'tp2 tapahtumat', '--out', md]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const text = readFileSync(md, 'utf8');
    expect(text).toContain('# Elinvoimaa kulttuurista – Työpaketti: TP2 Tapahtumat');
    expect(text).toContain('Yhteinen kesäfestivaali');
    expect(text).not.toContain('Kulttuurikortti koululaisille');
    // Its totals are the package's: the festival's 150 000 € (money keeps no-break spaces).
    expect(text).toMatch(/\*\*Kokonaisbudjetti:\*\* 150\s000,00\s€/);

    const csv = join(dir, 'owner.csv');
    expect(await talkoo(['export', workshop, '--owner', 'Pieksämäen kaupunki', '--out', csv])).toMatchObject({
      code: 0,
    });
    const rows = readFileSync(csv, 'utf8').trim().split('\r\n');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain('Tapahtumakalenteri');
  });

  it('says which work packages and owners there are when --package or --owner names none, and writes nothing', async () => {
    const workshop = join(dir, 'plan.talkoo');
    writeWorkshopFile(workshop, planDoc());
    const out = join(dir, 'plan.md');
    const wrong = await talkoo(['export', workshop, '--package', 'TP9', '--out', out]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('"TP1 Kulttuuri kouluissa", "TP2 Tapahtumat"');
    const nobody = await talkoo(['export', workshop, '--owner', 'Joku', '--out', out]);
    expect(nobody.code).toBe(2);
    expect(nobody.stderr).toContain('"Mikkelin kaupunki"');
    const both = await talkoo(['export', workshop, '--owner', 'Joku', '--package', 'TP1', '--out', out]);
    expect(both.code).toBe(2);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses an outline JSON with a hint to import it, and writes nothing', async () => {
    const source = join(dir, 'outline.json');
    writeFileSync(source, JSON.stringify(OUTLINE, null, 2));
    const out = join(dir, 'plan.docx');
    const run = await talkoo(['export', source, '--format', 'docx', '--out', out]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `talkoo: ${source} is a workshop outline (JSON), not a .talkoo workshop file. ` +
        `To make a workshop of an outline, use: talkoo import ${source} --out W.talkoo\n`,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('refuses truncated, foreign and newer files with one line each, leaving no file and an old one as it was', async () => {
    const whole = workshopFileBytes(exampleDoc('example-voru-et'));
    const newerFormat = whole.slice();
    new DataView(newerFormat.buffer).setUint16(6, 2);
    const newerSchemaDoc = exampleDoc('example-voru-et');
    newerSchemaDoc.getMap('meta').set('schemaVersion', SCHEMA_VERSION + 1);
    const cases: [string, Uint8Array, string][] = [
      ['cut.talkoo', whole.subarray(0, whole.length - 10), 'The file is truncated'],
      ['header-cut.talkoo', whole.subarray(0, 9), 'The file is truncated'],
      [
        'photo.talkoo',
        Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]),
        'This is not a Talkoo workshop file',
      ],
      [
        'notes.talkoo',
        new TextEncoder().encode('text;group\nA need;Youth\n'),
        'This is not a Talkoo workshop file',
      ],
      ['newer-format.talkoo', newerFormat, 'This file was saved by a newer version of Talkoo (file format 2'],
      [
        'newer-schema.talkoo',
        workshopFileBytes(newerSchemaDoc),
        `This workshop was saved by a newer version of Talkoo (schema ${SCHEMA_VERSION + 1}`,
      ],
    ];
    for (const [name, bytes, message] of cases) {
      const input = join(dir, name);
      writeFileSync(input, bytes);
      for (const format of ['md', 'docx', 'csv', 'outline']) {
        const out = join(dir, `${name}.${format}`);
        const run = await talkoo(['export', input, '--format', format, '--out', out]);
        expect(run.code, `${name} → ${format}`).toBe(1);
        expect(run.stderr).toMatch(/^talkoo: [^\n]+\n$/);
        expect(run.stderr).toContain(`${input}: ${message}`);
        expect(existsSync(out)).toBe(false);
        expect(existsSync(join(dir, `${name}-needs.${format}`))).toBe(false);
      }
    }
    // An earlier export at the same path stays as it was.
    const earlier = join(dir, 'plan.md');
    writeFileSync(earlier, 'earlier plan');
    expect((await talkoo(['export', join(dir, 'cut.talkoo'), '--out', earlier])).code).toBe(1);
    expect(readFileSync(earlier, 'utf8')).toBe('earlier plan');
  });

  it('says what is missing when the file is not there', async () => {
    const run = await talkoo(['export', join(dir, 'nowhere.talkoo'), '--out', join(dir, 'x.md')]);
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: `talkoo: cannot read ${join(dir, 'nowhere.talkoo')}: no such file or folder\n`,
    });
  });

  it('writes nothing into a folder that does not exist, and says so', async () => {
    const workshop = join(dir, 'w.talkoo');
    writeWorkshopFile(workshop, exampleDoc('example-sormland-sv'));
    const run = await talkoo(['export', workshop, '--out', join(dir, 'missing', 'plan.md')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`cannot write ${join(dir, 'missing', 'plan.md')}: no such file or folder`);
  });
});

describe('files that are not files (#10, finding 6)', () => {
  it('refuses a device or a named pipe at once, reading nothing, for import and export', async () => {
    const fifo = join(dir, 'pipe.talkoo');
    execFileSync('mkfifo', [fifo]);
    for (const input of ['/dev/zero', fifo]) {
      for (const argv of [
        ['import', input, '--out', join(dir, 'w.talkoo')],
        ['export', input, '--format', 'md', '--out', join(dir, 'w.md')],
      ]) {
        const run = await talkoo(argv);
        expect(run.code, argv.join(' ')).toBe(1);
        expect(run.stderr).toBe(`talkoo: ${input} is not a regular file (a device, a pipe or a socket)\n`);
      }
    }
    expect(existsSync(join(dir, 'w.talkoo'))).toBe(false);
    expect(existsSync(join(dir, 'w.md'))).toBe(false);
  });
});

describe('talkoo usage', () => {
  it('prints the usage for --help and for no arguments', async () => {
    for (const argv of [[], ['--help'], ['export', '--help']]) {
      const run = await talkoo(argv);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('talkoo import FILE --out W.talkoo');
      expect(run.stdout).toContain('talkoo export W.talkoo --format FORMAT --out PATH');
    }
  });

  it('refuses unknown flags, commands and values with exit code 2', async () => {
    const cases: [string[], string][] = [
      [['export', 'w.talkoo', '--out', 'x.md', '--colour', 'red'], 'unknown option --colour for export'],
      [['import', 'a.csv', '--out', 'w.talkoo', '--format', 'md'], 'unknown option --format for import'],
      [['--verbose'], 'unknown option --verbose'],
      [['publish'], 'unknown command "publish"'],
      [
        ['export', 'w.talkoo', '--format', 'odt', '--out', 'x.odt'],
        '--format must be one of docx, pdf, xlsx, md, csv, outline',
      ],
      [['export', 'w.talkoo', '--out', 'plan.txt'], 'export needs --format'],
      [['export', 'w.talkoo', '--out', 'x.md', '--lang', 'de'], '--lang must be one of fi, sv, et, en'],
      [['export', 'w.talkoo', '--out', 'x.md', '--sections', 'summary,gossip'], '"gossip" is not one'],
      [['export', '--server', 'http://127.0.0.1:1', '--room', 'r', '--out', 'x.md'], 'needs --token'],
      [['export', 'w.talkoo', '--room', 'r', '--out', 'x.md'], '--room goes with --server'],
      [['import', 'a.csv'], 'import needs --out'],
    ];
    for (const [argv, message] of cases) {
      const run = await talkoo(argv);
      expect(run.code, argv.join(' ')).toBe(2);
      expect(run.stderr).toMatch(/^talkoo: /);
      expect(run.stderr).toContain(message);
    }
  });
});
