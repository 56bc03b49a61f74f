/**
 * The role policy held by the real server against stock y-websocket clients (#11): what a
 * participant or a viewer may not change is refused whole and the room's document stays as it
 * was; open ballots and private notes never reach another client; made-up identities add no votes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import type { NoteId, ParticipantId, RoundId } from '../../shared/ids';
import { anonymousTag } from '../../shared/model/authorship';
import { recordClientOnEdit, writerOf } from '../../shared/model/collisions';
import { addDraft, setBallot } from '../../shared/model/personal';
import { readWorkshop } from '../../shared/model/read';
import { roots } from '../../shared/model/roots';
import { tallyRound } from '../../shared/model/votes';
import { splitBudget } from '../../shared/model/plan';
import {
  addAction,
  addNote,
  deleteNotes,
  setLocked,
  setPrivateWriting,
  setNoteText,
  setRoundState,
  setVote,
  TEMPLATE_BOARD_IDS,
} from '../../shared/model/write';
import { IDENTITY_PARAM } from '../../shared/session-message';
import { CLOSE } from '../../shared/close-codes';
import type { RunningServer } from '../server';
import { closeOf, synced, TestBed, tokenFor, until, waitFor } from '../test-support';
import {
  castBallots,
  connectPerson,
  expectEachRefused,
  facilitatorOnlyChanges,
  type Person,
  writeWorkshop,
} from '../test-support/policy-people';
import { join as joinPath } from 'node:path';
import { openLevelStorage } from '../storage/level-storage';
import { MAX_PEOPLE_WITH_DOCUMENTS } from './facilitation';

const ROOM = 'enforced';
const NEEDS = TEMPLATE_BOARD_IDS.needs;
const bed = new TestBed();
const people: Person[] = [];

afterEach(async () => {
  people.splice(0).forEach((p) => p.provider.destroy());
  await bed.cleanUp();
});

function join(
  server: RunningServer,
  role: 'facilitator' | 'participant' | 'viewer',
  options: { me?: string; personal?: boolean } = {},
): Person {
  const person = connectPerson(server.url, ROOM, tokenFor(server, ROOM, role), options);
  people.push(person);
  return person;
}

/** The room's document on the server, as a plain comparable value. */
function serverState(server: RunningServer): unknown {
  const doc = server.rooms.peek(ROOM)!.doc;
  return { state: Y.encodeStateVector(doc), workshop: readWorkshop(doc) };
}

/** A facilitator's workshop: a lane, the facilitator's note, an open round and a vote of theirs. */
async function workshop(
  server: RunningServer,
): Promise<{ facilitator: Person; note: NoteId; lane: string; round: RoundId }> {
  const facilitator = join(server, 'facilitator');
  await synced(facilitator);
  const { note, lane, round } = await writeWorkshop(facilitator);
  await waitFor('the workshop on the server', () =>
    server.rooms.peek(ROOM)?.doc ? readWorkshop(server.rooms.peek(ROOM)!.doc).rounds.length === 1 : false,
  );
  return { facilitator, note, lane, round };
}

describe('the role policy on the server', () => {
  it('refuses every facilitator-only change and every deletion of what a participant did not write; the room is unchanged', async () => {
    const server = await bed.start();
    const { note, lane, round, facilitator } = await workshop(server);
    const facilitatorId = (await facilitator.session).id as ParticipantId;
    const first = join(server, 'participant');
    await synced(first);
    const me = (await first.session).identity;
    const myId = (await first.session).id as ParticipantId;
    first.provider.destroy();
    await expectEachRefused(
      facilitatorOnlyChanges({ lane, note, round, facilitator: facilitatorId, me: myId }),
      () => join(server, 'participant', { me }),
      () => serverState(server),
    );
    // Unlocked and unchanged, the room still takes what a participant may do.
    const participant = join(server, 'participant', { me });
    await synced(participant);
    addNote(participant.doc, NEEDS, { text: 'Kirjasto', author: myId });
    await until(facilitator.doc, () =>
      readWorkshop(facilitator.doc).notes.some((n) => n.text === 'Kirjasto'),
    );
    expect(participant.refusals).toEqual([]);
  });

  it('refuses a viewer’s every change', async () => {
    const server = await bed.start();
    const { note } = await workshop(server);
    const before = serverState(server);
    const viewer = join(server, 'viewer');
    await synced(viewer);
    setLocked(viewer.doc, true);
    deleteNotes(viewer.doc, [note]);
    addNote(viewer.doc, NEEDS, { text: 'viewer' });
    await waitFor('the viewer’s refusals', () => viewer.refusals.length === 3);
    expect(new Set(viewer.refusals.map((r) => r.code))).toEqual(new Set(['viewer']));
    expect(serverState(server)).toEqual(before);
  });
});

