/**
 * Command-line entry: `node dist/server/cli.mjs [--host H] [--port P] [--static DIR] [--examples] [--import ROOM=FILE]`.
 * Prints the URL it listens on; SIGINT/SIGTERM close it cleanly.
 */
import { readFileSync } from 'node:fs';
import { parseCli, type CliOptions } from './cli-args';
import { startServer } from './server';

async function main(): Promise<void> {
  let options: CliOptions;
  try {
    options = parseCli(process.argv.slice(2));
  } catch (error) {
    console.error(`talkoo server: ${(error as Error).message}`);
    process.exit(2);
  }
  const outlines = options.imports.map(({ room, path }) => {
    try {
      return { room, text: readFileSync(path, 'utf8'), source: path };
    } catch (error) {
      throw new Error(`cannot read ${path}: ${(error as Error).message}`, { cause: error });
    }
  });
  const server = await startServer({ ...options, outlines });
  console.log(`Talkoo server listening on ${server.url}`);
  const stop = (): void => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main().catch((error: unknown) => {
  console.error(`talkoo server: ${(error as Error).message}`);
  process.exit(1);
});
