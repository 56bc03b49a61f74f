/**
 * Short link codes on a real server (#12): a facilitator's participant link comes with a code and
 * a short link; the code resolves to the link for anyone who holds it, also after a restart; the
 * code of a revoked or expired link does not, and a wrong code is told apart from a mistyped
 * one. One address may try only so many codes that resolve to nothing (a brute force); another
 * address is not held back by it.
 */
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { formatLinkCode } from '../../shared/link-code';
import type { RunningServer } from '../server';
import { apiCall as api, synced, TestBed } from '../test-support';
import { AttemptLimit, WRONG_CODE_REFILL_MS, WRONG_CODES_PER_ADDRESS } from './link-codes';

const bed = new TestBed();
afterEach(() => bed.cleanUp());

async function workshop(server: RunningServer): Promise<{ room: string; facilitator: string }> {
  const created = await api(server, 'POST', '/api/workshops', server.organiserToken(), {
    title: 'Kylätalo',
    language: 'fi',
  });
  return { room: String(created.body.room), facilitator: String(created.body.facilitatorToken) };
}

/** Asks `server` what `code` opens, with no token: a code is all a participant has. */
const resolve = (server: RunningServer, code: string) =>
  api(server, 'GET', `/api/link-codes/${encodeURIComponent(code)}`, null);

/** The same from another loopback address (Linux answers all of 127.0.0.0/8). */
function resolveFrom(
  localAddress: string,
  server: RunningServer,
  code: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((done, failed) => {
    const req = request(`${server.url}/api/link-codes/${code}`, { localAddress }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () =>
        done({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }),
      );
    });
    req.on('error', failed);
    req.end();
  });
}

