import { describe, expect, it } from 'vitest';
import { identityKey, parseKnownIdentity, recallIdentity, rememberIdentity } from './identity';
import type { Place } from './platform';

const here: Place = { server: 'https://talkoo.example.fi', room: 'kulttuuri' };
const session = { id: 'p-1', identity: 'signed.identity', now: 1_700_000_000_000, authorKey: 'k' };

describe('identity per place', () => {
  it('is kept per server and room, and read back as given', () => {
    expect(recallIdentity(here)).toBeNull();
    rememberIdentity(here, session);
    expect(recallIdentity(here)).toEqual({ id: 'p-1', identity: 'signed.identity', authorKey: 'k' });
    // The same room on another server is another workshop, where this person is no one yet.
    expect(recallIdentity({ server: 'http://192.168.1.20:1234', room: 'kulttuuri' })).toBeNull();
    expect(identityKey(here)).toBe('talkoo.identity.https://talkoo.example.fi/kulttuuri');
  });

  it('reads anything malformed as no identity', () => {
    for (const kept of [
      null,
      '',
      'not json',
      'null',
      '42',
      '{"id":"p"}',
      '{"id":"","identity":"x","authorKey":"k"}',
    ]) {
      expect(parseKnownIdentity(kept)).toBeNull();
    }
  });
});
