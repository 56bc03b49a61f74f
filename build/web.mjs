// `npm run web`: builds the web client and serves it with a local collab server (example
// workshops included) on http://127.0.0.1:4455. Extra arguments go to the server, e.g.
// `npm run web -- --port 5000`.
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = spawnSync(process.execPath, [join(root, 'build', 'build.mjs'), 'renderer', 'server'], {
  stdio: 'inherit',
});
if (built.status !== 0) process.exit(built.status ?? 1);

const server = spawn(
  process.execPath,
  [
    join(root, 'dist', 'server', 'cli.mjs'),
    '--static',
    join(root, 'dist', 'renderer'),
    '--examples',
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit' },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