describe('what stays secret until a reveal', () => {
  it('no client receives the votes of an open round; the reveal publishes the tally', async () => {
    const server = await bed.start();
    const { facilitator, note, round } = await workshop(server);
    const observer = join(server, 'participant');
    await synced(observer);
    const voters = [join(server, 'participant'), join(server, 'participant')];
    for (const voter of voters) await synced(voter);
    await castBallots(
      voters,
      (identity) => join(server, 'participant', { me: identity, personal: true }),
      facilitator,
      { round, note },
    );
    // Open: only the facilitator's own direct vote is in the workshop; nobody received a ballot.
    for (const someone of [observer, facilitator, ...voters])
      expect(tallyRound(someone.doc, round)?.ranking).toEqual([{ target: note, count: 1 }]);
    const ids = await Promise.all(voters.map(async (v) => (await v.session).id));
    for (const id of ids)
      expect(observer.heard.some((frame) => frame.includes(`${round}|${id}`))).toBe(false);

    // The reveal publishes the ballot box: the round's votes are the ballots (the facilitator's
    // direct vote, written while the round was open, is replaced by them).
    setRoundState(facilitator.doc, round, 'revealed');
    await until(observer.doc, () => tallyRound(observer.doc, round)?.ranking[0]?.count === 4);
    const voted = tallyRound(observer.doc, round)!.entries.map((e) => e.participant);
    expect(voted.sort()).toEqual([...ids].sort());
  });

  it('a private note reaches only its writer and the server until the facilitator reveals it', async () => {
    const server = await bed.start();
    const { facilitator } = await workshop(server);
    setPrivateWriting(facilitator.doc, true);
    const observer = join(server, 'participant');
    await synced(observer);
    const writer = join(server, 'participant');
    await synced(writer);
    const { identity, id } = await writer.session;
    const own = join(server, 'participant', { me: identity, personal: true });
    await synced(own);
    addDraft(own.doc, NEEDS, { text: 'Salainen idea' });
    await waitFor(
      'the draft counted',
      () => readWorkshop(facilitator.doc).facilitation.progress[id as ParticipantId]?.drafts === 1,
    );
    // The observer's own document is its own, and another's cannot be opened with a made-up identity.
    const theirs = join(server, 'participant', { me: (await observer.session).identity, personal: true });
    await synced(theirs);
    expect(theirs.doc.getMap('drafts').size).toBe(0);
    const forged = await closeOf(
      new WebSocket(
        `${server.url.replace(/^http/, 'ws')}/${ROOM}/me?token=${tokenFor(server, ROOM, 'participant')}&${IDENTITY_PARAM}=${encodeURIComponent(identity.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')))}`,
      ),
    );
    expect(forged.code).toBe(CLOSE.identityInvalid);
    for (const someone of [observer, facilitator])
      expect(readWorkshop(someone.doc).notes.map((n) => n.text)).not.toContain('Salainen idea');
    expect(observer.heard.some((frame) => frame.includes('Salainen idea'))).toBe(false);

    setPrivateWriting(facilitator.doc, false);
    await until(observer.doc, () => readWorkshop(observer.doc).notes.some((n) => n.text === 'Salainen idea'));
    expect(readWorkshop(observer.doc).notes.find((n) => n.text === 'Salainen idea')?.author).toBe(id);
    await until(own.doc, () => own.doc.getMap('drafts').size === 0);
  });

  it('twenty identities made up by one client add no votes', async () => {
    const server = await bed.start();
    const { facilitator, note, round } = await workshop(server);
    const mallory = join(server, 'participant');
    await synced(mallory);
    const { identity, id } = await mallory.session;
    for (let i = 0; i < 20; i++) setVote(mallory.doc, round, `fake-${i}` as ParticipantId, note, 2);
    await waitFor('the refusal', () => mallory.refusals.length > 0);
    for (let i = 0; i < 20; i++) {
      const fake = join(server, 'participant', { me: `i1.fake${i}.sig`, personal: true });
      const closed = await new Promise<number>((resolve) =>
        fake.provider.on('connection-close', (e: CloseEvent | null) => resolve(e?.code ?? 0)),
      );
      expect(closed).toBe(CLOSE.identityInvalid);
      fake.provider.destroy();
    }
    const own = join(server, 'participant', { me: identity, personal: true });
    await synced(own);
    setBallot(own.doc, round, note, 3);
    await waitFor('the over-limit ballot refused', () => own.refusals.some((r) => r.code === 'vote-limit'));
    const own2 = join(server, 'participant', { me: identity, personal: true });
    await synced(own2);
    expect(own2.doc.getMap('ballots').size).toBe(0);
    setBallot(own2.doc, round, note, 2);
    await waitFor(
      'the ballot counted',
      () => readWorkshop(facilitator.doc).facilitation.progress[id as ParticipantId]?.dots[round] === 2,
    );
    setRoundState(facilitator.doc, round, 'revealed');
    await until(facilitator.doc, () => tallyRound(facilitator.doc, round)?.ranking[0]?.count !== 1);
    expect(tallyRound(facilitator.doc, round)!.entries).toEqual([
      { participant: id, target: note, count: 2 },
    ]);
  });

  it('a reveal the server stopped before finishing is finished when the room loads again', async () => {
    const dataDir = bed.dir();
    const server = await bed.start({ dataDir });
    const { round, note } = await workshop(server);
    const voter = join(server, 'participant');
    await synced(voter);
    const { identity, id } = await voter.session;
    const own = join(server, 'participant', { me: identity, personal: true });
    await synced(own);
    setBallot(own.doc, round, note, 2);
    await waitFor(
      'the ballot counted',
      () =>
        readWorkshop(server.rooms.peek(ROOM)!.doc).facilitation.progress[id as ParticipantId]?.dots[round] ===
        2,
    );
    people.splice(0).forEach((p) => p.provider.destroy());
    await bed.stop(server);
    // The facilitator's reveal was stored, and then the server stopped: no ballot was written.
    const storage = await openLevelStorage(joinPath(dataDir, 'rooms'));
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.mergeUpdates(await storage.load(ROOM)));
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    setRoundState(doc, round, 'revealed');
    await storage.append(ROOM, updates);
    await storage.close();

    const again = await bed.start({ dataDir });
    const observer = join(again, 'participant');
    await synced(observer);
    // The round's votes are the ballot box's: the facilitator's direct vote is replaced by them.
    await until(observer.doc, () => tallyRound(observer.doc, round)?.ranking[0]?.count === 2);
    expect(tallyRound(observer.doc, round)!.entries).toEqual([{ participant: id, target: note, count: 2 }]);
  });

  it('a workshop turned anonymous keeps nobody’s id as an author or a voter, for whoever joins from then on', async () => {
    const server = await bed.start();
    const { facilitator, round } = await workshop(server);
    const writer = join(server, 'participant');
    await synced(writer);
    const { id } = await writer.session;
    recordClientOnEdit(writer.doc, () => id);
    addNote(writer.doc, NEEDS, { text: 'Omani', author: id });
    setRoundState(facilitator.doc, round, 'revealed');
    await until(facilitator.doc, () => readWorkshop(facilitator.doc).notes.some((n) => n.text === 'Omani'));
    const ids = [id, (await facilitator.session).id];

    roots(facilitator.doc).facilitation.set('anonymous', true);
    const newcomer = join(server, 'participant');
    await synced(newcomer);
    await until(newcomer.doc, () =>
      readWorkshop(newcomer.doc).notes.every((n) => !ids.includes(n.author ?? '')),
    );
    // No author and no voter in what a newcomer receives is anyone's id (the roster still lists
    // who is in the workshop: that names nobody as the writer of anything).
    const received = readWorkshop(newcomer.doc);
    expect(received.notes.filter((n) => ids.includes(n.author ?? ''))).toEqual([]);
    expect([...roots(newcomer.doc).votes.keys()].filter((key) => ids.some((i) => key.includes(i)))).toEqual(
      [],
    );
    expect(readWorkshop(newcomer.doc).notes.find((n) => n.text === 'Omani')?.author).toMatch(/^anon:/);
    // Nor does the record of who writes with which client (shared/model/collisions.ts).
    expect(writerOf(newcomer.doc, writer.doc.clientID)).toMatch(/^anon:/);
    expect(
      readWorkshop(newcomer.doc).tallies[0]?.entries.every((e) => e.participant.startsWith('anon:')),
    ).toBe(true);
  });

  it('takes a participant’s record of who writes with their client, as its sender, and refuses a claim on a client the room holds unrecorded changes of', async () => {
    const server = await bed.start();
    const { facilitator, note } = await workshop(server);
    const anna = join(server, 'participant');
    await synced(anna);
    const annasId = (await anna.session).id;
    recordClientOnEdit(anna.doc, () => annasId);
    setNoteText(anna.doc, note, 'Bussit iltaisin');
    await until(facilitator.doc, () => writerOf(facilitator.doc, anna.doc.clientID) === annasId);

    // A modified client names Anna as the writer of its own edit, to have its change put on her:
    // the server writes its record as its sender's.
    const forger = join(server, 'participant');
    await synced(forger);
    const forgersId = (await forger.session).id;
    recordClientOnEdit(forger.doc, () => annasId);
    setNoteText(forger.doc, note, 'Bussit pois');
    await until(facilitator.doc, () => writerOf(facilitator.doc, forger.doc.clientID) === forgersId);
    expect(forger.refusals).toEqual([]);

    // The facilitator's client wrote the workshop without a record (as before records existed):
    // writing with its id and naming itself, the forger would have the facilitator's values that
    // lost collisions told as its own.
    const claimer = join(server, 'participant');
    await synced(claimer);
    const claimersId = (await claimer.session).id;
    const before = serverState(server);
    const own = claimer.doc.clientID;
    claimer.doc.clientID = facilitator.doc.clientID;
    recordClientOnEdit(claimer.doc, () => claimersId);
    setNoteText(claimer.doc, note, 'Bussit minun');
    // Its presence goes on under its own id (y-websocket keeps it by the document's).
    claimer.doc.clientID = own;
    await waitFor('the refusal', () => claimer.refusals.length > 0);
    expect(claimer.refusals[0]).toMatchObject({
      code: 'not-your-identity',
      path: `clients/${facilitator.doc.clientID}`,
    });
    expect(serverState(server)).toEqual(before);
    expect(writerOf(server.rooms.peek(ROOM)!.doc, facilitator.doc.clientID)).toBeNull();
  });

  it('keeps a participant’s offline edit made while the workshop turned anonymous, with their record as their tag', async () => {
    const server = await bed.start();
    const { facilitator, note } = await workshop(server);
    const anna = join(server, 'participant');
    await synced(anna);
    const session = await anna.session;
    // Her next connection presents who she is, as the app does.
    anna.provider.params[IDENTITY_PARAM] = session.identity;
    anna.provider.disconnect();
    // Offline, her client records her as it knows her, with her first edit.
    recordClientOnEdit(anna.doc, () => session.id);
    setNoteText(anna.doc, note, 'Bussit myös sunnuntaisin');
    // Meanwhile the facilitator makes the workshop anonymous.
    roots(facilitator.doc).facilitation.set('anonymous', true);
    await waitFor('the workshop anonymous on the server', () =>
      Boolean(roots(server.rooms.peek(ROOM)!.doc).facilitation.get('anonymous')),
    );
    const observer = join(server, 'participant');
    await synced(observer);

    anna.provider.connect();
    const tag = anonymousTag(session.authorKey, String(anna.doc.clientID));
    await until(facilitator.doc, () => writerOf(facilitator.doc, anna.doc.clientID) === tag);
    expect(anna.refusals).toEqual([]);
    const text = (doc: Y.Doc): string | undefined => readWorkshop(doc).notes.find((n) => n.id === note)?.text;
    expect(text(server.rooms.peek(ROOM)!.doc)).toBe('Bussit myös sunnuntaisin');
    expect(text(facilitator.doc)).toBe('Bussit myös sunnuntaisin');
    // She holds the record as the server wrote it, and nobody else ever received her id.
    await until(anna.doc, () => writerOf(anna.doc, anna.doc.clientID) === tag);
    await until(observer.doc, () => writerOf(observer.doc, anna.doc.clientID) === tag);
    expect(observer.heard.some((frame) => frame.includes(session.id))).toBe(false);
    expect(facilitator.heard.some((frame) => frame.includes(session.id))).toBe(false);
  });

  it('keeps at most so many people’s own documents per room, however many identities one link makes', async () => {
    const server = await bed.start();
    const { facilitator, note, round } = await workshop(server);
    // As many people as a room keeps documents for have placed dots (a facilitator's script may
    // write progress; here it stands for them).
    const progress = new Y.Map<unknown>();
    roots(facilitator.doc).facilitation.set('progress', progress);
    facilitator.doc.transact(() => {
      for (let i = 0; i < MAX_PEOPLE_WITH_DOCUMENTS; i++) progress.set(`p${i}`, { drafts: 0, dots: {} });
    });
    await waitFor(
      'the progress on the server',
      () =>
        readWorkshop(server.rooms.peek(ROOM)!.doc).facilitation.progress['p499' as ParticipantId] !==
        undefined,
    );
    const newcomer = join(server, 'participant');
    await synced(newcomer);
    const own = join(server, 'participant', { me: (await newcomer.session).identity, personal: true });
    await synced(own);
    setBallot(own.doc, round, note, 1);
    await waitFor('the refusal', () => own.refusals.length > 0);
    expect(own.refusals[0]?.code).toBe('personal-full');
  });
});

