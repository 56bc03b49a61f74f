/**
 * Every plain HTTP request: health, metrics, the API, then the web client's files. A request
 * target that does not parse is answered 400, never a throw (which would stop the server).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LinkBook } from '../auth/link-book';
import type { RoomManager } from '../rooms/room-manager';
import type { DocumentStorage } from '../storage/level-storage';
import type { TemplateStore } from '../storage/template-store';
import { handleApi, joinUrl } from './api';
import { ApiError, sendApiError, sendJson as json } from './api-error';
import { handleHistoryApi, type HistoryApiContext } from './history-api';
import { handleLinkCodes, type AttemptLimit } from './link-codes';
import type { Metrics } from './metrics';
import { serveStatic } from './static-files';

/** The server's version, reported by /healthz. */
export const SERVER_VERSION = '0.1.0';

export type RouterContext = {
  readonly links: LinkBook;
  readonly rooms: RoomManager;
  readonly storage: DocumentStorage;
  /** The organiser's workshop templates. */
  readonly templates: TemplateStore;
  readonly metrics: Metrics;
  /** The version history API (http/history-api.ts). */
  readonly history: HistoryApiContext;
  /** Folder of the built web client; omit to serve no client. */
  readonly staticDir?: string;
  /** Wrong link codes tried per address (http/link-codes.ts). */
  readonly codeAttempts: AttemptLimit;
  readonly started: number;
  /** Base URL of join links; known once the server listens. */
  publicUrl: string;
};

/**
 * The URL of a request target, or null when it is not one (`//`, say). Request targets come
 * from anyone: a throw in a request handler would stop the whole server.
 */
export function requestUrl(req: IncomingMessage): URL | null {
  try {
    return new URL(req.url ?? '/', 'http://x');
  } catch {
    return null;
  }
}

/** Answers one request. */
export function route(ctx: RouterContext, req: IncomingMessage, res: ServerResponse): void {
  const url = requestUrl(req);
  if (!url) return sendApiError(res, new ApiError(400, 'bad-request', 'Bad request.'));
  const path = url.pathname;
  const { rooms, metrics } = ctx;
  // 200 while the process serves; "degraded" (and why) from a storage fault until a later write
  // has proven the disk durable again. /readyz says the same to load balancers: 503 while degraded.
  if (path === '/readyz') {
    return json(res, rooms.storageError ? 503 : 200, {
      status: rooms.storageError ? 'degraded' : 'ok',
      ...(rooms.storageError ? { reason: rooms.storageError } : {}),
    });
  }
  if (path === '/healthz') {
    return json(res, 200, {
      status: rooms.storageError ? 'degraded' : 'ok',
      ...(rooms.storageError ? { reason: rooms.storageError } : {}),
      unstoredBytes: rooms.unstored,
      version: SERVER_VERSION,
      rooms: rooms.size,
      connections: rooms.connections,
      uptimeSeconds: Math.round((Date.now() - ctx.started) / 1000),
      storage: rooms.storageError ? { ok: false, error: rooms.storageError } : { ok: true },
    });
  }
  if (path === '/metrics') {
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
    res.end(metrics.render({ connections: rooms.connections, rooms: rooms.size }));
    return;
  }
  if (handleHistoryApi(ctx.history, req, res, path)) return;
  const codes = {
    links: ctx.links,
    attempts: ctx.codeAttempts,
    joinUrl: (room: string, token: string) => joinUrl(ctx.publicUrl, room, token),
  };
  if (handleLinkCodes(codes, req, res, path)) return;
  const api = {
    links: ctx.links,
    rooms,
    storage: ctx.storage,
    templates: ctx.templates,
    publicUrl: ctx.publicUrl,
  };
  if (handleApi(api, req, res, path)) return;
  if (req.method !== 'GET' && req.method !== 'HEAD')
    return sendApiError(
      res,
      new ApiError(405, 'method-not-allowed', 'Method not allowed.', { allowed: 'GET, HEAD' }),
    );
  if (ctx.staticDir && serveStatic(ctx.staticDir, req, res)) return;
  sendApiError(res, new ApiError(404, 'not-found', 'Not found.'));
}
