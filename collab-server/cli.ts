/**
 * Command line of the collab server (built to dist/server/cli.mjs, run by `npm run server`):
 *   serve  [--host 127.0.0.1] [--port 4455] [--data-dir ./talkoo-data] [--static DIR] [--examples]
 *          [--import ROOM=FILE] [--public-url URL]
 *   token  --role organiser|facilitator|participant|viewer [--room ROOM] [--name N] [--ttl 8h]
 *          [--data-dir DIR] [--url http://127.0.0.1:4455]   → one JSON line {"token", "url"}
 * `serve` logs JSON lines on stdout and prints its address and organiser login link on stderr;
 * SIGINT/SIGTERM store everything and close cleanly.
 */
import { readFileSync } from 'node:fs';
import { parseCli, type CliCommand } from './cli-args';
import { joinUrl } from './http/api';
import { jsonLogger } from './log';
import { startServer } from './server';
import { loadOrCreateSigningKey } from './auth/signing-key';
import { signToken } from './auth/tokens';

async function main(command: CliCommand): Promise<void> {
  if (command.command === 'token') {
    const key = await loadOrCreateSigningKey(command.dataDir);
    const token = signToken(key, command);
    const url =
      command.room === null
        ? `${command.url}/#/?organiser=${encodeURIComponent(token)}`
        : joinUrl(command.url, command.room, token);
    process.stdout.write(`${JSON.stringify({ token, url })}\n`);
    return;
  }
  const outlines = command.imports.map(({ room, path }) => {
    try {
      return { room, text: readFileSync(path, 'utf8'), source: path };
    } catch (error) {
      throw new Error(`cannot read ${path}: ${(error as Error).message}`, { cause: error });
    }
  });
  const server = await startServer({ ...command, outlines, log: jsonLogger() });
  process.stderr.write(
    `Talkoo server listening on ${server.url}\n` +
      `Organiser login link (keep it private; it creates workshops):\n  ${server.organiserLink()}\n`,
  );
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`talkoo server: could not stop cleanly: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

let command: CliCommand;
try {
  command = parseCli(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`talkoo server: ${(error as Error).message}\n`);
  process.exit(2);
}
main(command).catch((error: unknown) => {
  process.stderr.write(`talkoo server: ${(error as Error).message}\n`);
  process.exit(1);
});
