/**
 * PDF printing for the command line: headless Chromium (playwright-core, no bundled browser)
 * prints the report's HTML page as the page's print CSS lays it out (A4, page numbers). The executable is
 * `CHROME_PATH`, then the usual places of Chromium, Chrome and Edge; without one the command says
 * so and how to point at one. The page runs no script and loads nothing from the network: the
 * report's HTML is self-contained and the workshop's texts must not reach out anywhere.
 */
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

/** Where Chromium-based browsers live on Linux, macOS and Windows, in the order tried. */
export const CHROME_CANDIDATES: readonly string[] = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Program Files\\Microsoft\\Edge\\Application\\msedge.exe',
  'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
];

/**
 * Flags for headless Chromium on a machine that may have no network, GPU or user profile: no
 * background traffic, no first-run work, no sandbox (which needs privileges a container lacks).
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** No Chromium or Chrome to print with; the message says how to name one. */
export class NoChromeError extends Error {
  constructor(reason: string) {
    super(
      `PDF export needs Chromium or Chrome, and ${reason}. Install one, or set CHROME_PATH to its ` +
        'executable, e.g. CHROME_PATH=/usr/bin/chromium or ' +
        'CHROME_PATH="C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe".',
    );
    this.name = 'NoChromeError';
  }
}

/**
 * The browser to print with: `CHROME_PATH` when set (it must exist), else the first of
 * {@link CHROME_CANDIDATES} that exists.
 * @throws NoChromeError when there is none.
 */
export function findChrome(
  env: Readonly<Record<string, string | undefined>> = process.env,
  exists: (path: string) => boolean = existsSync,
): string {
  const configured = env['CHROME_PATH'];
  if (configured) {
    if (!exists(configured)) throw new NoChromeError(`CHROME_PATH names ${configured}, which does not exist`);
    return configured;
  }
  const found = CHROME_CANDIDATES.find((path) => exists(path));
  if (found === undefined) throw new NoChromeError('none was found in the usual places');
  return found;
}

/** How a page is printed. */
export type PrintOptions = {
  /**
   * Chromium's footer template (HTML with `pageNumber` and `totalPages` spans, see
   * {@link PAGE_NUMBER_FOOTER}), for a page that does not number its pages itself. Without one
   * the page's own CSS (`@page` margin boxes) does: the report's HTML numbers its pages in its
   * language, as the desktop app prints it, and a second footer would print every number twice.
   */
  readonly footerTemplate?: string;
};

/** A footer of the page number and the count, e.g. `3 / 12`, small and grey, centred. */
export const PAGE_NUMBER_FOOTER =
  '<div style="width:100%;font-size:8px;color:#555;text-align:center;font-family:sans-serif">' +
  '<span class="pageNumber"></span> / <span class="totalPages"></span></div>';

/** A running headless browser that prints pages; close it when done. */
export type PdfPrinter = {
  print(html: string, options?: PrintOptions): Promise<Uint8Array>;
  close(): Promise<void>;
};

/** Starts headless Chromium for printing (see {@link findChrome} for which). */
export async function openPdfPrinter(executablePath: string = findChrome()): Promise<PdfPrinter> {
  // Loaded here, not at start: it takes a noticeable part of a second, and most commands never print.
  const { chromium } = await import('playwright-core');
  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath,
      headless: true,
      args: [...CHROMIUM_ARGS],
    });
  } catch (error) {
    const first = ((error as Error).message.split('\n')[0] ?? '').trim();
    throw new NoChromeError(`${executablePath} could not be started (${first})`);
  }
  return {
    async print(html, options = {}) {
      const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
      try {
        const page = await context.newPage();
        // Nothing leaves the machine: the report embeds what it shows.
        await page.route('**/*', (route) => route.abort());
        // Laid out for print from the start: otherwise Chromium lays the whole report out for the
        // screen first and again for print, and on a report of 500 pages the first layout is
        // about a sixth of the export (the PDF is the same, page for page).
        await page.emulateMedia({ media: 'print' });
        await page.setContent(html, { waitUntil: 'load' });
        const pdf = await page.pdf({
          format: 'A4',
          printBackground: true,
          preferCSSPageSize: true,
          displayHeaderFooter: options.footerTemplate !== undefined,
          headerTemplate: '<span></span>',
          footerTemplate: options.footerTemplate ?? '<span></span>',
          // Used where the page's CSS sets no @page margin; the bottom one leaves room for a footer.
          margin: { top: '16mm', bottom: '18mm', left: '14mm', right: '14mm' },
        });
        return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
      } finally {
        await context.close();
      }
    },
    async close() {
      await browser.close();
    },
  };
}

/** Prints one HTML page to PDF with a browser of its own (started and stopped here). */
export async function printPdf(html: string, options: PrintOptions = {}): Promise<Uint8Array> {
  const printer = await openPdfPrinter();
  try {
    return await printer.print(html, options);
  } finally {
    await printer.close();
  }
}
