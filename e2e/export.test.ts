/**
 * The Export dialog in the web client: every format arrives as a download (PDF as the browser's
 * print of the report page), the preview shows the report in the language picked, participants
 * and viewers may export too, and Home turns an outline JSON file into a new workshop.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import type { Browser, BrowserContext, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, tempDir } from '../collab-server/test-support';
import { startLocalHost, type LocalHost } from '../main/local-host';
import { launchChromium } from './chromium';
import { openDesktopWindow, RENDERER_DIR } from './desktop-window';
import { joinAs, newWorkshop } from './people';
import { setUpE2E } from './setup';

const e2e = setUpE2E();
const contexts: BrowserContext[] = [];
afterAll(async () => {
  for (const context of contexts) await context.close();
});

type ExampleOutline = {
  title: string;
  actions: { title: string }[];
  needs: { text: string }[];
};
const FINNISH: ExampleOutline = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', 'shared', 'examples', 'etela-savo-fi.json'), 'utf8'),
) as ExampleOutline;
/** The file name every export of the Finnish example takes (its title is a safe file name). */
const BASE = FINNISH.title;

async function newPage(init?: () => void): Promise<Page> {
  const context = await e2e.browser().newContext({ viewport: { width: 1280, height: 720 } });
  contexts.push(context);
  if (init) await context.addInitScript(init);
  return context.newPage();
}

/** The Finnish example, opened by its facilitator. */
async function finnishFacilitator(init?: () => void): Promise<Page> {
  const page = await newPage(init);
  await page.goto(await e2e.web().facilitatorLink('example-etela-savo-fi'));
  await joinAs(page, 'Aino');
  await page.getByRole('heading', { level: 1, name: FINNISH.title }).waitFor();
  return page;
}

/** Opens the Export dialog (in Finnish) and picks `format` by its label. */
async function openExport(page: Page, format: RegExp): Promise<void> {
  await page.getByRole('button', { name: 'Vie…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Vie toimintasuunnitelma' });
  await dialog.getByRole('radio', { name: format }).check();
}

/** Presses Export (`submit`, Finnish unless told) and waits for `count` downloads, in the order they came. */
async function exportDownloads(page: Page, count: number, submit = 'Vie'): Promise<Download[]> {
  const downloads: Download[] = [];
  const all = new Promise<void>((resolve) => {
    const on = (download: Download): void => {
      downloads.push(download);
      if (downloads.length === count) {
        page.off('download', on);
        resolve();
      }
    };
    page.on('download', on);
  });
  await page.getByRole('dialog').getByRole('button', { name: submit, exact: true }).click();
  await all;
  return downloads;
}

async function bytesOf(download: Download): Promise<Buffer> {
  return readFileSync(await download.path());
}

/** Every XML part of a zip (DOCX, XLSX) as one text. */
function zipText(bytes: Buffer): string {
  const parts = unzipSync(new Uint8Array(bytes));
  return Object.entries(parts)
    .filter(([name]) => name.endsWith('.xml'))
    .map(([, data]) => strFromU8(data))
    .join('\n');
}

