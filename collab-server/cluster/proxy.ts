/**
 * Sends a request on to the node that serves its room (#14), byte for byte: a WebSocket upgrade
 * (stock y-websocket clients cannot follow a redirect) or an HTTP API call. The request carries
 * `x-talkoo-via: <this node>` so that the node it reaches never sends it on again (no loops),
 * and the client's own address, signed with the cluster's key, so that the owner counts the
 * client's connections per address as if it had come directly.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  request,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type RequestOptions,
  type ServerResponse,
} from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Metrics } from '../http/metrics';
import type { Logger } from '../log';

/** Set on a request one node sends to another: never sent on again. Wire format: never rename. */
export const VIA_HEADER = 'x-talkoo-via';
/** The client's address, as the node that received it saw it. Wire format: never rename. */
export const FOR_HEADER = 'x-talkoo-for';
/** HMAC of the via node, the client's address and the request target. Wire format: never rename. */
export const PROOF_HEADER = 'x-talkoo-proof';

/** How a node sends requests on. */
export type ProxyContext = {
  /** This node's id. */
  readonly node: string;
  /** The cluster's signing key: proves the forwarded client address. */
  readonly key: Buffer;
  readonly log: Logger;
  readonly metrics: Metrics;
  /** Every socket of a proxied WebSocket, so that a closing node can end them. */
  readonly sockets: Set<Duplex>;
};

/**
 * How long the owner may take to answer (its 101, or an API answer's first bytes). A node frozen
 * (SIGSTOP, a stalled VM) still accepts connections in its kernel, and answers nothing: without
 * a bound the client would wait on it for good, rather than try again and reach the room's next
 * holder once the frozen node's lease has expired.
 */
export const OWNER_ANSWER_MS = 5_000;

/** How long an API call's owner may stay silent (an import is read and stored before it answers). */
const OWNER_REQUEST_MS = 30_000;

function proof(key: Buffer, node: string, address: string, target: string): string {
  return createHmac('sha256', key).update(`${node}\n${address}\n${target}`).digest('base64url');
}

/** True when `req` came from another node of the cluster (it is never sent on again). */
export function isProxied(req: IncomingMessage): boolean {
  return req.headers[VIA_HEADER] !== undefined;
}

/**
 * The address of the client behind `req`: the one another node of the cluster vouches for (the
 * proof is signed with the cluster's key), else the socket's peer.
 */
export function clientAddress(req: IncomingMessage, key: Buffer | null): string {
  const own = req.socket.remoteAddress ?? '';
  const { [VIA_HEADER]: via, [FOR_HEADER]: forwarded, [PROOF_HEADER]: given } = req.headers;
  if (!key || typeof via !== 'string' || typeof forwarded !== 'string' || typeof given !== 'string')
    return own;
  const expected = Buffer.from(proof(key, via, forwarded, req.url ?? ''));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual) ? forwarded : own;
}

/**
 * Headers about one connection, not the request (RFC 9110 7.6.1): never sent on, either way.
 * Headers named in a Connection header are too.
 */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** The lower-case names of the headers that do not go on: hop-by-hop ones, and those `connection` names. */
function hopByHop(connection: string | string[] | undefined): Set<string> {
  const named = [connection ?? []].flat().flatMap((value) => value.split(','));
  return new Set([...HOP_BY_HOP, ...named.map((name) => name.trim().toLowerCase()).filter(Boolean)]);
}

/**
 * The request's headers as sent on: its end-to-end ones (an upgrade keeps asking for one), and the
 * via headers, whose proof covers `path`, the request target the owner gets.
 */
function forwardHeaders(
  ctx: ProxyContext,
  req: IncomingMessage,
  path: string,
  upgrade: boolean,
): IncomingHttpHeaders {
  const address = clientAddress(req, ctx.key);
  const dropped = hopByHop(req.headers.connection);
  const headers: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(req.headers))
    if (!dropped.has(name) && name !== VIA_HEADER && name !== FOR_HEADER && name !== PROOF_HEADER)
      headers[name] = value;
  return {
    ...headers,
    // The body, when its length was not given, goes on in chunks of this connection.
    ...(req.headers['transfer-encoding'] !== undefined ? { 'transfer-encoding': 'chunked' } : {}),
    ...(upgrade ? { connection: 'Upgrade', upgrade: req.headers.upgrade } : {}),
    [VIA_HEADER]: ctx.node,
    [FOR_HEADER]: address,
    [PROOF_HEADER]: proof(ctx.key, ctx.node, address, path),
  };
}

/**
 * The request to the owner: to its address (`owner`, from its lease) and nowhere else, with the
 * path and query of `url` (the parsed request target, origin-form: http/router.ts requestUrl).
 */
function ownerRequest(
  ctx: ProxyContext,
  req: IncomingMessage,
  url: URL,
  owner: string,
  upgrade: boolean,
): RequestOptions {
  const { hostname, port } = new URL(owner);
  const path = `${url.pathname}${url.search}`;
  return { hostname, port, path, method: req.method, headers: forwardHeaders(ctx, req, path, upgrade) };
}

