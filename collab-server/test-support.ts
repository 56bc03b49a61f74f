/**
 * Helpers for the server's integration tests: a real server on 127.0.0.1 port 0 with LevelDB in
 * a temporary folder, and real y-websocket clients with signed tokens. Used by tests only.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import type * as decoding from 'lib0/decoding';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { createWorkshop, readWorkshop } from '../shared';
import { startServer, type RunningServer, type ServerOptions } from './server';
import { signToken, type TokenRole } from './auth/tokens';
import { encodeStoredRequest, isUpdateFrame, readStoredAck, STORED_MESSAGE } from '../shared/stored-message';

/**
 * Builds the server's command line (cli.ts) into a new folder under the repository's
 * node_modules/.cache, where its external packages resolve; `dir` is for removeDir afterwards.
 */
export async function buildServerCli(
  prefix: string,
): Promise<{ readonly cli: string; readonly dir: string }> {
  const cache = join(import.meta.dirname, '..', 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, prefix));
  const cli = join(dir, 'cli.mjs');
  await build({
    entryPoints: [join(import.meta.dirname, 'cli.ts')],
    outfile: cli,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  return { cli, dir };
}

/** An API reply: its status and JSON body. */
export type ApiReply = { status: number; body: Record<string, unknown> };

/** One call of the server's HTTP API with a bearer token; `body` is sent as JSON unless it is text. */
export async function apiCall(
  server: Pick<RunningServer, 'url'>,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  token: string | null,
  body?: unknown,
): Promise<ApiReply> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/**
 * POSTs a workshop state (a file's Yjs update) to the import API with a bearer token: as a new
 * room, or under the `room` name it asks for (a file's own identity).
 */
export async function importWorkshop(
  server: Pick<RunningServer, 'url'>,
  token: string | null,
  state: Uint8Array,
  room?: string,
): Promise<ApiReply> {
  const asked = room === undefined ? '' : `?room=${encodeURIComponent(room)}`;
  const res = await fetch(`${server.url}/api/workshops/import${asked}`, {
    method: 'POST',
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      'Content-Type': 'application/octet-stream',
    },
    body: new Uint8Array(state),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** A fresh temporary data directory; removed by `removeDir`. */
export function tempDir(prefix = 'talkoo-server-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Starts a server on a free port with its data in `dataDir`; without one, in a new temp dir that
 * is removed when the server closes.
 */
export async function startTestServer(options: Partial<ServerOptions> = {}): Promise<RunningServer> {
  const own = options.dataDir === undefined ? tempDir() : null;
  const server = await startServer({
    port: 0,
    dataDir: own ?? options.dataDir ?? '',
    unloadGraceMs: 200,
    ...options,
  });
  if (!own) return server;
  return {
    ...server,
    close: async () => {
      await server.close();
      removeDir(own);
    },
  };
}

/** Where a server listens and the key that signs its tokens (in this process or another). */
export type ServerAddress = Pick<RunningServer, 'url' | 'signingKey'>;

/**
 * A signed token for `room` with `role`, valid for an hour unless `ttlSeconds` says otherwise.
 * Facilitator by default: tests of transport and storage write any root, which only a
 * facilitator may (shared/policy); tests of the policy name the role they test.
 */
export function tokenFor(
  server: ServerAddress,
  room: string,
  role: Exclude<TokenRole, 'organiser'> = 'facilitator',
  ttlSeconds = 3600,
): string {
  return signToken(server.signingKey, { room, role, name: role, ttlSeconds });
}

/** A stock y-websocket client of `room`. */
export type TestClient = { readonly doc: Y.Doc; readonly provider: WebsocketProvider };

/** Connects a stock y-websocket client with `token` (or none). */
export function connectClient(
  server: Pick<ServerAddress, 'url'>,
  room: string,
  token: string | null,
): TestClient {
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

/** Resolves once every document has the same state vector (checked after each update of any). */
export function agree(docs: readonly Y.Doc[]): Promise<void> {
  const same = (): boolean => {
    const [first, ...rest] = docs.map((d) => Y.encodeStateVector(d).join());
    return rest.every((v) => v === first);
  };
  return new Promise((resolve) => {
    if (same()) return resolve();
    const check = (): void => {
      if (!same()) return;
      docs.forEach((d) => d.off('update', check));
      resolve();
    };
    docs.forEach((d) => d.on('update', check));
  });
}

/** Waits until the server's copy of `room` holds a note reading `text`, seen by a viewer of its own. */
export async function serverHasNote(server: ServerAddress, room: string, text: string): Promise<void> {
  const viewer = connectClient(server, room, tokenFor(server, room, 'viewer'));
  try {
    await until(viewer.doc, () => readWorkshop(viewer.doc).notes.some((note) => note.text === text));
  } finally {
    viewer.provider.destroy();
  }
}

/** A raw WebSocket to a room, with `token` in the query when given. */
function socketTo(server: Pick<ServerAddress, 'url'>, room: string, token: string | null): WebSocket {
  const query = token ? `?token=${encodeURIComponent(token)}` : '';
  return new WebSocket(`${server.url.replace(/^http/, 'ws')}/${room}${query}`);
}

/** Opens a raw WebSocket to a room and resolves when it is open (or closed first). */
export function rawSocket(
  server: Pick<ServerAddress, 'url'>,
  room: string,
  token: string | null,
): Promise<WebSocket> {
  const ws = socketTo(server, room, token);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/**
 * Opens a raw WebSocket to a room and resolves once the room has admitted it (its first frame, the
 * server's sync step 1, arrived). The listener is there from the start: that frame can arrive
 * together with the upgrade response, before code awaiting 'open' runs.
 */
export function joinedSocket(
  server: Pick<ServerAddress, 'url'>,
  room: string,
  token: string | null,
): Promise<WebSocket> {
  const ws = socketTo(server, room, token);
  return new Promise((resolve, reject) => {
    ws.once('message', () => resolve(ws));
    ws.once('error', reject);
    ws.once('close', (code: number) => reject(new Error(`closed with ${code} before joining`)));
  });
}

/**
 * Resolves with the close code of a raw socket and the frames it received from this call on (use
 * `rawRefusal` to count frames from the very start).
 */
export function closeOf(ws: WebSocket): Promise<{ code: number; framesBefore: number }> {
  let frames = 0;
  ws.on('message', () => frames++);
  return new Promise((resolve) =>
    ws.once('close', (code: number) => resolve({ code, framesBefore: frames })),
  );
}

/** Resolves with the close code and reason once the client's provider gives up (a permanent close). */
export function refused(client: TestClient): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => client.provider.once('closed', (event) => resolve(event)));
}

/**
 * Resolves once `to` sees an awareness mark that `from` sets now. Frames of one connection are
 * handled in order, so by then the server has handled everything `from` sent before it.
 */
export function passedThrough(from: TestClient, to: TestClient): Promise<void> {
  const mark = Math.random();
  const id = from.doc.clientID;
  const seen = (): boolean => to.provider.awareness.getStates().get(id)?.mark === mark;
  return new Promise((resolve) => {
    const check = (): void => {
      if (!seen()) return;
      to.provider.awareness.off('change', check);
      resolve();
    };
    to.provider.awareness.on('change', check);
    from.provider.awareness.setLocalStateField('mark', mark);
  });
}

/**
 * Polls `check` every 10 ms until it holds, for state the server reports by no event (rooms in
 * memory, counters). Fails after `timeoutMs` naming `what`.
 */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The number of durable writes (talkoo_flush_seconds_count) in a /metrics text. */
export function flushCountIn(metricsText: string): number {
  return Number(/^talkoo_flush_seconds_count (\d+)$/m.exec(metricsText)?.[1] ?? NaN);
}

/**
 * Opens a raw WebSocket to a room and resolves with how the server closed it, counting every
 * frame received from the very start (a refused socket must receive none).
 */
export function rawRefusal(
  server: Pick<ServerAddress, 'url'>,
  room: string,
  token: string | null,
): Promise<{ code: number; reason: string; framesBefore: number }> {
  const query = token === null ? '' : `?token=${encodeURIComponent(token)}`;
  const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/${room}${query}`);
  let frames = 0;
  ws.on('message', () => frames++);
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.once('close', (code: number, reason: Buffer) =>
      resolve({ code, reason: reason.toString(), framesBefore: frames }),
    );
  });
}

/**
 * What one test started: temp dirs, servers and clients, all undone by `cleanUp` (call it in
 * afterEach). Clients go first so that none of them reconnects to a server being stopped.
 */
export class TestBed {
  private readonly dirs: string[] = [];
  private readonly servers = new Set<RunningServer>();
  private readonly clients: TestClient[] = [];

  /** A new temporary directory, removed at clean-up. */
  dir(): string {
    const dir = tempDir();
    this.dirs.push(dir);
    return dir;
  }

  /** Starts a test server (in a new temp dir unless `dataDir` is given). */
  async start(options: Partial<ServerOptions> = {}): Promise<RunningServer> {
    const server = await startTestServer({ ...options, dataDir: options.dataDir ?? this.dir() });
    this.servers.add(server);
    return server;
  }

  /** Stops a server now (a graceful close: it stores everything first). */
  async stop(server: RunningServer): Promise<void> {
    this.servers.delete(server);
    await server.close();
  }

  /** A stock client with a token of `role` (facilitator by default; or the given token text; null for none). */
  connect(
    server: ServerAddress,
    room: string,
    as: Exclude<TokenRole, 'organiser'> | { token: string | null } = 'facilitator',
  ): TestClient {
    const token = typeof as === 'string' ? tokenFor(server, room, as) : as.token;
    const client = connectClient(server, room, token);
    this.clients.push(client);
    return client;
  }

  async cleanUp(): Promise<void> {
    for (const client of this.clients.splice(0)) client.provider.destroy();
    const servers = [...this.servers];
    this.servers.clear();
    await Promise.all(servers.map((server) => server.close()));
    for (const dir of this.dirs.splice(0)) removeDir(dir);
  }
}

/**
 * Sends one raw HTTP/1.1 request with `target` exactly as given (clients would normalise odd
 * targets) and resolves with the response's status code; `upgrade` asks for a WebSocket.
 */
/** A raw HTTP/1.1 request asking `hostname` for a WebSocket at `target`, exactly as given. */
export function upgradeRequest(hostname: string, target: string): string {
  return (
    `GET ${target} HTTP/1.1\r\nHost: ${hostname}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n'
  );
}

export function rawHttpStatus(
  server: Pick<ServerAddress, 'url'>,
  target: string,
  upgrade = false,
): Promise<number> {
  const { hostname, port } = new URL(server.url);
  const request = upgrade
    ? upgradeRequest(hostname, target)
    : `GET ${target} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n\r\n`;
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(request));
    let response = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      response += chunk;
      const status = /^HTTP\/1\.1 (\d{3}) /.exec(response);
      if (!status?.[1]) return;
      socket.destroy();
      resolve(Number(status[1]));
    });
    socket.once('error', reject);
    socket.once('close', () =>
      reject(new Error(`no HTTP status for ${target}: ${JSON.stringify(response)}`)),
    );
  });
}

