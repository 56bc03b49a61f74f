#!/usr/bin/env node
// `npm run server -- …` (and the package's `talkoo-server` bin): runs the collab server's command line, e.g.
//   npm run server -- --host 0.0.0.0 --port 4455 --data-dir ./talkoo-data
//   npm run server -- token --data-dir ./talkoo-data --room ROOM --role participant --name Aino
//   npm run server -- migrate --data-dir ./talkoo-data --postgres postgres://talkoo@db/talkoo
// dist/server/cli.mjs is rebuilt only when a source is newer, and atomically (fresh-build.mjs), so
// calls in a row start at once and calls side by side never race.
// Without a built web client in dist/renderer it serves the API and rooms only.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureFresh, ROOT as root } from './fresh-build.mjs';

let cli;
try {
  cli = await ensureFresh('server');
} catch (error) {
  process.stderr.write(`talkoo server: could not build the server: ${error.message}\n`);
  process.exit(1);
}

const args = process.argv.slice(2);
const serving =
  !['token', 'migrate', 'drain', 'help'].includes(args[0] ?? '') &&
  !args.some((arg) => arg === '--help' || arg === '-h');
const staticDir = join(root, 'dist', 'renderer');
if (serving && !args.includes('--static') && existsSync(join(staticDir, 'index.html')))
  args.push('--static', staticDir);
const server = spawn(process.execPath, [cli, ...args], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
