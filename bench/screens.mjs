#!/usr/bin/env node
// Screenshots of every screen of the web app, in each UI language asked for, for a designer's pass
// (#12). Usage:
//   node bench/screens.mjs OUTDIR [--size 1280x800] [--lang fi,et] [--no-build]
// Builds the web client and the server (as `npm run web` does; --no-build uses dist/ as it is),
// runs copies of both of its own (another build into dist/ meanwhile cannot break the run) on a
// free port with a temporary data folder and the examples, creates a workshop from the plan
// example, joins it as a facilitator (and as a participant for one picture), and saves
// OUTDIR/<lang>-<size>/<nn>-<screen>.png. Controls are found by role and by their name in that
// language's locale file, as the e2e tests find them.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const root = join(import.meta.dirname, '..');
const EXAMPLE = 'example-etela-savo-plan-fi';

function usage(message) {
  console.error(
    `${message}\nusage: node bench/screens.mjs OUTDIR [--size 1280x800] [--lang fi,et] [--no-build]`,
  );
  process.exit(2);
}

function parseArgs(argv) {
  const options = { out: '', size: '1280x800', langs: ['fi', 'et'], build: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--size') options.size = argv[++i] ?? '';
    else if (arg === '--lang') options.langs = (argv[++i] ?? '').split(',').filter(Boolean);
    else if (arg === '--no-build') options.build = false;
    else if (arg.startsWith('--')) usage(`unknown option ${arg}`);
    else options.out = arg;
  }
  if (!options.out) usage('OUTDIR is missing');
  if (!/^\d+x\d+$/.test(options.size)) usage(`--size wants WIDTHxHEIGHT, not ${options.size}`);
  for (const lang of options.langs)
    if (!['en', 'fi', 'sv', 'et'].includes(lang)) usage(`--lang: no language ${lang}`);
  return options;
}

/**
 * Copies dist/renderer and dist/server under node_modules/.cache (the server bundle imports its
 * packages by name, so the copy must sit inside the project) and serves them from there.
 */
async function startServer() {
  const cache = join(root, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const copy = mkdtempSync(join(cache, 'talkoo-screens-'));
  cpSync(join(root, 'dist', 'renderer'), join(copy, 'renderer'), { recursive: true });
  cpSync(join(root, 'dist', 'server'), join(copy, 'server'), { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'talkoo-screens-data-'));
  const child = spawn(
    process.execPath,
    [
      join(copy, 'server', 'cli.mjs'),
      '--static',
      join(copy, 'renderer'),
      '--examples',
      '--port',
      '0',
      '--data-dir',
      dataDir,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const { url, organiserLink } = await new Promise((done, fail) => {
    const onData = (chunk) => {
      output += chunk.toString();
      const listening = /listening on (http:\/\/\S+)/.exec(output);
      const link = /(http:\/\/\S+#\/\?organiser=\S+)/.exec(output);
      if (listening && link) done({ url: listening[1], organiserLink: link[1] });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => fail(new Error(`the server exited with ${code}:\n${output}`)));
  });
  const stop = () =>
    new Promise((done) => {
      const clean = () => {
        rmSync(copy, { recursive: true, force: true });
        rmSync(dataDir, { recursive: true, force: true });
        done();
      };
      if (child.exitCode !== null) return clean();
      child.once('exit', clean);
      child.kill('SIGTERM');
    });
  return {
    url,
    organiserLink,
    organiserToken: decodeURIComponent(organiserLink.split('organiser=')[1]),
    stop,
  };
}

/** A new workshop from the plan example: its facilitator's link and a participant's. */
async function newWorkshop(server) {
  const created = await fetch(`${server.url}/api/workshops`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.organiserToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ example: EXAMPLE }),
  });
  if (!created.ok) throw new Error(`creating the workshop: ${created.status} ${await created.text()}`);
  const { room, facilitatorUrl, facilitatorToken } = await created.json();
  const link = await fetch(`${server.url}/api/workshops/${room}/links`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${facilitatorToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ role: 'participant', name: 'Participant' }),
  });
  const { url: participantUrl } = await link.json();
  return { facilitatorUrl, participantUrl };
}

/** The locale file of `lang`: the names controls have on screen in that language. */
function messages(lang) {
  return JSON.parse(readFileSync(join(root, 'shared', 'i18n', `${lang}.json`), 'utf8'));
}

