/**
 * The parts of a cluster of collab-server nodes, as the rest of the server sees them (#14).
 *
 * A room is served by exactly one node at a time: the node holding its lease in Redis
 * (cluster/leases.ts). A lease carries a fencing token, a number that grows with every new holder
 * of that room; the shared PostgreSQL storage (storage/pg-storage.ts) records the highest token it
 * was told of per room and refuses, inside the same transaction as the write, every write of a room
 * made with a lower token or none. So a node that lost its lease (paused, cut off from Redis, its
 * lease expired and another node took the room) can never write that room again, even before it
 * learns that it lost it.
 *
 * Without `--redis` and `--postgres` none of this exists: the server runs alone on LevelDB.
 */
import type { Logger } from '../log';
import type { DocumentStorage } from '../storage/level-storage';

/** A lease this node holds on a room. */
export type Lease = {
  readonly room: string;
  /** The fencing token: higher than that of every earlier holder of this room. */
  readonly fence: number;
};

/** Who holds a room's lease, as Redis says. */
export type LeaseHolder = {
  /** The holder's node id. */
  readonly node: string;
  /** Where other nodes reach it (http://host:port), for proxying. */
  readonly url: string;
  readonly fence: number;
};

/** A node of the cluster, as Redis lists it while it lives. */
export type ClusterNode = { readonly node: string; readonly url: string };

/** How a node opens its leases. */
export type LeaseOptions = {
  readonly redisUrl: string;
  /** This node's id (unique in the cluster). */
  readonly node: string;
  /** Where other nodes reach this one. */
  readonly url: string;
  /** How long a lease lives without renewal; at most 15 s (default 10 s). */
  readonly ttlMs?: number;
  /** How often held leases are renewed (default ttlMs / 3). */
  readonly renewMs?: number;
  /**
   * A lease this node held is no longer its own: another node holds it now, or it could not be
   * renewed before it would expire (Redis unreachable). Called once per loss, after the lease is
   * forgotten here; the node must stop serving the room at once.
   */
  readonly onLost: (room: string, why: 'taken' | 'expired') => void;
  /** Where Redis connection trouble is reported (silent when absent). */
  readonly log?: Logger;
};

/** Room leases in Redis (cluster/leases.ts implements it). */
export type Leases = {
  /** This node's id. */
  readonly node: string;
  /**
   * Takes `room`'s lease when nobody holds it (SET NX PX, atomically with a new fencing token
   * greater than both every earlier token of the room and `floor`), or tells who holds it. A lease
   * this node holds already is returned as it is.
   */
  claim(room: string, floor: number): Promise<{ readonly taken: Lease } | { readonly holder: LeaseHolder }>;
  /** Who holds `room`'s lease now, or null when nobody does. */
  holder(room: string): Promise<LeaseHolder | null>;
  /** The lease this node holds on `room`, as far as it knows (no call to Redis). */
  held(room: string): Lease | undefined;
  /** Every lease this node holds. */
  heldAll(): readonly Lease[];
  /** Gives `room`'s lease up, only if it is still this node's. */
  release(room: string): Promise<void>;
  /** The nodes alive now (each renews its own entry with its leases). */
  nodes(): Promise<ClusterNode[]>;
  /** Stops renewing and disconnects; leases not released expire on their own. */
  close(): Promise<void>;
};

/** A write refused because the writer's lease on the room is gone (see {@link FencedStorage}). */
export class FencedError extends Error {
  constructor(
    readonly room: string,
    message = `this node no longer owns room ${room}: its write was refused`,
  ) {
    super(message);
    this.name = 'FencedError';
  }
}

/**
 * Storage shared by the nodes of a cluster, whose writes are fenced: each write of a room checks,
 * in its own transaction, that the fencing token the node holds for that room is the highest one
 * recorded, and throws {@link FencedError} otherwise (also when the node holds none).
 */
export type FencedStorage = DocumentStorage & {
  /** The highest fencing token recorded for `room` (0 when none was). */
  fenceOf(room: string): Promise<number>;
  /**
   * Records `fence` as `room`'s current token, waiting for a write under an older one to end;
   * false when a token as high or higher is recorded already (another node took the room since).
   */
  takeFence(room: string, fence: number): Promise<boolean>;
};

/** How a PostgreSQL storage is opened (storage/pg-storage.ts). */
export type PostgresStorageOptions = {
  /** postgres://user@host:port/database */
  readonly url: string;
  /**
   * The fencing token this node holds for `room` (its lease), or undefined when it holds none.
   * Absent: writes are not fenced (one node alone on PostgreSQL).
   */
  readonly fenceOf?: (room: string) => number | undefined;
};
