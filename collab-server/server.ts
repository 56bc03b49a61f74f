/**
 * The collaboration server: y-websocket rooms behind signed tokens, LevelDB persistence, limits,
 * the HTTP API, health and metrics, and the web client, all on one port.
 */
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import * as Y from 'yjs';
import { EXAMPLE_OUTLINES } from '../shared/examples';
import { importOutline, parseOutline, parseOutlineText } from '../shared/outline/outline';
import { formatParseError } from '../shared/result';
import { lanAddresses } from './http/lan';
import { DEFAULT_LIMITS, type Limits } from './wire/limits';
import { silentLogger, type Logger } from './log';
import { Metrics } from './http/metrics';
import { AttemptLimit } from './http/link-codes';
import { CLOSE } from './wire/protocol';
import { RoomManager } from './rooms/room-manager';
import type { HistoryOptions } from './rooms/history';
import { loadOrCreateSigningKey, toStderr } from './auth/signing-key';
import { openLevelStorage, type DocumentStorage } from './storage/level-storage';
import { openPostgresStorage } from './storage/pg-storage';
import { replayRecovery, saveUnstored } from './storage/recovery';
import { TemplateStore } from './storage/template-store';
import { LinkBook } from './auth/link-book';
import { openPostgresLinkJournal } from './auth/pg-link-journal';
import { route, type RouterContext } from './http/router';
import { sendApiError, workshopMoving } from './http/api-error';
import { ConnectionCounts } from './wire/connection';
import { acceptUpgrades, ROOM_NAME } from './wire/upgrade';
import { Facilitation } from './rooms/facilitation';
import { openClusterNode, type ClusterNode } from './cluster/node';
import type { ProxyContext } from './cluster/proxy';
import { RoomElsewhereError } from './cluster/ownership';
import type { Duplex } from 'node:stream';

export { SERVER_VERSION } from './http/router';

/** How to start a server. */
export type ServerOptions = {
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** Folder for the signing key and the LevelDB store. */
  readonly dataDir: string;
  /** Use this storage instead of LevelDB in dataDir (tests of storage failures). */
  readonly storage?: DocumentStorage;
  /** Base URL printed in links; derived from host and port when absent. */
  readonly publicUrl?: string;
  /** Folder of the built web client; omit to serve no client. */
  readonly staticDir?: string;
  /** Create the shipped example workshops (unless they exist). */
  readonly examples?: boolean;
  /** Rooms to create from outline JSON text (unless they exist); `source` names it in errors. */
  readonly outlines?: readonly { readonly room: string; readonly text: string; readonly source: string }[];
  readonly limits?: Partial<Limits>;
  readonly flushMs?: number;
  readonly unloadGraceMs?: number;
  readonly compactAfter?: number;
  /** Bytes of changes kept in memory while storage fails; beyond, changes are refused (1013). */
  readonly maxUnstoredBytes?: number;
  /** The version history's clock, interval and retention (rooms/history.ts). */
  readonly history?: HistoryOptions;
  readonly log?: Logger;
  /**
   * Told the peer address of every TCP connection the server accepts (HTTP or WebSocket), e.g.
   * `192.168.1.23` or `::ffff:192.168.1.23`: the desktop app tells whether anyone has reached it
   * from the network.
   */
  readonly onConnection?: (remoteAddress: string) => void;
  /**
   * The signing key's file (created, mode 0600, when missing): the nodes of a cluster share one.
   * Default: `signing-key` in dataDir.
   */
  readonly keyFile?: string;
  /** Rooms in PostgreSQL (storage/pg-storage.ts) instead of LevelDB in dataDir. */
  readonly postgresUrl?: string;
  /**
   * Room leases in Redis: this server is one node of a cluster (cluster/contracts.ts). Needs
   * postgresUrl, the storage every node shares.
   */
  readonly redisUrl?: string;
  /** Where the other nodes reach this one; default http://host:port as bound. */
  readonly advertiseUrl?: string;
  /** This node's id in the cluster; default a new random one per start. */
  readonly nodeId?: string;
  /** How long a room lease lives unrenewed (tests); default that of cluster/leases.ts (10 s). */
  readonly leaseTtlMs?: number;
};

/** A running server. */
export type RunningServer = {
  /** http://host:port as bound. */
  readonly url: string;
  /** Base of join links. */
  readonly publicUrl: string;
  readonly port: number;
  readonly rooms: RoomManager;
  readonly metrics: Metrics;
  readonly signingKey: Buffer;
  /** The data folder's links: who may join, and what was revoked. */
  readonly links: LinkBook;
  /**
   * The organiser token the server keeps (it lists and creates workshops): the same recorded
   * 30-day link on every call and every start, renewed once fewer than 7 days remain or it was
   * revoked (the old one stays valid until it expires or is revoked).
   */
  organiserToken(): string;
  /** The organiser login link: the web client's address with {@link organiserToken}. */
  organiserLink(): string;
  /**
   * In a cluster (#14): takes no more rooms, closes every room's clients with 4307 (they
   * reconnect to other nodes), stores each room and gives its lease up; resolves with how many
   * rooms it held. The node goes on, sending every request to other nodes. Alone: resolves 0.
   */
  drain(): Promise<number>;
  /**
   * Stores pending changes, closes every connection (4503) and the store. Rejects, saying what
   * happened to them, when some changes could not be stored (they go to a recovery file that the
   * next start replays, if any place takes it).
   */
  close(): Promise<void>;
};

