/** Command-line flags of the server: `serve` (the default) and `token`. */
import { parseDuration, TOKEN_ROLES, type TokenRole } from './auth/tokens';

/** `talkoo-server [serve] …`: run the server. */
export type ServeCommand = {
  readonly command: 'serve';
  host: string;
  port: number;
  dataDir: string;
  publicUrl?: string;
  staticDir?: string;
  examples: boolean;
  /** Rooms to create from outline files (`--import ROOM=FILE`). */
  imports: { room: string; path: string }[];
};

/** `talkoo-server token …`: print a signed token and its join link as one JSON line. */
export type TokenCommand = {
  readonly command: 'token';
  dataDir: string;
  room: string | null;
  role: TokenRole;
  name: string;
  ttlSeconds: number;
  url: string;
};

/**
 * `talkoo-server token --revoke ID | --revoke-all (--room ROOM | --role organiser) | --list [--room ROOM]`:
 * withdraws one link, every link of a room (or every organiser link), or lists the live links of a
 * room (organiser links without --room), as one JSON line.
 */
export type LinksCommand = {
  readonly command: 'links';
  dataDir: string;
  action: { revoke: string } | { revokeAll: string | null } | { list: string | null };
};

/** `talkoo-server --help` (or `-h`, `help`, anywhere): print the usage. */
export type HelpCommand = { readonly command: 'help' };

export type CliCommand = ServeCommand | TokenCommand | LinksCommand | HelpCommand;

/** What `--help` prints: every command and flag. */
export const CLI_USAGE = `Usage:
  talkoo-server [serve] [--host 127.0.0.1] [--port 4455] [--data-dir ./talkoo-data] [--static DIR]
                [--examples] [--import ROOM=FILE ...] [--public-url URL]
      Runs the collab server; prints its address and an organiser login link on stderr, logs JSON
      lines on stdout. Ctrl+C (SIGINT) or SIGTERM stores every change and stops.
  talkoo-server token --role organiser|facilitator|participant|viewer [--room ROOM] [--name NAME]
                [--ttl 8h] [--data-dir DIR] [--url http://127.0.0.1:4455]
      Prints a signed link as one JSON line {"id", "role", "token", "url", "expires"}.
  talkoo-server token --revoke ID | --revoke-all (--room ROOM | --role organiser) | --list [--room ROOM]
                [--data-dir DIR]
      Withdraws one link or every link of a room, or lists the live links, as one JSON line.
  talkoo-server --help
`;

const DEFAULT_DATA_DIR = './talkoo-data';

/** Parses argv (without node and script); throws with a clear message on a bad flag. */
export function parseCli(argv: readonly string[]): CliCommand {
  if (argv.some((arg) => arg === '--help' || arg === '-h') || argv[0] === 'help') return { command: 'help' };
  const args = [...argv];
  const command = args[0] === 'token' || args[0] === 'serve' ? args.shift() : 'serve';
  const flags = new Map<string, string[]>();
  const booleans = new Set(['--examples', '--revoke-all', '--list']);
  for (let i = 0; i < args.length; i++) {
    const flag = args[i]!;
    if (!flag.startsWith('--')) throw new Error(`unexpected argument ${flag}`);
    if (booleans.has(flag)) {
      flags.set(flag, ['true']);
      continue;
    }
    const value = args[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    flags.set(flag, [...(flags.get(flag) ?? []), value]);
  }
  const take = (flag: string): string | undefined => {
    const values = flags.get(flag);
    flags.delete(flag);
    return values?.[values.length - 1];
  };
  const takeAll = (flag: string): string[] => {
    const values = flags.get(flag) ?? [];
    flags.delete(flag);
    return values;
  };
  const done = <T>(result: T): T => {
    const unknown = [...flags.keys()];
    if (unknown.length) throw new Error(`unknown option ${unknown[0]} for ${command}`);
    return result;
  };

  if (command === 'token' && (flags.has('--revoke') || flags.has('--revoke-all') || flags.has('--list'))) {
    const dataDir = take('--data-dir') ?? DEFAULT_DATA_DIR;
    const revoke = take('--revoke');
    const revokeAll = take('--revoke-all') === 'true';
    const list = take('--list') === 'true';
    if ([revoke !== undefined, revokeAll, list].filter(Boolean).length > 1)
      throw new Error('give one of --revoke ID, --revoke-all and --list');
    if (revoke !== undefined) return done<LinksCommand>({ command: 'links', dataDir, action: { revoke } });
    const room = take('--room') ?? null;
    if (list) return done<LinksCommand>({ command: 'links', dataDir, action: { list: room } });
    const role = take('--role');
    if ((room === null) === (role !== 'organiser'))
      throw new Error('--revoke-all needs --room ROOM, or --role organiser for the organiser links');
    return done<LinksCommand>({ command: 'links', dataDir, action: { revokeAll: room } });
  }

  if (command === 'token') {
    const role = take('--role') ?? '';
    if (!(TOKEN_ROLES as readonly string[]).includes(role))
      throw new Error(`--role must be one of ${TOKEN_ROLES.join(', ')}`);
    const room = take('--room') ?? null;
    if (role !== 'organiser' && !room) throw new Error('--room is required for a room token');
    const ttlText = take('--ttl') ?? (role === 'organiser' ? '30d' : '8h');
    const ttlSeconds = parseDuration(ttlText);
    if (ttlSeconds === null)
      throw new Error(`--ttl must be a duration such as 90m, 8h or 7d (at most 90d), not "${ttlText}"`);
    return done<TokenCommand>({
      command: 'token',
      dataDir: take('--data-dir') ?? DEFAULT_DATA_DIR,
      room: role === 'organiser' ? null : room,
      role: role as TokenRole,
      name: take('--name') ?? '',
      ttlSeconds,
      url: (take('--url') ?? 'http://127.0.0.1:4455').replace(/\/+$/, ''),
    });
  }

  const portText = take('--port') ?? '4455';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new Error('--port must be 0–65535');
  const imports = takeAll('--import').map((spec) => {
    const eq = spec.indexOf('=');
    if (eq <= 0 || eq === spec.length - 1) throw new Error(`--import takes ROOM=FILE, not "${spec}"`);
    return { room: spec.slice(0, eq), path: spec.slice(eq + 1) };
  });
  const result: ServeCommand = {
    command: 'serve',
    host: take('--host') ?? '127.0.0.1',
    port,
    dataDir: take('--data-dir') ?? DEFAULT_DATA_DIR,
    examples: take('--examples') === 'true',
    imports,
  };
  const staticDir = take('--static');
  if (staticDir) result.staticDir = staticDir;
  const publicUrl = take('--public-url');
  if (publicUrl) result.publicUrl = publicUrl.replace(/\/+$/, '');
  return done(result);
}
