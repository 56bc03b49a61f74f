// `npm start`: builds the app and opens the desktop window. Where the Electron binary is missing
// and cannot be downloaded, it says so and points to `npm run web`, the same UI in a browser.
// Its decisions (exit status, the Linux sandbox fix, which signals to pass on) are plain
// functions in start-electron.mjs; this file wires them to the processes.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  exitReport,
  exitStatus,
  isSandboxAbort,
  passSignals,
  readSandboxState,
  sandboxFix,
  sandboxProblem,
} from './start-electron.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = spawnSync(process.execPath, [join(root, 'build', 'build.mjs')], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

let electronPath;
try {
  // The electron package resolves its binary, downloading it on first use where it can.
  electronPath = createRequire(import.meta.url)('electron');
} catch {
  console.error(
    '\nThe desktop app cannot start: the Electron binary is missing and could not be downloaded (see above).\n' +
      'Run the same app in your browser instead:  npm run web   (then open http://127.0.0.1:4455)\n',
  );
  process.exit(1);
}
// Ubuntu 23.10+: Electron aborts at once when its sandbox helper is not set up; say how to fix
// it before it does (it may still start, e.g. where an AppArmor profile allows it).
const sandbox = readSandboxState(electronPath);
const warned = sandboxProblem(process.platform, sandbox);
if (warned) console.error(`\n${sandboxFix(sandbox.path)}\n`);

// Electron's stderr still reaches the terminal; its end is kept to recognise a sandbox abort.
const app = spawn(electronPath, [root], { stdio: ['inherit', 'inherit', 'pipe'] });
let stderrTail = '';
app.stderr.on('data', (chunk) => {
  process.stderr.write(chunk);
  stderrTail = (stderrTail + chunk.toString()).slice(-64 * 1024);
});

// Ctrl+C, SIGTERM and the terminal closing: passed on to Electron or waited for (start-electron.mjs).
passSignals(app, process.stdin.isTTY === true);

app.on('exit', (code, signal) => {
  const report =
    warned && isSandboxAbort(signal, stderrTail)
      ? 'Electron aborted for want of its sandbox: see the fix above.'
      : exitReport({ code, signal, stderr: stderrTail, sandboxPath: sandbox.path });
  if (report) console.error(`\n${report}\n`);
  process.exit(exitStatus(code, signal));
});
