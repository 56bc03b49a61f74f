/**
 * WebSocket upgrades: a request for a room's socket becomes a ClientConnection, or is refused with
 * 400 before any WebSocket exists. The raw socket has an error handler from its first byte, so a
 * client that resets the connection or sends garbage mid-upgrade is logged, never an unhandled
 * 'error' that ends the process.
 */
import type { Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { requestUrl } from '../http/router';
import { IDENTITY_PARAM, PERSONAL_SUFFIX } from '../../shared/session-message';
import { ClientConnection, type ConnectionContext } from './connection';

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
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      // The WebSocket handles the socket's errors from here on.
      socket.off('error', beforeUpgrade);
      const connection = new ClientConnection(ctx, ws, room, req.socket.remoteAddress ?? '', {
        token: url.searchParams.get('token'),
        identity: url.searchParams.get(IDENTITY_PARAM),
        personal,
      });
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
  });
  return wss;
}
