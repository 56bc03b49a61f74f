/**
 * The collaboration server: y-websocket rooms behind signed tokens, LevelDB persistence, limits,
 * the HTTP API, health and metrics, and the web client, all on one port.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import * as Y from 'yjs';
import { EXAMPLE_OUTLINES } from '../shared/examples';
import { importOutline, parseOutline, parseOutlineText } from '../shared/outline/outline';
import { formatParseError } from '../shared/result';
import { handleApi, sendJson as json } from './http-api';
import { lanAddresses } from './lan';
import { DEFAULT_LIMITS, ConnectionLimiter, type Limits } from './limits';
import { silentLogger, type Logger } from './log';
import { Metrics } from './metrics';
import { CLOSE } from './protocol';
import type { Peer } from './room';
import { RoomManager } from './rooms';
import { loadOrCreateSigningKey } from './signing-key';
import { serveStatic } from './static-files';
import { openLevelStorage, type DocumentStorage } from './storage';
import { signToken, verifyToken, type TokenProblem } from './tokens';

/** The server's version, reported by /healthz. */
export const SERVER_VERSION = '0.1.0';

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
  readonly log?: Logger;
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
  /** A fresh organiser token (it lists and creates workshops); 30 days unless told. */
  organiserToken(ttlSeconds?: number): string;
  /** A fresh organiser login link: the web client's address with a new organiser token. */
  organiserLink(ttlSeconds?: number): string;
  /** Stores pending changes, closes every connection (4503) and the store. */
  close(): Promise<void>;
};

/** Room names as they appear in URLs: bounded, no separators. */
export const ROOM_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

const TOKEN_CLOSE: Readonly<Record<TokenProblem, number>> = {
  missing: CLOSE.tokenMissing,
  malformed: CLOSE.tokenMalformed,
  forged: CLOSE.tokenForged,
  'wrong-room': CLOSE.tokenWrongRoom,
  'wrong-role': CLOSE.tokenWrongRole,
  expired: CLOSE.tokenExpired,
};

/**
 * The URL of a request target, or null when it is not one (`//`, say). Request targets come
 * from anyone: a throw in a request handler would stop the whole server.
 */
function requestUrl(req: IncomingMessage): URL | null {
  try {
    return new URL(req.url ?? '/', 'http://x');
  } catch {
    return null;
  }
}

/** A room name from a URL path, or '' when its percent-encoding is broken (not a room name). */
function roomFromPath(pathname: string): string {
  try {
    return decodeURIComponent(pathname.slice(1));
  } catch {
    return '';
  }
}

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

