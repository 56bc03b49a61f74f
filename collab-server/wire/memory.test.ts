/**
 * What the server keeps of a connection once it has joined its room (#10, the idle-room bench:
 * heap per room rose from 52 to 62 KiB). A socket's HTTP upgrade request (its headers, its URL and
 * everything parsed from them) is needed only until the WebSocket handshake is done.
 */
import { IncomingMessage } from 'node:http';
import { queryObjects } from 'node:v8';
import type { WebSocket } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { signToken } from '../auth/tokens';
import { closeOf, joinedSocket, startTestServer } from '../test-support';
import type { RunningServer } from '../server';

const CLIENTS = 20;

describe('what a connection keeps', () => {
  let server: RunningServer | null = null;
  let sockets: WebSocket[] = [];

  afterEach(async () => {
    await Promise.all(sockets.map((ws) => (ws.close(), closeOf(ws))));
    sockets = [];
    await server?.close();
    server = null;
  });

  it('keeps no upgrade request of a client that has joined its room', async () => {
    server = await startTestServer();
    const token = signToken(server.signingKey, { room: 'kept-room', role: 'participant', ttlSeconds: 600 });
    // queryObjects counts what is alive after a full garbage collection.
    const before = queryObjects(IncomingMessage, { format: 'count' });
    for (let i = 0; i < CLIENTS; i++) sockets.push(await joinedSocket(server, 'kept-room', token));
    const during = queryObjects(IncomingMessage, { format: 'count' });
    // The clients' own handshake responses are not kept either; a few strays may be.
    expect(during - before).toBeLessThan(CLIENTS / 2);
  });
});
