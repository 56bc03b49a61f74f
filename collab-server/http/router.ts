/**
 * Every plain HTTP request: health, metrics, the API, then the web client's files. A request
 * target that does not parse is answered 400, never a throw (which would stop the server).
 *
 * In a cluster (#14) an API call about one workshop (its links, rename, archive, duplicate,
 * deletion, import under its name, versions) goes to the node that serves the workshop, once this
 * node has seen that the caller's token is valid for it; a refused one is refused here, as alone.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LinkBook } from '../auth/link-book';
import type { Ownership } from '../cluster/ownership';
import { isProxied, proxyRequest, type ProxyContext } from '../cluster/proxy';
import type { RoomManager } from '../rooms/room-manager';
import type { DocumentStorage } from '../storage/level-storage';
import type { TemplateStore } from '../storage/template-store';
import { handleApi, joinUrl } from './api';
import { ApiError, sendApiError, sendJson as json, tokenRefusal, workshopMoving } from './api-error';
import { handleHistoryApi, type HistoryApiContext } from './history-api';
import { handleLinkCodes, type AttemptLimit } from './link-codes';
import type { Metrics } from './metrics';
import { bearer } from './request';
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
  /** This node's part of a cluster, once it has joined it (#14); absent when the server runs alone. */
  cluster?: RouterCluster;
};

/** What the router of a cluster node needs. */
export type RouterCluster = {
  readonly ownership: Ownership;
  readonly proxy: ProxyContext;
  /** Hands every room of this node over (POST /api/node/drain); resolves how many it held. */
  readonly drain: () => number;
};

/** An API call about one workshop: its room (versions, links, rename, duplicate, delete, import). */
const WORKSHOP_CALL = /^\/api\/workshops\/([A-Za-z0-9_.-]{1,128})(?:\/|$)/;

/** The workshop an API call is about, or null. */
function workshopOf(path: string, url: URL): string | null {
  const room = WORKSHOP_CALL.exec(path)?.[1];
  if (room !== 'import') return room ?? null;
  return url.searchParams.get('room');
}

/**
 * Serves a call about a workshop here when this node serves it (or takes it now), else sends it
 * to the node that does, or answers 503 when it cannot be placed now (the caller tries again).
 */
function routeToOwner(
  ctx: RouterContext,
  cluster: RouterCluster,
  req: IncomingMessage,
  url: URL,
  res: ServerResponse,
  room: string,
  serve: () => void,
): void {
  cluster.ownership.route(room, isProxied(req), ctx.rooms.peek(room) !== undefined).then(
    (where) => {
      if ('serve' in where) return serve();
      if ('proxy' in where)
        return proxyRequest(cluster.proxy, req, url, res, where.proxy, (r) =>
          sendApiError(r, workshopMoving()),
        );
      sendApiError(res, workshopMoving());
    },
    () => sendApiError(res, workshopMoving()),
  );
}

/** True when the call's bearer token is valid for `room` (or is an organiser's). */
function mayAsk(ctx: RouterContext, req: IncomingMessage, room: string): boolean {
  const token = bearer(req);
  return ctx.links.verify(token, { organiser: true }).ok || ctx.links.verify(token, { room }).ok;
}

/** POST /api/node/drain with an organiser token: this node hands its rooms over. */
function drainNode(
  ctx: RouterContext,
  cluster: RouterCluster,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  if (req.method !== 'POST')
    return sendApiError(res, new ApiError(405, 'method-not-allowed', 'Use POST.', { allowed: 'POST' }));
  const verdict = ctx.links.verify(bearer(req), { organiser: true });
  if (!verdict.ok) return sendApiError(res, tokenRefusal(verdict.error));
  json(res, 202, { rooms: cluster.drain() });
}

/** The host requestUrl resolves targets against: never one a request can name. */
const OWN_HOST = 'origin.invalid';

/**
 * The URL of a request target, or null when it is not one in origin-form (`/path?query`): a
 * target that names a host (`//host/…`, `/\host/…`, `http://host/…`) or none at all (`*`) is
 * refused, as it does not parse. Request targets come from anyone: a throw in a request handler
 * would stop the whole server, and a node of a cluster must never send a request on to a host
 * that a client named (cluster/proxy.ts takes only the path and query from this URL).
 */
export function requestUrl(req: IncomingMessage): URL | null {
  const target = req.url ?? '/';
  if (!target.startsWith('/') || target.startsWith('//')) return null;
  try {
    const url = new URL(target, `http://${OWN_HOST}`);
    return url.host === OWN_HOST ? url : null;
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
  const { cluster } = ctx;
  if (path === '/healthz') {
    return json(res, 200, {
      ...(cluster
        ? {
            node: { id: cluster.ownership.node.node, url: cluster.ownership.node.url },
            owns: cluster.ownership.owns(),
          }
        : {}),
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
    const render = (nodes?: number): void => {
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
      const owned = cluster && nodes !== undefined ? { owned: cluster.ownership.owns(), nodes } : undefined;
      res.end(metrics.render({ connections: rooms.connections, rooms: rooms.size, cluster: owned }));
    };
    if (!cluster) return render();
    // Redis cannot be asked: no node is known alive, this one included.
    cluster.ownership.leases.nodes().then(
      (nodes) => render(nodes.length),
      () => render(0),
    );
    return;
  }
  if (cluster && path === '/api/node/drain') return drainNode(ctx, cluster, req, res);
  const room = cluster && req.method !== 'OPTIONS' ? workshopOf(path, url) : null;
  if (cluster && room !== null && mayAsk(ctx, req, room))
    return routeToOwner(ctx, cluster, req, url, res, room, () => serve(ctx, req, res, url));
  serve(ctx, req, res, url);
}

/** Answers a request here: the API, then the web client's files. */
function serve(ctx: RouterContext, req: IncomingMessage, res: ServerResponse, url: URL): void {
  const path = url.pathname;
  const { rooms } = ctx;
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
