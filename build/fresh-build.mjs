// The Node command lines (the collab server's and `talkoo`) built on demand: a launcher runs the
// built file as it is while it is newer than every source it is made from, and rebuilds it only
// when a source changed. A rebuild is atomic: esbuild writes to memory, each output goes to a
// unique temporary file beside its target and is renamed over it, so two launchers started at
// once never race and no caller ever runs a half-written file. Used by build.mjs, server.mjs and
// talkoo.mjs.
import { randomUUID } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The Node parts: entry point and output, relative to the repository root. */
export const NODE_PARTS = {
  server: { entry: 'collab-server/cli.ts', outfile: 'dist/server/cli.mjs' },
  cli: { entry: 'collab-server/commands/talkoo.ts', outfile: 'dist/cli/talkoo.mjs' },
};

/** Folders whose TypeScript (tests excluded) and JSON (the locales) the Node parts are built from. */
const SOURCE_DIRS = ['shared', 'collab-server'];

/** The newest modification time of the sources, ms (this file counts: it holds the build options). */
export function newestSourceMtime(root = ROOT) {
  let newest = statSync(fileURLToPath(import.meta.url)).mtimeMs;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(path);
      } else if (/\.(ts|json)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) {
        newest = Math.max(newest, statSync(path).mtimeMs);
      }
    }
  };
  for (const dir of SOURCE_DIRS) if (existsSync(join(root, dir))) walk(join(root, dir));
  return newest;
}

/** True when `part`'s output exists and is newer than every source it is built from. */
export function isFresh(part, root = ROOT) {
  const out = join(root, NODE_PARTS[part].outfile);
  if (!existsSync(out)) return false;
  // Without sources (an installed copy) the built file is all there is.
  if (!existsSync(join(root, NODE_PARTS[part].entry))) return true;
  return statSync(out).mtimeMs > newestSourceMtime(root);
}

/** Writes `bytes` to `path` through a unique temporary file in the same folder and a rename. */
function replaceFile(path, bytes, mtimeSeconds) {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomUUID()}.tmp`);
  try {
    writeFileSync(temp, bytes, { flag: 'wx' });
    if (mtimeSeconds !== undefined) utimesSync(temp, mtimeSeconds, mtimeSeconds);
    renameSync(temp, path);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // never created, or already renamed
    }
    throw error;
  }
}

/** Builds `part` now, atomically (see the header). */
export async function buildNodePart(part, root = ROOT) {
  const { build } = await import('esbuild');
  const { entry, outfile } = NODE_PARTS[part];
  const out = join(root, outfile);
  // Stamped with the time the build began: a source saved while esbuild was reading is newer,
  // so the next call builds again instead of running code that misses that change.
  const started = Date.now() / 1000;
  const result = await build({
    entryPoints: [join(root, entry)],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
    write: false,
  });
  mkdirSync(dirname(out), { recursive: true });
  // The map first, so the code never points at a map of another build for long.
  const files = [...result.outputFiles].sort(
    (a, b) => Number(b.path.endsWith('.map')) - Number(a.path.endsWith('.map')),
  );
  for (const file of files) replaceFile(file.path, file.contents, file.path === out ? started : undefined);
  return out;
}

/** The path of `part`'s built file, building it first when a source is newer. */
export async function ensureFresh(part, root = ROOT) {
  if (isFresh(part, root)) return join(root, NODE_PARTS[part].outfile);
  return buildNodePart(part, root);
}
