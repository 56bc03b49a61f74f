/**
 * A cluster of collab-server nodes for integration tests (#14): real Redis and PostgreSQL
 * (services.ts), one shared key file in a temporary folder, and each node a separate process of the
 * built command line (`talkoo-server serve --port 0 --data-dir DIR --key-file PATH --redis URL
 * --postgres URL --node-id nodeN`), so that a test can kill one with SIGKILL, stop it with SIGTERM,
 * freeze it with SIGSTOP and start it again on the same port. A node asked for it reaches Redis
 * through a FaultProxy (fault-proxy.ts), which the test pauses to cut the node off.
 *
 * Clients reach the nodes directly, or through a {@link Front}: a loopback forwarder that sends
 * each new connection to the first node of its list that accepts it, as a load balancer or a
 * second DNS address would, so a client whose node died lands on another one when it reconnects.
 *
 * Also here: what tests check across processes. A {@link StoredLedger} keeps, per client, each
 * update it sent that the server acknowledged as stored (shared/stored-message.ts), and
 * {@link missingUpdates} tells which of those a document lacks (a fresh client's, or the room's
 * rows in PostgreSQL). Used by tests only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as decoding from 'lib0/decoding';
import pg from 'pg';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { TokenRole } from '../auth/tokens';
import {
  encodeStoredRequest,
  isUpdateFrame,
  readStoredAck,
  STORED_MESSAGE,
} from '../../shared/stored-message';
import { SESSION_MESSAGE } from '../../shared/session-message';
import { tokenFor, waitFor, type ServerAddress } from '../test-support';
import { FaultProxy } from './fault-proxy';
import { startPostgres, startRedis, type TestService } from './services';

/** How a test's cluster starts. */
export type ClusterOptions = {
  /** The built command line (buildServerCli() in test-support.ts). */
  readonly cli: string;
  /** How many nodes (3 by default). */
  readonly nodes?: number;
  /** Indexes of the nodes that reach Redis through a FaultProxy of their own. */
  readonly redisProxied?: readonly number[];
  /** More arguments for every node's `serve`. */
  readonly args?: readonly string[];
};

/** One node: its process (while it runs), its folder, and where it listens. */
export class NodeProcess {
  child: ChildProcess | null = null;
  /** http://127.0.0.1:PORT once it listened; the same after a restart (same port). */
  url = '';
  /** Everything it printed, stdout and stderr, across its starts (for a failing test's report). */
  readonly output: string[] = [];
  /** Exit codes and signals of its ended processes, in order. */
  readonly exits: { code: number | null; signal: NodeJS.Signals | null }[] = [];

  constructor(
    readonly index: number,
    readonly id: string,
    readonly dataDir: string,
    /** The FaultProxy between this node and Redis, when it was asked for. */
    readonly redisProxy: FaultProxy | null,
  ) {}

  get port(): number {
    return this.url ? Number(new URL(this.url).port) : 0;
  }

  /** True while its process runs (a SIGSTOPped one included). */
  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }
}

/** Resolves once `child` has exited. */
function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Three (or more) nodes on one Redis and one PostgreSQL, each a process of its own. */
export class Cluster {
  readonly nodes: NodeProcess[];
  private pool: pg.Pool | null = null;
  private signingKey: Buffer | null = null;

  private constructor(
    private readonly options: ClusterOptions,
    readonly redis: TestService,
    readonly postgres: TestService,
    /** The temporary folder of the key file and of every node's data folder. */
    readonly dir: string,
    nodes: NodeProcess[],
  ) {
    this.nodes = nodes;
  }

