import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCli } from './cli-args';
import { startServer } from './server';

const VORU = readFileSync(join(import.meta.dirname, '..', 'shared', 'examples', 'voru-et.json'), 'utf8');

describe('creating rooms from outline files', () => {
  it('creates a room from a valid outline', async () => {
    const server = await startServer({
      port: 0,
      outlines: [{ room: 'voru', text: VORU, source: 'voru.json' }],
    });
    try {
      const body = (await (await fetch(`${server.url}/api/rooms`)).json()) as {
        rooms: { name: string; title: string }[];
      };
      expect(body.rooms).toEqual([
        { name: 'voru', title: 'Loov Võru maakond – koosloome töötuba', language: 'et' },
      ]);
    } finally {
      await server.close();
    }
  });

  it('refuses a malformed outline with the field and problem, and starts nothing', async () => {
    const broken = VORU.replace('"budgetEur": 14000', '"budgetEur": "a lot"');
    const other = { room: 'fine', text: VORU, source: 'fine.json' };
    await expect(
      startServer({ port: 0, outlines: [other, { room: 'bad', text: broken, source: 'plan.json' }] }),
    ).rejects.toThrow(
      'plan.json is not a valid workshop outline:\n  actions[0].budgetEur: must be a number of 0 or more, not "a lot"',
    );
  });

  it('refuses a file that is not JSON', async () => {
    await expect(
      startServer({ port: 0, outlines: [{ room: 'x', text: '{"title":', source: 'x.json' }] }),
    ).rejects.toThrow(/x\.json is not a valid workshop outline:\n {2}The file is not valid JSON/);
  });
});

describe('command line', () => {
  it('reads host, port, static folder, examples and imports', () => {
    expect(
      parseCli([
        '--host',
        '0.0.0.0',
        '--port',
        '0',
        '--static',
        'dist/renderer',
        '--examples',
        '--import',
        'r1=a.json',
      ]),
    ).toEqual({
      host: '0.0.0.0',
      port: 0,
      staticDir: 'dist/renderer',
      examples: true,
      imports: [{ room: 'r1', path: 'a.json' }],
    });
  });

  it('says what is wrong with a bad flag', () => {
    expect(() => parseCli(['--port', '99999'])).toThrow('--port must be 0–65535');
    expect(() => parseCli(['--import', 'nofile'])).toThrow('--import takes ROOM=FILE, not "nofile"');
    expect(() => parseCli(['--verbose'])).toThrow('unknown option --verbose');
    expect(() => parseCli(['--host'])).toThrow('--host needs a value');
  });
});