/** Writes a new workshop (meta and the three boards) into `doc`. */
export function startWorkshop(doc: Y.Doc, title = 'Workshop'): void {
  createWorkshop(doc, {
    title,
    language: 'en',
    boardTitles: { needs: 'Needs', themes: 'Themes', actions: 'Actions' },
  });
}

/** The texts of a document's notes, sorted. */
export function noteTexts(doc: Y.Doc): string[] {
  return readWorkshop(doc)
    .notes.map((n) => n.text)
    .sort();
}

/** What a client hears of stored acknowledgements (shared/stored-message.ts), next to what it sent. */
export type StoredAcks = { sent: number; readonly acks: number[] };

/**
 * Makes a stock client count the update frames it sends and hear stored acknowledgements; when
 * `ask` it sends the request right after each socket opens, as the protocol says.
 */
export function hearStoredAcks(client: TestClient, ask: boolean): StoredAcks {
  const state: StoredAcks = { sent: 0, acks: [] };
  client.provider.messageHandlers[STORED_MESSAGE] = (_encoder, decoder: decoding.Decoder) => {
    state.acks.push(readStoredAck(decoder));
  };
  client.provider.on('status', ({ status }: { status: string }) => {
    const ws = client.provider.ws;
    if (status !== 'connected' || !ws) return;
    // Counts start again on each connection.
    state.sent = 0;
    state.acks.length = 0;
    const send = ws.send.bind(ws);
    ws.send = (data) => {
      if (isUpdateFrame(new Uint8Array(data as ArrayBuffer))) state.sent++;
      send(data);
    };
    if (ask) send(encodeStoredRequest());
  });
  return state;
}

