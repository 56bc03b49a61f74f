import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  LINK_ID,
  newClaims,
  newSigningKey,
  parseDuration,
  signClaims,
  signToken,
  verifyToken,
  type TokenProblem,
} from './tokens';

const key = newSigningKey();
const NOW = Date.UTC(2025, 4, 20, 9, 0, 0);

/** A token's two parts: the payload as an object, and its signature. */
function split(token: string): { payload: Record<string, unknown>; signature: string } {
  const [body = '', signature = ''] = token.split('.');
  return {
    payload: JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>,
    signature,
  };
}

/** Signs `body` with the test key as signToken does (HMAC-SHA256, base64url): only the payload is wrong. */
function resign(body: string): string {
  return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
}

function encode(payload: unknown): string {
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

/** The refusal `verifyToken` gives, or 'accepted'. */
function problem(
  token: string | null | undefined,
  expect: { room: string } | { organiser: true },
  now = NOW,
): TokenProblem | 'accepted' {
  const result = verifyToken(key, token, expect, now);
  return result.ok ? 'accepted' : result.error;
}

describe('signed tokens', () => {
  it('round-trips a room token with its room, role, name and expiry', () => {
    const token = signToken(key, {
      room: 'r1',
      role: 'participant',
      name: 'Aino',
      ttlSeconds: 3600,
      now: NOW,
    });
    expect(verifyToken(key, token, { room: 'r1' }, NOW + 1000)).toEqual({
      ok: true,
      value: {
        v: 2,
        id: expect.stringMatching(LINK_ID) as unknown,
        gen: 0,
        room: 'r1',
        role: 'participant',
        name: 'Aino',
        iat: NOW / 1000,
        exp: NOW / 1000 + 3600,
      },
    });
  });

  it('round-trips an organiser token, which names no room', () => {
    const token = signToken(key, { room: 'ignored', role: 'organiser', ttlSeconds: 60, now: NOW });
    const result = verifyToken(key, token, { organiser: true }, NOW);
    expect(result.ok && result.value).toMatchObject({ role: 'organiser', room: null });
  });

  it('is valid until its expiry and refused from that second on', () => {
    const token = signToken(key, { room: 'r1', role: 'viewer', ttlSeconds: 60, now: NOW });
    expect(problem(token, { room: 'r1' }, NOW + 59_999)).toBe('accepted');
    expect(problem(token, { room: 'r1' }, NOW + 60_000)).toBe('expired');
  });

  it('refuses a missing token', () => {
    expect(problem(null, { room: 'r1' })).toBe('missing');
    expect(problem(undefined, { room: 'r1' })).toBe('missing');
    expect(problem('', { organiser: true })).toBe('missing');
  });

  it('refuses text that is not a token as malformed', () => {
    for (const text of ['not-a-token', '.abc', 'a.b.c', 'x'.repeat(3000)]) {
      expect(problem(text, { room: 'r1' }), text.slice(0, 20)).toBe('malformed');
    }
  });

  it('refuses a correctly signed payload that is not a Talkoo claim set as malformed', () => {
    const good = split(signToken(key, { room: 'r1', role: 'viewer', ttlSeconds: 60, now: NOW }));
    for (const payload of [
      { ...good.payload, v: 3 },
      { ...good.payload, id: 'short' },
      { ...good.payload, gen: -1 },
      { ...good.payload, role: 'admin' },
      { ...good.payload, exp: 'tomorrow' },
      'just a string',
    ]) {
      const token = resign(encode(payload));
      expect(problem(token, { room: 'r1' }), JSON.stringify(payload)).toBe('malformed');
    }
    expect(problem(resign(Buffer.from('{not json').toString('base64url')), { room: 'r1' })).toBe('malformed');
  });

  it('refuses a version 1 token (it has no id, so it could never be revoked) as revoked', () => {
    const { room, role, name, iat, exp } = split(
      signToken(key, { room: 'r1', role: 'viewer', ttlSeconds: 60, now: NOW }),
    ).payload;
    expect(problem(resign(encode({ v: 1, room, role, name, iat, exp })), { room: 'r1' })).toBe('revoked');
  });

  it('gives the same token for the same claims, so a recorded link can be handed out again', () => {
    const claims = newClaims({ room: 'r1', role: 'facilitator', ttlSeconds: 60, now: NOW });
    expect(signClaims(key, { ...claims })).toBe(signClaims(key, claims));
    expect(verifyToken(key, signClaims(key, claims), { room: 'r1' }, NOW)).toEqual({
      ok: true,
      value: claims,
    });
  });

  it('refuses a token signed with another key as forged', () => {
    const token = signToken(newSigningKey(), { room: 'r1', role: 'facilitator', ttlSeconds: 60, now: NOW });
    expect(problem(token, { room: 'r1' })).toBe('forged');
  });

  it('refuses a token whose payload was edited as forged, before reading the payload', () => {
    const { payload, signature } = split(
      signToken(key, { room: 'r1', role: 'viewer', ttlSeconds: 60, now: NOW }),
    );
    // Promote the role, open another room, extend the expiry: each edit breaks the signature.
    const edits: [Record<string, unknown>, string][] = [
      [{ ...payload, role: 'facilitator' }, 'r1'],
      [{ ...payload, room: 'r2' }, 'r2'],
      [{ ...payload, exp: Number(payload.exp) + 86400 }, 'r1'],
    ];
    for (const [edited, room] of edits) {
      expect(problem(`${encode(edited)}.${signature}`, { room })).toBe('forged');
    }
    // A damaged signature on an expired token says forged, not expired: nothing in it is believed.
    const damaged = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    expect(problem(`${encode(payload)}.${damaged}`, { room: 'r1' }, NOW + 120_000)).toBe('forged');
  });

  it('refuses a token for another room', () => {
    const token = signToken(key, { room: 'r1', role: 'facilitator', ttlSeconds: 60, now: NOW });
    expect(problem(token, { room: 'r2' })).toBe('wrong-room');
  });

  it('refuses an organiser token in a room, and a room token as an organiser', () => {
    const organiser = signToken(key, { room: null, role: 'organiser', ttlSeconds: 60, now: NOW });
    expect(problem(organiser, { room: 'r1' })).toBe('wrong-role');
    for (const role of ['facilitator', 'participant', 'viewer'] as const) {
      const token = signToken(key, { room: 'r1', role, ttlSeconds: 60, now: NOW });
      expect(problem(token, { organiser: true }), role).toBe('wrong-role');
    }
  });

  it('keeps names short and lifetimes at least a second', () => {
    const token = signToken(key, {
      room: 'r1',
      role: 'viewer',
      name: 'n'.repeat(500),
      ttlSeconds: 0,
      now: NOW,
    });
    const claims = split(token).payload;
    expect(claims.name).toHaveLength(80);
    expect(claims.exp).toBe(NOW / 1000 + 1);
    expect(problem(token, { room: 'r1' })).toBe('accepted');
  });
});

describe('durations', () => {
  it('reads seconds, minutes, hours and days', () => {
    expect(parseDuration('90s')).toBe(90);
    expect(parseDuration('30m')).toBe(1800);
    expect(parseDuration('8h')).toBe(28_800);
    expect(parseDuration(' 7d ')).toBe(604_800);
  });

  it('refuses zero, negative, unitless, fractional, unknown units and absurd lengths', () => {
    for (const text of ['0s', '-5m', '10', '1.5h', '2w', 'h', '', '1234567d', '8 h']) {
      expect(parseDuration(text), text).toBeNull();
    }
  });
});

describe('only the canonical token is accepted (#10, finding 5)', () => {
  const token = signToken(key, { room: 'r1', role: 'participant', ttlSeconds: 3600, now: NOW });
  const [body = '', signature = ''] = token.split('.');

  it('refuses a signature with padding added', () => {
    expect(problem(`${token}=`, { room: 'r1' })).toBe('forged');
    expect(problem(`${token}==`, { room: 'r1' })).toBe('forged');
  });

  it('refuses a signature whose last character differs only in bits the decoder drops', () => {
    // 32 bytes are 43 base64url characters: the last one carries 4 bits and 2 unused ones.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(signature.at(-1) ?? 'A');
    const twin = alphabet[last ^ 1] ?? 'A';
    const altered = `${body}.${signature.slice(0, -1)}${twin}`;
    expect(Buffer.from(altered.split('.')[1] ?? '', 'base64url')).toEqual(
      Buffer.from(signature, 'base64url'),
    );
    expect(problem(altered, { room: 'r1' })).toBe('forged');
    expect(problem(token, { room: 'r1' })).toBe('accepted');
  });
});

describe('link lifetimes are capped (#10, finding 5)', () => {
  it('reads durations up to 90 days and no longer', () => {
    expect(parseDuration('90d')).toBe(90 * 86_400);
    expect(parseDuration('2160h')).toBe(90 * 86_400);
    for (const text of ['91d', '999999d', '2161h']) expect(parseDuration(text), text).toBeNull();
  });

  it('signs no token that lives longer, and refuses one that claims to', () => {
    expect(() => signToken(key, { room: 'r1', role: 'viewer', ttlSeconds: 91 * 86_400 })).toThrow(RangeError);
    const iat = NOW / 1000;
    const id = 'A'.repeat(22);
    const forever = resign(
      encode({ v: 2, id, gen: 0, room: 'r1', role: 'viewer', name: '', iat, exp: iat + 999_999 * 86_400 }),
    );
    expect(problem(forever, { room: 'r1' })).toBe('expired');
  });
});
