/**
 * "Host on this laptop": the desktop app runs the collab server in its own process, so a
 * facilitator can create and run workshops with no other server and no internet. It listens on
 * loopback only until the facilitator opens it to the local network (the venue Wi-Fi); then it
 * listens on every interface at the same port, and the join links it makes carry the laptop's
 * network address. The signing key and the workshops live in the app's data folder, so links and
 * workshops outlive a restart of the app.
 */
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import type * as CollabServer from '../collab-server';
import type { DocumentStorage, Logger, RunningServer } from '../collab-server';

/** Port tried first, so join links stay the same from one start of the app to the next. */
export const PREFERRED_PORT = 4466;

/** What the window needs to talk to the local host. */
export type LocalHostStatus = {
  /** The server as this laptop reaches it, e.g. `http://127.0.0.1:4466`. */
  readonly url: string;
  /**
   * The organiser token the server keeps: it lists and creates this laptop's workshops. The same
   * recorded link on every call and every start (it is not minted anew), renewed when fewer than 7
   * of its 30 days remain or when it was revoked (`talkoo-server token --revoke ID`).
   */
  readonly organiserToken: string;
  /** The address others on the network use while it is open to them, else null. */
  readonly networkUrl: string | null;
  /** Every address of this laptop on its networks while open, best first (networkUrl is first). */
  readonly networkUrls: readonly string[];
  /**
   * How many other devices have connected since it last opened to the network (0 while closed).
   * Still 0 after people tried to join means they do not reach it: a firewall, or a Wi-Fi that
   * keeps devices apart. This laptop's own connections never count: they do not pass its firewall.
   */
  readonly networkVisitors: number;
};

export type LocalHost = {
  status(): LocalHostStatus;
  /** Opens the host to the local network, or closes it to this laptop only. */
  setNetwork(open: boolean): Promise<LocalHostStatus>;
  /**
   * Stores everything and stops listening; rejects, saying where they went, when some changes
   * could not be stored (a full disk: they are in a recovery file the next start replays).
   */
  close(): Promise<void>;
};

export type LocalHostOptions = {
  /** Folder for the signing key and the workshops. */
  readonly dataDir: string;
  /** Folder of the built web client, served to participants who join from a browser. */
  readonly staticDir?: string;
  /** Defaults to {@link PREFERRED_PORT}; when it is taken, any free port. */
  readonly port?: number;
  readonly log?: Logger;
  /** Opens the workshops' store in a folder (tests of storage failures); LevelDB when absent. */
  readonly openStorage?: (folder: string) => Promise<DocumentStorage>;
  /** This laptop's own addresses, whose connections are not visitors; every interface's when absent. */
  readonly ownAddresses?: () => readonly string[];
};

const LOOPBACK = '127.0.0.1';
const ALL_INTERFACES = '0.0.0.0';

/** Every address of this laptop's network interfaces, loopback included. */
function interfaceAddresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((infos) => (infos ?? []).map((info) => info.address));
}

/** True when a connection from `remoteAddress` comes from another device (an IPv4-mapped IPv6 address is its IPv4 one). */
export function fromAnotherDevice(remoteAddress: string, ownAddresses: readonly string[]): boolean {
  const address = remoteAddress.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
  return address !== '' && !ownAddresses.includes(address);
}

function isAddressInUse(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'EADDRINUSE';
}

/**
 * The collab server, loaded on first use rather than with main: its storage is a native module
 * (classic-level) that can fail to load (built for another platform or Electron), and that must
 * leave the app running, saying hosting is unavailable, not kill it at start. build/build.mjs
 * keeps this import lazy in the bundle (main-start.test.ts checks it).
 */
async function loadServer(): Promise<typeof CollabServer> {
  try {
    return await import('../collab-server');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Talkoo cannot host workshops on this laptop: its server could not load (${reason}). Joining a workshop hosted elsewhere still works; reinstalling Talkoo may fix this.`,
      { cause: error },
    );
  }
}

/** Starts the embedded server on loopback; rejects, saying why, when the server cannot load or listen. */
export async function startLocalHost(options: LocalHostOptions): Promise<LocalHost> {
  const { startServer, lanAddresses } = await loadServer();
  let open = false;
  const ownAddresses = options.ownAddresses ?? interfaceAddresses;
  /** The other devices that connected since the host last opened to the network. */
  const visitors = new Set<string>();
  const listen = async (host: string, port: number): Promise<RunningServer> => {
    const start = async (p: number): Promise<RunningServer> =>
      startServer({
        host,
        port: p,
        dataDir: options.dataDir,
        ...(options.openStorage
          ? { storage: await options.openStorage(join(options.dataDir, 'rooms')) }
          : {}),
        ...(options.staticDir ? { staticDir: options.staticDir } : {}),
        ...(options.log ? { log: options.log } : {}),
        onConnection: (remoteAddress) => {
          if (open && fromAnotherDevice(remoteAddress, ownAddresses())) visitors.add(remoteAddress);
        },
      });
    try {
      return await start(port);
    } catch (error) {
      if (!isAddressInUse(error) || port === 0) throw error;
      return start(0);
    }
  };

  let server = await listen(LOOPBACK, options.port ?? PREFERRED_PORT);
  let closed: Promise<void> | null = null;
  // One change at a time: a second click waits for the first restart to finish, and closing waits
  // for a restart under way, then closes the server it left (closing the one it replaces would
  // leave the new one listening, holding the store, its changes never flushed).
  let queue: Promise<unknown> = Promise.resolve();
  const enqueue = <T>(task: () => Promise<T>): Promise<T> => {
    const next = queue.then(task);
    queue = next.catch(() => undefined);
    return next;
  };

  const status = (): LocalHostStatus => ({
    url: `http://${LOOPBACK}:${server.port}`,
    organiserToken: server.organiserToken(),
    networkUrl: open ? server.publicUrl : null,
    networkUrls: open
      ? [server.publicUrl, ...lanAddresses().map((address) => `http://${address}:${server.port}`)].filter(
          (url, i, all) => all.indexOf(url) === i,
        )
      : [],
    networkVisitors: open ? visitors.size : 0,
  });

  const rebind = async (wanted: boolean): Promise<LocalHostStatus> => {
    if (wanted === open) return status();
    // A restart opens the store again, which a full disk refuses: the host would stop serving.
    if (server.rooms.storageError)
      throw new Error(
        'The network setting cannot change while this laptop cannot save workshops (is its disk full?). Free some space and try again.',
      );
    const port = server.port;
    // Connected windows see the restart as a dropped connection (4503) and reconnect at once.
    // Changes the disk refused are in a recovery file now, which the restarted server replays
    // before anyone joins: the switch goes on, and the failure is reported.
    await server.close().catch((error: unknown) => {
      const message = (error as Error).message;
      if (options.log) options.log('error', 'changes could not be stored at a restart', { error: message });
      else console.error(`Talkoo: ${message}`);
    });
    try {
      visitors.clear();
      server = await listen(wanted ? ALL_INTERFACES : LOOPBACK, port);
      open = wanted;
    } catch (error) {
      server = await listen(LOOPBACK, port);
      open = false;
      throw error;
    }
    return status();
  };

  return {
    status,
    setNetwork: (wanted) => {
      if (closed) return Promise.reject(new Error('This laptop’s server is closed: Talkoo is quitting.'));
      return enqueue(() => rebind(wanted));
    },
    close: () => (closed ??= enqueue(() => server.close())),
  };
}