  /** Starts Redis, PostgreSQL and the nodes (all at once, as a deployment would). */
  static async start(options: ClusterOptions): Promise<Cluster> {
    const [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
    const dir = mkdtempSync(join(tmpdir(), 'talkoo-cluster-'));
    const proxied = new Set(options.redisProxied ?? []);
    const nodes: NodeProcess[] = [];
    for (let i = 0; i < (options.nodes ?? 3); i++) {
      const proxy = proxied.has(i) ? await FaultProxy.start(redis.port) : null;
      const dataDir = join(dir, `node${i + 1}`);
      nodes.push(new NodeProcess(i, `node${i + 1}`, dataDir, proxy));
    }
    const cluster = new Cluster(options, redis, postgres, dir, nodes);
    try {
      await Promise.all(nodes.map((node) => cluster.startNode(node.index)));
    } catch (error) {
      await cluster.close();
      throw error;
    }
    return cluster;
  }

  /** The key file every node shares (the first node to start creates it). */
  get keyFile(): string {
    return join(this.dir, 'signing-key');
  }

  /** The shared signing key, read from the key file (64 hex characters). */
  get key(): Buffer {
    if (!this.signingKey) {
      const text = readFileSync(this.keyFile, 'utf8').trim();
      if (!/^[0-9a-f]{64}$/i.test(text))
        throw new Error(`the key file holds no key: ${JSON.stringify(text)}`);
      this.signingKey = Buffer.from(text, 'hex');
    }
    return this.signingKey;
  }

  /** Node `i` as test-support's helpers take a server: its url and the shared key. */
  address(i: number): ServerAddress {
    return { url: this.node(i).url, signingKey: this.key };
  }

  /** A token for `room`, signed with the key file's key (valid on every node). */
  token(room: string, role: Exclude<TokenRole, 'organiser'> = 'facilitator'): string {
    return tokenFor({ url: '', signingKey: this.key }, room, role);
  }

  node(i: number): NodeProcess {
    const node = this.nodes[i];
    if (!node) throw new Error(`there is no node ${i}`);
    return node;
  }

  /**
   * Starts node `i` (again): on port 0 the first time, on the port it had since. Resolves with
   * its url once it logged that it listens; rejects with its output when it exits first.
   */
  async startNode(i: number): Promise<string> {
    const node = this.node(i);
    if (node.running) throw new Error(`${node.id} runs already`);
    const redisUrl = node.redisProxy ? `redis://127.0.0.1:${node.redisProxy.port}` : this.redis.url;
    const args = [
      this.options.cli,
      'serve',
      '--host',
      '127.0.0.1',
      '--port',
      String(node.port),
      '--data-dir',
      node.dataDir,
      '--key-file',
      this.keyFile,
      '--redis',
      redisUrl,
      '--postgres',
      this.postgres.url,
      '--node-id',
      node.id,
      ...(this.options.args ?? []),
    ];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    node.child = child;
    child.once('exit', (code, signal) => node.exits.push({ code, signal }));
    const started = node.output.length;
    let pending = '';
    let url = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        node.output.push(line);
        if (!url) url = listeningUrl(line);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => node.output.push(...chunk.toString().trimEnd().split('\n')));
    const ended = exited(child).then(() => {
      throw new Error(
        `${node.id} exited (${child.signalCode ?? child.exitCode}) before it listened:\n` +
          node.output.slice(started).join('\n'),
      );
    });
    await Promise.race([waitFor(`${node.id} to listen`, () => url !== '', 30_000), ended]);
    ended.catch(() => undefined);
    node.url = url;
    return url;
  }

  /** kill -9: the node dies at once, storing nothing more and releasing nothing. */
  async kill(i: number): Promise<void> {
    const child = this.node(i).child;
    if (!child) return;
    child.kill('SIGKILL');
    await exited(child);
  }

  /** SIGTERM: the node drains and exits; resolves with its exit code. */
  async terminate(i: number): Promise<number | null> {
    const node = this.node(i);
    const child = node.child;
    if (!child) return null;
    child.kill('SIGTERM');
    await exited(child);
    return child.exitCode;
  }

  /** SIGSTOP: the node freezes (it cannot notice anything) until {@link thaw}. */
  freeze(i: number): void {
    this.node(i).child?.kill('SIGSTOP');
  }

