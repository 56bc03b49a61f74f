/**
 * This server as one node of a cluster (#14): the shared PostgreSQL storage, fenced by the leases
 * this node holds in Redis, and the ownership of rooms built on both. Opened in two steps, as the
 * leases name the url this node is reached at, known once it listens: {@link openClusterNode}
 * before the server listens, then `join` once it does.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '../log';
import type { RoomOwnership } from '../rooms/room-manager';
import { openPostgresStorage } from '../storage/pg-storage';
import type { Leases } from './contracts';
import { openLeases } from './leases';
import { leasedStorage, Ownership } from './ownership';
import type { DocumentStorage } from '../storage/level-storage';

/** How a node joins its cluster. */
export type ClusterNodeOptions = {
  readonly redisUrl: string;
  readonly postgresUrl: string;
  /** Default: a new short random id. */
  readonly nodeId?: string;
  readonly log: Logger;
  /** Lease ttl (tests); default that of cluster/leases.ts. */
  readonly leaseTtlMs?: number;
};

/** A node of a cluster, from its storage to its leases. */
export type ClusterNode = {
  readonly id: string;
  /**
   * The shared storage, each write fenced by this node's lease of its room, and each write of a
   * room held while it writes (cluster/ownership.ts leasedStorage).
   */
  readonly storage: DocumentStorage;
  /** For the room manager: claims go to the ownership once the node has joined. */
  readonly rooms: RoomOwnership;
  /** Set by `join`. */
  readonly ownership: () => Ownership;
  /**
   * Opens the leases, this node reached at `url`; `lost` is told each room this node no longer
   * holds (it stops serving it at once).
   */
  join(url: string, lost: (room: string) => void): Promise<Ownership>;
  close(): Promise<void>;
};

/** Opens the shared storage of a cluster (the leases follow in `join`). */
export async function openClusterNode(options: ClusterNodeOptions): Promise<ClusterNode> {
  const id = options.nodeId ?? randomBytes(4).toString('hex');
  let leases: Leases | undefined;
  let ownership: Ownership | undefined;
  const storage = await openPostgresStorage({
    url: options.postgresUrl,
    fenceOf: (room) => leases?.held(room)?.fence,
  });
  const held = leasedStorage(storage, { during: (room, work) => joined().during(room, work) });
  const joined = (): Ownership => {
    if (!ownership) throw new Error('this node has not joined its cluster yet');
    return ownership;
  };
  return {
    id,
    storage: held,
    ownership: joined,
    rooms: {
      claim: (room) => joined().claim(room),
      release: (room) => joined().release(room),
      lost: (room) => joined().lost(room),
      holds: (room) => joined().holds(room),
    },
    async join(url, lost) {
      leases = await openLeases({
        redisUrl: options.redisUrl,
        node: id,
        url,
        ttlMs: options.leaseTtlMs,
        log: options.log,
        onLost: (room, why) => {
          options.log('warn', 'room lease lost', { room, why });
          ownership?.lost(room);
          lost(room);
        },
      });
      ownership = new Ownership(leases, storage, { node: id, url }, options.log);
      return ownership;
    },
    async close() {
      await leases?.close();
    },
  };
}
