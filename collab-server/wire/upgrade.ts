/**
 * WebSocket upgrades: a request for a room's socket becomes a ClientConnection, or is refused with
 * 400 before any WebSocket exists. The raw socket has an error handler from its first byte, so a
 * client that resets the connection or sends garbage mid-upgrade is logged, never an unhandled
 * 'error' that ends the process.
 *
 * In a cluster (#14) the token (and a person's identity) is checked here first, exactly as the
 * connection would: a refused request is refused by this node, as alone, without any room being
 * claimed or loaded. An admitted one is served here when this node holds its room (or takes it
 * now), else sent on to the node that does (cluster/proxy.ts).
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { requestUrl } from '../http/router';
import { IDENTITY_PARAM, PERSONAL_SUFFIX } from '../../shared/session-message';
import type { Ownership } from '../cluster/ownership';
import { answerSocket, clientAddress, isProxied, proxyUpgrade, type ProxyContext } from '../cluster/proxy';
import { ClientConnection, type ConnectionContext } from './connection';

/** This node's part of a cluster, for its upgrades. */
export type UpgradeCluster = { readonly ownership: () => Ownership; readonly proxy: ProxyContext };

/** Room names as they appear in URLs: bounded, no separators. */
export const ROOM_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

/**
 * The room a URL path asks for, and whether it asks for the person's own document in it
 * (`/<room>/me`); room '' when its percent-encoding is broken (not a room name).
 */
function roomFromPath(pathname: string): { room: string; personal: boolean } {
  const personal = pathname.endsWith(PERSONAL_SUFFIX);
  try {
    return {
      room: decodeURIComponent(pathname.slice(1, personal ? -PERSONAL_SUFFIX.length : undefined)),
      personal,
    };
  } catch {
    return { room: '', personal };
  }
}

/**
 * Takes `http`'s upgrade requests: each valid one becomes a connection of `ctx`. While
 * `closing()` says so, every request is refused. Returns the WebSocket server (to close it).
 */
export function acceptUpgrades(
  http: Server,
  ctx: ConnectionContext,
  closing: () => boolean,
  cluster?: UpgradeCluster,
): WebSocketServer {
  const { log, metrics } = ctx;
  const wss = new WebSocketServer({ noServer: true, maxPayload: ctx.limits.maxMessageBytes * 2 });
  // One handler for every socket, not a closure per upgrade: such a closure would keep the
  // request (headers, URL) for as long as the socket lives.
  const beforeUpgrade = (error: Error): void =>
    log('warn', 'socket error before upgrade', { error: error.message });
  http.on('upgrade', (req, socket, head) => {
    // ws adds its own handler while upgrading; this one covers the bytes before.
    socket.on('error', beforeUpgrade);
    const url = requestUrl(req);
    const { room, personal } = url ? roomFromPath(url.pathname) : { room: '', personal: false };
    if (closing() || !url || !ROOM_NAME.test(room)) {
      metrics.reject(closing() ? 'shutting-down' : 'bad-room-name');
      // The socket is no longer read once handed to 'upgrade': ending our side alone would never
      // learn that the client went, and keep the socket open for good. Destroy it once written.
      socket.once('finish', () => socket.destroy());
      socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
      return;
    }
    const token = url.searchParams.get('token');
    const identity = url.searchParams.get(IDENTITY_PARAM);
    const serve = (): void =>
      wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
        // The WebSocket handles the socket's errors from here on.
        socket.off('error', beforeUpgrade);
        const address = cluster ? clientAddress(req, cluster.proxy.key) : (req.socket.remoteAddress ?? '');
        const connection = new ClientConnection(ctx, ws, room, address, { token, identity, personal });
        // A fault in one connection's life ends that connection, never the process.
        connection.start().catch((error: unknown) => {
          log('error', 'connection failed', {
            connection: connection.id,
            room,
            error: (error as Error).message,
          });
          ws.terminate();
        });
      });
    if (!cluster || !admitted(ctx, room, personal, token, identity)) return serve();
    routeUpgrade(cluster, ctx, req, url, socket, head, room, serve);
  });
  return wss;
}

/** True when the connection would be let in (its token, and for `/me` its identity, are valid). */
function admitted(
  ctx: ConnectionContext,
  room: string,
  personal: boolean,
  token: string | null,
  identity: string | null,
): boolean {
  const verdict = ctx.links.verify(token, { room });
  if (!verdict.ok) return false;
  if (!personal) return true;
  return verdict.value.role !== 'viewer' && ctx.links.verifyIdentity(room, identity) !== null;
}

/** Serves an admitted upgrade here, or sends it to the node that serves its room. */
function routeUpgrade(
  cluster: UpgradeCluster,
  ctx: ConnectionContext,
  req: IncomingMessage,
  url: URL,
  socket: Duplex,
  head: Buffer,
  room: string,
  serve: () => void,
): void {
  const { ownership, proxy } = cluster;
  ownership()
    .route(room, isProxied(req), ctx.rooms.peek(room) !== undefined)
    .then(
      (where) => {
        if ('serve' in where) return serve();
        if ('proxy' in where) return proxyUpgrade(proxy, req, url, socket, head, where.proxy);
        // Sent here by another node, but another one holds the room now: the client tries again.
        ctx.metrics.reject('room-unavailable');
        answerSocket(socket, '503 Service Unavailable');
      },
      (error: unknown) => {
        // Redis cannot be asked: the client tries again.
        ctx.log('warn', 'room owner unknown', { room, error: (error as Error).message });
        ctx.metrics.reject('cluster-unavailable');
        answerSocket(socket, '503 Service Unavailable');
      },
    );
}
