/**
 * The role policy's test people (#11, #14): a stock y-websocket client that speaks Talkoo's
 * extensions (it hears its identity and its refusals, and keeps every frame it received), the
 * changes only a facilitator may make, and the check that a participant's every try is refused
 * and leaves the room as it was. rooms/enforcement.test.ts uses them on one server,
 * cluster/across-nodes.cluster.test.ts across nodes.
 */
import type * as decoding from 'lib0/decoding';
import { expect } from 'vitest';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { LaneId, NoteId, ParticipantId, RoundId } from '../../shared/ids';
import { setBallot } from '../../shared/model/personal';
import { readWorkshop } from '../../shared/model/read';
import { roots } from '../../shared/model/roots';
import {
  addLane,
  addNote,
  deleteLane,
  deleteNotes,
  openVoteRound,
  setLocked,
  setPrivateWriting,
  setRoundState,
  setVote,
  startTimer,
  TEMPLATE_BOARD_IDS,
  upsertParticipant,
} from '../../shared/model/write';
import {
  IDENTITY_PARAM,
  readRefusal,
  readSession,
  REFUSED_MESSAGE,
  SESSION_MESSAGE,
  type Refusal,
  type SessionInfo,
} from '../../shared/session-message';
import { encodeStoredRequest } from '../../shared/stored-message';
import { startWorkshop, synced, waitFor, type TestClient } from '../test-support';

/** A stock y-websocket client that speaks Talkoo's extensions: it hears its identity and refusals. */
export type Person = TestClient & {
  readonly session: Promise<SessionInfo>;
  readonly refusals: Refusal[];
  /** Every frame it received, as text (to search for what it must never see). */
  readonly heard: string[];
};

/** Connects a person to `room` (its own document with `personal`) at server `url` with `token`. */
export function connectPerson(
  url: string,
  room: string,
  token: string,
  options: { me?: string; personal?: boolean } = {},
): Person {
  const doc = new Y.Doc();
  const params: Record<string, string> = { token };
  if (options.me) params[IDENTITY_PARAM] = options.me;
  const provider = new WebsocketProvider(
    url.replace(/^http/, 'ws'),
    options.personal ? `${room}/me` : room,
    doc,
    {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      params,
      disableBc: true,
    },
  );
  const refusals: Refusal[] = [];
  const heard: string[] = [];
  let told: (info: SessionInfo) => void = () => undefined;
  const session = new Promise<SessionInfo>((resolve) => (told = resolve));
  provider.messageHandlers[REFUSED_MESSAGE] = (_e, decoder: decoding.Decoder) =>
    void refusals.push(readRefusal(decoder));
  provider.messageHandlers[SESSION_MESSAGE] = (_e, decoder: decoding.Decoder) => {
    const info = readSession(decoder);
    if (info) told(info);
  };
  provider.on('status', ({ status }: { status: string }) => {
    const ws = provider.ws;
    if (status !== 'connected' || !ws) return;
    ws.addEventListener('message', (event: MessageEvent) =>
      heard.push(Buffer.from(event.data as ArrayBuffer).toString('latin1')),
    );
    ws.send(new Uint8Array(encodeStoredRequest()));
  });
  return { doc, provider, session, refusals, heard };
}

/**
 * The workshop the policy tests start from, written by a connected `facilitator`: a lane, the
 * facilitator's note, an open round and a vote of theirs.
 */
export async function writeWorkshop(
  facilitator: Person,
): Promise<{ note: NoteId; lane: string; round: RoundId }> {
  const me = (await facilitator.session).id as ParticipantId;
  startWorkshop(facilitator.doc, 'Kulttuuria kaikille');
  const lane = addLane(facilitator.doc, TEMPLATE_BOARD_IDS.needs, 'Nuoret') as string;
  const note = addNote(facilitator.doc, TEMPLATE_BOARD_IDS.needs, { text: 'Bussit', author: me })!;
  upsertParticipant(facilitator.doc, me, { name: 'Fiia', colour: '#1D5FD1', role: 'facilitator' });
  const round = openVoteRound(facilitator.doc, { target: 'notes', dotsPerPerson: 3, maxPerItem: 2 });
  setVote(facilitator.doc, round, me, note, 1);
  return { note, lane, round };
}