describe('an action’s plan fields on the server (#12)', () => {
  it('refuses a participant’s flood of funding lines or lines of absurd amounts whole; a real split reaches the facilitator', async () => {
    const server = await bed.start();
    const { facilitator } = await workshop(server);
    const facilitatorId = (await facilitator.session).id;
    const act = addAction(facilitator.doc, { title: 'Iltabussi', author: facilitatorId });
    await waitFor('the action on the server', () =>
      readWorkshop(server.rooms.peek(ROOM)!.doc).actions.some((a) => a.id === act),
    );
    const before = serverState(server);
    const floods: [string, string, (action: Y.Map<unknown>) => void][] = [
      [
        '3,000 lines',
        'too-many',
        (action) => {
          for (let i = 0; i < 3000; i++) action.set(`line:${i}`, { source: 'Kunnat', cents: 1, order: i });
        },
      ],
      [
        'negative cents',
        'invalid-value',
        (action) => action.set('line:x', { source: 'K', cents: -1, order: 0 }),
      ],
      [
        'inexact cents',
        'invalid-value',
        (action) => action.set('line:x', { source: 'K', cents: 2 ** 60, order: 0 }),
      ],
    ];
    for (const [what, code, flood] of floods) {
      const participant = join(server, 'participant');
      await synced(participant);
      participant.doc.transact(() => flood(roots(participant.doc).actions.get(act) as Y.Map<unknown>));
      await waitFor(`the refusal of ${what}`, () => participant.refusals.length > 0);
      expect(participant.refusals[0]!.code, what).toBe(code);
      expect(serverState(server), what).toEqual(before);
      participant.provider.destroy();
    }
    const participant = join(server, 'participant');
    await synced(participant);
    splitBudget(participant.doc, act, 500_000_00, [
      { source: 'OKM', percent: 80 },
      { source: 'Kunnat', percent: 20 },
    ]);
    await until(facilitator.doc, () => readWorkshop(facilitator.doc).actions[0]?.split.length === 2);
    expect(readWorkshop(facilitator.doc).actions[0]?.split.map((l) => l.cents)).toEqual([
      400_000_00, 100_000_00,
    ]);
    expect(participant.refusals).toEqual([]);
  });
});
