/**
 * Three collab-server nodes as separate processes on one Redis and one PostgreSQL (#14), while
 * clients write continuously, each remembering which of its updates a node acknowledged as stored
 * (shared/stored-message.ts):
 * - kill -9 of the node that holds the room: another node serves it once the lease is gone (the
 *   time is printed) and every acknowledged update is in the room, as a fresh client and the rows
 *   in PostgreSQL show;
 * - fencing: a holder cut off from Redis (its FaultProxy paused), or frozen with SIGSTOP while
 *   another node takes the room and writes, never writes the room again: in PostgreSQL no update
 *   row carries an older fencing token than a row before it, and none written after the new token
 *   was taken carries the old one; its clients end up on the new holder, converged;
 * - a rolling restart (SIGTERM one node, start it again, the next) loses nothing.
 *
 * Clients use the app's own provider (renderer/src/healing-provider.ts): it reconnects after a
 * drop and after the "room moved" close. Each reaches the nodes through a Front, a loopback
 * forwarder that tries its own node first and the others after, as a load balancer would.
 */
import { afterEach, describe, expect, it, onTestFailed } from 'vitest';
import * as Y from 'yjs';
import { readWorkshop } from '../../shared/model/read';
import type { NoteId } from '../../shared/ids';
import { addNote, setNoteText, TEMPLATE_BOARD_IDS } from '../../shared/model/write';
import { HealingProvider } from '../../renderer/src/healing-provider';
import { agree, noteTexts, startWorkshop, waitFor } from '../test-support';
import { useBuiltCli } from '../test-support/built-cli';
import {
  allStored,
  Cluster,
  ClusterClients,
  freshCopy,
  Front,
  missingUpdates,
  synced,
  type ClusterClient,
  type ClusterOptions,
} from '../test-support/cluster-nodes';

const NEEDS = TEMPLATE_BOARD_IDS.needs;

const built = useBuiltCli('talkoo-cluster-failover-');
let cluster: Cluster | null = null;
const fronts: Front[] = [];
const clients = new ClusterClients(HealingProvider);
const typists: Typist[] = [];

afterEach(async () => {
  for (const typist of typists.splice(0)) typist.stop();
  clients.destroyAll();
  await Promise.all(fronts.splice(0).map((front) => front.close()));
  await cluster?.close();
  cluster = null;
}, 60_000);

/** A new cluster for one test; on failure the test's report ends with what each node printed. */
async function startCluster(options: Omit<ClusterOptions, 'cli'> = {}): Promise<Cluster> {
  const started = await Cluster.start({ cli: built.cli, ...options });
  cluster = started;
  onTestFailed(() => console.log(started.tail(60)));
  return started;
}

/** A front that tries node `first`, then the next ones in turn (ports as they are now). */
async function frontFor(nodes: Cluster, first: number): Promise<Front> {
  const count = nodes.nodes.length;
  const front = await Front.start(() =>
    Array.from({ length: count }, (_, k) => nodes.node((first + k) % count).port),
  );
  fronts.push(front);
  return front;
}

/**
 * Clients that each add a note and retype their own note every `everyMs`, whatever their
 * connection is doing (offline edits wait in the client, as in the app).
 */
class Typist {
  rounds = 0;
  private readonly own: NoteId[];
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly writers: readonly ClusterClient[],
    private readonly label: string,
    everyMs = 15,
  ) {
    this.own = writers.map((w, i) => addNote(w.doc, NEEDS, { text: `${label} ${i} own` })!);
    this.timer = setInterval(() => this.type(), everyMs);
    typists.push(this);
  }

  /** The notes every client holds once they agree: their own ones and one per round each. */
  get notes(): number {
    return this.writers.length * (1 + this.rounds);
  }

  /** Resolves once `more` further rounds were typed. */
  async further(more: number): Promise<void> {
    const target = this.rounds + more;
    await waitFor(`${more} more rounds of edits`, () => this.rounds >= target, 60_000);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private type(): void {
    this.rounds++;
    this.writers.forEach((w, i) => {
      addNote(w.doc, NEEDS, { text: `${this.label} ${i} edit ${this.rounds}` });
      setNoteText(w.doc, this.own[i]!, `${this.label} ${i} own at ${this.rounds}`);
    });
  }
}

