/**
 * Offline edits that collide: two replicas change the same short field while apart and exchange
 * their updates only afterwards, in either order and with either client id the higher (Yjs keeps
 * the value of the higher one). The replica whose value lost hears of exactly one collision that
 * names its value and the winner; the winner, a sequential edit and a text field hear of none.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ActionId, NoteId } from '../ids';
import { observeCollisions, putBack, recordClientOnEdit, writerOf, type Collision } from './collisions';
import { mergeWorkshopState } from './merge-file';
import { splitBudget, updateFundingLine } from './plan';
import { readWorkshop } from './read';
import { alice, bob, needs, newWorkshop } from './test-workshop';
import { addAction, addNote, setActionTitle, setNoteColour, transact, updateAction } from './write';

type Replica = { readonly doc: Y.Doc; readonly heard: Collision[] };

/** Two replicas of one workshop with an action and a note, each recording who writes from it. */
function pair(clients: readonly [number, number]): {
  a: Replica;
  b: Replica;
  action: ActionId;
  note: NoteId;
} {
  const base = newWorkshop();
  const action = addAction(base, { title: 'Kirjastoauto', author: alice });
  updateAction(base, action, { owner: 'Kunta' });
  const note = addNote(base, needs, { text: 'Tilaa nuorille', author: alice })!;
  const start = Y.encodeStateAsUpdate(base);
  const replica = (client: number, who: string): Replica => {
    const doc = new Y.Doc();
    doc.clientID = client;
    Y.applyUpdate(doc, start);
    recordClientOnEdit(doc, () => who);
    const heard: Collision[] = [];
    observeCollisions(doc, (found) => heard.push(...found));
    return { doc, heard };
  };
  return { a: replica(clients[0], alice), b: replica(clients[1], bob), action, note };
}

/** Sends everything `from` has that `to` lacks. */
function send(from: Y.Doc, to: Y.Doc): void {
  Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)), 'remote');
}

const ownerOf = (doc: Y.Doc, id: ActionId): string | undefined =>
  readWorkshop(doc).actions.find((a) => a.id === id)?.owner;

