// wheel-500: the annual wheel of 500 actions in one year (and four recurring items) in real
// Chromium at 1280×720, the built web client's route `#/bench/wheel?actions=500` (a local
// document, no server; renderer/src/plan/wheel-bench.tsx). The page shows its first frame, then
// asks for the wheel (the real AnnualWheel of the actions board: layout, SVG tree, React) and
// reports when the frame with it was on the screen, as the notes benchmark does (two animation
// frames after React committed it). Target from issue #12: drawn within 200 ms. Median of RUNS
// fresh tabs; navigation to the wheel on screen beside it, without a target.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { log } from '../lib/harness.mjs';
import { copyOfClient, launchBrowser, loadBoard, median, serveClient } from '../lib/render.mjs';
import { figure } from '../lib/report.mjs';

const ACTIONS = 500;
const RUNS = 7;
const root = join(import.meta.dirname, '..', '..');

export const summary = `annual wheel of ${ACTIONS} actions in Chromium: from asking for it to its frame on screen`;

export async function run() {
  const built = spawnSync(process.execPath, [join(root, 'build', 'build.mjs'), 'renderer', '--quiet'], {
    stdio: 'inherit',
  });
  if (built.status !== 0) throw new Error('building the web client failed');
  // A copy of the client of its own: another build into dist/ (a test run) may replace it meanwhile.
  const dir = copyOfClient();
  const client = await serveClient(dir);
  const browser = await launchBrowser();
  try {
    const draws = [];
    const loads = [];
    for (let i = 0; i < RUNS; i++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
      try {
        await loadBoard(page, `${client.url}/#/bench/wheel?actions=${ACTIONS}`);
        // eslint-disable-next-line no-undef -- runs in the page
        const { drawMs, readyAt } = await page.evaluate(() => window.__bench);
        draws.push(drawMs);
        loads.push(readyAt);
      } finally {
        await page.close();
      }
    }
    log(`  drawn (ms): ${draws.map((v) => Math.round(v)).join(', ')}`);
    log(`  navigation to the wheel on screen (ms): ${loads.map((v) => Math.round(v)).join(', ')}`);
    return [
      figure(`annual wheel of ${ACTIONS} actions drawn (median)`, median(draws), 'ms', {
        target: 200,
        better: 'lower',
      }),
      figure('navigation to the wheel on screen (median)', median(loads), 'ms', { better: 'lower' }),
    ];
  } finally {
    await browser.close();
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