/** How long the organiser link the server keeps lives, and how long before its end it is renewed. */
const ORGANISER_TTL = 30 * 86_400;
const ORGANISER_RENEW = 7 * 86_400;

export { ROOM_NAME } from './wire/upgrade';

/** Checks every seed outline first, so a bad one creates nothing. */
function parseSeeds(options: ServerOptions): { room: string; doc: Y.Doc }[] {
  const sources = [
    ...(options.examples
      ? Object.entries(EXAMPLE_OUTLINES).map(([room, raw]) => ({
          room,
          raw: raw,
          source: `example ${room}`,
        }))
      : []),
    ...(options.outlines ?? []).map(({ room, text, source }) => ({ room, raw: text, source })),
  ];
  return sources.map(({ room, raw, source }) => {
    if (!ROOM_NAME.test(room)) throw new Error(`${source}: "${room}" is not a valid room name`);
    const parsed = typeof raw === 'string' ? parseOutlineText(raw) : parseOutline(raw);
    if (!parsed.ok) {
      throw new Error(
        `${source} is not a valid workshop outline:\n  ${parsed.error.map(formatParseError).join('\n  ')}`,
      );
    }
    const doc = new Y.Doc();
    importOutline(doc, parsed.value);
    return { room, doc };
  });
}

/**
 * The link book of a cluster, in the PostgreSQL its nodes share, with what the data folder's own
 * book holds (from before the cluster) recorded there too.
 */
async function clusterLinks(
  postgresUrl: string,
  dataDir: string,
  key: Buffer,
  log: Logger,
): Promise<LinkBook> {
  const book = await LinkBook.shared(await openPostgresLinkJournal(postgresUrl, toStderr), key);
  try {
    const copied = await book.adopt(dataDir);
    if (copied) log('info', 'link book copied to the cluster', { records: copied });
    return book;
  } catch (error) {
    await book.close();
    throw error;
  }
}

