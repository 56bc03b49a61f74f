/**
 * The role policy judged on real updates: a participant's replica makes a change with the
 * model's own functions (or with raw Yjs, as a modified client would), and the update it emits is
 * described against the facilitator's document and judged, as the server does.
 */
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { NoteId, ParticipantId } from '../ids';
import { anonymousTag } from '../model/authorship';
import { CLIENTS_ROOT, recordClientOnEdit } from '../model/collisions';
import { roots } from '../model/roots';
import {
  addAction,
  addLane,
  addNote,
  createTheme,
  createWorkshop,
  deleteLane,
  deleteNotes,
  moveNote,
  openVoteRound,
  setLocked,
  setNoteText,
  setPrivateWriting,
  setRoundState,
  setVote,
  startTimer,
  TEMPLATE_BOARD_IDS,
  upsertParticipant,
} from '../model/write';
import { addFundingLine, addObjective, alignAction, removeFundingLine, splitBudget } from '../model/plan';
import { MAX_ACTION_OBJECTIVES, MAX_FUNDING_LINES, readFundingLines } from '../model/action-keys';
import { describeUpdate } from './changes';
import { clientRecordsToWrite, judgeUpdate, may, type Refused, type Subject } from './policy';
import { workshopView } from './view';

const FACILITATOR: Subject = {
  role: 'facilitator',
  id: 'f0000000-0000-4000-8000-000000000000',
  authorKey: 'fk',
};
const ANNA: Subject = { role: 'participant', id: 'a0000000-0000-4000-8000-000000000000', authorKey: 'ak' };
const BO: Subject = { role: 'participant', id: 'b0000000-0000-4000-8000-000000000000', authorKey: 'bk' };
const VIEWER: Subject = { role: 'viewer', id: null, authorKey: null };
const NEEDS = TEMPLATE_BOARD_IDS.needs;

/** The server's document: a workshop with a lane, the facilitator's note and Anna's note. */
function room(): { server: Y.Doc; facilitatorNote: NoteId; annasNote: NoteId; lane: string } {
  const server = new Y.Doc();
  createWorkshop(server, {
    title: 'Kulttuuria kaikille',
    language: 'fi',
    boardTitles: { needs: 'Tarpeet', themes: 'Teemat', actions: 'Toimenpiteet' },
  });
  const lane = addLane(server, NEEDS, 'Nuoret') as string;
  const facilitatorNote = addNote(server, NEEDS, {
    text: 'Bussit',
    author: FACILITATOR.id,
  })!;
  const annasNote = addNote(server, NEEDS, { text: 'Kirjasto', author: ANNA.id })!;
  upsertParticipant(server, FACILITATOR.id as ParticipantId, {
    name: 'Fiia',
    colour: '#1D5FD1',
    role: 'facilitator',
  });
  return { server, facilitatorNote, annasNote, lane };
}

/** What `subject` gets for the update that `edit` makes on a replica of `server`. */
function attempt(server: Y.Doc, subject: Subject, edit: (replica: Y.Doc) => void): Refused | null {
  const replica = new Y.Doc();
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(server));
  const updates: Uint8Array[] = [];
  replica.on('update', (u: Uint8Array) => updates.push(u));
  edit(replica);
  expect(updates.length, 'the edit changed something').toBeGreaterThan(0);
  const update = Y.mergeUpdates(updates);
  return judgeUpdate(subject, workshopView(server), describeUpdate(server, update));
}