/**
 * Each voter places two dots on `note` in the open `round` through its own document, opened by
 * `own` with the voter's identity; each is counted for the facilitator and nothing is refused.
 */
export async function castBallots(
  voters: readonly Person[],
  own: (identity: string) => Person,
  facilitator: Person,
  { round, note }: { round: RoundId; note: NoteId },
): Promise<void> {
  for (const voter of voters) {
    const { identity, id } = await voter.session;
    const ballots = own(identity);
    await synced(ballots);
    setBallot(ballots.doc, round, note, 2);
    await waitFor(
      'the ballot counted',
      () => readWorkshop(facilitator.doc).facilitation.progress[id as ParticipantId]?.dots[round] === 2,
    );
    expect(ballots.refusals).toEqual([]);
  }
}

/** One change a participant tries, named for the report of a failing check. */
export type Attempt = readonly [what: string, edit: (doc: Y.Doc) => void];

/**
 * Every change only a facilitator may make, and every deletion of what a participant did not
 * write, in a workshop with the facilitator's `lane`, `note`, open `round` and vote in it.
 */
export function facilitatorOnlyChanges(workshop: {
  readonly lane: string;
  readonly note: NoteId;
  readonly round: RoundId;
  readonly facilitator: ParticipantId;
  /** The participant who tries. */
  readonly me: ParticipantId;
}): Attempt[] {
  const { lane, note, round, facilitator, me } = workshop;
  return [
    ['reveal the round', (d) => setRoundState(d, round, 'revealed')],
    ['close the round', (d) => setRoundState(d, round, 'closed')],
    ['lock the workshop', (d) => setLocked(d, true)],
    ['start private writing', (d) => setPrivateWriting(d, true)],
    ['start the timer', (d) => startTimer(d, 60_000)],
    ['set the phase', (d) => roots(d).facilitation.set('phase', 'actions')],
    ['delete a lane', (d) => deleteLane(d, TEMPLATE_BOARD_IDS.needs, lane as LaneId)],
    ['delete the facilitator’s note', (d) => deleteNotes(d, [note])],
    ['delete the facilitator’s vote', (d) => roots(d).votes.forEach((_v, key) => roots(d).votes.delete(key))],
    ['vote directly', (d) => setVote(d, round, me, note, 2)],
    [
      'promote itself',
      (d) => upsertParticipant(d, me, { name: 'Me', colour: '#000000', role: 'facilitator' }),
    ],
    [
      'demote the facilitator',
      (d) => upsertParticipant(d, facilitator, { name: 'Fiia', colour: '#1D5FD1', role: 'participant' }),
    ],
    ['set the schema version', (d) => roots(d).meta.set('schemaVersion', 99)],
    ['change the title', (d) => roots(d).meta.set('title', 'Mine')],
  ];
}

/**
 * Each attempt, made by a new participant from `join` (closed afterwards), is refused, and the
 * room's state read by `state` stays what it was before the first.
 */
export async function expectEachRefused(
  attempts: readonly Attempt[],
  join: () => Person,
  state: () => unknown,
): Promise<void> {
  const before = await state();
  for (const [what, edit] of attempts) {
    const participant = join();
    await synced(participant);
    edit(participant.doc);
    await waitFor(`the refusal of “${what}”`, () => participant.refusals.length > 0);
    expect(participant.refusals[0]!.code, what).toMatch(/^(session-state|not-yours|not-your-identity)$/);
    expect(await state(), what).toEqual(before);
    participant.provider.destroy();
  }
}
