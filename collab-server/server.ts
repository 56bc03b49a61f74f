/**
 * The collaboration server: HTTP (web client, room list, health) and y-websocket rooms on one
 * port. Rooms live in memory for now; persistence, tokens and limits come with the production
 * server.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import * as Y from 'yjs';
import { EXAMPLE_OUTLINES } from '../shared/examples';
import { formatParseError, importOutline, parseOutline, parseOutlineText, readMeta } from '../shared';
import { CLOSE } from './protocol';
import { Room, type Peer } from './room';
import { SECURITY_HEADERS, serveStatic } from './static-files';

/** How to start a server. */
export type ServerOptions = {
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** Folder of the built web client; omit to serve no client. */
  readonly staticDir?: string;
  /** Create the shipped example workshops as rooms at start. */
  readonly examples?: boolean;
  /** Rooms to create from outline JSON text; `source` names it in error messages. */
  readonly outlines?: readonly { readonly room: string; readonly text: string; readonly source: string }[];
};

/** A running server. */
export type RunningServer = {
  readonly url: string;
  readonly port: number;
  readonly rooms: ReadonlyMap<string, Room>;
  close(): Promise<void>;
};

/** Room names as they appear in URLs: bounded, no separators. */
const ROOM_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/** Starts a server and resolves once it listens. */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const rooms = new Map<string, Room>();
  const started = Date.now();

  const roomFor = (name: string): Room => {
    let room = rooms.get(name);
    if (!room) {
      room = new Room(name);
      rooms.set(name, room);
    }
    return room;
  };

  // Template content is written once, when its room is created: never because a synced
  // document looked empty. Every outline is checked before any room is created.
  const seeds = [
    ...(options.examples
      ? Object.entries(EXAMPLE_OUTLINES).map(([room, raw]) => ({ room, raw, source: `example ${room}` }))
      : []),
    ...(options.outlines ?? []).map(({ room, text, source }) => ({ room, raw: text, source })),
  ].map(({ room, raw, source }) => {
    if (!ROOM_NAME.test(room)) throw new Error(`${source}: "${room}" is not a valid room name`);
    const parsed = typeof raw === 'string' ? parseOutlineText(raw) : parseOutline(raw);
    if (!parsed.ok) {
      throw new Error(
        `${source} is not a valid workshop outline:\n  ${parsed.error.map(formatParseError).join('\n  ')}`,
      );
    }
    return { room, outline: parsed.value };
  });
  for (const { room, outline } of seeds) {
    const seed = new Y.Doc();
    importOutline(seed, outline);
    Y.applyUpdate(roomFor(room).doc, Y.encodeStateAsUpdate(seed));
  }

  const http = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { error: 'method not allowed' });
    if (path === '/healthz') {
      return json(res, 200, {
        status: 'ok',
        rooms: rooms.size,
        connections: [...rooms.values()].reduce((n, r) => n + r.size, 0),
        uptimeSeconds: Math.round((Date.now() - started) / 1000),
      });
    }
    if (path === '/api/rooms') {
      return json(res, 200, {
        rooms: [...rooms.values()].map((room) => {
          const meta = readMeta(room.doc);
          return { name: room.name, title: meta.title, language: meta.language };
        }),
      });
    }
    if (options.staticDir && serveStatic(options.staticDir, req, res)) return;
    json(res, 404, { error: 'not found' });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  http.on('upgrade', (req, socket, head) => {
    const name = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname.slice(1));
    if (!ROOM_NAME.test(name)) {
      socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      ws.binaryType = 'nodebuffer';
      const room = roomFor(name);
      const peer: Peer = {
        send: (data) => {
          if (ws.readyState === ws.OPEN) ws.send(data);
        },
        close: (code, reason) => ws.close(code, reason),
      };
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        if (!isBinary) return peer.close(CLOSE.malformedFrame, 'text frames are not accepted');
        room.receive(peer, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      });
      ws.on('close', () => room.leave(peer));
      ws.on('error', () => room.leave(peer));
      room.join(peer);
    });
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${shownHost}:${port}`,
    port,
    rooms,
    close: async () => {
      for (const room of rooms.values()) room.closeAll(CLOSE.shuttingDown, 'server shutting down');
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