describe('a participant', () => {
  it('adds notes as themself, themes and actions, and edits any note, theme or action', () => {
    const { server, facilitatorNote } = room();
    expect(attempt(server, ANNA, (d) => addNote(d, NEEDS, { text: 'Uusi', author: ANNA.id }))).toBeNull();
    expect(attempt(server, ANNA, (d) => setNoteText(d, facilitatorNote, 'Bussit iltaisin'))).toBeNull();
    expect(attempt(server, ANNA, (d) => moveNote(d, facilitatorNote, 120, 40))).toBeNull();
    expect(
      attempt(server, ANNA, (d) => createTheme(d, { title: 'Liikkuminen', author: ANNA.id } as never)),
    ).toBeNull();
    expect(
      attempt(server, ANNA, (d) => addAction(d, { title: 'Iltabussi', author: ANNA.id } as never)),
    ).toBeNull();
  });

  it('deletes only what they wrote', () => {
    const { server, facilitatorNote, annasNote } = room();
    expect(attempt(server, ANNA, (d) => deleteNotes(d, [annasNote]))).toBeNull();
    expect(attempt(server, ANNA, (d) => deleteNotes(d, [facilitatorNote]))).toMatchObject({
      code: 'not-yours',
      path: `notes/${facilitatorNote}`,
    });
    expect(attempt(server, BO, (d) => deleteNotes(d, [annasNote]))?.code).toBe('not-yours');
  });

  it('cannot write as someone else, or change who wrote a note', () => {
    const { server, annasNote } = room();
    expect(attempt(server, BO, (d) => addNote(d, NEEDS, { text: 'x', author: ANNA.id }))?.code).toBe(
      'not-your-identity',
    );
    expect(attempt(server, BO, (d) => addNote(d, NEEDS, { text: 'x' }))?.code).toBe('not-your-identity');
    const note = (d: Y.Doc): Y.Map<unknown> => roots(d).notes.get(annasNote) as Y.Map<unknown>;
    expect(attempt(server, BO, (d) => note(d).set('author', BO.id))).toMatchObject({
      code: 'fixed-field',
      path: `notes/${annasNote}/author`,
    });
    expect(attempt(server, BO, (d) => note(d).set('boardId', 'elsewhere'))?.code).toBe('fixed-field');
  });

  it('cannot replace a note by writing a new one under its id', () => {
    const { server, facilitatorNote } = room();
    const replaced = attempt(server, BO, (d) =>
      roots(d).notes.set(
        facilitatorNote,
        new Y.Map<unknown>([
          ['text', new Y.Text('mine now')],
          ['author', BO.id],
        ]),
      ),
    );
    expect(replaced?.code).toBe('not-yours');
  });

  it('never touches session state, boards, votes, meta or roles', () => {
    const { server, lane } = room();
    const round = openVoteRound(server, { target: 'notes', dotsPerPerson: 3 });
    const attempts: [string, (d: Y.Doc) => void][] = [
      ['reveal a round', (d) => setRoundState(d, round, 'revealed')],
      ['lock', (d) => setLocked(d, true)],
      ['end private writing', (d) => setPrivateWriting(d, true)],
      ['start the timer', (d) => startTimer(d, 60_000, 0)],
      ['delete a lane', (d) => deleteLane(d, NEEDS, lane as never)],
      ['add a lane', (d) => addLane(d, NEEDS, 'Oma')],
      ['set the schema version', (d) => roots(d).meta.set('schemaVersion', 99)],
      ['vote directly', (d) => setVote(d, round, ANNA.id as ParticipantId, 'n1', 1)],
      ['set the phase', (d) => roots(d).facilitation.set('phase', 'actions')],
    ];
    for (const [what, edit] of attempts)
      expect(attempt(server, ANNA, edit)?.code, what).toBe('session-state');
  });

  it('writes their own roster entry but never a role, nor anyone else’s', () => {
    const { server } = room();
    const me = ANNA.id as ParticipantId;
    expect(
      attempt(server, ANNA, (d) =>
        upsertParticipant(d, me, { name: 'Anna', colour: '#B42318', role: 'participant' }),
      ),
    ).toBeNull();
    expect(
      attempt(server, ANNA, (d) =>
        upsertParticipant(d, me, { name: 'Anna', colour: '#B42318', role: 'facilitator' }),
      )?.code,
    ).toBe('session-state');
    expect(
      attempt(server, ANNA, (d) =>
        upsertParticipant(d, FACILITATOR.id as ParticipantId, {
          name: 'Fiia',
          colour: '#1D5FD1',
          role: 'participant',
        }),
      )?.code,
    ).toBe('not-your-identity');
  });

  it('is held by a lock of the workshop or of the board, and by a private writing round', () => {
    const { server, facilitatorNote } = room();
    setLocked(server, true);
    expect(attempt(server, ANNA, (d) => setNoteText(d, facilitatorNote, 'x'))?.code).toBe('locked');
    setLocked(server, false);
    roots(server).facilitation.set('lockedBoards', new Y.Map<unknown>([[NEEDS, true]]));
    expect(attempt(server, ANNA, (d) => setNoteText(d, facilitatorNote, 'x'))?.code).toBe('board-locked');
    expect(attempt(server, ANNA, (d) => addNote(d, NEEDS, { text: 'x', author: ANNA.id }))?.code).toBe(
      'board-locked',
    );
    roots(server).facilitation.delete('lockedBoards');
    setPrivateWriting(server, true);
    expect(attempt(server, ANNA, (d) => addNote(d, NEEDS, { text: 'x', author: ANNA.id }))?.code).toBe(
      'private-writing',
    );
  });

  it('is narrowed by the facilitator’s rules', () => {
    const { server, facilitatorNote, annasNote } = room();
    roots(server).facilitation.set('rules', { editOthers: false, addThemes: false, addActions: true });
    expect(attempt(server, ANNA, (d) => setNoteText(d, facilitatorNote, 'x'))?.code).toBe('narrowed');
    expect(attempt(server, ANNA, (d) => setNoteText(d, annasNote, 'oma'))).toBeNull();
    expect(attempt(server, ANNA, (d) => createTheme(d, { title: 't', author: ANNA.id } as never))?.code).toBe(
      'narrowed',
    );
  });

  it('tags what they write, not their id, in an anonymous workshop', () => {
    const { server } = room();
    roots(server).facilitation.set('anonymous', true);
    const id = 'n-anon' as NoteId;
    expect(attempt(server, ANNA, (d) => addNote(d, NEEDS, { id, text: 'x', author: ANNA.id }))?.code).toBe(
      'not-your-identity',
    );
    const tag = anonymousTag(ANNA.authorKey!, id) as ParticipantId;
    expect(attempt(server, ANNA, (d) => addNote(d, NEEDS, { id, text: 'x', author: tag }))).toBeNull();
    addNote(server, NEEDS, { id, text: 'x', author: tag });
    expect(attempt(server, ANNA, (d) => deleteNotes(d, [id]))).toBeNull();
    expect(attempt(server, BO, (d) => deleteNotes(d, [id]))?.code).toBe('not-yours');
  });

  it('may type into a note deleted meanwhile (it changes nothing anyone sees)', () => {
    const { server, facilitatorNote } = room();
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(server));
    deleteNotes(server, [facilitatorNote]);
    const updates: Uint8Array[] = [];
    replica.on('update', (u: Uint8Array) => updates.push(u));
    setNoteText(replica, facilitatorNote, 'Bussit myös');
    expect(judgeUpdate(ANNA, workshopView(server), describeUpdate(server, updates[0]!))).toBeNull();
  });

  it('cannot aim a change at items that do not exist yet', () => {
    const { server } = room();
    // A delete of the facilitator's next items, sent before they exist, would apply once they arrived.
    const next = Y.getState(server.store, server.clientID);
    expect(
      judgeUpdate(ANNA, workshopView(server), describeUpdate(server, deletesOnly(server.clientID, next, 3)))
        ?.code,
    ).toBe('unknown-change');
  });
});

