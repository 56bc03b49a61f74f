/**
 * Nodes of a cluster (#14) in the test's own process (startServer), on a real Redis and PostgreSQL
 * started for the test file and one signing key file they all share. Nodes and clients started
 * through it are closed by `closeNodes()`, after each test:
 *
 *     const cluster = inProcessCluster('proxy');
 *     const { startNode, connect, newRoom } = cluster;
 *     beforeAll(() => cluster.start(), 60_000);
 *     afterEach(() => cluster.closeNodes());
 *     afterAll(() => cluster.stop());
 *
 * For nodes as processes of their own (signals, crashes, the CLI), see cluster-nodes.ts.
 */
import type { RunningServer, ServerOptions } from '../server';
import {
  connectClient,
  removeDir,
  startTestServer,
  tempDir,
  tokenFor,
  type TestClient,
} from '../test-support';
import { startPostgres, startRedis, type TestService } from './services';

/** See the top of this file. */
export type InProcessCluster = {
  /** Starts Redis and PostgreSQL. */
  start(): Promise<void>;
  /** Closes what is still open, stops Redis and PostgreSQL and removes the key file. */
  stop(): Promise<void>;
  readonly redis: TestService;
  readonly postgres: TestService;
  /** The signing key file every node of the cluster reads (written by the first node). */
  readonly keyFile: string;
  /** A room name of its own per call: every test of a file shares one database. */
  readonly newRoom: () => string;
  /** Starts a node of the cluster, with the cluster's default options and then `options`. */
  readonly startNode: (options?: Partial<ServerOptions>) => Promise<RunningServer>;
  /** A client of `room` through `node`, with a facilitator's token unless `token` is given. */
  readonly connect: (node: RunningServer, room: string, token?: string) => TestClient;
  /** Disconnects every client and closes every node started since the last call. */
  closeNodes(): Promise<void>;
};

/**
 * A cluster whose rooms' names and key folder start with `name`, and whose nodes start with
 * `defaults` (before the options of each). Its functions may be used apart from it.
 */
export function inProcessCluster(name: string, defaults: Partial<ServerOptions> = {}): InProcessCluster {
  let services: { redis: TestService; postgres: TestService; keyDir: string } | null = null;
  const nodes: RunningServer[] = [];
  const clients: TestClient[] = [];
  let rooms = 0;

  const started = () => {
    if (!services) throw new Error(`cluster ${name}: start() first`);
    return services;
  };

  const closeNodes = async (): Promise<void> => {
    clients.splice(0).forEach((client) => client.provider.destroy());
    await Promise.all(nodes.splice(0).map((node) => node.close().catch(() => undefined)));
  };

  return {
    async start() {
      const [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
      services = { redis, postgres, keyDir: tempDir(`talkoo-${name}-key-`) };
    },
    async stop() {
      await closeNodes();
      if (!services) return;
      const { redis, postgres, keyDir } = services;
      services = null;
      await Promise.all([redis.stop(), postgres.stop()]);
      removeDir(keyDir);
    },
    get redis() {
      return started().redis;
    },
    get postgres() {
      return started().postgres;
    },
    get keyFile() {
      return `${started().keyDir}/signing-key`;
    },
    newRoom: () => `${name}-${process.pid}-${++rooms}-${Date.now().toString(36)}`,
    startNode: async (options = {}) => {
      const { redis, postgres, keyDir } = started();
      const node = await startTestServer({
        redisUrl: redis.url,
        postgresUrl: postgres.url,
        keyFile: `${keyDir}/signing-key`,
        ...defaults,
        ...options,
      });
      nodes.push(node);
      return node;
    },
    connect: (node, room, token = tokenFor(node, room)) => {
      const client = connectClient(node, room, token);
      clients.push(client);
      return client;
    },
    closeNodes,
  };
}
