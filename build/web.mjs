// `npm run web`: builds the web client and serves it with a local collab server on
// http://127.0.0.1:4455, with the example workshops (created once, in ./talkoo-data unless
// --data-dir says otherwise). It prints an organiser login link: open it to see the workshops.
// Extra arguments go to the server, e.g. `npm run web -- --port 5000`.
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = spawnSync(
  process.execPath,
  [join(root, 'build', 'build.mjs'), 'renderer', 'server', '--quiet'],
  {
    stdio: 'inherit',
  },
);
if (built.status !== 0) process.exit(built.status ?? 1);

const args = process.argv.slice(2);
if (!args.includes('--data-dir')) args.push('--data-dir', join(root, 'talkoo-data'));
const server = spawn(
  process.execPath,
  [
    join(root, 'dist', 'server', 'cli.mjs'),
    '--static',
    join(root, 'dist', 'renderer'),
    '--examples',
    ...args,
  ],
  { stdio: 'inherit' },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
