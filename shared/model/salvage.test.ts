/**
 * Salvaging a person's own new items after a refused update: `server` stands for the room as the
 * server holds it, `previous` for this device's copy that was refused (it holds what the server
 * does, and more), `fresh` for the copy reloaded from the server.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { NoteId } from '../ids';
import { isAuthor, may, type Subject } from '../policy/policy';
import { workshopView } from '../policy/view';
import { anonymousTag } from './authorship';
import { addObjective, addWorkPackage, alignAction, setActionPackage, splitBudget } from './plan';
import { readActions, readNotes, readThemes } from './read';
import { salvageOwnItems, type SalvageCandidate } from './salvage';
import { alice, bob, needs, newWorkshop } from './test-workshop';
import { createUndoManager } from './undo';
import {
  addAction,
  addLane,
  addNote,
  createTheme,
  deleteNotes,
  setAnonymous,
  setBoardLocked,
  setLocked,
} from './write';

const ALICE: Subject = { role: 'participant', id: alice, authorKey: 'alice-key' };

function copyOf(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

/** What the client passes: Alice's own items, and what the policy lets her add to `fresh`. */
function salvageForAlice(previous: Y.Doc, fresh: Y.Doc): ReturnType<typeof salvageOwnItems> {
  const view = workshopView(fresh);
  return salvageOwnItems(
    previous,
    fresh,
    (author, id) => isAuthor(ALICE, author, id),
    (candidate: SalvageCandidate) =>
      may(ALICE, view, {
        kind: 'add',
        root: candidate.root,
        boardId: candidate.root === 'notes' ? candidate.item.boardId : undefined,
      }),
  );
}

describe('salvageOwnItems', () => {
  it('brings back my notes, themes and actions the server never had, with their fields', () => {
    const server = newWorkshop();
    const lane = addLane(server, needs, 'Asukkaat')!;
    const previous = copyOf(server);
    const theme = createTheme(previous, { title: 'Liikenne', colour: 'green', x: 40, y: 50, author: alice });
    const note = addNote(previous, needs, {
      text: 'Bussi kulkee harvoin',
      laneId: lane,
      municipality: 'Espoo',
      colour: 'pink',
      author: alice,
      x: 10,
      y: 20,
      themeId: theme,
    })!;
    const action = addAction(previous, {
      title: 'Lisää vuoroja',
      description: 'Iltaisin',
      themeIds: [theme],
      owner: 'HSL',
      budgetCents: 120_00,
      start: '2027-01',
      end: '2027-06',
      status: 'ongoing',
      author: alice,
    });
    const fresh = copyOf(server);

    expect(salvageForAlice(previous, fresh)).toEqual({ notes: [note], themes: [theme], actions: [action] });
    expect(readNotes(fresh)).toEqual(readNotes(previous));
    expect(readThemes(fresh)).toEqual(readThemes(previous));
    expect(readActions(fresh)).toEqual(readActions(previous));
  });

  it('brings back my new action with its funding split, work package and objectives', () => {
    const server = newWorkshop();
    const wp = addWorkPackage(server, { title: 'TP1' });
    const goal = addObjective(server, 'Hyvinvointi');
    const previous = copyOf(server);
    const action = addAction(previous, { title: 'Kulttuurikyyti', author: alice });
    splitBudget(previous, action, 12_000_00, [
      { source: 'OKM', percent: 80 },
      { source: 'Kunnat', percent: 20 },
    ]);
    setActionPackage(previous, action, wp);
    alignAction(previous, action, goal);
    const fresh = copyOf(server);
    salvageForAlice(previous, fresh);
    const [read] = readActions(fresh);
    expect(read?.split.map((l) => [l.source, l.cents])).toEqual([
      ['OKM', 9_600_00],
      ['Kunnat', 2_400_00],
    ]);
    expect(read).toMatchObject({ budgetCents: 12_000_00, workPackageId: wp, objectiveIds: [goal] });
  });

  it('leaves out what others wrote', () => {
    const server = newWorkshop();
    const previous = copyOf(server);
    // Relayed to this device before the server stored it, then lost in a crash.
    addNote(previous, needs, { text: 'Bobin lappu', author: bob });
    createTheme(previous, { title: 'Bobin teema', author: bob });
    const fresh = copyOf(server);

    expect(salvageForAlice(previous, fresh)).toEqual({ notes: [], themes: [], actions: [] });
    expect(readNotes(fresh)).toEqual([]);
    expect(readThemes(fresh)).toEqual([]);
  });

  it('does not add again what the server already has', () => {
    const server = newWorkshop();
    addNote(server, needs, { text: 'Tallennettu', author: alice });
    const previous = copyOf(server);
    const fresh = copyOf(server);

    expect(salvageForAlice(previous, fresh).notes).toEqual([]);
    expect(readNotes(fresh).map((n) => n.text)).toEqual(['Tallennettu']);
  });

  it('does not bring back my note that was stored and then deleted on the server', () => {
    const server = newWorkshop();
    const note = addNote(server, needs, { text: 'Poistettu', author: alice })!;
    const previous = copyOf(server);
    // The facilitator deleted it; this device had not heard of that when it was refused.
    deleteNotes(server, [note]);
    const fresh = copyOf(server);

    expect(salvageForAlice(previous, fresh).notes).toEqual([]);
    expect(readNotes(fresh)).toEqual([]);
  });

  it('does not add a note to a board locked since, nor anything to a locked workshop', () => {
    const server = newWorkshop();
    const previous = copyOf(server);
    addNote(previous, needs, { text: 'Lukittu', author: alice });
    setBoardLocked(server, needs, true);
    const fresh = copyOf(server);

    expect(salvageForAlice(previous, fresh).notes).toEqual([]);
    expect(readNotes(fresh)).toEqual([]);

    setBoardLocked(fresh, needs, false);
    setLocked(fresh, true);
    createTheme(previous, { title: 'Teema', author: alice });
    expect(salvageForAlice(previous, fresh)).toEqual({ notes: [], themes: [], actions: [] });
  });

  it('counts my anonymous tags as mine', () => {
    const server = newWorkshop();
    setAnonymous(server, true);
    const previous = copyOf(server);
    const id = 'n-anonymous' as NoteId;
    addNote(previous, needs, { id, text: 'Nimetön', author: anonymousTag(ALICE.authorKey!, id) });
    addNote(previous, needs, { text: 'Bobin nimetön', author: anonymousTag('bob-key', 'n-bob') });
    const fresh = copyOf(server);

    expect(salvageForAlice(previous, fresh).notes).toEqual([id]);
    expect(readNotes(fresh).map((n) => n.text)).toEqual(['Nimetön']);
  });

  it('is one step of my undo in the fresh document', () => {
    const server = newWorkshop();
    const previous = copyOf(server);
    addNote(previous, needs, { text: 'Yksi', author: alice });
    createTheme(previous, { title: 'Kaksi', author: alice });
    const fresh = copyOf(server);
    const undo = createUndoManager(fresh);

    salvageForAlice(previous, fresh);
    undo.undo();

    expect(readNotes(fresh)).toEqual([]);
    expect(readThemes(fresh)).toEqual([]);
  });
});