describe('short link codes', () => {
  it('a participant link lasts a week unless asked otherwise, and its code opens the workshop as a participant, also after a restart', async () => {
    const dataDir = bed.dir();
    let server = await bed.start({ dataDir });
    const { room, facilitator } = await workshop(server);
    const made = await api(server, 'POST', `/api/workshops/${room}/links`, facilitator, {
      role: 'participant',
    });
    expect(made.status).toBe(201);
    const expires = Date.parse(String(made.body.expires));
    expect(Math.abs(expires - (Date.now() + 7 * 86_400_000))).toBeLessThan(60_000);
    const code = String(made.body.code);
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(made.body.shortUrl).toBe(`${server.publicUrl}/j/${code}`);

    // Typed as a person would: lower case, no dash.
    const resolved = await resolve(server, code.replace('-', '').toLowerCase());
    expect(resolved).toMatchObject({
      status: 200,
      body: {
        room,
        role: 'participant',
        token: made.body.token,
        url: made.body.url,
        expires: made.body.expires,
      },
    });
    const participant = bed.connect(server, room, { token: String(resolved.body.token) });
    await synced(participant);

    // The list of links shows each link's code.
    const listed = await api(server, 'GET', `/api/workshops/${room}/links`, facilitator);
    const links = listed.body.links as { id: string; code?: string }[];
    expect(links.find((l) => l.id === made.body.id)?.code).toBe(code);

    await bed.stop(server);
    server = await bed.start({ dataDir });
    expect(await resolve(server, code)).toMatchObject({
      status: 200,
      body: { room, token: made.body.token },
    });
  });

  it('the short link sends a browser to the web client, which resolves the code', async () => {
    const server = await bed.start();
    const { room, facilitator } = await workshop(server);
    const made = await api(server, 'POST', `/api/workshops/${room}/links`, facilitator, { role: 'viewer' });
    for (const path of [`/j/${String(made.body.code)}`, `/J/${String(made.body.code).toLowerCase()}`]) {
      const res = await fetch(`${server.url}${path}`, { redirect: 'manual' });
      expect(res.status).toBe(302);
      // Relative: the laptop may be reached at another address than the one links are made with.
      expect(res.headers.get('location')).toBe(`../#/?join=${String(made.body.code)}`);
    }
  });

  it('the code of a revoked or expired link does not resolve, and each refusal says why', async () => {
    const server = await bed.start();
    const { room, facilitator } = await workshop(server);
    const made = await api(server, 'POST', `/api/workshops/${room}/links`, facilitator, {
      role: 'participant',
    });
    await api(server, 'DELETE', `/api/workshops/${room}/links/${String(made.body.id)}`, facilitator);
    expect(await resolve(server, String(made.body.code))).toMatchObject({
      status: 410,
      body: { code: 'code-revoked' },
    });

    const old = await server.links.make({
      room,
      role: 'participant',
      ttlSeconds: 3600,
      by: 'organiser',
      withCode: true,
      now: Date.now() - 2 * 3600_000,
    });
    const oldCode = formatLinkCode(server.links.find(old.claims.id)?.code ?? '');
    expect(await resolve(server, oldCode)).toMatchObject({
      status: 410,
      body: { code: 'code-expired', expired: new Date(old.claims.exp * 1000).toISOString() },
    });

    expect(await resolve(server, 'zzzz zzzz')).toMatchObject({
      status: 404,
      body: { code: 'code-unknown', linkCode: 'ZZZZ-ZZZZ' },
    });
    // Not a code at all: too short, or a letter no code has.
    for (const typed of ['K7MX-42Q', 'K7MX-42QU'])
      expect(await resolve(server, typed)).toMatchObject({ status: 400, body: { code: 'code-malformed' } });
  });

  it('one address may try only so many codes that open nothing; then even a right one waits, while another address resolves', async () => {
    const server = await bed.start();
    const { room, facilitator } = await workshop(server);
    const made = await api(server, 'POST', `/api/workshops/${room}/links`, facilitator, {
      role: 'participant',
    });
    const code = String(made.body.code);
    // Mistyped codes (not codes at all) test nothing, and cost nothing.
    for (let i = 0; i < WRONG_CODES_PER_ADDRESS + 5; i++)
      expect((await resolve(server, 'K7MX')).status).toBe(400);
    expect((await resolve(server, code)).status).toBe(200);

    for (let i = 0; i < WRONG_CODES_PER_ADDRESS; i++)
      expect((await resolve(server, `ZZZZ${String(1000 + i)}`)).status).toBe(404);
    const res = await fetch(`${server.url}/api/link-codes/${code}`);
    expect(res.status).toBe(429);
    const body = (await res.json()) as { code: string; seconds: number };
    expect(body.code).toBe('code-rate-limit');
    expect(body.seconds).toBeGreaterThan(0);
    expect(res.headers.get('retry-after')).toBe(String(body.seconds));

    expect(await resolveFrom('127.0.0.2', server, code)).toMatchObject({ status: 200, body: { room } });
  });
});

describe('the budget of wrong codes', () => {
  it('counts an IPv6 address by its /48 (a free tunnel gives anyone a whole /48, 65,536 /64s), an IPv4 one as itself however written', () => {
    const limit = new AttemptLimit();
    const now = Date.now();
    // One try from each of as many /64s of one /48.
    for (let i = 0; i < WRONG_CODES_PER_ADDRESS; i++)
      limit.failed(`2001:db8:1:${(i + 1).toString(16)}::1`, now);
    expect(limit.waitSeconds('2001:0db8:0001:ffff:ffff:ffff:ffff:ffff', now)).toBeGreaterThan(0);
    expect(limit.waitSeconds('2001:db8:2::1', now)).toBe(0);

    for (let i = 0; i < WRONG_CODES_PER_ADDRESS; i++) limit.failed('::ffff:192.0.2.7', now);
    expect(limit.waitSeconds('192.0.2.7', now)).toBe(Math.ceil(WRONG_CODE_REFILL_MS / 1000));
    expect(limit.waitSeconds('192.0.2.8', now)).toBe(0);
    // The budget comes back with time: one try after one refill.
    expect(limit.waitSeconds('192.0.2.7', now + WRONG_CODE_REFILL_MS)).toBe(0);
  });
});