describe('a viewer and a facilitator', () => {
  it('a viewer changes nothing; a facilitator anything', () => {
    const { server, annasNote } = room();
    expect(attempt(server, VIEWER, (d) => setNoteText(d, annasNote, 'x'))?.code).toBe('viewer');
    expect(attempt(server, FACILITATOR, (d) => deleteNotes(d, [annasNote]))).toBeNull();
    expect(attempt(server, FACILITATOR, (d) => roots(d).meta.set('schemaVersion', 99))).toBeNull();
  });

  it('the UI asks the same rules', () => {
    const { server, facilitatorNote, annasNote } = room();
    const view = workshopView(server);
    expect(may(ANNA, view, { kind: 'delete', root: 'notes', id: annasNote })).toBe(true);
    expect(may(ANNA, view, { kind: 'delete', root: 'notes', id: facilitatorNote })).toBe(false);
    expect(may(ANNA, view, { kind: 'facilitate' })).toBe(false);
    expect(may(VIEWER, view, { kind: 'add', root: 'notes', boardId: NEEDS })).toBe(false);
    expect(may(FACILITATOR, view, { kind: 'facilitate' })).toBe(true);
  });
});

/** An update of no items and one deleted range (what a modified client can send, V1 encoding). */
function deletesOnly(client: number, clock: number, len: number): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0); // no structs
  encoding.writeVarUint(encoder, 1); // one client in the delete set
  encoding.writeVarUint(encoder, client);
  encoding.writeVarUint(encoder, 1); // one range
  encoding.writeVarUint(encoder, clock);
  encoding.writeVarUint(encoder, len);
  return encoding.toUint8Array(encoder);
}

