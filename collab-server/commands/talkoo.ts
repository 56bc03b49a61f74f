/**
 * Entry point of the `talkoo` command (built to dist/cli/talkoo.mjs; run by build/talkoo.mjs,
 * `npm run cli -- …` and the package's `bin`). See run.ts for the command and args.ts for its
 * flags. Exits once both streams are flushed, so the last line is never cut off, and without
 * waiting for a closed connection's reconnect timer.
 */
import { runTalkoo } from './run';

const code = await runTalkoo(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