  /** SIGCONT: a frozen node goes on where it stopped. */
  thaw(i: number): void {
    this.node(i).child?.kill('SIGCONT');
  }

  /**
   * The indexes of the running nodes whose /healthz lists `room` as held there. A node that does
   * not answer within a second (frozen, stopping) counts as holding nothing.
   */
  async owners(room: string): Promise<number[]> {
    const found = await Promise.all(
      this.nodes.map(async (node) => {
        if (!node.running) return false;
        try {
          const res = await fetch(`${node.url}/healthz`, { signal: AbortSignal.timeout(1000) });
          const body = (await res.json()) as { owns?: unknown };
          return Array.isArray(body.owns) && body.owns.includes(room);
        } catch {
          return false;
        }
      }),
    );
    return this.nodes.filter((_node, i) => found[i]).map((node) => node.index);
  }

  /** The one node that holds `room` (waits until exactly one says so). */
  async ownerOf(room: string, timeoutMs = 30_000): Promise<number> {
    let owners: number[] = [];
    await waitFor(
      `one node to hold ${room}`,
      async () => (owners = await this.owners(room)).length === 1,
      timeoutMs,
    );
    return owners[0]!;
  }

  /** A query on the shared PostgreSQL. */
  async sql<Row extends pg.QueryResultRow>(text: string, params: readonly unknown[] = []): Promise<Row[]> {
    this.pool ??= new pg.Pool({ connectionString: this.postgres.url, max: 2 });
    return (await this.pool.query<Row>(text, [...params])).rows;
  }

  /** The room's update rows in PostgreSQL, in the order they were written. */
  async updateRows(room: string): Promise<{ seq: number; fence: number; data: Uint8Array }[]> {
    const rows = await this.sql<{ seq: string; fence: string; data: Buffer }>(
      'SELECT seq, fence, data FROM talkoo_updates WHERE room = $1 ORDER BY seq',
      [room],
    );
    return rows.map((row) => ({ seq: Number(row.seq), fence: Number(row.fence), data: row.data }));
  }

  /** The room as PostgreSQL holds it: every update row applied to one document. */
  async storedDoc(room: string): Promise<Y.Doc> {
    const doc = new Y.Doc();
    const rows = await this.updateRows(room);
    if (rows.length > 0) Y.applyUpdate(doc, Y.mergeUpdates(rows.map((row) => row.data)));
    return doc;
  }

  /** The highest fencing token PostgreSQL recorded for `room` (0 when none). */
  async fenceOf(room: string): Promise<number> {
    const rows = await this.sql<{ fence: string }>('SELECT fence FROM talkoo_fences WHERE room = $1', [room]);
    return Number(rows[0]?.fence ?? 0);
  }