describe('describing updates', () => {
  it('places a chain of thousands of items, each placed by the next one it reads, without running out of stack', () => {
    const { server, annasNote } = room();
    const text = (roots(server).notes.get(annasNote) as Y.Map<unknown>).get('text') as Y.Text;
    const last = text._start!;
    // Characters typed one after another by 20,000 clients (an offline merge of many replicas),
    // each written with only its left neighbour (as Yjs writes it). The update lists the last
    // client first, so the first item read is placed by the second, and so on down the chain.
    const count = 20_000;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, count);
    for (let client = count; client >= 1; client--) {
      encoding.writeVarUint(encoder, 1); // one struct
      encoding.writeVarUint(encoder, client);
      encoding.writeVarUint(encoder, 0); // at clock 0
      encoding.writeUint8(encoder, 0b1000_0100); // has an origin; a string
      encoding.writeVarUint(encoder, client === 1 ? last.id.client : client - 1);
      encoding.writeVarUint(encoder, client === 1 ? last.id.clock + last.length - 1 : 0);
      encoding.writeVarString(encoder, 'x');
    }
    encoding.writeVarUint(encoder, 0); // no deletions
    const described = describeUpdate(server, encoding.toUint8Array(encoder));
    expect(described.unknown).toBe(false);
    expect(described.changes).toHaveLength(count);
    expect(new Set(described.changes.map((c) => c.path.join('/')))).toEqual(
      new Set([`notes/${annasNote}/text/*`]),
    );
    expect(judgeUpdate(BO, workshopView(server), described)).toBeNull();
  });
});

describe('updates that cannot be integrated now', () => {
  it('refuses an update that continues a client past what the document holds of it', () => {
    const { server } = room();
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(server));
    const updates: Uint8Array[] = [];
    replica.on('update', (u: Uint8Array) => updates.push(u));
    // The first note's update was refused (or lost); the second, a valid note on its own, follows it.
    addNote(replica, NEEDS, { text: 'refused', author: BO.id! });
    addNote(replica, NEEDS, { text: 'after the gap', author: ANNA.id! });
    const later = describeUpdate(server, updates[1]!);
    expect(later.unknown).toBe(true);
    expect(judgeUpdate(ANNA, workshopView(server), later)?.code).toBe('unknown-change');
    // Both together integrate, and are judged on what they hold.
    expect(
      judgeUpdate(ANNA, workshopView(server), describeUpdate(server, Y.mergeUpdates(updates)))?.code,
    ).toBe('not-your-identity');
  });
});

