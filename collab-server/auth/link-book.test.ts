// The link book on its own, on a real file: two books on one folder (the server and the token
// command) see each other's records; a damaged line or a line cut short by a crash loses nothing else.
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeDir, tempDir } from '../test-support';
import { LINK_BOOK_FILE, LinkBook } from './link-book';
import { newSigningKey } from './tokens';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeDir(dir);
});

function folder(): string {
  const dir = tempDir('talkoo-link-book-');
  dirs.push(dir);
  return dir;
}

describe('the link book', () => {
  it('a link revoked in one book is refused by another on the same folder, and tells its watcher', async () => {
    const dir = folder();
    const key = newSigningKey();
    const server = await LinkBook.open(dir, key);
    const command = await LinkBook.open(dir, key);
    const made = await command.make({
      room: 'r1',
      role: 'participant',
      name: 'Aino',
      ttlSeconds: 3600,
      by: 'command-line',
    });
    expect(server.verify(made.token, { room: 'r1' })).toEqual({ ok: true, value: made.claims });
    let told = 0;
    server.watch(made.claims, () => told++);

    expect(await command.revoke(made.claims.id, 'command-line')).not.toBeNull();
    expect(server.verify(made.token, { room: 'r1' })).toEqual({ ok: false, error: 'revoked' });
    expect(told).toBe(1);
    expect(await command.revoke('A'.repeat(22), 'command-line')).toBeNull();
  });

  it('skips a damaged line with a warning, and a line cut short by a crash does not swallow the next record', async () => {
    const dir = folder();
    const key = newSigningKey();
    const warnings: string[] = [];
    const first = await LinkBook.open(dir, key, (m) => warnings.push(m));
    const kept = await first.make({ room: 'r1', role: 'viewer', ttlSeconds: 3600, by: 'server' });
    appendFileSync(join(dir, LINK_BOOK_FILE), '{"kind":"made","id":"x"}\n{"kind":"revoked","id":"');

    const second = await LinkBook.open(dir, key, (m) => warnings.push(m));
    const after = await second.make({ room: 'r1', role: 'participant', ttlSeconds: 3600, by: 'server' });
    const reopened = await LinkBook.open(dir, key, (m) => warnings.push(m));
    expect(
      reopened
        .live('r1')
        .map((link) => link.claims.id)
        .sort(),
    ).toEqual([kept.claims.id, after.claims.id].sort());
    expect(warnings.filter((w) => w.includes('skipped a damaged line'))).toHaveLength(4);
    expect(readFileSync(join(dir, LINK_BOOK_FILE), 'utf8').endsWith('\n')).toBe(true);
  });

  it('a line cut short inside a letter of a name does not make a running server miss later revocations', async () => {
    const dir = folder();
    const key = newSigningKey();
    const warn = (): void => undefined;
    const server = await LinkBook.open(dir, key, warn);
    // A crash cut a record between the two bytes of "ä" (UTF-8 C3 A4).
    const record = Buffer.from('{"kind":"made","name":"Mäki"', 'utf8');
    appendFileSync(join(dir, LINK_BOOK_FILE), record.subarray(0, record.indexOf(0xc3) + 1));
    const command = await LinkBook.open(dir, key, warn);
    const made = await command.make({
      room: 'r1',
      role: 'participant',
      ttlSeconds: 3600,
      by: 'command-line',
    });
    expect(server.verify(made.token, { room: 'r1' }).ok).toBe(true);
    await command.revoke(made.claims.id, 'command-line');
    expect(server.verify(made.token, { room: 'r1' })).toEqual({ ok: false, error: 'revoked' });
  });

  it('gives a link a short code when asked, kept in the file: a book opened later resolves it, and says when it is revoked or expired', async () => {
    const dir = folder();
    const key = newSigningKey();
    const book = await LinkBook.open(dir, key);
    const coded = await book.make({
      room: 'r1',
      role: 'participant',
      ttlSeconds: 3600,
      by: 'organiser',
      withCode: true,
    });
    const plain = await book.make({ room: 'r1', role: 'viewer', ttlSeconds: 3600, by: 'organiser' });
    const old = await book.make({
      room: 'r1',
      role: 'viewer',
      ttlSeconds: 60,
      by: 'organiser',
      withCode: true,
      now: Date.now() - 3600_000,
    });
    const code = book.find(coded.claims.id)?.code ?? '';
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/);
    expect(book.find(plain.claims.id)?.code).toBeNull();
    expect(readFileSync(join(dir, LINK_BOOK_FILE), 'utf8')).toContain(`"code":"${code}"`);

    // A restart: a new book on the same folder knows the code.
    const reopened = await LinkBook.open(dir, key);
    expect(reopened.byCode(code)).toMatchObject({ state: 'live', link: { claims: coded.claims } });
    expect(reopened.byCode(book.find(old.claims.id)?.code ?? '')).toMatchObject({ state: 'expired' });
    expect(reopened.byCode('ZZZZZZZZ')).toBeNull();
    await book.revoke(coded.claims.id, 'organiser');
    expect(reopened.byCode(code)).toMatchObject({ state: 'revoked' });
    await book.revokeAll('r1', 'organiser');
    expect(reopened.byCode(book.find(old.claims.id)?.code ?? '')?.state).toBe('revoked');
  });

  it('keeps a link whose code is damaged in the file, without the code', async () => {
    const dir = folder();
    const key = newSigningKey();
    const book = await LinkBook.open(dir, key);
    const made = await book.make({ room: 'r1', role: 'participant', ttlSeconds: 3600, by: 'organiser' });
    const path = join(dir, LINK_BOOK_FILE);
    const line = readFileSync(path, 'utf8')
      .trim()
      .replace('"kind":"made"', '"kind":"made","code":"IIII0000"');
    const id = 'B'.repeat(22);
    appendFileSync(path, `${line.replace(made.claims.id, id)}\n`);
    const reopened = await LinkBook.open(dir, key, () => {});
    expect(reopened.find(id)).toMatchObject({ code: null });
    expect(reopened.byCode('IIII0000')).toBeNull();
  });
});
