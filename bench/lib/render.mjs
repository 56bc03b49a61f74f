/* global window, document, WheelEvent, requestAnimationFrame -- functions passed to page.evaluate run in the page */
// Rendering benchmarks in real headless Chromium (Debian's, driven by playwright-core) at
// 1280×720, against the built web client's benchmark route `#/bench?notes=N` (a needs board of
// N generated notes in a local document, no server). Two figures per board size:
//   - load: from navigation start to every note on the page (window.__bench.readyAt, taken by
//     the page two animation frames after React committed the board); median of RUNS fresh tabs.
//   - pan: frames actually presented per second while the board is panned for 3 s, counted from
//     the Chromium trace (PipelineReporter events in state STATE_PRESENTED_ALL or _PARTIAL, one
//     per frame sequence), not from requestAnimationFrame ticks. The pan is driven inside the
//     page: a wheel event on the canvas every animation frame, back and forth.
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { figure } from './report.mjs';
import { log } from './harness.mjs';

const root = join(import.meta.dirname, '..', '..');
const clientDir = join(root, 'dist', 'renderer');
const RUNS = 5;
const PAN_MS = 3000;
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.map': 'application/json',
};

/** Serves dist/renderer on 127.0.0.1 (a free port); resolves with its URL and a stop function. */
async function serveClient() {
  const server = createServer((req, res) => {
    const path = normalize(join(clientDir, new URL(req.url ?? '/', 'http://x').pathname));
    const file =
      path.startsWith(clientDir) && existsSync(path) && statSync(path).isFile()
        ? path
        : join(clientDir, 'index.html');
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    stop: () => new Promise((r) => server.close(r)),
  };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Presented frames per second in a trace's PipelineReporter events. */
function presentedFps(trace, seconds) {
  const presented = new Set();
  for (const e of trace.traceEvents ?? []) {
    if (e.name !== 'PipelineReporter' || e.ph !== 'b') continue;
    const r = e.args?.frame_reporter;
    if (r?.state === 'STATE_PRESENTED_ALL' || r?.state === 'STATE_PRESENTED_PARTIAL')
      presented.add(r.frame_sequence);
  }
  return presented.size / seconds;
}

/** Runs the load and pan measurements for a board of `notes` notes; returns result rows. */
export async function renderBenchmark(notes, { loadTarget, fpsTarget }) {
  const built = spawnSync(process.execPath, [join(root, 'build', 'build.mjs'), 'renderer', '--quiet'], {
    stdio: 'inherit',
  });
  if (built.status !== 0) throw new Error('building the web client failed');
  const { chromium } = await import('playwright-core');
  const client = await serveClient();
  const browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  try {
    const url = `${client.url}/#/bench?notes=${notes}`;
    const loads = [];
    for (let run = 0; run < RUNS; run++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
      await page.goto(url);
      await page.waitForFunction(() => window.__bench?.ready === true, null, { timeout: 120_000 });
      loads.push(await page.evaluate(() => window.__bench.readyAt));
      await page.close();
    }
    log(`  load runs (ms): ${loads.map((v) => Math.round(v)).join(', ')}`);

    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(url);
    await page.waitForFunction(() => window.__bench?.ready === true, null, { timeout: 120_000 });
    await browser.startTracing(page, {
      categories: ['benchmark', 'disabled-by-default-devtools.timeline.frame'],
    });
    const panned = await page.evaluate(
      (ms) =>
        new Promise((resolve) => {
          const canvas = document.querySelector('.canvas');
          const start = performance.now();
          const step = () => {
            const t = performance.now() - start;
            if (t >= ms) return resolve(t);
            const dir = Math.floor(t / 1000) % 2 === 0 ? 1 : -1;
            canvas.dispatchEvent(
              new WheelEvent('wheel', { deltaX: 8 * dir, deltaY: 12 * dir, bubbles: true, cancelable: true }),
            );
            requestAnimationFrame(step);
          };
          requestAnimationFrame(step);
        }),
      PAN_MS,
    );
    const trace = JSON.parse((await browser.stopTracing()).toString());
    const fps = presentedFps(trace, panned / 1000);
    return [
      figure('load to all notes on screen (median)', median(loads), 'ms', {
        target: loadTarget,
        better: 'lower',
      }),
      figure('panning, presented frames', fps, 'fps', { target: fpsTarget, better: 'higher' }),
    ];
  } finally {
    await browser.close();
    await client.stop();
  }
}
