/**
 * Who a version names is bounded (#10, review): a link reopened again and again under new names,
 * in a room where nothing changes for a while, must not grow what the history remembers (each
 * departed connection was kept until the next version) nor the next version's record.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { addNote, TEMPLATE_BOARD_IDS } from '../../shared';
import { signToken } from '../auth/tokens';
import { startWorkshop, synced, TestBed, waitFor } from '../test-support';

const bed = new TestBed();
afterEach(() => bed.cleanUp());

const ROOM = 'present-room';

describe('who a version names', () => {
  it('names at most maxPresent people who left, and always everyone still connected', async () => {
    const server = await bed.start({ history: { activeEveryMs: 100, maxPresent: 10 } });
    const facilitator = signToken(server.signingKey, {
      room: ROOM,
      role: 'facilitator',
      name: 'Alice',
      ttlSeconds: 3600,
    });
    const alice = bed.connect(server, ROOM, { token: facilitator });
    await synced(alice);
    // Thirty visitors come and go, each under a name of their own, while nothing changes.
    for (let i = 0; i < 30; i++) {
      const token = signToken(server.signingKey, {
        room: ROOM,
        role: 'viewer',
        name: `Visitor ${i}`,
        ttlSeconds: 3600,
      });
      const visitor = bed.connect(server, ROOM, { token });
      await synced(visitor);
      visitor.provider.destroy();
      await waitFor('the visitor to leave', () => server.rooms.peek(ROOM)?.size === 1);
    }
    startWorkshop(alice.doc, 'Busy day');
    addNote(alice.doc, TEMPLATE_BOARD_IDS.needs, { text: 'Still here' });
    type Listed = { trigger: string; present: { name: string; role: string }[] };
    let active: Listed | undefined;
    await waitFor('an active version', async () => {
      const res = await fetch(`${server.url}/api/workshops/${ROOM}/versions`, {
        headers: { Authorization: `Bearer ${facilitator}` },
      });
      active = ((await res.json()) as { versions: Listed[] }).versions.find((v) => v.trigger === 'active');
      return active !== undefined;
    });
    expect(active?.present).toContainEqual({ name: 'Alice', role: 'facilitator' });
    expect(active?.present.filter((p) => p.role === 'viewer')).toHaveLength(10);
  });

  it('lists facilitators first, then participants, then viewers, each by name, whatever order they left in', async () => {
    const server = await bed.start({ history: { activeEveryMs: 100 } });
    const token = (role: 'facilitator' | 'participant' | 'viewer', name: string) =>
      signToken(server.signingKey, { room: ROOM, role, name, ttlSeconds: 3600 });
    const alice = bed.connect(server, ROOM, { token: token('facilitator', 'Alice') });
    await synced(alice);
    for (const [role, name] of [
      ['viewer', 'Aaro'],
      ['participant', 'Cecilia'],
      ['participant', 'Bea'],
    ] as const) {
      const visitor = bed.connect(server, ROOM, { token: token(role, name) });
      await synced(visitor);
      visitor.provider.destroy();
      await waitFor(`${name} to leave`, () => server.rooms.peek(ROOM)?.size === 1);
    }
    startWorkshop(alice.doc, 'Who was here');
    addNote(alice.doc, TEMPLATE_BOARD_IDS.needs, { text: 'Still here' });
    let present: { name: string; role: string }[] | undefined;
    await waitFor('an active version', async () => {
      const res = await fetch(`${server.url}/api/workshops/${ROOM}/versions`, {
        headers: { Authorization: `Bearer ${token('facilitator', 'Alice')}` },
      });
      const listed = (await res.json()) as { versions: { trigger: string; present: typeof present }[] };
      present = listed.versions.find((v) => v.trigger === 'active')?.present;
      return present !== undefined;
    });
    expect(present).toEqual([
      { name: 'Alice', role: 'facilitator' },
      { name: 'Bea', role: 'participant' },
      { name: 'Cecilia', role: 'participant' },
      { name: 'Aaro', role: 'viewer' },
    ]);
  });
});
