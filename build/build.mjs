// Builds everything `npm start` and `npm run web` need into dist/:
//   dist/renderer/   the React UI (Vite)
//   dist/main/       Electron main.cjs and the sandboxed preload.cjs (esbuild, CommonJS)
//   dist/server/     the collab-server command line, cli.mjs (esbuild, ESM)
//   dist/cli/        the talkoo command line, talkoo.mjs (esbuild, ESM)
// Usage: node build/build.mjs [renderer|main|server|cli ...] [--quiet]   (no part named: all four)
// The server and cli parts are written atomically (fresh-build.mjs), like their launchers do.
import { build as esbuild } from 'esbuild';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as vite } from 'vite';
import { buildNodePart } from './fresh-build.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const quiet = process.argv.includes('--quiet');
const wanted = new Set(process.argv.slice(2).filter((a) => a !== '--quiet'));
const all = wanted.size === 0;

async function buildRenderer() {
  await vite({ configFile: join(root, 'renderer', 'vite.config.ts'), logLevel: 'warn' });
}

async function buildMain() {
  const common = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['electron'],
    sourcemap: true,
    logLevel: 'warning',
  };
  await esbuild({
    ...common,
    entryPoints: [join(root, 'main', 'main.ts')],
    outfile: join(root, 'dist', 'main', 'main.cjs'),
    // The embedded collab server's packages (classic-level is native) load from node_modules,
    // which electron-builder packs with the app's dependencies.
    packages: 'external',
  });
  await esbuild({
    ...common,
    entryPoints: [join(root, 'main', 'preload.ts')],
    outfile: join(root, 'dist', 'main', 'preload.cjs'),
  });
}

const started = Date.now();
if (all || wanted.has('renderer')) await buildRenderer();
if ((all || wanted.has('main')) && existsSync(join(root, 'main', 'main.ts'))) await buildMain();
if (all || wanted.has('server')) await buildNodePart('server', root);
if (all || wanted.has('cli')) await buildNodePart('cli', root);
if (!quiet)
  console.log(
    `built ${all ? 'renderer, main, server, cli' : [...wanted].join(', ')} in ${Date.now() - started} ms`,
  );