  /**
   * Transactions PostgreSQL rolled back so far, in every session (pg_stat_database): a write
   * refused for its fencing token is one. Statistics arrive within a second or so.
   */
  async rollbacks(): Promise<number> {
    const rows = await this.sql<{ n: string }>(
      'SELECT xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()',
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** The last lines each node printed (for a failing test's report). */
  tail(lines = 30): string {
    return this.nodes
      .map(
        (node) =>
          `--- ${node.id} (${node.url}) exits ${JSON.stringify(node.exits)}\n${node.output.slice(-lines).join('\n')}`,
      )
      .join('\n');
  }

  /** Stops every node (SIGKILL: what they stored is in PostgreSQL), Redis, PostgreSQL; removes the folder. */
  async close(): Promise<void> {
    for (const node of this.nodes) {
      if (!node.child || !node.running) continue;
      node.child.kill('SIGCONT');
      node.child.kill('SIGKILL');
    }
    await Promise.all(this.nodes.map((node) => (node.child ? exited(node.child) : Promise.resolve())));
    await Promise.all(this.nodes.map((node) => node.redisProxy?.close() ?? Promise.resolve()));
    await this.pool?.end();
    await Promise.all([this.redis.stop(), this.postgres.stop()]);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The url of a node's JSON log line saying it listens, or ''. */
function listeningUrl(line: string): string {
  try {
    const entry = JSON.parse(line) as { message?: unknown; msg?: unknown; url?: unknown };
    const said = entry.message ?? entry.msg;
    return said === 'listening' && typeof entry.url === 'string' ? entry.url : '';
  } catch {
    return '';
  }
}

/**
 * A loopback forwarder in front of the nodes: each new connection goes to the first node of
 * `order()` that accepts it (a stopped node refuses; a frozen one accepts and answers nothing, as
 * a real one would), byte for byte, until either side closes.
 */
export class Front {
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly listener: Server,
    private readonly order: () => readonly number[],
  ) {}

  /** A front trying the ports `order()` names, in order, for each new connection. */
  static async start(order: () => readonly number[]): Promise<Front> {
    const listener = createServer();
    const front = new Front(listener, order);
    listener.on('connection', (client) => front.accept(client));
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    return front;
  }

  /** Where clients connect: ws://127.0.0.1:PORT. */
  get url(): string {
    return `ws://127.0.0.1:${(this.listener.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.listener.close(() => resolve()));
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
  }

  private accept(client: Socket): void {
    this.track(client);
    client.on('error', () => client.destroy());
    client.pause();
    const ports = [...this.order()].filter((port) => port > 0);
    const tryNext = (): void => {
      const port = ports.shift();
      if (port === undefined || client.destroyed) {
        client.destroy();
        return;
      }
      const server = connect(port, '127.0.0.1');
      this.track(server);
      let connected = false;
      server.on('error', () => {
        server.destroy();
        // Refused: the next node. Failed once connected: the client sees its connection drop.
        if (connected) client.destroy();
        else tryNext();
      });
      server.once('connect', () => {
        connected = true;
        server.on('close', () => client.destroy());
        client.on('close', () => server.destroy());
        client.pipe(server);
        server.pipe(client);
        client.resume();
      });
    };
    tryNext();
  }
}

/**
 * What one client was told is stored: every update frame it sent, per connection, and those the
 * server acknowledged (shared/stored-message.ts: the first n update frames of this connection).
 */
export type StoredLedger = {
  /** The updates (Yjs update bytes) the server said are stored, across every connection. */
  readonly acknowledged: Uint8Array[];
  /** The updates sent on the current connection, and how many of them are acknowledged. */
  readonly current: { sent: Uint8Array[]; acked: number };
};

/** The Yjs update a sync step 2 or update frame carries. */
function updateOf(frame: Uint8Array): Uint8Array {
  const decoder = decoding.createDecoder(frame);
  decoding.readVarUint(decoder);
  decoding.readVarUint(decoder);
  return decoding.readVarUint8Array(decoder);
}

/**
 * Makes a client ask for stored acknowledgements on every connection and remember which of its
 * updates they covered. Call before it connects (or right after, before it opened).
 */
export function keepStoredLedger(provider: WebsocketProvider): StoredLedger {
  const ledger: StoredLedger = { acknowledged: [], current: { sent: [], acked: 0 } };
  provider.messageHandlers[STORED_MESSAGE] = (_encoder, decoder: decoding.Decoder) => {
    const count = readStoredAck(decoder);
    const { current } = ledger;
    ledger.acknowledged.push(...current.sent.slice(current.acked, count));
    current.acked = Math.max(current.acked, count);
  };
  // Asking for acknowledgements, a client is also told who it is: nothing to do with that here.
  provider.messageHandlers[SESSION_MESSAGE] = () => undefined;
  provider.on('status', ({ status }: { status: string }) => {
    const ws = provider.ws;
    if (status !== 'connected' || !ws) return;
    // Counts start again on each connection.
    ledger.current.sent = [];
    ledger.current.acked = 0;
    const sent = ledger.current.sent;
    const send = ws.send.bind(ws);
    ws.send = (data) => {
      const frame = new Uint8Array(data as ArrayBuffer);
      if (isUpdateFrame(frame)) sent.push(updateOf(frame));
      send(data);
    };
    send(encodeStoredRequest());
  });
  return ledger;
}

/**
 * The updates of `updates` that `doc` does not hold whole (structs or deletions): applied to a
 * copy of it, each one that changes the copy is missing.
 */
export function missingUpdates(doc: Y.Doc, updates: readonly Uint8Array[]): Uint8Array[] {
  const copy = (): Y.Doc => {
    const made = new Y.Doc();
    Y.applyUpdate(made, Y.encodeStateAsUpdate(doc));
    return made;
  };
  // All at once first (one comparison); one by one only to name the missing ones.
  const whole = copy();
  const unchanged = Y.encodeStateAsUpdate(whole);
  if (updates.length > 0) Y.applyUpdate(whole, Y.mergeUpdates([...updates]));
  const same = Buffer.compare(unchanged, Y.encodeStateAsUpdate(whole)) === 0;
  whole.destroy();
  if (same) return [];
  const one = copy();
  let before = Y.encodeStateAsUpdate(one);
  const missing: Uint8Array[] = [];
  for (const update of updates) {
    Y.applyUpdate(one, update);
    const after = Y.encodeStateAsUpdate(one);
    if (Buffer.compare(before, after) !== 0) {
      missing.push(update);
      before = after;
    }
  }
  one.destroy();
  return missing;
}

/** A provider class with stock y-websocket's constructor (stock, or the app's HealingProvider). */
export type ProviderClass = new (
  serverUrl: string,
  room: string,
  doc: Y.Doc,
  options: NonNullable<ConstructorParameters<typeof WebsocketProvider>[3]>,
) => WebsocketProvider;

/** A client of a cluster test: its document, its provider and what it was told is stored. */
export type ClusterClient = {
  readonly doc: Y.Doc;
  readonly provider: WebsocketProvider;
  readonly ledger: StoredLedger;
};

/** Every client a test connected, destroyed together. */
export class ClusterClients {
  private readonly clients: ClusterClient[] = [];

  constructor(private readonly Provider: ProviderClass) {}

  /** A client of `room` at `serverUrl` (a node's http(s) url, or a front's ws url) with `token`. */
  connect(
    serverUrl: string,
    room: string,
    token: string,
    params: Record<string, string> = {},
  ): ClusterClient {
    const doc = new Y.Doc();
    const provider = new this.Provider(serverUrl.replace(/^http/, 'ws'), room, doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      params: { token, ...params },
      // One process holds every client: a BroadcastChannel would link them past the servers.
      disableBc: true,
      connect: false,
    });
    const ledger = keepStoredLedger(provider);
    provider.connect();
    const client = { doc, provider, ledger };
    this.clients.push(client);
    return client;
  }

  destroyAll(): void {
    for (const client of this.clients.splice(0)) client.provider.destroy();
  }
}

/** Resolves once the client has synced on its current connection. */
export function synced(client: Pick<ClusterClient, 'provider'>): Promise<void> {
  if (client.provider.synced) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (isSynced: boolean): void => {
      if (!isSynced) return;
      client.provider.off('sync', done);
      resolve();
    };
    client.provider.on('sync', done);
  });
}

/** Waits until each client is connected and synced and the server acknowledged all it sent. */
export async function allStored(clients: readonly ClusterClient[], timeoutMs = 30_000): Promise<void> {
  await waitFor(
    'every client to be told everything it sent is stored',
    () =>
      clients.every(
        (c) =>
          c.provider.synced &&
          c.provider.wsconnected &&
          c.ledger.current.acked >= c.ledger.current.sent.length,
      ),
    timeoutMs,
  );
}

/** A copy of what the room holds now, read by a fresh client of its own at `serverUrl`. */
export async function freshCopy(serverUrl: string, room: string, token: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(serverUrl.replace(/^http/, 'ws'), room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { token },
    disableBc: true,
  });
  try {
    await synced({ provider });
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    return copy;
  } finally {
    provider.destroy();
  }
}
