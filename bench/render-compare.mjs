// Compares two builds of the web client on the render benchmark's route, loads interleaved in
// one Chromium (A B B A …), so that a burst of outside load on this shared machine falls on both
// alike. Prints, per build, the medians of the load, of every note laid out and of the page's
// phases, then B/A.
//   node bench/render-compare.mjs [--notes N] [--rounds R] DIR_A DIR_B
// DIR_A and DIR_B are built clients (what `node build/build.mjs renderer` puts in dist/renderer).
// To compare with an earlier commit:
//   git worktree add ../before REV && ln -s "$PWD/node_modules" ../before/node_modules
//   (cd ../before && node build/build.mjs renderer) && cp -r dist/renderer /tmp/after
//   node bench/render-compare.mjs ../before/dist/renderer /tmp/after
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { log } from './lib/harness.mjs';
import { launchBrowser, median, phases, serveClient, timeLoad } from './lib/render.mjs';

const { values, positionals } = parseArgs({
  options: { notes: { type: 'string', default: '1000' }, rounds: { type: 'string', default: '12' } },
  allowPositionals: true,
});
const notes = Number(values.notes);
const rounds = Number(values.rounds);
const dirs = positionals.map((dir) => resolve(dir));
if (dirs.length !== 2 || !(notes > 0) || !(rounds > 0)) {
  console.error('usage: node bench/render-compare.mjs [--notes N] [--rounds R] DIR_A DIR_B');
  process.exit(2);
}
for (const dir of dirs) {
  if (!existsSync(join(dir, 'index.html'))) {
    console.error(`${dir} holds no built client (no index.html)`);
    process.exit(2);
  }
}

const clients = await Promise.all(dirs.map((dir) => serveClient(dir)));
const browser = await launchBrowser();
const loads = dirs.map(() => []);
try {
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 ? [1, 0] : [0, 1];
    for (const i of order) loads[i].push(await timeLoad(browser, `${clients[i].url}/#/bench?notes=${notes}`));
  }
} finally {
  await browser.close();
  await Promise.all(clients.map((c) => c.stop()));
}
const summary = loads.map((runs) => ({
  ready: median(runs.map((r) => r.readyAt)),
  // Only when every load reported it (builds from before it existed do not).
  settled: runs.every((r) => r.settledAt !== null) ? median(runs.map((r) => r.settledAt)) : NaN,
}));
dirs.forEach((dir, i) => {
  const runs = loads[i];
  log(`${'AB'[i]}: ${dir}`);
  log(`  load runs (ms): ${runs.map((r) => Math.round(r.readyAt)).join(', ')}`);
  log(
    `  ${phases(
      runs.map((r) => r.marks),
      runs.map((r) => r.readyAt),
    )}`,
  );
});
const ms = (value) => (Number.isNaN(value) ? 'not reported' : `${Math.round(value)} ms`);
const ratio = (a, b) => (Number.isNaN(a / b) ? '' : `, B/A ${(b / a).toFixed(2)}`);
console.log(`${notes} notes, ${rounds} loads each, interleaved`);
for (const [label, key] of [
  ['on screen', 'ready'],
  ['every note laid out', 'settled'],
]) {
  const [a, b] = summary.map((s) => s[key]);
  console.log(`  ${label} (median): A ${ms(a)}, B ${ms(b)}${ratio(a, b)}`);
}