describe('an action’s plan fields (funding lines, objectives), as a modified client writes them', () => {
  /** The server's document with the facilitator's action, its plan's objective, and Anna's action. */
  function planRoom(): { server: Y.Doc; theirs: string; mine: string; goal: string } {
    const { server } = room();
    const theirs = addAction(server, { title: 'Iltabussi', author: FACILITATOR.id } as never) as string;
    const mine = addAction(server, { title: 'Kirjastoauto', author: ANNA.id } as never) as string;
    const goal = addObjective(server, 'Hyvinvointi');
    return { server, theirs, mine, goal };
  }
  const action = (d: Y.Doc, id: string): Y.Map<unknown> => roots(d).actions.get(id) as Y.Map<unknown>;
  const line = (order: number, cents = 100) => ({ source: 'Kunnat', cents, order });

  it('the split and alignment the app writes pass, also replacing every line at once', () => {
    const { server, theirs, goal } = planRoom();
    const parts = Array.from({ length: MAX_FUNDING_LINES }, (_, i) => ({
      source: `S${i}`,
      percent: 100 / MAX_FUNDING_LINES,
    }));
    splitBudget(server, theirs, 2_000_000, parts);
    expect(attempt(server, ANNA, (d) => splitBudget(d, theirs, 1_000_000, parts))).toBeNull();
    expect(attempt(server, ANNA, (d) => alignAction(d, theirs, goal))).toBeNull();
    expect(
      attempt(server, ANNA, (d) => removeFundingLine(d, theirs, readFundingLines(action(d, theirs))[0]!.id)),
    ).toBeNull();
  });

  it('an action holds at most MAX_FUNDING_LINES lines, however they are sent', () => {
    const { server, theirs } = planRoom();
    for (let i = 0; i < MAX_FUNDING_LINES; i++) addFundingLine(server, theirs, { source: `S${i}`, cents: 1 });
    expect(attempt(server, ANNA, (d) => action(d, theirs).set('line:one-more', line(99)))).toMatchObject({
      code: 'too-many',
      path: `actions/${theirs}/line:one-more`,
    });
    // Thousands of lines on a new action, in the update that creates it.
    const flood = attempt(server, ANNA, (d) =>
      d.transact(() => {
        const id = addAction(d, { title: 'Tulva', author: ANNA.id } as never) as string;
        for (let i = 0; i < 3000; i++) action(d, id).set(`line:${i}`, line(i));
      }),
    );
    expect(flood?.code).toBe('too-many');
  });

  it('a change that adds no line is never refused for the lines an action has (a facilitator may write more)', () => {
    const { server, theirs } = planRoom();
    server.transact(() => {
      for (let i = 0; i < MAX_FUNDING_LINES + 5; i++) action(server, theirs).set(`line:${i}`, line(i));
    });
    expect(attempt(server, ANNA, (d) => action(d, theirs).set('line:3', line(3, 999)))).toBeNull();
    expect(attempt(server, ANNA, (d) => removeFundingLine(d, theirs, '4'))).toBeNull();
    expect(attempt(server, ANNA, (d) => action(d, theirs).set('line:new', line(99)))?.code).toBe('too-many');
  });

  it('a line is a source, an amount in whole cents and an order; nothing else is kept', () => {
    const { server, theirs } = planRoom();
    const absurd: [string, unknown][] = [
      ['negative cents', line(0, -5)],
      ['cents past what is exact', line(0, 2 ** 60)],
      ['cents as text', { source: 'Kunnat', cents: '100', order: 0 }],
      ['no order', { source: 'Kunnat', cents: 100 }],
      ['a source of 10,000 characters', { source: 'x'.repeat(10_000), cents: 1, order: 0 }],
      ['a list', [1, 2, 3]],
      ['removing a line that is not the single budget by null', null],
    ];
    for (const [what, value] of absurd)
      expect(attempt(server, ANNA, (d) => action(d, theirs).set('line:x', value))?.code, what).toBe(
        'invalid-value',
      );
    expect(
      attempt(server, ANNA, (d) => action(d, theirs).set('line:x', new Y.Map<unknown>([['cents', 1]])))?.code,
    ).toBe('invalid-value');
    // The same values on an action created in the same update.
    expect(
      attempt(server, ANNA, (d) =>
        d.transact(() => {
          const id = addAction(d, { title: 'Uusi', author: ANNA.id } as never) as string;
          action(d, id).set('line:x', line(0, -5));
        }),
      )?.code,
    ).toBe('invalid-value');
  });

  it('an action names at most MAX_ACTION_OBJECTIVES objectives, each by a number', () => {
    const { server, theirs, goal } = planRoom();
    expect(attempt(server, ANNA, (d) => action(d, theirs).set(`objective:${goal}`, 'first'))).toMatchObject({
      code: 'invalid-value',
      path: `actions/${theirs}/objective:${goal}`,
    });
    // One the plan no longer lists (deleted while someone was offline) is kept, and read as none.
    expect(attempt(server, ANNA, (d) => action(d, theirs).set('objective:deleted-meanwhile', 0))).toBeNull();
    const naming = (count: number) => (d: Y.Doc) =>
      d.transact(() => {
        for (let i = 0; i < count; i++) action(d, theirs).set(`objective:${i}`, i);
      });
    expect(attempt(server, ANNA, naming(MAX_ACTION_OBJECTIVES))).toBeNull();
    expect(attempt(server, ANNA, naming(MAX_ACTION_OBJECTIVES + 1))?.code).toBe('too-many');
    expect(attempt(server, ANNA, naming(3000))?.code).toBe('too-many');
    // Nor through anything that is not a plan field of an action.
    expect(attempt(server, ANNA, (d) => action(d, theirs).set('package:x', new Y.Map()))?.code).toBe(
      'fixed-field',
    );
  });

  it('with editing others’ items narrowed, a participant changes no line of another’s action', () => {
    const { server, theirs, mine } = planRoom();
    const lineId = addFundingLine(server, theirs, { source: 'OKM', cents: 800 })!;
    roots(server).facilitation.set('rules', { editOthers: false, addThemes: true, addActions: true });
    expect(attempt(server, ANNA, (d) => removeFundingLine(d, theirs, lineId))?.code).toBe('narrowed');
    expect(attempt(server, ANNA, (d) => addFundingLine(d, theirs, { source: 'x', cents: 1 }))?.code).toBe(
      'narrowed',
    );
    expect(attempt(server, ANNA, (d) => addFundingLine(d, mine, { source: 'x', cents: 1 }))).toBeNull();
  });

  it('lines added and removed again offline arrive as one update, and pass', () => {
    const { server, theirs } = planRoom();
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(server));
    const before = Y.encodeStateVector(replica);
    const ids: string[] = [];
    for (let i = 0; i < MAX_FUNDING_LINES; i++)
      ids.push(addFundingLine(replica, theirs, { source: `S${i}`, cents: 1 })!);
    for (const id of ids.slice(0, 10)) removeFundingLine(replica, theirs, id);
    for (let i = 0; i < 10; i++) addFundingLine(replica, theirs, { source: `T${i}`, cents: 1 });
    const update = Y.encodeStateAsUpdate(replica, before);
    expect(judgeUpdate(ANNA, workshopView(server), describeUpdate(server, update))).toBeNull();
  });
});

