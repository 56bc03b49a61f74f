/* global window, document, WheelEvent, requestAnimationFrame -- functions passed to page.evaluate run in the page */
// Rendering benchmarks in real headless Chromium (Debian's, driven by playwright-core) at
// 1280×720, against the built web client's benchmark route `#/bench?notes=N` (a needs board of
// N generated notes in a local document, no server). Two figures per board size:
//   - load: from navigation start to the board on the screen (window.__bench.readyAt, taken by
//     the page: the later of two animation frames after React committed the board and the
//     browser's first-contentful-paint time, when it presented the board's first frame); median
//     of RUNS fresh tabs. Every note is in the page by then; the first frame lays out those in
//     view, and the lists lay out the rest as soon as the browser is idle (NoteList). When that
//     was done (window.__bench.settledAt) is reported beside it, without a target.
//     The harness waits for it by evaluating a plain expression over its own DevTools session
//     every few milliseconds (see loadBoard), not with page.waitForFunction: that evaluates
//     Playwright's injected script (about 30 ms of main-thread work) in the page while it loads,
//     which delayed readyAt by about 40 ms in the median.
//   - pan: frames actually presented per second while the board is panned for 3 s, counted from
//     the Chromium trace (PipelineReporter events in state STATE_PRESENTED_ALL or _PARTIAL, one
//     per frame sequence), not from requestAnimationFrame ticks. The pan is driven inside the
//     page: a wheel event on the canvas every animation frame, back and forth.
import { spawnSync } from 'node:child_process';
import { cpSync, createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { figure } from './report.mjs';
import { loadPdf } from './export-build.mjs';
import { log } from './harness.mjs';

const root = join(import.meta.dirname, '..', '..');
const clientDir = join(root, 'dist', 'renderer');
const RUNS = 5;
const PAN_MS = 3000;
const POLL_MS = 20;
const TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.map': 'application/json',
};

/** A copy of the built client (dist/renderer) in a new temporary folder; returns the folder. */
export function copyOfClient() {
  const dir = mkdtempSync(join(tmpdir(), 'talkoo-client-'));
  cpSync(clientDir, dir, { recursive: true });
  if (!existsSync(join(dir, 'index.html')))
    throw new Error('dist/renderer was rebuilt while it was copied: run again');
  return dir;
}

