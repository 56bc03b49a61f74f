/**
 * What a node sends on to another (#14), with real Redis, PostgreSQL and nodes in this process:
 * only ever to the room's holder, at the holder's own address, whatever host the request target
 * names (a participant must not make a node call an internal service and read its answer), and
 * without the hop-by-hop headers of the connection it came on.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer, IncomingMessage, type IncomingHttpHeaders, type Server } from 'node:http';
import { connect as connectTcp, Socket, type AddressInfo } from 'node:net';
import type { RunningServer } from '../server';
import { synced, tokenFor } from '../test-support';
import { inProcessCluster } from '../test-support/in-process-cluster';
import { loadKeyFile } from '../auth/signing-key';
import { openLeases } from './leases';
import { clientAddress } from './proxy';
import type { Leases } from './contracts';

const cluster = inProcessCluster('proxy');
const { startNode, connect, newRoom } = cluster;
const servers: Server[] = [];
const leases: Leases[] = [];

beforeAll(() => cluster.start(), 60_000);

afterAll(() => cluster.stop());

afterEach(async () => {
  await cluster.closeNodes();
  await Promise.all(leases.splice(0).map((lease) => lease.close()));
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

type Seen = { method?: string; url?: string; headers: IncomingHttpHeaders; body: string };

/**
 * A plain HTTP server that records every request (and upgrade) it gets and answers each with
 * `answer`: an internal service, or a stand-in holder of a room.
 */
async function recorder(
  answer = 'HTTP/1.1 200 OK\r\nContent-Length: 15\r\nConnection: close\r\n\r\nINTERNAL SECRET',
): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      res.socket?.end(answer);
    });
  });
  server.on('upgrade', (req, socket) => {
    seen.push({ method: req.method, url: req.url, headers: req.headers, body: '' });
    socket.end(answer);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

/** Writes `request` to `node` as it is and resolves with everything it answers until it closes. */
function rawExchange(node: RunningServer, request: string): Promise<string> {
  const { hostname, port } = new URL(node.url);
  return new Promise((resolve, reject) => {
    const socket = connectTcp(Number(port), hostname, () => socket.write(request));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.once('error', reject);
    socket.once('close', () => resolve(answer));
  });
}

function statusOf(answer: string): number {
  return Number(/^HTTP\/1\.1 (\d{3}) /.exec(answer)?.[1] ?? 0);
}

function upgrade(target: string): string {
  return (
    `GET ${target} HTTP/1.1\r\nHost: talkoo\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n'
  );
}

describe('a node sends a request on only to the holder of its room', () => {
  it('refuses (400) a request target that names a host, as an upgrade or an API call, sending nothing anywhere', async () => {
    const [one, two] = [await startNode(), await startNode()];
    const internal = await recorder();
    const host = new URL(internal.url).host;
    const room = newRoom();
    const first = connect(one, room);
    await synced(first);
    const token = tokenFor(two, room, 'participant');
    const call = (method: string, target: string): string =>
      `${method} ${target} HTTP/1.1\r\nHost: talkoo\r\nAuthorization: Bearer ${token}\r\n` +
      'Content-Length: 0\r\nConnection: close\r\n\r\n';
    const attempts: [string, string][] = [
      ['protocol-relative upgrade', upgrade(`//${host}/${room}?token=${token}`)],
      ['absolute upgrade', upgrade(`http://${host}/${room}?token=${token}`)],
      ['backslash upgrade', upgrade(`/\\${host}/${room}?token=${token}`)],
      ['protocol-relative call', call('DELETE', `//${host}/api/workshops/${room}/anything?x=1`)],
      ['absolute call', call('DELETE', `http://${host}/api/workshops/${room}/anything?x=1`)],
      ['absolute read', call('GET', `http://${host}/api/workshops/${room}/versions`)],
    ];
    for (const [what, request] of attempts) {
      const answer = await rawExchange(two, request);
      expect({ what, status: statusOf(answer), secret: answer.includes('INTERNAL SECRET') }).toEqual({
        what,
        status: 400,
        secret: false,
      });
    }
    expect(internal.seen).toEqual([]);
    // The room is still reached through node two the usual way.
    const second = connect(two, room, token);
    await synced(second);
    expect(two.rooms.peek(room)).toBeUndefined();
  });

  it('sends an API call on without the hop-by-hop headers of either connection, vouching for its client', async () => {
    const node = await startNode();
    const room = newRoom();
    // A stand-in holder of the room: it answers with hop-by-hop headers of its own.
    const holder = await recorder(
      'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n' +
        'Connection: close, x-hop-back\r\nX-Hop-Back: 1\r\nKeep-Alive: timeout=9\r\n' +
        'Proxy-Authenticate: Basic\r\nUpgrade: h2c\r\nX-End-To-End: back\r\n\r\n{}',
    );
    const lease = await openLeases({
      redisUrl: cluster.redis.url,
      node: 'stand-in',
      url: holder.url,
      onLost: () => {},
    });
    leases.push(lease);
    expect('taken' in (await lease.claim(room, 0))).toBe(true);

    const answer = await rawExchange(
      node,
      `POST /api/workshops/${room}/./versions?label=x HTTP/1.1\r\nHost: talkoo\r\n` +
        `Authorization: Bearer ${node.organiserToken()}\r\nContent-Type: application/json\r\n` +
        'Connection: close, x-hop\r\nX-Hop: 1\r\nKeep-Alive: timeout=5\r\n' +
        'Proxy-Authorization: Basic c2VjcmV0\r\nProxy-Connection: keep-alive\r\nTE: trailers\r\n' +
        'Trailer: x-checksum\r\nUpgrade: h2c\r\nX-End-To-End: there\r\nTransfer-Encoding: chunked\r\n\r\n' +
        '5\r\nhello\r\n0\r\n\r\n',
    );

    expect(holder.seen).toHaveLength(1);
    const [seen] = holder.seen;
    expect(seen).toMatchObject({
      method: 'POST',
      url: `/api/workshops/${room}/versions?label=x`,
      body: 'hello',
    });
    const hopByHop = [
      'x-hop',
      'keep-alive',
      'proxy-authorization',
      'proxy-connection',
      'te',
      'trailer',
      'upgrade',
    ];
    expect(hopByHop.filter((name) => seen!.headers[name] !== undefined)).toEqual([]);
    expect(String(seen!.headers.connection ?? '')).not.toContain('x-hop');
    expect(seen!.headers['x-end-to-end']).toBe('there');
    expect(seen!.headers.authorization).toBe(`Bearer ${node.organiserToken()}`);
    // The holder trusts the client's address the node vouches for: the proof covers the target it got.
    const key = await loadKeyFile(cluster.keyFile);
    const asReceived = new IncomingMessage(new Socket());
    asReceived.headers = seen!.headers;
    asReceived.url = seen!.url ?? '';
    expect(clientAddress(asReceived, key)).toBe('127.0.0.1');

    expect(statusOf(answer)).toBe(200);
    const [head = '', body] = answer.split('\r\n\r\n');
    const names = head
      .split('\r\n')
      .slice(1)
      .map((line) => line.slice(0, line.indexOf(':')).toLowerCase());
    expect(
      names.filter((name) => ['x-hop-back', 'keep-alive', 'proxy-authenticate', 'upgrade'].includes(name)),
    ).toEqual([]);
    expect(names).toContain('x-end-to-end');
    expect(body).toBe('{}');
  });
});