describe('the Export dialog', () => {
  it('downloads Word, Excel, Markdown, both CSV files and the outline JSON', async () => {
    const page = await finnishFacilitator();

    await openExport(page, /Word/);
    const [docx] = await exportDownloads(page, 1);
    expect(docx?.suggestedFilename()).toBe(`${BASE}.docx`);
    const docxBytes = await bytesOf(docx as Download);
    expect(docxBytes.subarray(0, 2).toString('latin1')).toBe('PK');
    const documentXml = zipText(docxBytes);
    for (const action of FINNISH.actions) expect(documentXml).toContain(action.title);
    // The dialog closes and says what was downloaded.
    await page.getByText(`Ladattu: ${BASE}.docx`).waitFor();
    expect(await page.getByRole('dialog').count()).toBe(0);

    await openExport(page, /Excel/);
    const [xlsx] = await exportDownloads(page, 1);
    expect(xlsx?.suggestedFilename()).toBe(`${BASE}.xlsx`);
    const xlsxBytes = await bytesOf(xlsx as Download);
    expect(xlsxBytes.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(zipText(xlsxBytes)).toContain(FINNISH.actions[0]?.title);

    await openExport(page, /Markdown/);
    const [md] = await exportDownloads(page, 1);
    expect(md?.suggestedFilename()).toBe(`${BASE}.md`);
    const markdown = (await bytesOf(md as Download)).toString('utf8');
    expect(markdown).toContain(FINNISH.title);
    for (const action of FINNISH.actions) expect(markdown).toContain(action.title);

    await openExport(page, /CSV/);
    const csv = await exportDownloads(page, 2);
    expect(csv.map((d) => d.suggestedFilename())).toEqual([`${BASE}.csv`, `${BASE}-needs.csv`]);
    const [actionsCsv, needsCsv] = await Promise.all(csv.map(bytesOf));
    // UTF-8 with a byte-order mark, headed in Finnish, one row per action.
    expect([...(actionsCsv as Buffer).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const actionLines = (actionsCsv as Buffer).toString('utf8').trim().split('\r\n');
    expect(actionLines[0]?.split(';')).toContain('Budjetti');
    expect(actionLines).toHaveLength(FINNISH.actions.length + 1);
    expect((needsCsv as Buffer).toString('utf8')).toContain(FINNISH.needs[0]?.text);

    await openExport(page, /JSON/);
    const [outline] = await exportDownloads(page, 1);
    expect(outline?.suggestedFilename()).toBe(`${BASE}.json`);
    const parsed = JSON.parse((await bytesOf(outline as Download)).toString('utf8')) as ExampleOutline;
    expect(parsed.title).toBe(FINNISH.title);
    expect(parsed.actions.map((a) => a.title)).toEqual(FINNISH.actions.map((a) => a.title));
  });

  it('says in the dialog when a writer cannot load, and keeps the choices', async () => {
    const page = await finnishFacilitator();
    // The Word writer is loaded on first use; here the network drops it.
    await page.route(/\/assets\/docx-[^/]*\.js$/, (route) => route.abort());
    await openExport(page, /Word/);
    const dialog = page.getByRole('dialog', { name: 'Vie toimintasuunnitelma' });
    await dialog.getByRole('button', { name: 'Vie', exact: true }).click();
    await dialog
      .getByRole('alert')
      .filter({ hasText: /^Vienti epäonnistui: / })
      .waitFor();
    expect(await dialog.getByRole('radio', { name: /Word/ }).isChecked()).toBe(true);
    expect(await dialog.getByRole('button', { name: 'Vie', exact: true }).isEnabled()).toBe(true);
    expect(await dialog.getByRole('progressbar').count()).toBe(0);
  });

  it('prints the report page for a PDF in the browser', async () => {
    // Each frame's print() notes what its page says instead of opening a print dialog.
    const page = await finnishFacilitator(() => {
      window.print = function print(): void {
        const top: (Window & { printed?: string[] }) | null = window.top;
        if (top) (top.printed ??= []).push(document.body.innerText);
      };
    });
    await openExport(page, /PDF/);
    await page.getByText('valitse siinä ”Tallenna PDF-tiedostona”').waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Vie', exact: true }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    const printed = await page.evaluate(() => (window as Window & { printed?: string[] }).printed ?? []);
    expect(printed).toHaveLength(1);
    // What was printed is the report: its title, headings and every action.
    expect(printed[0]).toContain(FINNISH.title);
    expect(printed[0]).toContain('Liite: tarpeista toimenpiteisiin');
    for (const action of FINNISH.actions) expect(printed[0]).toContain(action.title);
  });

  it('previews the report in the language picked, and the sections and details chosen', async () => {
    const page = await finnishFacilitator();
    await page.getByRole('button', { name: 'Vie…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Vie toimintasuunnitelma' });
    const preview = page.frameLocator('iframe[title="Esikatselu"]');
    // The preview runs no script of its own (no allow-scripts).
    expect(await dialog.locator('iframe').getAttribute('sandbox')).toBe('allow-same-origin');
    await preview.getByRole('heading', { level: 1, name: FINNISH.title }).waitFor();
    await preview.getByRole('heading', { name: 'Yhteenveto' }).waitFor();
    const language = dialog.getByRole('combobox', { name: 'Kieli' });
    expect(await language.inputValue()).toBe('fi');

    // Keyboard: focus starts on the chosen format, and Tab goes round inside the dialog.
    const focused = (): Promise<string> =>
      page.evaluate(() => {
        const active = document.activeElement;
        return active
          ? `${active.tagName} ${active.getAttribute('title') ?? active.getAttribute('value') ?? ''}`
          : '';
      });
    expect(await focused()).toBe('INPUT docx');
    // Back from the first choice: the footer's buttons in the corner (Export last), then the preview.
    const button = (): Promise<string | null> =>
      page.evaluate(() =>
        document.activeElement?.tagName === 'BUTTON' ? document.activeElement.textContent : null,
      );
    await page.keyboard.press('Shift+Tab');
    expect(await button()).toBe('Vie');
    await page.keyboard.press('Shift+Tab');
    expect(await button()).toBe('Sulje');
    await page.keyboard.press('Shift+Tab');
    expect(await focused()).toBe('IFRAME Esikatselu');
    // Forward through the preview's own links (its table of contents), the footer, and round to the start.
    for (let presses = 0; presses < 40 && (await focused()) === 'IFRAME Esikatselu'; presses++) {
      await page.keyboard.press('Tab');
    }
    expect(await button()).toBe('Sulje');
    await page.keyboard.press('Tab');
    expect(await button()).toBe('Vie');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('INPUT docx');

    await language.selectOption({ label: 'English' });
    await preview.getByRole('heading', { name: 'Summary' }).waitFor();
    await preview.getByRole('heading', { name: 'Appendix: from needs to actions' }).waitFor();
    expect(await preview.getByRole('heading', { name: 'Yhteenveto' }).count()).toBe(0);
    expect(await preview.locator('html').getAttribute('lang')).toBe('en');

    // A section left out leaves the preview.
    await dialog.getByRole('checkbox', { name: 'Liite: tarpeista toimenpiteisiin' }).uncheck();
    await preview
      .getByRole('heading', { name: 'Appendix: from needs to actions' })
      .waitFor({ state: 'detached' });
    await preview.getByRole('heading', { name: 'Summary' }).waitFor();

    // Escape closes the dialog and gives focus back to the Export button.
    await language.focus();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(
      await page.getByRole('button', { name: 'Vie…' }).evaluate((b) => b === document.activeElement),
    ).toBe(true);
  });

  it('lets participants and viewers export too', async () => {
    const web = e2e.web();
    const { facilitatorUrl, participantUrl } = await newWorkshop(web);
    const token = new URLSearchParams(facilitatorUrl.split('?')[1] ?? '').get('token') ?? '';
    const room = /#\/w\/([^?]+)/.exec(facilitatorUrl)?.[1] ?? '';
    const made = await fetch(`${web.url}/api/workshops/${room}/links`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ role: 'viewer' }),
    });
    const { url: viewerUrl } = (await made.json()) as { url: string };

    const participant = await newPage();
    await participant.goto(participantUrl);
    await joinAs(participant, 'Bob');
    await participant.getByRole('heading', { level: 1, name: /Vitality from Culture/ }).waitFor();
    await participant.getByRole('button', { name: 'Export…' }).click();
    await participant
      .frameLocator('iframe[title="Preview"]')
      .getByRole('heading', { level: 1, name: /Vitality from Culture/ })
      .waitFor();

    const viewer = await newPage();
    await viewer.goto(viewerUrl);
    await joinAs(viewer, 'Vera');
    await viewer.getByRole('heading', { level: 1, name: /Vitality from Culture/ }).waitFor();
    await viewer.getByRole('button', { name: 'Export…' }).click();
    await viewer
      .getByRole('dialog')
      .getByRole('radio', { name: /Markdown/ })
      .check();
    const [md] = await exportDownloads(viewer, 1, 'Export');
    expect(md?.suggestedFilename()).toMatch(/^Vitality from Culture.*\.md$/);
    expect((await bytesOf(md as Download)).toString('utf8')).toContain('Vitality from Culture');
  });
});

