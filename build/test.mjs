// `npm test` (and `npm run check`): every suite, in order, even after one fails:
//   typecheck (tsc -b) · lint (eslint) · format (prettier --check) · import cycles · build ·
//   unit and integration tests, then end-to-end tests in Chromium (vitest).
// Ends with one plain line, `N passed, N failed`: each check counts as one, each vitest test as one.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const reportDir = mkdtempSync(join(tmpdir(), 'talkoo-test-'));

let passed = 0;
let failed = 0;
const lines = [];

function check(name, command, args) {
  console.log(`\n── ${name} ──`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  const ok = result.status === 0;
  if (ok) passed++;
  else failed++;
  lines.push(`${ok ? 'ok  ' : 'FAIL'} ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

function vitest(project) {
  console.log(`\n── ${project} tests ──`);
  const report = join(reportDir, `${project}.json`);
  const started = Date.now();
  const result = spawnSync(
    bin('vitest'),
    ['run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
    { cwd: root, stdio: 'inherit' },
  );
  let counts = { numPassedTests: 0, numFailedTests: 0, numTotalTests: 0 };
  try {
    counts = JSON.parse(readFileSync(report, 'utf8'));
  } catch {
    // No report: the run itself failed before any test (counted below as one failure).
  }
  let failures = counts.numFailedTests;
  // A run that failed without a failing test (a suite that did not load, no Chromium) still fails.
  if (result.status !== 0 && failures === 0) failures = 1;
  if (counts.numTotalTests === 0 && failures === 0) failures = 1;
  passed += counts.numPassedTests;
  failed += failures;
  lines.push(
    `${failures ? 'FAIL' : 'ok  '} ${project}: ${counts.numPassedTests} passed, ${failures} failed ` +
      `(${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
}

check('typecheck', bin('tsc'), ['-b']);
check('lint', bin('eslint'), ['--max-warnings', '0', '.']);
check('format', bin('prettier'), ['--check', '.']);
check('import cycles', process.execPath, [join(root, 'build', 'check-cycles.mjs')]);
check('build', process.execPath, [join(root, 'build', 'build.mjs')]);
vitest('unit');
vitest('e2e');

console.log('\n── summary ──');
for (const line of lines) console.log(line);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
