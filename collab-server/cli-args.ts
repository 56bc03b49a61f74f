/** Command-line flags of the server: `serve` (the default), `token`, `migrate` and `drain`. */
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
  /** The signing key's file, shared by the nodes of a cluster (default: in the data folder). */
  keyFile?: string;
  /** Room leases of a cluster (needs postgresUrl). */
  redisUrl?: string;
  /** Rooms in PostgreSQL instead of the data folder's LevelDB. */
  postgresUrl?: string;
  /** Where the other nodes reach this one (an http(s) origin). */
  advertiseUrl?: string;
  /** This node's id in the cluster. */
  nodeId?: string;
};

/** `talkoo-server token …`: print a signed token and its join link as one JSON line. */
export type TokenCommand = {
  readonly command: 'token';
  /** Whose link book records the link; null (with keyFile) to sign it only, or for a cluster's. */
  dataDir: string | null;
  /** The key to sign with (default: the data folder's). */
  keyFile?: string;
  /** The PostgreSQL of a cluster, whose shared link book records the link (with keyFile). */
  postgresUrl?: string;
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
  /** The folder whose link book it acts on; null for a cluster's (postgresUrl). */
  dataDir: string | null;
  /** The key of the link book, when it is not in the folder (the key file a cluster's nodes share). */
  keyFile?: string;
  /** The PostgreSQL of a cluster, whose shared link book it acts on (with keyFile). */
  postgresUrl?: string;
  action: { revoke: string } | { revokeAll: string | null } | { list: string | null };
};

/** `talkoo-server --help` (or `-h`, `help`, anywhere): print the usage. */
export type HelpCommand = { readonly command: 'help' };

/** `talkoo-server migrate …`: move every room from the data folder's LevelDB to PostgreSQL, or back. */
export type MigrateCommand = {
  readonly command: 'migrate';
  dataDir: string;
  postgresUrl: string;
  to: 'postgres' | 'leveldb';
};

/** `talkoo-server drain …`: ask a running node to hand its rooms to the others, and wait until it has. */
export type DrainCommand = {
  readonly command: 'drain';
  /** The node's own address (not a load balancer's). */
  url: string;
  keyFile: string;
};

export type CliCommand =
  ServeCommand | TokenCommand | LinksCommand | MigrateCommand | DrainCommand | HelpCommand;

/** Where the flags of a cluster node fall back to (flags win). */
export type CliEnv = Readonly<Record<string, string | undefined>>;

/** What `--help` prints: every command and flag. */
export const CLI_USAGE = `Usage:
  talkoo-server [serve] [--host 127.0.0.1] [--port 4455] [--data-dir ./talkoo-data] [--static DIR]
                [--examples] [--import ROOM=FILE ...] [--public-url URL]
                [--key-file PATH] [--postgres URL] [--redis URL] [--advertise URL] [--node-id ID]
      Runs the collab server; prints its address and an organiser login link on stderr, logs JSON
      lines on stdout. Ctrl+C (SIGINT) or SIGTERM stores every change and stops.
      Several nodes (a cluster): each gets --redis redis://HOST:6379 (room leases) and --postgres
      postgres://USER@HOST:5432/DB (the rooms, shared), the same --key-file (the signing key,
      created 0600 by the first node when missing; its folder must exist), --advertise
      http://HOST:PORT (where the other nodes reach it; default: the address it listens on) and
      optionally --node-id (default: made up at start). --postgres alone runs one node on
      PostgreSQL. Environment: TALKOO_REDIS_URL, TALKOO_POSTGRES_URL, TALKOO_KEY_FILE and
      TALKOO_ADVERTISE_URL stand for the flags when they are not given. On a cluster node SIGTERM
      hands its rooms to the other nodes before it stops. The nodes share one link book (the
      links made and revoked through any of them) in PostgreSQL; each keeps its templates in its
      --data-dir.
  talkoo-server token --role organiser|facilitator|participant|viewer [--room ROOM] [--name NAME]
                [--ttl 8h] [--data-dir DIR | --postgres URL] [--key-file PATH]
                [--url http://127.0.0.1:4455]
      Prints a signed link as one JSON line {"id", "role", "token", "url", "expires"}, recorded in
      DIR's link book, or with --postgres URL --key-file PATH in the link book of that cluster
      (every node then admits, lists and revokes it). With --key-file (or TALKOO_KEY_FILE) alone
      the link is only signed: it opens the room on every node that shares the key, but cannot be
      listed or revoked by its id (--revoke-all of its room, or of the organiser links, still
      withdraws it).
  talkoo-server token --revoke ID | --revoke-all (--room ROOM | --role organiser) | --list [--room ROOM]
                [--data-dir DIR | --postgres URL --key-file PATH]
      Withdraws one link or every link of a room, or lists the live links, as one JSON line: in
      DIR's link book, or with --postgres in the cluster's, which every node reads within a second.
      In both token forms --postgres falls back to TALKOO_POSTGRES_URL only when TALKOO_REDIS_URL
      is set too (a cluster node's environment: a single server on PostgreSQL keeps its links in
      its data folder) and --data-dir is not given.
  talkoo-server migrate --data-dir DIR --postgres URL [--to postgres|leveldb]
      Moves every room of DIR's LevelDB into PostgreSQL (or, with --to leveldb, back), while no
      server uses DIR; prints one JSON line {"moved": [...], "skipped": [{"room", "why"}]}.
  talkoo-server drain --url http://HOST:PORT --key-file PATH
      Asks that node to hand its rooms to the other nodes of its cluster (it serves on, proxying),
      waits until it holds none (at most a minute) and prints one JSON line.
  talkoo-server --help
`;