/** Waits for fonts, layout and the last transition; then saves the page. */
async function shoot(page, dir, counter, name) {
  // eslint-disable-next-line no-undef -- runs in the page
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(300);
  const file = join(dir, `${String(counter.n++).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file });
  console.log(`saved ${file}`);
}

/** Opens `url` in a fresh context whose person has a name and chose `lang` on this device. */
async function openAs(browser, url, lang, width, height, name) {
  const context = await browser.newContext({ viewport: { width, height } });
  await context.addInitScript(
    ([language, who]) => {
      // Also runs in sandboxed frames (the export's preview), which have no storage.
      try {
        localStorage.setItem('talkoo.uiLanguage', language);
        localStorage.setItem('talkoo.name', who);
      } catch {
        // nothing to set there
      }
    },
    [lang, name],
  );
  const page = await context.newPage();
  page.on('pageerror', (e) => console.log(`  page error: ${e.message}`));
  await page.goto(url);
  return page;
}

async function closeDialog(page) {
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'detached' });
}

/** Every screen in `lang`, into `dir`. */
async function screens(browser, server, lang, width, height, dir) {
  const m = messages(lang);
  const counter = { n: 1 };
  const { facilitatorUrl, participantUrl } = await newWorkshop(server);

  // Home, with the examples and the new workshop listed.
  const home = await openAs(browser, server.organiserLink, lang, width, height, 'Aino');
  await home.getByRole('heading', { level: 1 }).waitFor();
  await home.locator('.workshop-row').first().waitFor();
  await shoot(home, dir, counter, 'home');
  await home.context().close();

  const page = await openAs(browser, facilitatorUrl, lang, width, height, 'Aino');
  const tabs = page.getByRole('tablist', { name: m['nav.boards'] });
  await tabs.getByRole('tab').first().waitFor();
  await page.locator('[data-note-id]').first().waitFor();
  await shoot(page, dir, counter, 'needs-board');

  // The voting panel with a round open.
  const dots = page.getByRole('spinbutton', { name: m['vote.dots'] });
  if (await dots.count()) {
    await dots.fill('3');
    await page.getByRole('button', { name: m['vote.start'], exact: true }).click();
    const voting = page.getByRole('heading', { name: m['vote.title'] });
    await voting.waitFor();
    await voting.scrollIntoViewIfNeeded();
    await shoot(page, dir, counter, 'voting-panel');
  } else console.log('  no voting control found (vote.dots): skipped the voting panel');

  await tabs.getByRole('tab').nth(1).click();
  await page.locator('[data-note-id]').first().waitFor();
  await shoot(page, dir, counter, 'themes-board');

  await tabs.getByRole('tab').nth(2).click();
  const views = page.getByRole('tablist', { name: m['actions.views'] });
  await views.waitFor();
  const viewCount = await views.getByRole('tab').count();
  for (let i = 0; i < viewCount; i++) {
    const tab = views.getByRole('tab').nth(i);
    const label = (await tab.textContent()).trim();
    await tab.click();
    await shoot(page, dir, counter, `actions-${slug(label)}`);
  }
  await views.getByRole('tab').first().click();

  // The Plan dialog, each of its tabs.
  await page.getByRole('button', { name: m['plan.open'], exact: true }).click();
  const plan = page.getByRole('dialog');
  await plan.waitFor();
  const sections = plan.getByRole('tablist').first().getByRole('tab');
  const sectionCount = await sections.count();
  for (let i = 0; i < sectionCount; i++) {
    const tab = sections.nth(i);
    const label = (await tab.textContent()).trim();
    await tab.click();
    await shoot(page, dir, counter, `plan-${slug(label)}`);
  }
  await closeDialog(page);

  for (const [key, name] of [
    ['share.button', 'share-dialog'],
    ['export.button', 'export-dialog'],
    ['versions.button', 'versions-dialog'],
  ]) {
    await openTopBarAction(page, m, m[key]);
    await page.getByRole('dialog').waitFor();
    // The export's preview is drawn in a frame after the dialog opens.
    if (name === 'export-dialog') await page.locator('iframe[srcdoc]').waitFor();
    await page.waitForTimeout(1000);
    await shoot(page, dir, counter, name);
    await closeDialog(page);
  }
  await page.context().close();

  // A participant's view of the needs board.
  const participant = await openAs(browser, participantUrl, lang, width, height, 'Bob');
  await participant.locator('[data-note-id]').first().waitFor();
  await shoot(participant, dir, counter, 'participant-needs-board');
  await participant.context().close();

  // A link that opens no workshop: the right room, a forged token.
  const bad = facilitatorUrl.replace(/token=[^&]+/, 'token=forged.token');
  const lost = await openAs(browser, bad, lang, width, height, 'Aino');
  await lost.getByRole('heading', { level: 1, name: m['badLink.title'] }).waitFor();
  await shoot(lost, dir, counter, 'bad-link');
  await lost.context().close();
}

/** Clicks the top bar's action named `name`: a button of its own, or an item of its More menu. */
async function openTopBarAction(page, m, name) {
  const bar = page.locator('header.top-bar');
  const button = bar.getByRole('button', { name, exact: true });
  if (await button.count()) return button.click();
  await bar.getByRole('button', { name: m['topBar.more'], exact: true }).click();
  await page.getByRole('menuitem', { name, exact: true }).click();
}

function slug(text) {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

const options = parseArgs(process.argv.slice(2));
const [width, height] = options.size.split('x').map(Number);
if (options.build) {
  const built = spawnSync(
    process.execPath,
    [join(root, 'build', 'build.mjs'), 'renderer', 'server', '--quiet'],
    {
      stdio: 'inherit',
    },
  );
  if (built.status !== 0) process.exit(built.status ?? 1);
}
const server = await startServer();
const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--font-render-hinting=none'],
});
let failed = false;
try {
  for (const lang of options.langs) {
    const dir = join(resolve(options.out), `${lang}-${options.size}`);
    mkdirSync(dir, { recursive: true });
    try {
      await screens(browser, server, lang, width, height, dir);
    } catch (error) {
      failed = true;
      console.error(`${lang}: ${error.stack ?? error}`);
    }
  }
} finally {
  await browser.close();
  await server.stop();
}
process.exit(failed ? 1 : 0);