/** An answer's raw header lines (name, value, ...) without its hop-by-hop ones. */
function endToEnd(rawHeaders: readonly string[], connection: string | string[] | undefined): string[] {
  const dropped = hopByHop(connection);
  const kept: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2)
    if (!dropped.has(rawHeaders[i]!.toLowerCase())) kept.push(rawHeaders[i]!, rawHeaders[i + 1]!);
  return kept;
}

/** Writes a plain HTTP answer on an upgrade's raw socket and ends it. */
export function answerSocket(socket: Duplex, status: string): void {
  // The socket is no longer read once handed to 'upgrade': destroy it once written.
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
}

/**
 * Sends the upgrade `req` (its parsed target `url`) on to `target` (http://host:port, the owner's
 * address): the owner's 101 and everything after it are piped back and forth; any other answer is
 * passed back, its connection then closed; an owner that cannot be reached is a 503 (the client
 * retries). Either socket's end or error ends both.
 */
export function proxyUpgrade(
  ctx: ProxyContext,
  req: IncomingMessage,
  url: URL,
  socket: Duplex,
  head: Buffer,
  target: string,
): void {
  const { log, sockets } = ctx;
  // A closing node ends it, upgraded or still waiting for the owner.
  sockets.add(socket);
  socket.once('close', () => sockets.delete(socket));
  const upstream = request(ownerRequest(ctx, req, url, target, true));
  let done = false;
  const fail = (error: Error): void => {
    if (done) return;
    done = true;
    ctx.metrics.proxy('unreachable');
    log('warn', 'proxied upgrade failed', { target, error: error.message });
    if (!socket.destroyed) answerSocket(socket, '503 Service Unavailable');
  };
  upstream.on('error', fail);
  upstream.setTimeout(OWNER_ANSWER_MS, () =>
    upstream.destroy(new Error(`the owner did not answer within ${OWNER_ANSWER_MS} ms`)),
  );
  // The client may go while the owner is asked.
  const gone = (): void => {
    if (!done) upstream.destroy();
  };
  socket.once('close', gone);
  upstream.on('upgrade', (answer: IncomingMessage, owner: Duplex, ownerHead: Buffer) => {
    done = true;
    socket.off('close', gone);
    ctx.metrics.proxy('websocket');
    // A WebSocket may be quiet for long: its own pings say whether it lives.
    (owner as Socket).setTimeout(0);
    const lines = [`HTTP/1.1 ${answer.statusCode ?? 101} ${answer.statusMessage ?? 'Switching Protocols'}`];
    for (let i = 0; i < answer.rawHeaders.length; i += 2)
      lines.push(`${answer.rawHeaders[i]}: ${answer.rawHeaders[i + 1]}`);
    if (socket.destroyed) return void owner.destroy();
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (ownerHead.length > 0) socket.write(ownerHead);
    sockets.add(owner);
    owner.once('close', () => sockets.delete(owner));
    const end = (): void => {
      socket.destroy();
      owner.destroy();
    };
    for (const side of [socket, owner]) {
      side.on('error', end);
      side.on('close', end);
    }
    owner.pipe(socket);
    socket.pipe(owner);
  });
  upstream.on('response', (answer: IncomingMessage) => {
    // Not upgraded (a refusal before the WebSocket): the answer goes back, its end the body's.
    done = true;
    socket.off('close', gone);
    const lines = [`HTTP/1.1 ${answer.statusCode ?? 502} ${answer.statusMessage ?? ''}`];
    const kept = endToEnd(answer.rawHeaders, answer.headers.connection);
    for (let i = 0; i < kept.length; i += 2) lines.push(`${kept[i]}: ${kept[i + 1]}`);
    lines.push('Connection: close');
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    answer.on('error', () => socket.destroy());
    socket.once('finish', () => socket.destroy());
    answer.pipe(socket);
  });
  if (head.length > 0) upstream.write(head);
  upstream.end();
}

/**
 * Sends the HTTP request `req` (its parsed target `url`) on to `target` (the owner's address) and
 * its answer back, both streamed, without either connection's hop-by-hop headers; an owner that
 * cannot be reached is a 503 (`unreachable` answers it).
 */
export function proxyRequest(
  ctx: ProxyContext,
  req: IncomingMessage,
  url: URL,
  res: ServerResponse,
  target: string,
  unreachable: (res: ServerResponse) => void,
): void {
  const upstream = request(ownerRequest(ctx, req, url, target, false), (answer) => {
    ctx.metrics.proxy('http');
    res.writeHead(
      answer.statusCode ?? 502,
      answer.statusMessage,
      endToEnd(answer.rawHeaders, answer.headers.connection),
    );
    answer.on('error', () => res.destroy());
    answer.pipe(res);
  });
  upstream.setTimeout(OWNER_REQUEST_MS, () =>
    upstream.destroy(new Error(`the owner did not answer within ${OWNER_REQUEST_MS} ms`)),
  );
  upstream.on('error', (error) => {
    ctx.log('warn', 'proxied request failed', { target, error: error.message });
    if (res.headersSent) return void res.destroy();
    ctx.metrics.proxy('unreachable');
    unreachable(res);
  });
  req.on('error', () => upstream.destroy());
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.pipe(upstream);
}