const DEFAULT_DATA_DIR = './talkoo-data';
const COMMANDS = ['serve', 'token', 'migrate', 'drain'];

/**
 * `text` with the password of the address in it replaced by *** (everything between the user name's
 * colon and the last @; the whole user part when it has no colon, which Redis takes for a password):
 * for messages and logs, which must never show one, even of an address too mistyped to parse.
 */
export function withoutPassword(text: string): string {
  const at = text.lastIndexOf('@');
  if (at < 0) return text;
  const slashes = text.lastIndexOf('//', at);
  const userStart = slashes >= 0 ? slashes + 2 : text.indexOf(':') + 1;
  const colon = text.indexOf(':', userStart);
  const hiddenFrom = colon >= 0 && colon < at ? colon + 1 : userStart;
  return `${text.slice(0, hiddenFrom)}***${text.slice(at)}`;
}

/** `text` when it parses as a URL of one of `protocols`; else a clear error naming `source`. */
function urlOf(source: string, text: string, protocols: readonly string[], what: string): string {
  let url: URL | null = null;
  try {
    url = new URL(text);
  } catch {
    // said below
  }
  if (!url || !protocols.includes(url.protocol))
    throw new Error(`${source} must be ${what}, not "${withoutPassword(text)}"`);
  return text;
}

const redisUrl = (source: string, text: string): string =>
  urlOf(source, text, ['redis:', 'rediss:'], 'a redis:// or rediss:// URL');
const postgresUrl = (source: string, text: string): string =>
  urlOf(source, text, ['postgres:', 'postgresql:'], 'a postgres:// or postgresql:// URL');

/** An http(s) origin (scheme, host, port; no path), without its trailing slash. */
function originOf(source: string, text: string): string {
  const what = 'an http:// or https:// origin such as http://node1:4455';
  urlOf(source, text, ['http:', 'https:'], what);
  const url = new URL(text);
  if (url.pathname !== '/' || url.search || url.hash || url.username || url.password)
    throw new Error(`${source} must be ${what}, not "${withoutPassword(text)}"`);
  return url.origin;
}