/** Starts a server and resolves once it listens. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const log = options.log ?? silentLogger;
  const metrics = new Metrics();
  const seeds = parseSeeds(options);
  // The key is in the data folder, or in the key file the nodes of a cluster share (--key-file).
  const key = await loadOrCreateSigningKey(options.dataDir, toStderr, options.keyFile);
  // One node of a cluster (#14): rooms in the shared PostgreSQL, each held through its Redis lease.
  if (options.redisUrl && !options.postgresUrl)
    throw new Error('a cluster node (redisUrl) needs postgresUrl: the storage its nodes share');
  const node: ClusterNode | null = options.redisUrl
    ? await openClusterNode({
        redisUrl: options.redisUrl,
        postgresUrl: options.postgresUrl ?? '',
        nodeId: options.nodeId,
        log,
        leaseTtlMs: options.leaseTtlMs,
      })
    : null;
  // The links of a cluster are in the PostgreSQL its nodes share, so each knows every revocation.
  const links = node
    ? await clusterLinks(options.postgresUrl ?? '', options.dataDir, key, log).catch(
        async (error: unknown) => {
          await node.close();
          throw error;
        },
      )
    : await LinkBook.open(options.dataDir, key);
  // Rooms in LevelDB in the data folder, or in the PostgreSQL database given (#14).
  const storage: DocumentStorage =
    options.storage ??
    (node
      ? node.storage
      : options.postgresUrl
        ? await openPostgresStorage({ url: options.postgresUrl })
        : await openLevelStorage(join(options.dataDir, 'rooms')));
  // Who may change what, personal documents and reveals (rooms/facilitation.ts).
  const facilitation = new Facilitation((room, id) => links.authorKey(room, id), log);
  const rooms = new RoomManager({
    storage,
    metrics,
    log,
    maxAwarenessBytes: limits.maxAwarenessBytes,
    maxDocumentBytes: limits.maxDocumentBytes,
    flushMs: options.flushMs,
    unloadGraceMs: options.unloadGraceMs,
    compactAfter: options.compactAfter,
    history: options.history,
    maxUnstoredBytes: options.maxUnstoredBytes,
    check: facilitation.check,
    onLoaded: facilitation.loaded,
    ownership: node?.rooms,
  });
  facilitation.serve(rooms);
  const seedRooms = async (): Promise<void> => {
    // Template content is written once, when its room is created: never because a synced
    // document looked empty.
    for (const { room, doc } of seeds) {
      // Served by another node of the cluster: it exists.
      await rooms.create(room, doc).catch((error: unknown) => {
        if (!(error instanceof RoomElsewhereError)) throw error;
      });
    }
    // What the last run could not store goes back into its rooms before anyone joins.
    await replayRecovery(options.dataDir, rooms, log);
  };
  // A cluster node claims rooms through its leases, which name its url: it seeds once it listens.
  if (!node) await seedRooms();

  const site: RouterContext = {
    history: {
      verify: (token, room) => links.verify(token, { room }),
      // A copy's facilitator link lives as long as the organiser's facilitator links (7 days).
      facilitatorToken: async (room, by) =>
        (
          await links.make({
            room,
            role: 'facilitator',
            name: by.name,
            ttlSeconds: 7 * 86_400,
            by: `link:${by.id}`,
          })
        ).token,
      rooms,
      publicUrl: () => site.publicUrl,
    },
    links,
    rooms,
    storage,
    templates: new TemplateStore(join(options.dataDir, 'templates')),
    metrics,
    staticDir: options.staticDir,
    codeAttempts: new AttemptLimit(),
    started: Date.now(),
    publicUrl: options.publicUrl ?? '',
  };
  // A cluster node answers only once it has joined its cluster (503 before).
  let ready = !node;
  const http = createServer((req, res) =>
    ready ? route(site, req, res) : sendApiError(res, workshopMoving()),
  );
  const { onConnection } = options;
  if (onConnection) http.on('connection', (socket: Socket) => onConnection(socket.remoteAddress ?? ''));
  let closing = false;
  const proxy: ProxyContext | null = node
    ? { node: node.id, key, log, metrics, sockets: new Set<Duplex>() }
    : null;
  const wss = acceptUpgrades(
    http,
    { links, limits, rooms, metrics, log, counts: new ConnectionCounts(limits) },
    () => closing || !ready,
    node && proxy ? { ownership: () => node.ownership(), proxy } : undefined,
  );

  try {
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(options.port ?? 0, host, () => resolve());
    });
  } catch (error) {
    // The port is taken (say): let go of the store, so the caller can try again with it.
    const unstored = await rooms.closeAll(CLOSE.shuttingDown, 'server could not listen');
    await storage.close();
    await node?.close();
    await saveUnstored(options.dataDir, unstored, log);
    await links.close();
    throw error;
  }
  const port = (http.address() as AddressInfo).port;
  const shownHost =
    host === '0.0.0.0' || host === '::'
      ? (lanAddresses()[0] ?? '127.0.0.1')
      : host.includes(':')
        ? `[${host}]`
        : host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  site.publicUrl ||= `http://${shownHost}:${port}`;
  const publicUrl = site.publicUrl;
  /** What rooms handed over (drained) could not store, for the recovery file. */
  const drainedUnstored = new Map<string, Uint8Array>();
  let draining: Promise<void> | null = null;
  const drain = (): Promise<void> => {
    if (!node) return Promise.resolve();
    draining ??= (async () => {
      node.ownership().drain();
      const unstored = await rooms.closeAll(CLOSE.roomMoved, 'room moved to another node');
      for (const [room, update] of unstored) drainedUnstored.set(room, update);
      log('info', 'drained', { node: node.id, unstored: unstored.size });
    })();
    return draining;
  };
  if (node && proxy) {
    try {
      const ownership = await node.join(options.advertiseUrl ?? url, (room) => rooms.evict(room));
      site.cluster = {
        ownership,
        proxy,
        drain: () => {
          const held = ownership.owns().length;
          void drain();
          return held;
        },
      };
      await seedRooms();
    } catch (error) {
      closing = true;
      http.close();
      http.closeAllConnections();
      await rooms.closeAll(CLOSE.shuttingDown, 'server could not join its cluster');
      await node.close();
      await storage.close();
      await links.close();
      throw error;
    }
    ready = true;
  }
  log('info', 'listening', {
    url,
    publicUrl,
    dataDir: options.dataDir,
    ...(node ? { node: node.id, advertise: options.advertiseUrl ?? url } : {}),
  });

  // Revocations and links recorded by the `token` command reach this process too.
  links.follow();
  const organiserToken = (): string =>
    links.keepNow({
      room: null,
      role: 'organiser',
      ttlSeconds: ORGANISER_TTL,
      by: 'server',
      renewWithinSeconds: ORGANISER_RENEW,
    }).token;

  return {
    url,
    publicUrl,
    port,
    rooms,
    metrics,
    signingKey: key,
    organiserToken,
    links,
    organiserLink: () => `${publicUrl}/#/?organiser=${encodeURIComponent(organiserToken())}`,
    drain: async () => {
      const held = node ? node.ownership().owns().length : 0;
      await drain();
      return held;
    },
    close: async () => {
      // A cluster node hands its rooms over first, still sending their clients on meanwhile.
      await drain();
      closing = true;
      const unstored = await rooms.closeAll(CLOSE.shuttingDown, 'server shutting down');
      for (const [room, update] of drainedUnstored) if (!unstored.has(room)) unstored.set(room, update);
      for (const socket of proxy?.sockets ?? []) socket.destroy();
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeAllConnections();
      await closed;
      await node?.close();
      await storage.close();
      await links.close();
      const problem = await saveUnstored(options.dataDir, unstored, log);
      if (problem) throw new Error(problem);
      log('info', 'stopped', {});
    },
  };
}
