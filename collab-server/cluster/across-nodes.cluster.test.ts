/**
 * Three collab-server nodes as separate processes on one Redis and one PostgreSQL (#14), with
 * clients of one room spread over them: they converge whichever node they reached, a token minted
 * by `talkoo-server token --key-file` opens the room on any node, and the role policy, secret
 * ballots and private notes hold with the facilitator on one node and participants on others
 * (rooms/enforcement.test.ts has the same rules on one server).
 */
import { spawn } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import * as Y from 'yjs';
import type { NoteId, ParticipantId, RoundId } from '../../shared/ids';
import { addDraft } from '../../shared/model/personal';
import { readWorkshop } from '../../shared/model/read';
import { tallyRound } from '../../shared/model/votes';
import {
  addNote,
  setLocked,
  setPrivateWriting,
  setRoundState,
  TEMPLATE_BOARD_IDS,
} from '../../shared/model/write';
import { CLOSE } from '../../shared/close-codes';
import { HealingProvider } from '../../renderer/src/healing-provider';
import { agree, noteTexts, startWorkshop, until, waitFor } from '../test-support';
import { useBuiltCli } from '../test-support/built-cli';
import {
  castBallots,
  connectPerson,
  expectEachRefused,
  facilitatorOnlyChanges,
  type Person,
  writeWorkshop,
} from '../test-support/policy-people';
import { Cluster, ClusterClients, freshCopy, synced } from '../test-support/cluster-nodes';

const NEEDS = TEMPLATE_BOARD_IDS.needs;

const built = useBuiltCli('talkoo-cluster-across-');
let cluster: Cluster;
const clients = new ClusterClients(HealingProvider);
const people: Person[] = [];

beforeAll(async () => {
  cluster = await Cluster.start({ cli: built.cli });
}, 120_000);
afterEach(() => {
  clients.destroyAll();
  for (const person of people.splice(0)) person.provider.destroy();
});
afterAll(async () => {
  await cluster?.close();
}, 60_000);

/** On a failing test, what each node printed last. */
function reportNodesOnFailure(): void {
  onTestFailed(() => console.log(cluster.tail()));
}