describe('the record of who writes with a client (shared/model/collisions.ts)', () => {
  const records = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(CLIENTS_ROOT);
  /** The update `edit` makes on a new replica of `server` (a client that went offline), and that client's key. */
  const offline = (server: Y.Doc, edit: (replica: Y.Doc) => void): { update: Uint8Array; client: string } => {
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(server));
    const before = Y.encodeStateVector(replica);
    edit(replica);
    return { update: Y.encodeStateAsUpdate(replica, before), client: String(replica.clientID) };
  };

  it('is written by a participant for their own client, naming themself, with their first edit', () => {
    const { server, annasNote } = room();
    expect(
      attempt(server, ANNA, (d) => {
        recordClientOnEdit(d, () => ANNA.id);
        setNoteText(d, annasNote, 'Kirjasto auki');
      }),
    ).toBeNull();
  });

  it('is refused for another client, over someone else’s record, or deleted', () => {
    const { server } = room();
    expect(attempt(server, ANNA, (d) => records(d).set('12345', ANNA.id))?.code).toBe('not-your-identity');
    // A modified client taking over the facilitator's client id to have their edits named as its own.
    const facilitatorClient = new Y.Doc();
    Y.applyUpdate(facilitatorClient, Y.encodeStateAsUpdate(server));
    records(facilitatorClient).set(String(facilitatorClient.clientID), FACILITATOR.id);
    Y.applyUpdate(server, Y.encodeStateAsUpdate(facilitatorClient));
    const overwrite = (d: Y.Doc): void => {
      d.clientID = facilitatorClient.clientID;
      records(d).set(String(d.clientID), ANNA.id);
    };
    expect(attempt(server, ANNA, overwrite)?.code).toBe('not-your-identity');
    expect(attempt(server, ANNA, (d) => records(d).delete(String(facilitatorClient.clientID)))?.code).toBe(
      'not-your-identity',
    );
  });

  it('cannot be claimed for a client whose changes the room holds unrecorded (written before records were)', () => {
    const { server, annasNote } = room();
    // The room's history was written with the server document's client, and nobody recorded it.
    const unrecorded = server.clientID;
    const claim = (d: Y.Doc): void => {
      d.clientID = unrecorded;
      records(d).set(String(unrecorded), BO.id);
      setNoteText(d, annasNote, 'Kirjasto kiinni');
    };
    expect(attempt(server, BO, claim)).toMatchObject({
      code: 'not-your-identity',
      path: `${CLIENTS_ROOT}/${unrecorded}`,
    });
  });

  it('is taken for a client the sender started earlier without a record, or whose record names them', () => {
    const { server, annasNote } = room();
    // Bo's first edits went out before the server told him who he is: no record with them.
    const bos = new Y.Doc();
    Y.applyUpdate(bos, Y.encodeStateAsUpdate(server));
    setNoteText(bos, annasNote, 'Kirjasto ja kahvila');
    Y.applyUpdate(server, Y.encodeStateAsUpdate(bos));
    const record = (d: Y.Doc): void => {
      d.clientID = bos.clientID;
      records(d).set(String(d.clientID), BO.id);
    };
    expect(attempt(server, { ...BO, started: new Set([bos.clientID]) }, record)).toBeNull();
    // Without the server knowing he started it, it is not his to name (nor anyone's).
    expect(attempt(server, BO, record)?.code).toBe('not-your-identity');
    records(bos).set(String(bos.clientID), BO.id);
    Y.applyUpdate(server, Y.encodeStateAsUpdate(bos));
    expect(attempt(server, BO, record)).toBeNull();
  });

  it('naming anyone but the sender, for the sender’s own new client, is written as the sender', () => {
    const { server, annasNote } = room();
    const { update, client } = offline(server, (d) => {
      recordClientOnEdit(d, () => ANNA.id);
      setNoteText(d, annasNote, 'Kirjasto auki');
    });
    const changes = describeUpdate(server, update);
    expect(judgeUpdate(BO, workshopView(server), changes)).toBeNull();
    expect(clientRecordsToWrite(BO, workshopView(server), changes)).toEqual(new Map([[client, BO.id]]));
  });

  it('naming the sender’s earlier identity, or their id in a workshop turned anonymous meanwhile, refuses nothing: the server writes it as it must read', () => {
    const { server, annasNote } = room();
    // Anna edited offline; her client recorded her as the server knew her then.
    const { update, client } = offline(server, (d) => {
      recordClientOnEdit(d, () => ANNA.id);
      setNoteText(d, annasNote, 'Kirjasto auki myös sunnuntaina');
    });
    // The server has given her a new identity since.
    const renamed: Subject = { ...ANNA, id: 'a1111111-1111-4111-8111-111111111111' };
    const changes = describeUpdate(server, update);
    expect(judgeUpdate(renamed, workshopView(server), changes)).toBeNull();
    expect(clientRecordsToWrite(renamed, workshopView(server), changes)).toEqual(
      new Map([[client, renamed.id]]),
    );
    // The facilitator turned the workshop anonymous meanwhile.
    roots(server).facilitation.set('anonymous', true);
    const meanwhile = describeUpdate(server, update);
    expect(judgeUpdate(ANNA, workshopView(server), meanwhile)).toBeNull();
    expect(clientRecordsToWrite(ANNA, workshopView(server), meanwhile)).toEqual(
      new Map([[client, anonymousTag(ANNA.authorKey!, client)]]),
    );
    // A record that reads as it must is left as it is.
    expect(clientRecordsToWrite(ANNA, workshopView(server), describeUpdate(server, update)).size).toBe(1);
    const tagged = offline(server, (d) => {
      recordClientOnEdit(d, (key) => anonymousTag(ANNA.authorKey!, key));
      setNoteText(d, annasNote, 'Kirjasto auki');
    });
    expect(clientRecordsToWrite(ANNA, workshopView(server), describeUpdate(server, tagged.update)).size).toBe(
      0,
    );
  });

  it('names an anonymous tag, not the id, in an anonymous workshop', () => {
    const { server, annasNote } = room();
    roots(server).facilitation.set('anonymous', true);
    const edit =
      (who: (key: string) => string) =>
      (d: Y.Doc): void => {
        recordClientOnEdit(d, who);
        setNoteText(d, annasNote, 'Kirjasto auki');
      };
    expect(
      attempt(
        server,
        ANNA,
        edit((key) => anonymousTag(ANNA.authorKey!, key)),
      ),
    ).toBeNull();
  });
});