/** Starts a workshop in `room` from the first client; resolves once every client has it. */
async function workshopIn(writers: readonly ClusterClient[], title: string): Promise<void> {
  await Promise.all(writers.map(synced));
  startWorkshop(writers[0]!.doc, title);
  await agree(writers.map((w) => w.doc));
}

/**
 * Once the edits stopped: waits until every client agrees and was told all it sent is stored,
 * then checks that the room holds every update any node acknowledged, in a fresh client through
 * node `readVia` and in the room's rows in PostgreSQL, and `notes` notes, none doubled.
 */
async function nothingLost(
  nodes: Cluster,
  room: string,
  writers: readonly ClusterClient[],
  notes: number,
  readVia: number,
): Promise<void> {
  await agree(writers.map((w) => w.doc));
  await allStored(writers, 60_000);
  const acknowledged = writers.flatMap((w) => w.ledger.acknowledged);
  // The check can fail: an empty document lacks the last of them.
  expect(missingUpdates(new Y.Doc(), acknowledged.slice(-1))).toHaveLength(1);
  const fresh = await freshCopy(nodes.node(readVia).url, room, nodes.token(room, 'viewer'));
  expect(missingUpdates(fresh, acknowledged)).toEqual([]);
  const stored = await nodes.storedDoc(room);
  expect(missingUpdates(stored, acknowledged)).toEqual([]);
  // Every client, the fresh one and PostgreSQL hold one and the same workshop, nothing doubled.
  const model = readWorkshop(writers[0]!.doc);
  expect(model.notes).toHaveLength(notes);
  for (const doc of [...writers.map((w) => w.doc), fresh, stored]) expect(readWorkshop(doc)).toEqual(model);
  expect(new Set(noteTexts(fresh)).size).toBe(notes);
}

/** The fencing rules, read in PostgreSQL: see the module comment. */
async function fencedRows(
  nodes: Cluster,
  room: string,
  takenAfterSeq: number,
  newFence: number,
): Promise<void> {
  const rows = await nodes.updateRows(room);
  expect(rows.length).toBeGreaterThan(0);
  const backwards = rows.filter((row, i) => i > 0 && row.fence < rows[i - 1]!.fence);
  expect(backwards).toEqual([]);
  const stale = rows.filter((row) => row.seq > takenAfterSeq && row.fence < newFence);
  expect(stale.map(({ seq, fence }) => ({ seq, fence }))).toEqual([]);
  // The new holder did write the room.
  expect(rows.some((row) => row.fence === newFence)).toBe(true);
}

/** The highest update row number of `room` now (0 when none). */
async function lastSeq(nodes: Cluster, room: string): Promise<number> {
  return (await nodes.updateRows(room)).at(-1)?.seq ?? 0;
}

/**
 * Every update the clients were told is stored so far is in the room's rows in PostgreSQL (those
 * written under `fence` only, when given: one holder's rows). Checked at a moment when no client
 * can have sent it again to another node (the holder just died or froze, its lease still holds
 * the room), so a client resending what a node acknowledged and lost cannot hide the loss.
 */
async function acknowledgedAreStored(
  nodes: Cluster,
  room: string,
  writers: readonly ClusterClient[],
  fence?: number,
): Promise<void> {
  const acknowledged = writers.flatMap((w) => [...w.ledger.acknowledged]);
  const rows = (await nodes.updateRows(room)).filter((row) => fence === undefined || row.fence === fence);
  const stored = new Y.Doc();
  if (rows.length > 0) Y.applyUpdate(stored, Y.mergeUpdates(rows.map((row) => row.data)));
  expect(acknowledged.length).toBeGreaterThan(0);
  const missing = missingUpdates(stored, acknowledged);
  // On failure, what a reader needs: the rows (seq/fence) and what each missing update writes.
  if (missing.length > 0)
    console.log(
      `acknowledged but not stored in ${room}: rows ${rows.map((r) => `${r.seq}/${r.fence}`).join(' ')}; ` +
        `stored state ${JSON.stringify([...Y.decodeStateVector(Y.encodeStateVector(stored))])}; missing ` +
        missing.map((u) => JSON.stringify([...Y.parseUpdateMeta(u).to])).join(' '),
    );
  expect(missing).toHaveLength(0);
  stored.destroy();
}

