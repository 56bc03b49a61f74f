/**
 * Command line of the collab server (built to dist/server/cli.mjs, run by `npm run server`):
 *   --help
 *   serve  [--host 127.0.0.1] [--port 4455] [--data-dir ./talkoo-data] [--static DIR] [--examples]
 *          [--import ROOM=FILE] [--public-url URL]
 *          [--key-file PATH] [--postgres URL] [--redis URL] [--advertise URL] [--node-id ID]
 *          (env TALKOO_KEY_FILE, TALKOO_POSTGRES_URL, TALKOO_REDIS_URL, TALKOO_ADVERTISE_URL when a flag is absent)
 *   token  --role organiser|facilitator|participant|viewer [--room ROOM] [--name N] [--ttl 8h]
 *          [--data-dir DIR | --postgres URL] [--key-file PATH] [--url http://127.0.0.1:4455]   → one JSON line {"id", "role", "token", "url", "expires"}
 *   token  --revoke ID | --revoke-all (--room ROOM | --role organiser) | --list [--room ROOM]
 *          [--data-dir DIR | --postgres URL --key-file PATH]
 *          (env TALKOO_POSTGRES_URL only with TALKOO_REDIS_URL set too: a cluster's)
 *   migrate --data-dir DIR --postgres URL [--to postgres|leveldb]   → one JSON line {"moved", "skipped"}
 *   drain  --url http://HOST:PORT --key-file PATH   → one JSON line {"node", "url", "rooms", "owns"}
 * A cluster node (--redis and --postgres) shares rooms, leases, the key file and the link book
 * (talkoo_links in PostgreSQL) with the others; its data folder keeps its templates.
 * `token --postgres --key-file` makes, revokes and lists links in that shared book (every node
 * refuses a revoked link within a second); `token --key-file` alone only signs: the link opens its
 * room on every node. The token command needs the key and the link book only, so it works while a
 * server runs on the same data folder (which then refuses a revoked link within two seconds and
 * closes its connections); its JSON is the last line on stdout, warnings go to stderr.
 * `serve` logs JSON lines on stdout and prints its address and organiser login link on stderr;
 * SIGINT/SIGTERM store everything and close cleanly (repeated signals meanwhile are ignored); when some changes could not be stored (a
 * full disk) they go to a recovery file that the next start replays, stderr says where, and the
 * exit code is 1.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CLI_USAGE,
  parseCli,
  withoutPassword,
  type CliCommand,
  type LinksCommand,
  type TokenCommand,
} from './cli-args';
import { joinUrl } from './http/api';
import { jsonLogger } from './log';
import { startServer } from './server';
import { loadKeyFile, loadOrCreateSigningKey, SIGNING_KEY_FILE, toStderr } from './auth/signing-key';
import { LINK_BOOK_FILE, LinkBook, type NewLink } from './auth/link-book';
import { openPostgresLinkJournal } from './auth/pg-link-journal';
import { newClaims, signClaims } from './auth/tokens';
import { drain } from './cli-drain';
import { migrate } from './cli-migrate';

/** The link book of a data folder, with the folder's key or the key file the nodes share. */
async function linkBook(dataDir: string, keyFile: string | undefined): Promise<LinkBook> {
  // A command never makes a key file up: a key the nodes do not share would open nothing.
  if (keyFile) await loadKeyFile(keyFile);
  // Nor a key of the folder's own, for a folder whose server signs with a shared key file.
  else if (existsSync(join(dataDir, LINK_BOOK_FILE)) && !existsSync(join(dataDir, SIGNING_KEY_FILE)))
    throw new Error(
      `${dataDir} has a link book but no signing key: its server signs with a shared key file; give it with --key-file`,
    );
  return LinkBook.open(dataDir, await loadOrCreateSigningKey(dataDir, toStderr, keyFile));
}