/** `talkoo-server token --key-file PATH ...`: the token of the JSON line it prints. */
async function mintedToken(args: readonly string[]): Promise<string> {
  const child = spawn(process.execPath, [built.cli, 'token', '--key-file', cluster.keyFile, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`token exited ${code}: ${stderr}`);
  const last = stdout.trim().split('\n').at(-1) ?? '';
  return (JSON.parse(last) as { token: string }).token;
}

describe('clients of one room on three nodes', () => {
  it('converge whichever node each reached; exactly one node holds the room', async () => {
    reportNodesOnFailure();
    const room = 'across';
    const [a, b, c] = [0, 1, 2].map((i) => clients.connect(cluster.node(i).url, room, cluster.token(room)));
    const all = [a!, b!, c!];
    await Promise.all(all.map(synced));
    startWorkshop(a!.doc, 'Kolme solmua');
    // Notes go on a board: each writes once the workshop reached it.
    await agree(all.map((client) => client.doc));
    all.forEach((client, i) => {
      for (let n = 0; n < 5; n++) addNote(client.doc, NEEDS, { text: `node ${i + 1} note ${n}` });
    });
    await agree(all.map((client) => client.doc));
    const expected = [0, 1, 2].flatMap((i) => [0, 1, 2, 3, 4].map((n) => `node ${i + 1} note ${n}`)).sort();
    for (const client of all) expect(noteTexts(client.doc)).toEqual(expected);
    expect(await cluster.owners(room)).toHaveLength(1);
    // A reader arriving later through any node sees the same room.
    for (const i of [0, 1, 2]) {
      const copy = await freshCopy(cluster.node(i).url, room, cluster.token(room, 'viewer'));
      expect(readWorkshop(copy)).toEqual(readWorkshop(a!.doc));
    }
  });

  it('a token minted with only the key file opens the room on every node', async () => {
    reportNodesOnFailure();
    const room = 'minted';
    const token = await mintedToken(['--role', 'facilitator', '--room', room]);
    const writer = clients.connect(cluster.node(0).url, room, token);
    await synced(writer);
    startWorkshop(writer.doc, 'Minted');
    addNote(writer.doc, NEEDS, { text: 'from node 1' });
    for (const i of [1, 2]) {
      const reader = clients.connect(cluster.node(i).url, room, token);
      await synced(reader);
      await until(reader.doc, () => noteTexts(reader.doc).includes('from node 1'));
      addNote(reader.doc, NEEDS, { text: `from node ${i + 1}` });
    }
    await until(writer.doc, () => noteTexts(writer.doc).length === 3);
    expect(noteTexts(writer.doc)).toEqual(['from node 1', 'from node 2', 'from node 3']);
  });
});

/** A person of `room` with `role`, connected to node `node` (0-based). */
function join(
  room: string,
  node: number,
  role: 'facilitator' | 'participant' | 'viewer',
  options: { me?: string; personal?: boolean } = {},
): Person {
  const person = connectPerson(cluster.node(node).url, room, cluster.token(room, role), options);
  people.push(person);
  return person;
}

/** The room as a fresh viewer on node 3 receives it, as a plain comparable value. */
async function roomState(room: string): Promise<unknown> {
  const copy = await freshCopy(cluster.node(2).url, room, cluster.token(room, 'viewer'));
  return { state: Y.encodeStateVector(copy), workshop: readWorkshop(copy) };
}

/**
 * A facilitator's workshop, written through node 1 (which then holds the room): a lane, the
 * facilitator's note, an open round and a vote of theirs.
 */
async function workshop(
  room: string,
): Promise<{ facilitator: Person; note: NoteId; lane: string; round: RoundId }> {
  const facilitator = join(room, 0, 'facilitator');
  await synced(facilitator);
  const { note, lane, round } = await writeWorkshop(facilitator);
  // Stored and served: a viewer on node 3 receives it.
  await waitFor('the workshop to reach node 3', async () => {
    const copy = await freshCopy(cluster.node(2).url, room, cluster.token(room, 'viewer'));
    return readWorkshop(copy).rounds.length === 1;
  });
  expect(await cluster.owners(room)).toEqual([0]);
  return { facilitator, note, lane, round };
}

describe('the role policy across nodes', () => {
  it('a participant on node 2 cannot do what only the facilitator on node 1 may; the room is unchanged', async () => {
    reportNodesOnFailure();
    const room = 'policy';
    const { facilitator, note, lane, round } = await workshop(room);
    const facilitatorId = (await facilitator.session).id as ParticipantId;
    const first = join(room, 1, 'participant');
    await synced(first);
    const me = (await first.session).identity;
    const myId = (await first.session).id as ParticipantId;
    first.provider.destroy();
    await expectEachRefused(
      facilitatorOnlyChanges({ lane, note, round, facilitator: facilitatorId, me: myId }),
      () => join(room, 1, 'participant', { me }),
      () => roomState(room),
    );
    const before = await roomState(room);
    // A viewer on node 3 may change nothing.
    const viewer = join(room, 2, 'viewer');
    await synced(viewer);
    setLocked(viewer.doc, true);
    addNote(viewer.doc, NEEDS, { text: 'viewer' });
    await waitFor('the viewer’s refusals', () => viewer.refusals.length === 2);
    expect(new Set(viewer.refusals.map((r) => r.code))).toEqual(new Set(['viewer']));
    expect(await roomState(room)).toEqual(before);
    // What a participant may do reaches the facilitator on the other node.
    const participant = join(room, 1, 'participant', { me });
    await synced(participant);
    addNote(participant.doc, NEEDS, { text: 'Kirjasto', author: myId });
    await until(facilitator.doc, () =>
      readWorkshop(facilitator.doc).notes.some((n) => n.text === 'Kirjasto'),
    );
    expect(participant.refusals).toEqual([]);
  });
});

describe('what stays secret across nodes', () => {
  it('participants on node 2 vote; nobody on node 3 receives a vote before the facilitator on node 1 reveals the round', async () => {
    reportNodesOnFailure();
    const room = 'ballot';
    const { facilitator, note, round } = await workshop(room);
    const observer = join(room, 2, 'participant');
    await synced(observer);
    const voters = [join(room, 1, 'participant'), join(room, 1, 'participant')];
    for (const voter of voters) await synced(voter);
    await castBallots(
      voters,
      (identity) => join(room, 1, 'participant', { me: identity, personal: true }),
      facilitator,
      { round, note },
    );
    // Open: only the facilitator's own direct vote is in the workshop; nobody received a ballot.
    for (const someone of [observer, facilitator, ...voters])
      expect(tallyRound(someone.doc, round)?.ranking).toEqual([{ target: note, count: 1 }]);
    const ids = await Promise.all(voters.map(async (v) => (await v.session).id));
    for (const id of ids) {
      expect(observer.heard.some((frame) => frame.includes(`${round}|${id}`))).toBe(false);
      for (const voter of voters)
        if ((await voter.session).id !== id)
          expect(voter.heard.some((frame) => frame.includes(`${round}|${id}`))).toBe(false);
    }
    // Nor can one voter open another's ballots on another node with a made-up identity.
    const { identity } = await voters[0]!.session;
    const forged = join(room, 2, 'participant', {
      me: identity.replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A')),
      personal: true,
    });
    const closed = await new Promise<number>((resolve) =>
      forged.provider.on('connection-close', (e: CloseEvent | null) => resolve(e?.code ?? 0)),
    );
    forged.provider.destroy();
    expect(closed).toBe(CLOSE.identityInvalid);

    // The reveal, on node 1, publishes the ballot box to everyone, on every node.
    setRoundState(facilitator.doc, round, 'revealed');
    await until(observer.doc, () => tallyRound(observer.doc, round)?.ranking[0]?.count === 4);
    const voted = tallyRound(observer.doc, round)!.entries.map((e) => e.participant);
    expect(voted.sort()).toEqual([...ids].sort());
  });

  it('a private note written through node 2 reaches nobody on node 3 until the facilitator on node 1 reveals it', async () => {
    reportNodesOnFailure();
    const room = 'private';
    const { facilitator } = await workshop(room);
    setPrivateWriting(facilitator.doc, true);
    const observer = join(room, 2, 'participant');
    await synced(observer);
    const writer = join(room, 1, 'participant');
    await synced(writer);
    const { identity, id } = await writer.session;
    const own = join(room, 1, 'participant', { me: identity, personal: true });
    await synced(own);
    addDraft(own.doc, NEEDS, { text: 'Salainen idea' });
    await waitFor(
      'the draft counted',
      () => readWorkshop(facilitator.doc).facilitation.progress[id as ParticipantId]?.drafts === 1,
    );
    // Another person's own document, opened on node 3, holds none of it.
    const theirs = join(room, 2, 'participant', { me: (await observer.session).identity, personal: true });
    await synced(theirs);
    expect(theirs.doc.getMap('drafts').size).toBe(0);
    for (const someone of [observer, facilitator])
      expect(readWorkshop(someone.doc).notes.map((n) => n.text)).not.toContain('Salainen idea');
    expect(observer.heard.some((frame) => frame.includes('Salainen idea'))).toBe(false);
    expect(theirs.heard.some((frame) => frame.includes('Salainen idea'))).toBe(false);

    setPrivateWriting(facilitator.doc, false);
    await until(observer.doc, () => readWorkshop(observer.doc).notes.some((n) => n.text === 'Salainen idea'));
    expect(readWorkshop(observer.doc).notes.find((n) => n.text === 'Salainen idea')?.author).toBe(id);
    await until(own.doc, () => own.doc.getMap('drafts').size === 0);
  });
});
