/**
 * Helpers for the server's integration tests: a real server on 127.0.0.1 port 0 with LevelDB in
 * a temporary folder, and real y-websocket clients with signed tokens. Used by tests only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { startServer, type RunningServer, type ServerOptions } from './server';
import { signToken, type TokenRole } from './tokens';

/** A fresh temporary data directory; removed by `removeDir`. */
export function tempDir(prefix = 'talkoo-server-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Starts a server on a free port with its data in `dataDir` (a new temp dir by default). */
export function startTestServer(options: Partial<ServerOptions> = {}): Promise<RunningServer> {
  return startServer({ port: 0, dataDir: options.dataDir ?? tempDir(), unloadGraceMs: 200, ...options });
}

/** A signed token for `room` with `role`, valid for an hour unless `ttlSeconds` says otherwise. */
export function tokenFor(
  server: RunningServer,
  room: string,
  role: Exclude<TokenRole, 'organiser'> = 'participant',
  ttlSeconds = 3600,
): string {
  return signToken(server.signingKey, { room, role, name: role, ttlSeconds });
}

/** A stock y-websocket client of `room`. */
export type TestClient = { readonly doc: Y.Doc; readonly provider: WebsocketProvider };

/** Connects a stock y-websocket client with `token` (or none). */
export function connectClient(server: RunningServer, room: string, token: string | null): TestClient {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(server.url.replace(/^http/, 'ws'), room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: token ? { token } : {},
    disableBc: true,
  });
  return { doc, provider };
}

/** Resolves once the client finished its first sync. */
export function synced(client: TestClient): Promise<void> {
  if (client.provider.synced) return Promise.resolve();
  return new Promise((resolve) => client.provider.once('sync', () => resolve()));
}

/** Resolves once `predicate` holds, checking after every document update. */
export function until(doc: Y.Doc, predicate: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (predicate()) return resolve();
    const check = (): void => {
      if (!predicate()) return;
      doc.off('update', check);
      resolve();
    };
    doc.on('update', check);
  });
}

/** Opens a raw WebSocket to a room and resolves when it is open (or closed first). */
export function rawSocket(server: RunningServer, room: string, token: string | null): Promise<WebSocket> {
  const query = token ? `?token=${encodeURIComponent(token)}` : '';
  const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/${room}${query}`);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Resolves with the close code (and the frames received before it) of a raw socket. */
export function closeOf(ws: WebSocket): Promise<{ code: number; framesBefore: number }> {
  let frames = 0;
  ws.on('message', () => frames++);
  return new Promise((resolve) =>
    ws.once('close', (code: number) => resolve({ code, framesBefore: frames })),
  );
}