/** The last count a client was told is stored (0 before any). */
export function lastStoredAck(state: StoredAcks): number {
  return state.acks.at(-1) ?? 0;
}

/** A small filesystem a test can fill up and free again. */
export type SmallDisk = {
  /** Where it is mounted, as this process reaches it. */
  readonly root: string;
  /** Writes a ballast file until the filesystem refuses even small writes (ENOSPC). */
  fill(): Promise<void>;
  /** Removes the ballast. */
  free(): Promise<void>;
  /** Ends the namespace; the filesystem and everything on it go. */
  unmount(): void;
};

/** Appends `size`-byte chunks to `file` until the filesystem is full. */
async function appendUntilFull(file: string, size: number): Promise<void> {
  const handle = await open(file, 'a');
  try {
    for (;;) await handle.write(Buffer.alloc(size, 1));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    await handle.close();
  }
}

/**
 * A tmpfs of `mebibytes` MiB mounted over `mountPoint` in a new user and mount namespace
 * (`unshare`, no privileges needed where user namespaces are allowed), reached from this process
 * through /proc/<pid>/root; null where the system does not allow it.
 */
export async function smallTmpfs(mountPoint: string, mebibytes = 4): Promise<SmallDisk | null> {
  const holder = spawn(
    'unshare',
    [
      '--user',
      '--map-root-user',
      '--mount',
      'sh',
      '-c',
      `mount -t tmpfs -o size=${mebibytes}m tmpfs "$0" && echo mounted && exec sleep 100000`,
      mountPoint,
    ],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const mounted = await new Promise<boolean>((resolve) => {
    holder.on('error', () => resolve(false));
    holder.stdout?.on('data', (chunk: Buffer) => resolve(chunk.toString().includes('mounted')));
    holder.once('exit', () => resolve(false));
  });
  if (!mounted) {
    holder.kill('SIGKILL');
    return null;
  }
  // unshare and sh exec, so this is the namespace's process and its root shows the mount.
  const root = join(`/proc/${holder.pid}/root`, mountPoint);
  const ballast = join(root, 'ballast');
  return {
    root,
    async fill() {
      await appendUntilFull(ballast, 64 * 1024);
      // What is left is less than a chunk: fill that too.
      await appendUntilFull(ballast, 512);
    },
    free: () => rm(ballast),
    unmount: () => void holder.kill('SIGKILL'),
  };
}
