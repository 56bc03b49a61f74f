// `npm run bench [-- NAME…] [--json]`: the benchmarks.
// Bundles collab-server/server.ts, its command line (cli.ts), auth/tokens.ts, the protocol
// extensions (shared/stored-message.ts, shared/session-message.ts), the app's provider
// (renderer/src/healing-provider.ts), the document model (shared/) and the test services (Redis,
// PostgreSQL: collab-server/test-support/services.ts) with esbuild into
// bench/.build/ (removed again at the end), then runs every scenario in bench/scenarios/ (or
// those whose name contains a NAME) and prints a table, or with --json one object per line:
//   { scenario, metric, value, unit, target, better }
// A scenario module exports `summary` (one line) and `run()`, resolving with rows without
// `scenario` (see lib/report.mjs). Progress goes to stderr, results to stdout.
// Figures are reported, not judged: a missed target still exits 0; a scenario that fails exits 1.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { killAll, log } from './lib/harness.mjs';
import { rounded, table } from './lib/report.mjs';
import { NODE_BUNDLE } from './lib/node-bundle.mjs';

const benchDir = dirname(fileURLToPath(import.meta.url));
const root = join(benchDir, '..');
const buildDir = join(benchDir, '.build');
const scenarioDir = join(benchDir, 'scenarios');

const args = process.argv.slice(2);
const json = args.includes('--json');
const unknown = args.filter((a) => a.startsWith('-') && a !== '--json');
if (unknown.length) {
  console.error(`unknown option ${unknown.join(' ')}\nusage: npm run bench [-- NAME…] [--json]`);
  process.exit(2);
}
const names = args.filter((a) => !a.startsWith('-'));
const scenarios = readdirSync(scenarioDir)
  .filter((file) => file.endsWith('.mjs'))
  .map((file) => file.slice(0, -'.mjs'.length))
  .filter((name) => names.length === 0 || names.some((n) => name.includes(n)))
  .sort();
if (scenarios.length === 0) {
  console.error(`no scenario matches ${names.join(', ')}`);
  process.exit(2);
}

function cleanUp() {
  killAll();
  rmSync(buildDir, { recursive: true, force: true });
}
process.on('exit', cleanUp);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    log(`\n${signal}: stopping`);
    process.exit(130);
  });
}

await build({
  entryPoints: {
    server: join(root, 'collab-server', 'server.ts'),
    tokens: join(root, 'collab-server', 'auth', 'tokens.ts'),
    // Talkoo's extensions of the protocol, for clients that take part as participants (lib/participant.mjs).
    stored: join(root, 'shared', 'stored-message.ts'),
    session: join(root, 'shared', 'session-message.ts'),
    // The app's own provider (jittered reconnects), for the merge and reconnect-storm scenarios.
    healing: join(root, 'renderer', 'src', 'healing-provider.ts'),
    model: join(root, 'shared', 'index.ts'),
    // The server's command line, run as the nodes of a cluster, and the Redis and PostgreSQL the
    // tests start (scenario cluster).
    cli: join(root, 'collab-server', 'cli.ts'),
    services: join(root, 'collab-server', 'test-support', 'services.ts'),
  },
  outdir: buildDir,
  outExtension: { '.js': '.mjs' },
  ...NODE_BUNDLE,
});

const started = Date.now();
const rows = [];
const failed = [];
for (const name of scenarios) {
  const begun = Date.now();
  try {
    const scenario = await import(pathToFileURL(join(scenarioDir, `${name}.mjs`)).href);
    log(`▶ ${name}: ${scenario.summary}`);
    for (const row of await scenario.run()) {
      const full = { scenario: name, ...row, value: rounded(row.value) };
      rows.push(full);
      if (json) console.log(JSON.stringify(full));
    }
    log(`  done in ${((Date.now() - begun) / 1000).toFixed(1)} s`);
  } catch (error) {
    failed.push(name);
    log(`✗ ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    // Whatever the scenario left running goes now, so the next one starts clean.
    killAll();
  }
}

/** The commit measured, and whether the working tree differed from it (figures depend on it). */
function revision() {
  const git = (...gitArgs) => spawnSync('git', gitArgs, { cwd: root, encoding: 'utf8' });
  const head = git('rev-parse', '--short', 'HEAD');
  if (head.status !== 0) return 'no git revision';
  const dirty = git('status', '--porcelain').stdout.trim() !== '';
  return `commit ${head.stdout.trim()}${dirty ? ' with uncommitted changes' : ''}`;
}

if (!json) {
  console.log(
    `Talkoo benchmarks, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${revision()}, ` +
      `Node ${process.version}, ${availableParallelism()} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'})\n`,
  );
  console.log(table(rows));
}
log(
  `\n${scenarios.length - failed.length} of ${scenarios.length} scenarios ran in ${Math.round((Date.now() - started) / 1000)} s`,
);
if (failed.length) log(`failed: ${failed.join(', ')}`);
process.exit(failed.length ? 1 : 0);
