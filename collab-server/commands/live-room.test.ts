// `talkoo export --server URL --room ROOM --token TOKEN` against the real collab server on
// 127.0.0.1: a room made from an example through the organiser API, read with each room role's
// token; refused tokens, an unreachable server and a silent one end in a clear message, no file.
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EXAMPLE_OUTLINES } from '../../shared/examples';
import { readWorkshop } from '../../shared/model/read';
import { writeMarkdown } from '../../shared/report/markdown';
import { buildReport, defaultReportOptions } from '../../shared/report/model';
import { exampleDoc } from '../../shared/report/sample-workshops';
import type { RunningServer } from '../server';
import { TestBed, tokenFor } from '../test-support';
import { signToken } from '../auth/tokens';
import { talkoo } from './command-test-support';
import { localDate } from './export-command';

const bed = new TestBed();
afterEach(() => bed.cleanUp());

type Outline = { actions: { title: string; owner: string }[] };
const EXAMPLE = EXAMPLE_OUTLINES['example-culture-network-en'] as Outline;

/** A room made from the English example through the organiser API. */
async function exampleRoom(server: RunningServer): Promise<{ room: string; facilitatorToken: string }> {
  const response = await fetch(`${server.url}/api/workshops`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.organiserToken()}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ example: 'example-culture-network-en' }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { room: string; facilitatorToken: string };
}

describe('talkoo export --server', () => {
  it('exports a live room with a facilitator, participant or viewer token', async () => {
    const server = await bed.start();
    const { room, facilitatorToken } = await exampleRoom(server);
    const dir = bed.dir();
    const workshop = readWorkshop(exampleDoc('example-culture-network-en'));
    const exampleMarkdown = writeMarkdown(buildReport(workshop, defaultReportOptions(workshop, localDate())));
    for (const action of EXAMPLE.actions) expect(exampleMarkdown).toContain(action.owner);
    const tokens = {
      facilitator: facilitatorToken,
      participant: tokenFor(server, room, 'participant'),
      viewer: tokenFor(server, room, 'viewer'),
    };
    for (const [role, token] of Object.entries(tokens)) {
      const md = join(dir, `${role}.md`);
      const run = await talkoo([
        'export',
        '--server',
        server.url,
        '--room',
        room,
        '--token',
        token,
        '--out',
        md,
      ]);
      expect(run, role).toMatchObject({ code: 0, stderr: '' });
      // The room's document is the example's: the same report, action by action.
      expect(readFileSync(md, 'utf8')).toBe(exampleMarkdown);
    }
    // The outline of the room is the example it was made from; the token may come from the environment.
    const outline = join(dir, 'room.json');
    const run = await talkoo(
      ['export', '--server', `${server.url}/`, '--room', room, '--format', 'outline', '--out', outline],
      { TALKOO_TOKEN: tokens.viewer },
    );
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(readFileSync(outline, 'utf8'))).toEqual(EXAMPLE);
  });

  it('says why a token is refused, and writes nothing', async () => {
    const server = await bed.start();
    const other = await bed.start();
    const { room } = await exampleRoom(server);
    const { room: otherRoom } = await exampleRoom(server);
    const dir = bed.dir();
    const cases: [string, string, string][] = [
      ['nonsense', 'not-a-token', 'the token is not a Talkoo token'],
      ['forged', tokenFor(other, room, 'participant'), 'the token was not signed by this server'],
      ['other room', tokenFor(server, otherRoom, 'participant'), 'the token is for another room'],
      [
        'expired',
        signToken(server.signingKey, { room, role: 'viewer', ttlSeconds: 60, now: Date.now() - 3_600_000 }),
        'the token has expired',
      ],
      [
        'organiser',
        signToken(server.signingKey, { room: null, role: 'organiser', name: '', ttlSeconds: 600 }),
        'the token cannot join a room',
      ],
    ];
    for (const [what, token, message] of cases) {
      const out = join(dir, `${what}.md`);
      const run = await talkoo([
        'export',
        '--server',
        server.url,
        '--room',
        room,
        '--token',
        token,
        '--out',
        out,
      ]);
      expect(run.code, what).toBe(1);
      expect(run.stderr).toBe(
        `talkoo: room ${room} at ${server.url} refused the connection: ${message}${
          what === 'organiser' ? ' (an organiser token? use a facilitator, participant or viewer link)' : ''
        }\n`,
      );
      expect(existsSync(out)).toBe(false);
    }
  });

  it('says so when the server cannot be reached or never answers', async () => {
    const server = await bed.start();
    const url = server.url;
    const token = tokenFor(server, 'some-room', 'viewer');
    await bed.stop(server);
    const dir = bed.dir();
    const gone = await talkoo([
      'export',
      '--server',
      url,
      '--room',
      'some-room',
      '--token',
      token,
      '--out',
      join(dir, 'a.md'),
    ]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(new RegExp(`^talkoo: cannot reach room some-room at ${url}( \\(.+\\))?\\n$`));
    expect(existsSync(join(dir, 'a.md'))).toBe(false);

    // A server that takes the connection and then says nothing.
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const run = await talkoo([
        'export',
        '--server',
        `http://127.0.0.1:${port}`,
        '--room',
        'r',
        '--token',
        token,
        '--timeout',
        '0.5',
        '--out',
        join(dir, 'b.md'),
      ]);
      expect(run).toEqual({
        code: 1,
        stdout: '',
        stderr: `talkoo: room r at http://127.0.0.1:${port} did not answer within 0.5 s\n`,
      });
      expect(existsSync(join(dir, 'b.md'))).toBe(false);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
