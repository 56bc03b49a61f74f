import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addAction,
  anonymousTag,
  createWorkshop,
  setAnonymous,
  updateAction,
  upsertParticipant,
  type ActionId,
  type ParticipantId,
} from '../../shared';
import { writerOf } from '../../shared/model/collisions';
import type { Subject } from '../../shared/policy/policy';
import { collisionNotices, dismissCollision, watchCollisions } from './collisions';
import type { Place } from './platform';

const anna: Subject = { role: 'facilitator', id: 'p-anna', authorKey: 'anna-key' };
const bo: Subject = { role: 'participant', id: 'p-bo', authorKey: 'bo-key' };
let rooms = 0;

/**
 * Anna's and Bo's pages on one workshop (Bo's client id the higher: his value is kept), each
 * watching; Anna and Bo change the action's owner apart, then exchange what they wrote.
 */
function collide(options: { anonymous: boolean }): {
  annas: Place;
  bos: Place;
  action: ActionId;
  annasDoc: Y.Doc;
} {
  const base = new Y.Doc();
  createWorkshop(base, {
    title: 'Kirjasto',
    language: 'fi',
    boardTitles: { needs: 'Tarpeet', themes: 'Teemat', actions: 'Toimenpiteet' },
  });
  const action = addAction(base, { title: 'Kirjastoauto', author: anna.id! });
  for (const who of [anna, bo])
    upsertParticipant(base, who.id as ParticipantId, {
      name: who === anna ? 'Anna' : 'Bo',
      colour: '#1D5FD1',
      role: who.role,
    });
  if (options.anonymous) setAnonymous(base, true);
  const room = `room-${++rooms}`;
  const page = (who: Subject, client: number): { doc: Y.Doc; place: Place } => {
    const doc = new Y.Doc();
    doc.clientID = client;
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(base));
    const place: Place = { server: `https://${who.id}.example`, room };
    watchCollisions(place, doc, () => who);
    return { doc, place };
  };
  const a = page(anna, 100);
  const b = page(bo, 200);
  updateAction(a.doc, action, { owner: 'Kirsi' });
  updateAction(b.doc, action, { owner: 'Mikko' });
  Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(b.doc, Y.encodeStateVector(a.doc)));
  Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc, Y.encodeStateVector(b.doc)));
  return { annas: a.place, bos: b.place, action, annasDoc: a.doc };
}

describe('the notices of values of mine that were replaced', () => {
  it('tells the person whose value lost, by the winner’s roster name, until dismissed', () => {
    const { annas, bos, action } = collide({ anonymous: false });
    expect(collisionNotices(bos)).toEqual([]);
    const [notice] = collisionNotices(annas);
    expect(notice).toMatchObject({
      root: 'actions',
      id: action,
      field: 'owner',
      lost: 'Kirsi',
      won: 'Mikko',
      by: 'Bo',
    });
    dismissCollision(annas, notice!.key);
    expect(collisionNotices(annas)).toEqual([]);
  });

  it('names nobody in an anonymous workshop, and still knows whose value it was by the tag', () => {
    const { annas, annasDoc } = collide({ anonymous: true });
    expect(collisionNotices(annas)).toMatchObject([{ lost: 'Kirsi', won: 'Mikko', by: null }]);
    // The record names Anna's client by her tag for it, which only she (and the server) can tell.
    expect(writerOf(annasDoc, 100)).toBe(anonymousTag(anna.authorKey!, '100'));
  });
});