describe('importing an outline from Home', () => {
  const outline = {
    title: 'Imported village plan',
    language: 'en',
    stakeholders: ['Villagers'],
    needs: [
      { id: 'n1', text: 'A bus on Sundays', stakeholder: 'Villagers' },
      { id: 'n2', text: 'A place for teenagers', stakeholder: 'Villagers' },
    ],
    themes: [{ id: 't1', title: 'Getting around', needs: ['n1'] }],
    actions: [
      {
        id: 'a1',
        title: 'Sunday bus trial',
        themes: ['t1'],
        owner: 'Village association',
        partners: [],
        start: '2027-03',
        end: '2027-09',
        budgetEur: 4200,
        funding: 'Municipality',
        indicator: 'Riders per Sunday',
        status: 'planned',
      },
    ],
  };

  async function chooseOutline(page: Page, name: string, json: unknown): Promise<void> {
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Import an outline…' }).click();
    await (
      await chooser
    ).setFiles({ name, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(json)) });
  }

  async function workshopTitles(): Promise<string[]> {
    const web = e2e.web();
    const res = await fetch(`${web.url}/api/workshops`, {
      headers: { Authorization: `Bearer ${web.organiserToken}` },
    });
    return ((await res.json()) as { workshops: { title: string }[] }).workshops.map((w) => w.title);
  }

  it('shows each problem of an invalid outline with its field, and creates nothing', async () => {
    const page = await newPage();
    await page.goto(e2e.web().organiserLink);
    const before = await workshopTitles();
    const bad = {
      ...outline,
      actions: [{ ...outline.actions[0], start: '2027-09', end: '2027-03', themes: ['t9'] }],
    };
    await chooseOutline(page, 'broken.json', bad);
    const alert = page.getByRole('alert');
    await alert.getByText('broken.json is not a workshop outline. Nothing was created.').waitFor();
    expect(await alert.getByRole('listitem').allTextContents()).toEqual([
      'actions[0].themes[0]: "t9" is not the id of a theme',
      'actions[0].end: 2027-03 is before the start 2027-09',
    ]);
    expect(await workshopTitles()).toEqual(before);
  });

  it('creates a workshop from an outline file and opens it with its notes', async () => {
    const page = await newPage();
    await page.goto(e2e.web().organiserLink);
    await chooseOutline(page, 'village.json', outline);
    await joinAs(page, 'Olga');
    await page.getByRole('heading', { level: 1, name: 'Imported village plan' }).waitFor();
    const lane = page.getByRole('list', { name: /Villagers/ });
    await lane.getByText('A bus on Sundays').waitFor();
    await lane.getByText('A place for teenagers').waitFor();
    expect(await workshopTitles()).toContain('Imported village plan');
  });
});

