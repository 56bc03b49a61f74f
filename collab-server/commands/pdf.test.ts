// PDF export from the command line: headless Chromium prints the report's HTML page, and the text
// read back with pdftotext holds what a reader looks for, for every example workshop in its own
// language and for the hostile one. Without a browser the command says what to install.
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readWorkshop } from '../../shared/model/read';
import { buildReport, defaultReportOptions, type Report } from '../../shared/report/model';
import { EXAMPLE_NAMES } from '../../shared/examples';
import { exampleDoc, hostileDoc } from '../../shared/report/sample-workshops';
import { removeDir, tempDir } from '../test-support';
import { oneSpaced, pdfText, talkoo, writeWorkshopFile } from './command-test-support';
import { localDate } from './export-command';
import { CHROME_CANDIDATES, findChrome, NoChromeError, PAGE_NUMBER_FOOTER, printPdf } from './pdf';

let dir: string;
beforeEach(() => {
  dir = tempDir('talkoo-pdf-');
});
afterEach(() => {
  vi.unstubAllEnvs();
  removeDir(dir);
});

describe('findChrome', () => {
  it('takes CHROME_PATH first, then the usual places in order', () => {
    const present = new Set(['/usr/bin/google-chrome', '/opt/chrome', CHROME_CANDIDATES[1] ?? '']);
    const exists = (path: string): boolean => present.has(path);
    expect(findChrome({ CHROME_PATH: '/opt/chrome' }, exists)).toBe('/opt/chrome');
    expect(findChrome({}, exists)).toBe(CHROME_CANDIDATES[1]);
  });

  it('says that PDF export needs Chromium or Chrome and how to point at one', () => {
    expect(() => findChrome({}, () => false)).toThrow(NoChromeError);
    expect(() => findChrome({}, () => false)).toThrow(
      /^PDF export needs Chromium or Chrome, and none was found in the usual places\. Install one, or set CHROME_PATH to its executable/,
    );
    expect(() => findChrome({ CHROME_PATH: '/nowhere/chrome' }, () => false)).toThrow(
      'PDF export needs Chromium or Chrome, and CHROME_PATH names /nowhere/chrome, which does not exist.',
    );
  });
});

describe('printPdf', () => {
  it('prints A4 pages with page numbers, runs no script of the page and loads nothing', async () => {
    const paragraphs = Array.from(
      { length: 80 },
      (_, i) => `<p>Kappale ${i + 1}: Mikkeli, Võru, Sörmland</p>`,
    );
    const html =
      '<!doctype html><html lang="fi"><head><meta charset="utf-8"></head><body>' +
      `<h1>Toimintasuunnitelma</h1>${paragraphs.join('')}` +
      '<img src="http://127.0.0.1:9/tracker.png" alt="">' +
      '<script>document.body.textContent = "SCRIPT RAN"</script></body></html>';
    const pdf = await printPdf(html, { footerTemplate: PAGE_NUMBER_FOOTER });
    const path = join(dir, 'plain.pdf');
    writeFileSync(path, pdf);
    expect(new TextDecoder().decode(pdf.subarray(0, 5))).toBe('%PDF-');
    const text = pdfText(path);
    expect(text).toContain('Toimintasuunnitelma');
    expect(text).toContain('Kappale 80: Mikkeli, Võru, Sörmland');
    expect(text).not.toContain('SCRIPT RAN');
    expect(text).toMatch(/\b1 \/ [2-9]\b/);
    const info = pdfInfo(path);
    expect(info).toMatch(/Page size:.*\(A4\)/);
  });
});

/** pdfinfo's description of a PDF (pages, page size). */
function pdfInfo(path: string): string {
  return execFileSync('pdfinfo', [path], { encoding: 'utf8' });
}

/** The texts of `report` a reader of its PDF looks for. */
function expectedTexts(report: Report): string[] {
  const labels = report.labels;
  return [
    report.title,
    labels.summary,
    labels.needs,
    labels.themes,
    labels.actions,
    labels.timeline,
    labels.budget,
    labels.trace,
    report.budget.totalText,
    ...report.actions.flatMap((a) => [a.title, a.owner]),
  ].map(oneSpaced);
}

describe('talkoo export --format pdf', () => {
  it.each(EXAMPLE_NAMES)(
    'prints %s in its language with every action, owner, the total and the trace',
    async (name) => {
      const workshopPath = join(dir, `${name}.talkoo`);
      writeWorkshopFile(workshopPath, exampleDoc(name));
      const out = join(dir, `${name}.pdf`);
      const run = await talkoo(['export', workshopPath, '--format', 'pdf', '--out', out]);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      const workshop = readWorkshop(exampleDoc(name));
      const report = buildReport(workshop, defaultReportOptions(workshop, localDate()));
      const text = pdfText(out);
      for (const expected of expectedTexts(report)) expect(text).toContain(expected);
      // Every page is numbered once, in the report's language ("Sivu 1" … "Sivu 8").
      const pages = Number(/Pages:\s+(\d+)/.exec(pdfInfo(out))?.[1]);
      expect(pages).toBeGreaterThan(1);
      for (let page = 1; page <= pages; page++) {
        const label = oneSpaced(report.pageLabel.replace('{page}', String(page)));
        expect(text.split(label).filter((after) => !/^\d/.test(after)).length - 1, label).toBe(1);
      }
    },
  );

  it('prints the hostile workshop: its texts without emoji are there, control characters are not', async () => {
    const workshopPath = join(dir, 'hostile.talkoo');
    writeWorkshopFile(workshopPath, hostileDoc());
    const out = join(dir, 'hostile.pdf');
    const run = await talkoo(['export', workshopPath, '--out', out]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const text = pdfText(out);
    for (const part of [
      'Työpaja',
      '"lainaus"',
      '=HYPERLINK("http://example.invalid","click")',
      '@Omistaja',
      '+Rahoittaja',
      '<script>alert(1)</script>',
      'Teema ilman tarpeita',
    ]) {
      expect(text).toContain(part);
    }
    // Each control character became a space or a line break, so the words around it stay apart.
    expect(text).toMatch(/Tarve\s+loppu/);
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/);
  });

  it('without Chromium says what it needs and writes nothing', async () => {
    vi.stubEnv('CHROME_PATH', join(dir, 'no-chrome'));
    const workshopPath = join(dir, 'w.talkoo');
    writeWorkshopFile(workshopPath, exampleDoc('example-voru-et'));
    const out = join(dir, 'plan.pdf');
    const run = await talkoo(['export', workshopPath, '--format', 'pdf', '--out', out]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('talkoo: PDF export needs Chromium or Chrome');
    expect(run.stderr).toContain('set CHROME_PATH to its executable');
    expect(existsSync(out)).toBe(false);
  });
});
