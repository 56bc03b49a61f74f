// `npm start`: builds the app and opens the desktop window. Where the Electron binary is missing
// and cannot be downloaded, it says so and points to `npm run web`, the same UI in a browser.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
const app = spawn(electronPath, [root], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => app.kill(signal));
app.on('exit', (code) => process.exit(code ?? 0));