describe('the Export dialog in the desktop app', () => {
  // As e2e/desktop.test.ts does: the built UI from file://, `window.talkoo` wired to main's real
  // IPC handlers and a real laptop host; only the save dialog and printing are stand-ins.
  let host: LocalHost;
  let dir = '';
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  /** What the save dialog answers next (null: cancelled). */
  let chosenPath: string | null = null;

  beforeAll(async () => {
    dir = tempDir('talkoo-export-desktop-');
    host = await startLocalHost({ dataDir: join(dir, 'data'), staticDir: RENDERER_DIR, port: 0 });
    browser = await launchChromium(['--allow-file-access-from-files']);
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await host?.close();
    removeDir(dir);
  });

  async function desktopWindow(): Promise<Page> {
    const page = await openDesktopWindow(browser, host, () => chosenPath);
    contexts.push(page.context());
    return page;
  }

  it('saves through the save dialog, says nothing when it is cancelled, and shows why a PDF failed', async () => {
    const page = await desktopWindow();
    await page.getByRole('combobox', { name: 'Start from' }).selectOption('example-culture-network-en');
    await page.getByRole('button', { name: 'Create workshop' }).click();
    await joinAs(page, 'Alice');
    await page.getByRole('heading', { level: 1, name: /Vitality from Culture/ }).waitFor();

    // The preview renders under the desktop page's own policy too.
    await page.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export the action plan' });
    await page
      .frameLocator('iframe[title="Preview"]')
      .getByRole('heading', { level: 1, name: /Vitality from Culture/ })
      .waitFor();

    // Cancelled: the dialog stays, with no message and nothing written.
    chosenPath = null;
    await dialog.getByRole('radio', { name: /CSV/ }).check();
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await dialog.getByRole('button', { name: 'Export', exact: true, disabled: false }).waitFor();
    expect(await dialog.getByRole('alert').count()).toBe(0);

    // PDF: printing fails here (it needs Electron), and the dialog says so.
    chosenPath = join(dir, 'plan.pdf');
    await dialog.getByRole('radio', { name: /PDF/ }).check();
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await dialog
      .getByRole('alert')
      .filter({ hasText: /^The export failed: Could not make the PDF\./ })
      .waitFor();
    expect(existsSync(chosenPath)).toBe(false);

    // CSV: both files, the needs beside the actions; the toast names both paths.
    chosenPath = join(dir, 'plan.csv');
    await dialog.getByRole('radio', { name: /CSV/ }).check();
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await page.getByText(`Saved to ${chosenPath}, ${join(dir, 'plan-needs.csv')}`).waitFor();
    await dialog.waitFor({ state: 'detached' });
    const actions = readFileSync(chosenPath, 'utf8');
    expect(actions.startsWith('\uFEFF')).toBe(true);
    expect(actions.split('\r\n')[0]?.split(',')).toContain('Budget');
    expect(readFileSync(join(dir, 'plan-needs.csv'), 'utf8').startsWith('\uFEFF')).toBe(true);
    await page.context().close();
  });
});
