/**
 * The annual wheel's PNG for a .docx written by the command line (the app's browser makes its own,
 * renderer/src/plan/wheel-image.ts): headless Chromium, found as PDF export finds it (pdf.ts),
 * draws the report's wheel SVG and takes its picture at twice its size. The page runs no script
 * and loads nothing. Without a Chromium the .docx goes without the wheel, as it would anyway.
 */
import type { Report } from '../../shared/report/model';
import { CHROMIUM_ARGS, findChrome } from './pdf';

/** PNG pixels per SVG unit, as in the app: an 800-unit wheel becomes 1,600 px wide. */
const SCALE = 2;

/** `svg` (a standalone SVG document `width` × `height` units) as PNG bytes at `scale`. */
export async function rasteriseSvg(
  svg: string,
  width: number,
  height: number,
  scale = SCALE,
): Promise<Uint8Array> {
  // Loaded here, not at start, as in pdf.ts: most commands never draw.
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: findChrome(),
    headless: true,
    args: [...CHROMIUM_ARGS],
  });
  try {
    const context = await browser.newContext({
      javaScriptEnabled: false,
      offline: true,
      viewport: { width, height },
      deviceScaleFactor: scale,
    });
    const page = await context.newPage();
    await page.route('**/*', (route) => route.abort());
    await page.setContent(`<!doctype html><html><body style="margin:0">${svg}</body></html>`);
    const png = await page.screenshot({ type: 'png', clip: { x: 0, y: 0, width, height } });
    return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
  } finally {
    await browser.close();
  }
}

/**
 * `report` with a PNG of its wheel (for the .docx, which embeds the PNG); as it is when it has no
 * wheel, or when no Chromium can draw one.
 */
export async function withWheelPng(report: Report): Promise<Report> {
  const { wheel } = report;
  if (!wheel || wheel.png) return report;
  try {
    return { ...report, wheel: { ...wheel, png: await rasteriseSvg(wheel.svg, wheel.width, wheel.height) } };
  } catch {
    // No Chromium here (or it would not start): the document goes without the picture.
    return report;
  }
}
