#!/usr/bin/env node
// The `talkoo` command (`npm run cli -- …`, and the package's `bin`): runs dist/cli/talkoo.mjs,
// rebuilding it first only when a source is newer, atomically (fresh-build.mjs), so calls in a
// row start at once and calls side by side never race. The built file runs in this process.
import { pathToFileURL } from 'node:url';
import { ensureFresh } from './fresh-build.mjs';

let cli;
try {
  cli = await ensureFresh('cli');
} catch (error) {
  process.stderr.write(`talkoo: could not build the command: ${error.message}\n`);
  process.exit(1);
}
await import(pathToFileURL(cli).href);