describe('kill -9 of the node that holds a room, mid-edit', () => {
  it('another node serves the room once the lease is gone, and every acknowledged update is kept', async () => {
    const nodes = await startCluster();
    const room = 'killed-holder';
    // Client i tries node i first: node 1 is asked first and takes the room.
    const writers: ClusterClient[] = [];
    for (const i of [0, 1, 2]) {
      writers.push(clients.connect((await frontFor(nodes, i)).url, room, nodes.token(room)));
      await synced(writers[i]!);
    }
    expect(await nodes.ownerOf(room)).toBe(0);
    await workshopIn(writers, 'Kill -9');
    const typist = new Typist(writers, 'kill');
    await typist.further(20);
    await waitFor('acknowledgements from every client', () =>
      writers.every((w) => w.ledger.acknowledged.length > 5),
    );

    const fence = await nodes.fenceOf(room);
    const killedAt = Date.now();
    await nodes.kill(0);
    // Everything node 1 acknowledged is in the rows it wrote under its token.
    await acknowledgedAreStored(nodes, room, writers, fence);
    const acknowledgedBeforeKill = writers.map((w) => w.ledger.acknowledged.length);
    const holder = await nodes.ownerOf(room, 30_000);
    const copy = await freshCopy(nodes.node(holder).url, room, nodes.token(room, 'viewer'));
    console.log(
      `kill -9: room ${room} served again by node ${holder + 1} ${Date.now() - killedAt} ms after its holder died`,
    );
    expect(holder).not.toBe(0);
    // And the node serving it now has it.
    writers.forEach((w, i) =>
      expect(missingUpdates(copy, w.ledger.acknowledged.slice(0, acknowledgedBeforeKill[i]))).toEqual([]),
    );
    await typist.further(20);
    typist.stop();
    await nothingLost(nodes, room, writers, typist.notes, 2);
  }, 90_000);
});

describe('fencing', () => {
  it('a holder cut off from Redis never writes the room once another node has taken it', async () => {
    const nodes = await startCluster({ redisProxied: [0] });
    const room = 'cut-off';
    // One client on the holder, one on another node (proxied to the holder).
    const onHolder = clients.connect(nodes.node(0).url, room, nodes.token(room));
    await synced(onHolder);
    const elsewhere = clients.connect(nodes.node(1).url, room, nodes.token(room));
    const writers = [onHolder, elsewhere];
    await workshopIn(writers, 'Cut off');
    expect(await nodes.ownerOf(room)).toBe(0);
    const typist = new Typist(writers, 'cut');
    await typist.further(20);
    const fenceBefore = await nodes.fenceOf(room);
    expect(fenceBefore).toBeGreaterThan(0);

    // Node 1 can no longer reach Redis; its clients keep writing to it.
    nodes.node(0).redisProxy!.pause();
    await acknowledgedAreStored(nodes, room, writers);
    await waitFor('node 2 to hold the room', async () => (await nodes.owners(room)).join() === '1', 30_000);
    const newFence = await nodes.fenceOf(room);
    expect(newFence).toBeGreaterThan(fenceBefore);
    const takenAfter = await lastSeq(nodes, room);
    await typist.further(30);
    await waitFor('node 2 to store edits', async () => (await lastSeq(nodes, room)) > takenAfter);
    await fencedRows(nodes, room, takenAfter, newFence);

    nodes.node(0).redisProxy!.resume();
    typist.stop();
    await nothingLost(nodes, room, writers, typist.notes, 2);
    await fencedRows(nodes, room, takenAfter, newFence);
    expect(await nodes.owners(room)).toEqual([1]);
  }, 120_000);

  it('a holder frozen with SIGSTOP while another node takes the room and writes: its late flush is refused and its clients move to the new holder', async () => {
    const nodes = await startCluster();
    const room = 'frozen';
    const onHolder = clients.connect(nodes.node(0).url, room, nodes.token(room));
    await synced(onHolder);
    // Proxied by node 3 to the holder.
    const proxied = clients.connect(nodes.node(2).url, room, nodes.token(room));
    const writers = [onHolder, proxied];
    await workshopIn(writers, 'Frozen');
    expect(await nodes.ownerOf(room)).toBe(0);
    const typist = new Typist(writers, 'frozen');
    await typist.further(20);
    const fenceBefore = await nodes.fenceOf(room);

    // Frozen mid-edit: what its clients send from now on waits in its sockets, unread.
    nodes.freeze(0);
    await acknowledgedAreStored(nodes, room, writers, fenceBefore);
    await typist.further(10);
    // A newcomer arrives through node 2 meanwhile: once the frozen holder's lease expired, a node
    // takes the room and serves it, and the newcomer writes.
    const newcomer = clients.connect(nodes.node(1).url, room, nodes.token(room));
    await waitFor('the newcomer on node 2 to be served', () => newcomer.provider.synced, 60_000);
    const holder = await nodes.ownerOf(room);
    expect(holder).not.toBe(0);
    const newFence = await nodes.fenceOf(room);
    expect(newFence).toBeGreaterThan(fenceBefore);
    const takenAfter = await lastSeq(nodes, room);
    const late = new Typist([newcomer], 'newcomer');
    await late.further(10);
    await allStored([newcomer]);

    // Thawed, node 1 goes on where it stopped: it reads what its clients sent and tries to store
    // it under its old token.
    const rollbacksBefore = await nodes.rollbacks();
    nodes.thaw(0);
    const thawedAt = nodes.node(0).output.length;
    await typist.further(30);
    typist.stop();
    late.stop();
    await nothingLost(nodes, room, [...writers, newcomer], typist.notes + late.notes, 1);
    await fencedRows(nodes, room, takenAfter, newFence);
    expect(await nodes.owners(room)).toEqual([holder]);
    // For the reader: whether the thawed node tried to write (a refused write is a rollback; none
    // when it saw its lease expired before its next flush) and what it said.
    console.log(
      `SIGSTOP: transactions rolled back in PostgreSQL since the thaw: ${(await nodes.rollbacks()) - rollbacksBefore}; ` +
        'node 1 once thawed said:\n' +
        nodes.node(0).output.slice(thawedAt).slice(0, 8).join('\n'),
    );
  }, 180_000);
});

