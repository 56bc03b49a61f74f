// `npm run server -- …`: builds the collab server and runs its command line, e.g.
//   npm run server -- --host 0.0.0.0 --port 4455 --data-dir ./talkoo-data
//   npm run server -- token --data-dir ./talkoo-data --room ROOM --role participant --name Aino
// Without a built web client in dist/renderer it serves the API and rooms only.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = spawnSync(process.execPath, [join(root, 'build', 'build.mjs'), 'server', '--quiet'], {
  stdio: 'inherit',
});
if (built.status !== 0) process.exit(built.status ?? 1);

const args = process.argv.slice(2);
const serving = args[0] !== 'token';
const staticDir = join(root, 'dist', 'renderer');
if (serving && !args.includes('--static') && existsSync(join(staticDir, 'index.html')))
  args.push('--static', staticDir);
const server = spawn(process.execPath, [join(root, 'dist', 'server', 'cli.mjs'), ...args], {
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