describe('offline edits that collide', () => {
  for (const clients of [
    [100, 200],
    [200, 100],
  ] as const) {
    for (const order of ['a first', 'b first'] as const) {
      it(`tells only the loser, once, with both values and the winner (client ids ${clients[0]} and ${clients[1]}, ${order})`, () => {
        const { a, b, action } = pair(clients);
        updateAction(a.doc, action, { owner: 'Kirsi' });
        updateAction(b.doc, action, { owner: 'Mikko' });
        if (order === 'a first') {
          send(a.doc, b.doc);
          send(b.doc, a.doc);
        } else {
          send(b.doc, a.doc);
          send(a.doc, b.doc);
        }
        const kept = ownerOf(a.doc, action);
        expect(ownerOf(b.doc, action)).toBe(kept);
        const [loser, winner] = kept === 'Mikko' ? [a, b] : [b, a];
        const [lost, won] = kept === 'Mikko' ? ['Kirsi', 'Mikko'] : ['Mikko', 'Kirsi'];
        expect(winner.heard).toEqual([]);
        expect(loser.heard).toMatchObject([
          {
            root: 'actions',
            id: action,
            field: 'owner',
            lost,
            won,
            loser: loser === a ? alice : bob,
            winner: winner === a ? alice : bob,
            loserClient: loser.doc.clientID,
            winnerClient: winner.doc.clientID,
          },
        ]);
      });
    }
  }

  it('is silent about an edit made after seeing the other one', () => {
    const { a, b, action } = pair([200, 100]);
    updateAction(a.doc, action, { owner: 'Kirsi' });
    send(a.doc, b.doc);
    updateAction(b.doc, action, { owner: 'Mikko' });
    send(b.doc, a.doc);
    expect(ownerOf(a.doc, action)).toBe('Mikko');
    expect([...a.heard, ...b.heard]).toEqual([]);
  });

  it('is silent about text: both sides keep their words', () => {
    const { a, b, action } = pair([100, 200]);
    setActionTitle(a.doc, action, 'Kirjastoauto kylille');
    setActionTitle(b.doc, action, 'Uusi kirjastoauto');
    send(a.doc, b.doc);
    send(b.doc, a.doc);
    expect(readWorkshop(a.doc).actions[0]!.title).toBe(readWorkshop(b.doc).actions[0]!.title);
    expect([...a.heard, ...b.heard]).toEqual([]);
  });

  it('is silent when both sides chose the same value', () => {
    const { a, b, action } = pair([100, 200]);
    updateAction(a.doc, action, { status: 'planned' });
    updateAction(b.doc, action, { status: 'planned' });
    send(a.doc, b.doc);
    send(b.doc, a.doc);
    expect([...a.heard, ...b.heard]).toEqual([]);
  });

  it("tells of a note's colour, and putting mine back is an edit everyone receives", () => {
    const { a, b, note } = pair([100, 200]);
    setNoteColour(a.doc, note, 'green');
    setNoteColour(b.doc, note, 'pink');
    send(a.doc, b.doc);
    send(b.doc, a.doc);
    const colour = (doc: Y.Doc): string | undefined =>
      readWorkshop(doc).notes.find((n) => n.id === note)?.colour;
    expect(colour(a.doc)).toBe('pink');
    expect(a.heard).toMatchObject([
      { root: 'notes', id: note, field: 'colour', lost: 'green', won: 'pink', loser: alice, winner: bob },
    ]);
    expect(putBack(a.doc, a.heard[0]!)).toBe(true);
    send(a.doc, b.doc);
    expect(colour(a.doc)).toBe('green');
    expect(colour(b.doc)).toBe('green');
    // Putting back is not itself a collision for anyone.
    expect(b.heard).toEqual([]);
    expect(a.heard).toHaveLength(1);
  });

  it("tells the facilitator when a participant's offline owner replaces their later one", () => {
    // The participant's client id is the higher: Yjs keeps its value although it is older.
    const { a: facilitator, b: participant, action } = pair([100, 200]);
    updateAction(participant.doc, action, { owner: 'Kirsi' }); // offline, on the train
    updateAction(facilitator.doc, action, { owner: 'Mikko' }); // later, online
    send(participant.doc, facilitator.doc); // the participant comes back
    send(facilitator.doc, participant.doc);
    expect(ownerOf(facilitator.doc, action)).toBe('Kirsi');
    expect(participant.heard).toEqual([]);
    expect(facilitator.heard).toMatchObject([
      { root: 'actions', id: action, field: 'owner', lost: 'Mikko', won: 'Kirsi', loser: alice, winner: bob },
    ]);
  });

  it('records each writing client once, with who it is, and tells a third replica whose value lost', () => {
    const { a, b, action } = pair([100, 200]);
    updateAction(a.doc, action, { owner: 'Kirsi' });
    updateAction(a.doc, action, { status: 'planned' });
    updateAction(b.doc, action, { owner: 'Mikko' });
    expect(writerOf(a.doc, 100)).toBe(alice);
    const third = new Y.Doc();
    Y.applyUpdate(third, Y.encodeStateAsUpdate(a.doc));
    const heard: Collision[] = [];
    observeCollisions(third, (found) => heard.push(...found));
    send(b.doc, third);
    expect(heard.map((c) => [c.lost, c.loser, c.won, c.winner])).toEqual([['Kirsi', alice, 'Mikko', bob]]);
    expect(writerOf(third, 300)).toBeNull();
  });

  it('records the writer only with a change: a local transaction that changes nothing sends nothing', () => {
    const { a, action } = pair([100, 200]);
    const sent: Uint8Array[] = [];
    a.doc.on('update', (update: Uint8Array) => sent.push(update));
    // A write of what is already there (the app does this when a page opens: its roster entry).
    transact(a.doc, () => undefined);
    updateAction(a.doc, action, { owner: 'Kunta' });
    expect(sent).toHaveLength(0);
    expect(writerOf(a.doc, 100)).toBeNull();
    // The first real change carries the record, in the same update.
    updateAction(a.doc, action, { owner: 'Kirsi' });
    expect(sent).toHaveLength(1);
    expect(writerOf(a.doc, 100)).toBe(alice);
  });

  it('is silent while a replica loads a whole document at once', () => {
    const { a, b, action } = pair([100, 200]);
    updateAction(a.doc, action, { owner: 'Kirsi' });
    updateAction(b.doc, action, { owner: 'Mikko' });
    send(b.doc, a.doc);
    const fresh = new Y.Doc();
    const heard: Collision[] = [];
    observeCollisions(fresh, (found) => heard.push(...found));
    Y.applyUpdate(fresh, Y.encodeStateAsUpdate(a.doc));
    expect(heard).toEqual([]);
  });

  it('tells of a field both changed when a colleague’s workshop file is merged in', () => {
    const { a, b, action, note } = pair([200, 100]);
    updateAction(a.doc, action, { owner: 'Kirsi' });
    setNoteColour(a.doc, note, 'green');
    updateAction(b.doc, action, { owner: 'Mikko' });
    addNote(b.doc, needs, { text: 'Bussi kylille', author: bob });
    // b saved a file; a opens it. a's client id is the higher: a's owner stays, b's is replaced.
    mergeWorkshopState(b.doc, Y.encodeStateAsUpdate(a.doc), 'file');
    expect(ownerOf(b.doc, action)).toBe('Kirsi');
    expect(b.heard).toMatchObject([
      { field: 'owner', lost: 'Mikko', won: 'Kirsi', loser: bob, winner: alice },
    ]);
    expect(readWorkshop(b.doc).notes.find((n) => n.id === note)?.colour).toBe('green');
  });

  it('tells of a funding line both changed, and puts its amount back', () => {
    const { a, b, action } = pair([100, 200]);
    splitBudget(a.doc, action, 100_000_00, [{ source: 'OKM', percent: 100 }]);
    send(a.doc, b.doc);
    const line = readWorkshop(a.doc).actions[0]!.split[0]!.id;
    updateFundingLine(a.doc, action, line, { cents: 120_000_00 });
    updateFundingLine(b.doc, action, line, { cents: 90_000_00 });
    send(a.doc, b.doc);
    send(b.doc, a.doc);
    const cents = (doc: Y.Doc): number | undefined => readWorkshop(doc).actions[0]!.split[0]?.cents;
    expect(cents(a.doc)).toBe(90_000_00);
    expect(b.heard).toEqual([]);
    expect(a.heard).toMatchObject([
      {
        field: `line:${line}`,
        lost: { source: 'OKM', cents: 120_000_00 },
        won: { source: 'OKM', cents: 90_000_00 },
        loser: alice,
        winner: bob,
      },
    ]);
    expect(putBack(a.doc, a.heard[0]!)).toBe(true);
    send(a.doc, b.doc);
    expect(cents(b.doc)).toBe(120_000_00);
  });
});