/** Starts a server and resolves once it listens. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const log = options.log ?? silentLogger;
  const metrics = new Metrics();
  const started = Date.now();
  const seeds = parseSeeds(options);
  const key = await loadOrCreateSigningKey(options.dataDir);
  const storage = options.storage ?? (await openLevelStorage(join(options.dataDir, 'rooms')));
  const rooms = new RoomManager({
    storage,
    metrics,
    log,
    maxAwarenessBytes: limits.maxAwarenessBytes,
    flushMs: options.flushMs,
    unloadGraceMs: options.unloadGraceMs,
    compactAfter: options.compactAfter,
  });
  // Template content is written once, when its room is created: never because a synced
  // document looked empty.
  for (const { room, doc } of seeds) await rooms.create(room, doc);

  let publicUrl = options.publicUrl ?? '';
  const http = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = requestUrl(req);
    if (!url) return json(res, 400, { error: 'Bad request.' });
    const path = url.pathname;
    if (path === '/healthz') {
      return json(res, 200, {
        status: rooms.storageError ? 'degraded' : 'ok',
        version: SERVER_VERSION,
        rooms: rooms.size,
        connections: rooms.connections,
        uptimeSeconds: Math.round((Date.now() - started) / 1000),
        storage: rooms.storageError ? { ok: false, error: rooms.storageError } : { ok: true },
      });
    }
    if (path === '/metrics') {
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
      res.end(metrics.render({ connections: rooms.connections, rooms: rooms.size }));
      return;
    }
    if (handleApi({ key, rooms, storage, publicUrl }, req, res, path)) return;
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return json(res, 405, { error: 'Method not allowed.' });
    if (options.staticDir && serveStatic(options.staticDir, req, res)) return;
    json(res, 404, { error: 'Not found.' });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes * 2 });
  let connectionCount = 0;
  let closing = false;

  http.on('upgrade', (req, socket, head) => {
    // From the first byte: a client that resets the connection (or sends garbage) is logged,
    // never an unhandled 'error' that ends the process. ws adds its own handler while upgrading.
    socket.on('error', (error) => log('warn', 'socket error before upgrade', { error: error.message }));
    const url = requestUrl(req);
    const room = url ? roomFromPath(url.pathname) : '';
    if (closing || !url || !ROOM_NAME.test(room)) {
      metrics.reject(closing ? 'shutting-down' : 'bad-room-name');
      socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
      return;
    }
    wss.handleUpgrade(
      req,
      socket,
      head,
      (ws: WebSocket) => void accept(ws, room, url.searchParams.get('token'), req.socket.remoteAddress ?? ''),
    );
  });

  /** Checks the token before any document byte is sent, then joins the room. */
  /** Open connections per link (token text) and per client address, across every room. */
  const perToken = new Map<string, number>();
  const perAddress = new Map<string, number>();
  const count = (map: Map<string, number>, key: string, delta: number): void => {
    const next = (map.get(key) ?? 0) + delta;
    if (next > 0) map.set(key, next);
    else map.delete(key);
  };

  async function accept(
    ws: WebSocket,
    roomName: string,
    token: string | null,
    address: string,
  ): Promise<void> {
    const id = ++connectionCount;
    // First of all: ws reports an illegal frame (unmasked, a reserved opcode or RSV bit, too
    // large) as an 'error' on the socket, which with no listener would end the process; it
    // arrives whenever the client sends, also while the token is refused or the room loads.
    ws.on('error', (error) =>
      log('warn', 'socket error', { connection: id, room: roomName, error: error.message }),
    );
    const verdict = verifyToken(key, token, { room: roomName });
    if (!verdict.ok) {
      metrics.reject(`token-${verdict.error}`);
      log('warn', 'connection refused', { connection: id, room: roomName, reason: `token ${verdict.error}` });
      ws.close(TOKEN_CLOSE[verdict.error], `token ${verdict.error}`);
      return;
    }
    const claims = verdict.value;
    const role = claims.role === 'organiser' ? 'viewer' : claims.role;
    // One link or one address cannot take every place: what it holds beyond its share is
    // refused with "try again later" before anything is sent.
    const link = token ?? '';
    const overLink = (perToken.get(link) ?? 0) >= limits.connectionsPerToken;
    if (overLink || (perAddress.get(address) ?? 0) >= limits.connectionsPerAddress) {
      const reason = overLink ? 'token-connections' : 'address-connections';
      metrics.reject(reason);
      log('warn', 'connection refused', { connection: id, room: roomName, reason });
      ws.close(CLOSE.tryAgainLater, overLink ? 'too many connections on this link' : 'too many connections');
      return;
    }
    count(perToken, link, 1);
    count(perAddress, address, 1);
    ws.once('close', () => {
      count(perToken, link, -1);
      count(perAddress, address, -1);
    });
    const limiter = new ConnectionLimiter(limits);
    // Frames that arrive while the room loads wait here, in order.
    const early: RawData[] = [];
    let onFrame: (data: RawData, isBinary: boolean) => void = (data, isBinary) => {
      if (!isBinary)
        return closeWith(CLOSE.malformedFrame, 'text frames are not accepted', 'malformed-frame');
      early.push(data);
    };
    // Once the server has closed a connection (ws is then CLOSING), frames still in flight from
    // it are ignored: they are neither applied nor counted again.
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (ws.readyState === ws.OPEN) onFrame(data, isBinary);
    });

    function closeWith(code: number, reason: string, metric: string): void {
      metrics.close(metric);
      log('warn', 'connection closed', { connection: id, room: roomName, role, reason });
      // A slowed connection is paused: read again, or the client's reply to the close is never
      // read and the close waits for its timeout.
      ws.resume();
      ws.close(code, reason);
    }

    const peer: Peer = {
      role,
      send: (data) => {
        if (ws.readyState !== ws.OPEN) return;
        metrics.messagesOut++;
        metrics.bytesOut += data.byteLength;
        ws.send(data);
      },
      close: (code, reason) => ws.close(code, reason),
    };

    let loaded;
    try {
      loaded = await rooms.acquire(roomName);
    } catch (error) {
      log('error', 'room could not be loaded', { room: roomName, error: (error as Error).message });
      metrics.reject('storage-failure');
      ws.close(CLOSE.storageFailure, 'room could not be loaded');
      return;
    }
    if (ws.readyState !== ws.OPEN) {
      rooms.release(roomName);
      return;
    }
    const places =
      role === 'facilitator'
        ? limits.connectionsPerRoom
        : limits.connectionsPerRoom - limits.facilitatorReserve;
    if (loaded.size >= places) {
      metrics.reject('room-full');
      ws.close(CLOSE.roomFull, 'room is full');
      rooms.release(roomName);
      return;
    }
    const room = loaded;
    // Over its rate, a connection is slowed, not cut: its frames wait here, in order, while the
    // server stops reading its socket until the budget refills. Only a backlog beyond the limit
    // closes it, with "try again later", which clients reconnect after.
    const backlog: Buffer[] = [];
    let backlogBytes = 0;
    let drainTimer: NodeJS.Timeout | null = null;
    const handle = (bytes: Buffer): void => {
      metrics.messagesIn++;
      metrics.bytesIn += bytes.byteLength;
      room.receive(peer, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    };
    const drain = (): void => {
      drainTimer = null;
      while (backlog.length && ws.readyState === ws.OPEN) {
        const next = backlog[0] as Buffer;
        if (!limiter.allow(next.byteLength)) {
          drainTimer = setTimeout(drain, limiter.waitFor(next.byteLength));
          return;
        }
        backlog.shift();
        backlogBytes -= next.byteLength;
        handle(next);
      }
      if (ws.readyState === ws.OPEN) ws.resume();
    };
    const receive = (data: RawData): void => {
      if (ws.readyState !== ws.OPEN) return;
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      if (bytes.byteLength > limits.maxMessageBytes) {
        return closeWith(CLOSE.tooLarge, `frame over ${limits.maxMessageBytes} bytes`, 'too-large');
      }
      if (backlog.length === 0 && limiter.allow(bytes.byteLength)) return handle(bytes);
      if (backlogBytes + bytes.byteLength > limits.maxBacklogBytes)
        return closeWith(CLOSE.tryAgainLater, 'too much waiting; try again later', 'backlog-full');
      backlog.push(bytes);
      backlogBytes += bytes.byteLength;
      ws.pause();
      drainTimer ??= setTimeout(drain, limiter.waitFor((backlog[0] as Buffer).byteLength));
    };
    onFrame = (data, isBinary) => {
      if (!isBinary)
        return closeWith(CLOSE.malformedFrame, 'text frames are not accepted', 'malformed-frame');
      receive(data);
    };
    ws.on('close', () => {
      if (drainTimer) clearTimeout(drainTimer);
      backlog.length = 0;
      room.leave(peer);
      rooms.release(roomName);
      log('info', 'disconnected', { connection: id, room: roomName, role });
    });
    room.join(peer);
    log('info', 'connected', { connection: id, room: roomName, role, name: claims.name });
    for (const data of early.splice(0)) receive(data);
  }

  try {
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(options.port ?? 0, host, () => resolve());
    });
  } catch (error) {
    // The port is taken (say): let go of the store, so the caller can try again with it.
    await rooms.closeAll(CLOSE.shuttingDown, 'server could not listen');
    await storage.close();
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
  publicUrl ||= `http://${shownHost}:${port}`;
  log('info', 'listening', { url, publicUrl, dataDir: options.dataDir });

  const organiserToken = (ttlSeconds = 30 * 86400): string =>
    signToken(key, { room: null, role: 'organiser', ttlSeconds });

  return {
    url,
    publicUrl,
    port,
    rooms,
    metrics,
    signingKey: key,
    organiserToken,
    organiserLink: (ttlSeconds) =>
      `${publicUrl}/#/?organiser=${encodeURIComponent(organiserToken(ttlSeconds))}`,
    close: async () => {
      closing = true;
      await rooms.closeAll(CLOSE.shuttingDown, 'server shutting down');
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeAllConnections();
      await closed;
      await storage.close();
      log('info', 'stopped', {});
    },
  };
}