/** Resolves once every client sees every other one's awareness mark `step`: all reach the room. */
async function everyoneHears(writers: readonly ClusterClient[], step: number): Promise<void> {
  for (const w of writers) w.provider.awareness.setLocalStateField('step', step);
  await waitFor(
    `every client of the room to hear the others (step ${step})`,
    () =>
      writers.every((w) =>
        writers.every(
          (other) =>
            (w.provider.awareness.getStates().get(other.doc.clientID) as { step?: number } | undefined)
              ?.step === step,
        ),
      ),
    30_000,
  );
}

describe('a rolling restart of all three nodes under load', () => {
  it('SIGTERM one node, start it again, the next: every room stays reachable and nothing is lost', async () => {
    const nodes = await startCluster();
    const rooms = ['rolling-a', 'rolling-b'];
    const frontsByNode = [await frontFor(nodes, 0), await frontFor(nodes, 1), await frontFor(nodes, 2)];
    // Room r is asked for first through node r + 1, which takes it; then through the others.
    const writersOf: ClusterClient[][] = [];
    for (const [r, room] of rooms.entries()) {
      const writers: ClusterClient[] = [];
      for (const i of [r, r + 1, r + 2]) {
        writers.push(clients.connect(frontsByNode[i % 3]!.url, room, nodes.token(room)));
        await synced(writers.at(-1)!);
      }
      writersOf.push(writers);
      await workshopIn(writers, `Rolling ${r}`);
    }
    expect(await Promise.all(rooms.map((room) => nodes.ownerOf(room)))).toEqual([0, 1]);
    const typistsOf = writersOf.map((writers, r) => new Typist(writers, `rolling ${r}`, 25));

    for (const i of [0, 1, 2]) {
      await typistsOf[0]!.further(10);
      expect(await nodes.terminate(i)).toBe(0);
      // Drained: what it acknowledged is stored (its clients may be sending it again elsewhere by
      // now, so this is the weaker form of the check after kill -9).
      for (const [r, room] of rooms.entries()) await acknowledgedAreStored(nodes, room, writersOf[r]!);
      await nodes.startNode(i);
      // Each room is held by one node and every client of it reaches it.
      const holders = await Promise.all(rooms.map((room) => nodes.ownerOf(room)));
      console.log(
        `rolling restart: node ${i + 1} restarted; rooms held by nodes ${holders.map((h) => h + 1).join(', ')}`,
      );
      for (const writers of writersOf) await everyoneHears(writers, i + 1);
    }
    await typistsOf[0]!.further(10);
    for (const typist of typistsOf) typist.stop();
    for (const [r, room] of rooms.entries())
      await nothingLost(nodes, room, writersOf[r]!, typistsOf[r]!.notes, r);
  }, 150_000);
});