/** The link book a cluster's nodes share, in its PostgreSQL, with the key file they share. */
async function clusterBook(postgresUrl: string, keyFile: string): Promise<LinkBook> {
  const key = await loadKeyFile(keyFile);
  try {
    return await LinkBook.shared(await openPostgresLinkJournal(postgresUrl, toStderr), key);
  } catch (error) {
    throw new Error(
      `cannot read the cluster's link book in ${withoutPassword(postgresUrl)}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/** Runs `work` on the link book a token command names, then lets go of it (a cluster's connections). */
async function withBook<T>(
  { dataDir, keyFile, postgresUrl }: Pick<LinksCommand, 'dataDir' | 'keyFile' | 'postgresUrl'>,
  work: (book: LinkBook) => Promise<T>,
): Promise<T> {
  if (!postgresUrl) {
    if (dataDir === null) throw new Error('token needs --data-dir DIR or --postgres URL');
    return work(await linkBook(dataDir, keyFile));
  }
  if (!keyFile) throw new Error("token --postgres needs --key-file PATH (the key the cluster's nodes share)");
  const book = await clusterBook(postgresUrl, keyFile);
  try {
    return await work(book);
  } finally {
    await book.close();
  }
}

/**
 * A new link: recorded in the cluster's link book (--postgres) or the data folder's, or (a key file
 * and neither) only signed.
 */
async function newLink(command: TokenCommand): Promise<NewLink> {
  const input = { ...command, by: 'command-line' as const };
  const { dataDir, keyFile, postgresUrl } = command;
  if (postgresUrl || dataDir !== null)
    return withBook({ dataDir, keyFile, postgresUrl }, (book) => book.make(input));
  if (!keyFile) throw new Error('token needs --data-dir DIR or --key-file PATH');
  const key = await loadKeyFile(keyFile);
  const claims = newClaims(input);
  return { token: signClaims(key, claims), claims };
}

/** `token --revoke/--revoke-all/--list`: one JSON line. */
async function links(command: LinksCommand): Promise<unknown> {
  return withBook(command, (book) => act(book, command.action));
}

/** What `token --revoke/--revoke-all/--list` does on `book`. */
async function act(book: LinkBook, action: LinksCommand['action']): Promise<unknown> {
  if ('revoke' in action) {
    if (!(await book.revoke(action.revoke, 'command-line')))
      throw new Error(
        `there is no link ${action.revoke} in ${book.shared ? "the cluster's link book" : 'this data folder'}`,
      );
    return { revoked: action.revoke };
  }
  if ('revokeAll' in action) {
    await book.revokeAll(action.revokeAll, 'command-line');
    return { revokedAll: action.revokeAll ?? 'organiser' };
  }
  return {
    links: book.live(action.list).map(({ claims, by }) => ({
      id: claims.id,
      role: claims.role,
      name: claims.name,
      made: new Date(claims.iat * 1000).toISOString(),
      expires: new Date(claims.exp * 1000).toISOString(),
      madeBy: by,
    })),
  };
}

/**
 * `serve` logs on stdout: when its reader goes away (a closed pipe: a log shipper restarted, a
 * `| head`) the server serves on and says once on stderr that its log stopped. A stream without
 * an 'error' listener ends the process at its next write.
 */
function serveOnWithoutLog(): void {
  let told = false;
  process.stdout.on('error', (error: Error) => {
    if (told) return;
    told = true;
    process.stderr.write(
      `talkoo server: warning: the log cannot be written to stdout any more (${error.message}); serving on\n`,
    );
  });
  process.stderr.on('error', () => undefined);
}

async function main(command: CliCommand): Promise<void> {
  if (command.command === 'help') {
    process.stdout.write(CLI_USAGE);
    return;
  }
  if (command.command === 'links') {
    process.stdout.write(`${JSON.stringify(await links(command))}\n`);
    return;
  }
  if (command.command === 'migrate' || command.command === 'drain') {
    const result = command.command === 'migrate' ? await migrate(command) : await drain(command);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  if (command.command === 'token') {
    const { token, claims } = await newLink(command);
    const url =
      command.room === null
        ? `${command.url}/#/?organiser=${encodeURIComponent(token)}`
        : joinUrl(command.url, command.room, token);
    const expires = new Date(claims.exp * 1000).toISOString();
    process.stdout.write(`${JSON.stringify({ id: claims.id, role: claims.role, token, url, expires })}\n`);
    return;
  }
  const outlines = command.imports.map(({ room, path }) => {
    try {
      return { room, text: readFileSync(path, 'utf8'), source: path };
    } catch (error) {
      throw new Error(`cannot read ${path}: ${(error as Error).message}`, { cause: error });
    }
  });
  serveOnWithoutLog();
  const server = await startServer({ ...command, outlines, log: jsonLogger() });
  process.stderr.write(
    `Talkoo server listening on ${server.url}\n` +
      `Organiser login link (keep it private; it creates workshops):\n  ${server.organiserLink()}\n`,
  );
  let stopping = false;
  let toldStillStoring = false;
  const stop = (): void => {
    // Ctrl+C reaches the server from the terminal and again from a launcher (npm run server,
    // npm run web), and impatient people press it twice: none of that may cut the storing short.
    if (stopping) {
      if (!toldStillStoring)
        process.stderr.write('talkoo server: still storing; it stops once every change is on disk\n');
      toldStillStoring = true;
      return;
    }
    stopping = true;
    void server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`talkoo server: could not stop cleanly: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
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