/** Serves a built client (dist/renderer) on 127.0.0.1, a free port; resolves with its URL and a stop function. */
export async function serveClient(dir = clientDir) {
  const server = createServer((req, res) => {
    const path = normalize(join(dir, new URL(req.url ?? '/', 'http://x').pathname));
    const file =
      path.startsWith(dir) && existsSync(path) && statSync(path).isFile() ? path : join(dir, 'index.html');
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    stop: () => new Promise((r) => server.close(r)),
  };
}

/**
 * Opens `url` in `page` and resolves once the page reports every note on screen
 * (`window.__bench.ready`). Nothing of the harness runs in the page meanwhile except that one
 * expression, evaluated every POLL_MS.
 */
export async function loadBoard(page, url) {
  const cdp = await page.context().newCDPSession(page);
  try {
    await page.goto(url, { waitUntil: 'commit' });
    const deadline = Date.now() + 120_000;
    for (;;) {
      const { result } = await cdp.send('Runtime.evaluate', {
        expression: 'window.__bench && { ready: window.__bench.ready, count: window.__bench.count }',
        returnByValue: true,
      });
      if (result.value?.ready === true) return;
      // The page reports once; a count short of the board means notes went missing.
      if (result.value) throw new Error(`the board at ${url} showed ${result.value.count} notes`);
      if (Date.now() > deadline) throw new Error(`the board at ${url} was not ready within 120 s`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } finally {
    await cdp.detach();
  }
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Where the load went, as medians over the runs of the page's own marks (bench-screen.tsx):
 * the script running, the document, its read model, React's render and commit, the browser's
 * first frame of the board (with the effects after it), the two frames to ready. Then the
 * browser's own first-contentful-paint time (the board's frame on screen), which ready is never
 * before.
 */
export function phases(marks, loads) {
  const at = (name) => median(marks.map((m) => m[name] ?? NaN));
  const steps = [
    ['script', 0, at('bench:start')],
    ['document', at('bench:start'), at('bench:document')],
    ['read model', at('bench:document'), at('bench:read-model')],
    ['React', at('bench:read-model'), at('bench:dom')],
    ['frame', at('bench:dom'), at('bench:committed')],
    ['to ready', at('bench:committed'), median(loads)],
  ];
  const parts = steps.map(([name, from, to]) => `${name} ${Math.round(to - from)}`).join(', ');
  return `phases, medians (ms): ${parts}; first contentful paint at ${Math.round(at('first-contentful-paint'))}`;
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

/** Launches the headless Chromium the render benchmarks use. */
export async function launchBrowser() {
  const { chromium } = await import('playwright-core');
  // Headless flags as the PDF export and the end-to-end tests use them (one copy, in pdf.ts).
  const { CHROMIUM_ARGS } = await loadPdf();
  return chromium.launch({
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/**
 * Loads the board at `url` in a fresh tab of `browser`: when it was on the screen (readyAt), when
 * every note had been laid out (settledAt; null if the build does not say), and the page's marks,
 * each in ms since navigation.
 */
export async function timeLoad(browser, url) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  try {
    await loadBoard(page, url);
    const settledAt = await waitForSettled(page);
    // Read afterwards, so reading them costs the page nothing while it is timed.
    const marks = await page.evaluate(() =>
      Object.fromEntries(
        [...performance.getEntriesByType('mark'), ...performance.getEntriesByType('paint')].map((m) => [
          m.name,
          m.startTime,
        ]),
      ),
    );
    return { readyAt: await page.evaluate(() => window.__bench.readyAt), settledAt, marks };
  } finally {
    await page.close();
  }
}

/**
 * window.__bench.settledAt once the page reports it, polled like loadBoard polls for ready; null
 * if it does not within 5 s (a build from before it existed).
 */
async function waitForSettled(page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const deadline = Date.now() + 5000;
    for (;;) {
      const { result } = await cdp.send('Runtime.evaluate', {
        expression: 'window.__bench.settledAt',
        returnByValue: true,
      });
      if (typeof result.value === 'number') return result.value;
      if (Date.now() > deadline) return null;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } finally {
    await cdp.detach();
  }
}

/** Runs the load and pan measurements for a board of `notes` notes; returns result rows. */
export async function renderBenchmark(notes, { loadTarget, fpsTarget }) {
  const built = spawnSync(process.execPath, [join(root, 'build', 'build.mjs'), 'renderer', '--quiet'], {
    stdio: 'inherit',
  });
  if (built.status !== 0) throw new Error('building the web client failed');
  // A copy of its own: another build into dist/ (a test run beside it) may replace it meanwhile.
  const dir = copyOfClient();
  const client = await serveClient(dir);
  const browser = await launchBrowser();
  try {
    const url = `${client.url}/#/bench?notes=${notes}`;
    const loads = [];
    const settles = [];
    const marks = [];
    for (let run = 0; run < RUNS; run++) {
      const load = await timeLoad(browser, url);
      loads.push(load.readyAt);
      settles.push(load.settledAt);
      marks.push(load.marks);
    }
    log(`  load runs (ms): ${loads.map((v) => Math.round(v)).join(', ')}`);
    log(`  every note laid out (ms): ${settles.map((v) => Math.round(v)).join(', ')}`);
    log(`  ${phases(marks, loads)}`);

    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await loadBoard(page, url);
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
      figure('load to the board on screen (median)', median(loads), 'ms', {
        target: loadTarget,
        better: 'lower',
      }),
      figure('load to every note laid out (median)', median(settles), 'ms', { better: 'lower' }),
      figure('panning, presented frames', fps, 'fps', { target: fpsTarget, better: 'higher' }),
    ];
  } finally {
    await browser.close();
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