/** Parses argv (without node and script); throws with a clear message on a bad flag. */
export function parseCli(argv: readonly string[], env: CliEnv = process.env): CliCommand {
  if (argv.some((arg) => arg === '--help' || arg === '-h') || argv[0] === 'help') return { command: 'help' };
  const args = [...argv];
  const command = COMMANDS.includes(args[0]!) ? args.shift()! : 'serve';
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
  /** A flag's value, else its environment variable's (an empty one counts as unset), checked by `check`. */
  const takeOrEnv = (
    flag: string,
    name: string,
    check: (source: string, text: string) => string = (_, text) => text,
  ): string | undefined => {
    const value = take(flag);
    if (value !== undefined) return check(flag, value);
    const fromEnv = env[name];
    return fromEnv ? check(name, fromEnv) : undefined;
  };
  const done = <T>(result: T): T => {
    const unknown = [...flags.keys()];
    if (unknown.length) throw new Error(`unknown option ${unknown[0]} for ${command}`);
    return result;
  };

  /**
   * The link book of a token command: a cluster's (`--postgres`, or TALKOO_POSTGRES_URL where
   * TALKOO_REDIS_URL says this is a cluster's environment), else the data folder's, if named.
   */
  const tokenBook = (): { dataDir?: string; keyFile?: string; postgresUrl?: string } => {
    const dataDir = take('--data-dir');
    const keyFile = takeOrEnv('--key-file', 'TALKOO_KEY_FILE');
    const flag = take('--postgres');
    if (flag !== undefined && dataDir !== undefined)
      throw new Error("give --postgres (a cluster's link book) or --data-dir (a folder's), not both");
    const inCluster = dataDir === undefined && Boolean(env.TALKOO_REDIS_URL);
    const url =
      flag !== undefined
        ? postgresUrl('--postgres', flag)
        : inCluster && env.TALKOO_POSTGRES_URL
          ? postgresUrl('TALKOO_POSTGRES_URL', env.TALKOO_POSTGRES_URL)
          : undefined;
    if (url && !keyFile)
      throw new Error(
        `the cluster's link book (${flag !== undefined ? '--postgres' : 'TALKOO_POSTGRES_URL, with TALKOO_REDIS_URL set'}) needs --key-file PATH or TALKOO_KEY_FILE: the key its nodes share`,
      );
    return {
      ...(dataDir !== undefined && { dataDir }),
      ...(keyFile && { keyFile }),
      ...(url && { postgresUrl: url }),
    };
  };

  if (command === 'token' && (flags.has('--revoke') || flags.has('--revoke-all') || flags.has('--list'))) {
    const book = tokenBook();
    const dataDir = book.postgresUrl ? null : (book.dataDir ?? DEFAULT_DATA_DIR);
    const withKey = <T extends LinksCommand>(result: T): T => ({
      ...result,
      ...(book.keyFile && { keyFile: book.keyFile }),
      ...(book.postgresUrl && { postgresUrl: book.postgresUrl }),
    });
    const revoke = take('--revoke');
    const revokeAll = take('--revoke-all') === 'true';
    const list = take('--list') === 'true';
    if ([revoke !== undefined, revokeAll, list].filter(Boolean).length > 1)
      throw new Error('give one of --revoke ID, --revoke-all and --list');
    if (revoke !== undefined) return done(withKey({ command: 'links', dataDir, action: { revoke } }));
    const room = take('--room') ?? null;
    if (list) return done(withKey({ command: 'links', dataDir, action: { list: room } }));
    const role = take('--role');
    if ((room === null) === (role !== 'organiser'))
      throw new Error('--revoke-all needs --room ROOM, or --role organiser for the organiser links');
    return done(withKey({ command: 'links', dataDir, action: { revokeAll: room } }));
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
    const { dataDir, keyFile, postgresUrl: cluster } = tokenBook();
    const result: TokenCommand = {
      command: 'token',
      // With a key file of its own, the link is recorded only where a data folder (or a cluster) is named.
      dataDir: cluster ? null : (dataDir ?? (keyFile ? null : DEFAULT_DATA_DIR)),
      room: role === 'organiser' ? null : room,
      role: role as TokenRole,
      name: take('--name') ?? '',
      ttlSeconds,
      url: (take('--url') ?? 'http://127.0.0.1:4455').replace(/\/+$/, ''),
    };
    if (keyFile) result.keyFile = keyFile;
    if (cluster) result.postgresUrl = cluster;
    return done(result);
  }

  if (command === 'migrate') {
    const dataDir = take('--data-dir');
    if (!dataDir) throw new Error('migrate needs --data-dir DIR (the LevelDB data folder)');
    const url = takeOrEnv('--postgres', 'TALKOO_POSTGRES_URL', postgresUrl);
    if (!url) throw new Error('migrate needs --postgres URL');
    const to = take('--to') ?? 'postgres';
    if (to !== 'postgres' && to !== 'leveldb')
      throw new Error(`--to must be postgres or leveldb, not "${to}"`);
    return done<MigrateCommand>({ command: 'migrate', dataDir, postgresUrl: url, to });
  }

  if (command === 'drain') {
    const url = take('--url');
    if (!url) throw new Error("drain needs --url URL (the node's own address)");
    const origin = originOf('--url', url);
    const keyFile = takeOrEnv('--key-file', 'TALKOO_KEY_FILE');
    if (!keyFile) throw new Error('drain needs --key-file PATH (the key the nodes share)');
    return done<DrainCommand>({ command: 'drain', url: origin, keyFile });
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
  const keyFile = takeOrEnv('--key-file', 'TALKOO_KEY_FILE');
  if (keyFile) result.keyFile = keyFile;
  const redis = takeOrEnv('--redis', 'TALKOO_REDIS_URL', redisUrl);
  const postgres = takeOrEnv('--postgres', 'TALKOO_POSTGRES_URL', postgresUrl);
  if (redis && !postgres)
    throw new Error('the nodes of a cluster share their rooms in PostgreSQL: give --postgres too');
  if (redis) result.redisUrl = redis;
  if (postgres) result.postgresUrl = postgres;
  const advertise = takeOrEnv('--advertise', 'TALKOO_ADVERTISE_URL', originOf);
  if (advertise) result.advertiseUrl = advertise;
  const nodeId = take('--node-id');
  if (nodeId !== undefined && !/^[A-Za-z0-9_.-]{1,64}$/.test(nodeId))
    throw new Error(`--node-id must be 1–64 letters, digits, dots, dashes or underscores, not "${nodeId}"`);
  if (nodeId) result.nodeId = nodeId;
  return done(result);
}
