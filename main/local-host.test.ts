import { mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addNote, readWorkshop, TEMPLATE_BOARD_IDS } from '../shared';
import {
  connectClient,
  removeDir,
  smallTmpfs,
  synced,
  tempDir,
  until,
  type TestClient,
} from '../collab-server/test-support';
import { openLevelStorage, type DocumentStorage } from '../collab-server';
import { fromAnotherDevice, startLocalHost, type LocalHost } from './local-host';

const cleanUps: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
});

async function host(dataDir: string, port = 0): Promise<LocalHost> {
  const running = await startLocalHost({ dataDir, port });
  cleanUps.push(() => running.close());
  return running;
}

function ownDir(): string {
  const dir = tempDir('talkoo-local-host-');
  cleanUps.push(() => removeDir(dir));
  return dir;
}

/** Creates a workshop as the laptop's organiser; returns its room and facilitator token. */
async function createWorkshop(url: string, organiser: string): Promise<{ room: string; token: string }> {
  const res = await fetch(`${url}/api/workshops`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${organiser}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ title: 'Kylätalo', language: 'fi' }),
  });
  expect(res.status).toBe(201);
  const body = (await res.json()) as { room: string; facilitatorToken: string };
  return { room: body.room, token: body.facilitatorToken };
}

function client(url: string, room: string, token: string): TestClient {
  const joined = connectClient({ url }, room, token);
  cleanUps.push(() => {
    joined.provider.destroy();
    joined.doc.destroy();
  });
  return joined;
}

function occupyPort(): Promise<Server & { port: number }> {
  return new Promise((resolve) => {
    const blocker = createServer();
    blocker.listen(0, '127.0.0.1', () => {
      const { port } = blocker.address() as { port: number };
      cleanUps.push(() => new Promise<void>((done) => blocker.close(() => done())));
      resolve(Object.assign(blocker, { port }));
    });
  });
}

describe('host on this laptop', () => {
  it('serves this laptop only at first, and its organiser token creates workshops people can join', async () => {
    const local = await host(ownDir());
    const status = local.status();
    expect(status.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(status.networkUrl).toBeNull();

    const { room, token } = await createWorkshop(status.url, status.organiserToken);
    const facilitator = client(status.url, room, token);
    await synced(facilitator);
    expect(readWorkshop(facilitator.doc).meta.title).toBe('Kylätalo');
  });

  it('takes another port when the preferred one is in use', async () => {
    const blocker = await occupyPort();
    const local = await host(ownDir(), blocker.port);
    expect(local.status().url).not.toBe(`http://127.0.0.1:${blocker.port}`);
    expect((await fetch(`${local.status().url}/healthz`)).status).toBe(200);
  });

  it('opens to the network on the same port without losing a connected window or its edits', async () => {
    const local = await host(ownDir());
    const before = local.status();
    const { room, token } = await createWorkshop(before.url, before.organiserToken);
    const facilitator = client(before.url, room, token);
    await synced(facilitator);

    const opened = await local.setNetwork(true);
    expect(opened.url).toBe(before.url);
    expect(opened.networkUrl).toMatch(new RegExp(`^http://[^/]+:${new URL(before.url).port}$`));
    expect(opened.networkUrls[0]).toBe(opened.networkUrl);
    expect(before.networkUrls).toEqual([]);

    // The window reconnects by itself; an edit made after the restart reaches a new participant.
    addNote(facilitator.doc, TEMPLATE_BOARD_IDS.needs, { text: 'Bussiyhteys iltaisin' });
    const links = await fetch(`${opened.url}/api/workshops/${room}/links`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ role: 'participant', name: 'Aino' }),
    });
    const link = (await links.json()) as { token: string; url: string };
    expect(link.url.startsWith(`${opened.networkUrl}/#/w/`)).toBe(true);
    const participant = client(opened.url, room, link.token);
    await until(participant.doc, () =>
      readWorkshop(participant.doc).notes.some((n) => n.text === 'Bussiyhteys iltaisin'),
    );

    const closed = await local.setNetwork(false);
    expect(closed).toMatchObject({ url: before.url, networkUrl: null });
  });

  it('quitting while it reopens to the network waits for the reopened server, stores its edits and leaves nothing listening', async () => {
    const dataDir = ownDir();
    const local = await startLocalHost({ dataDir, port: 0 });
    const { url, organiserToken } = local.status();
    const { room, token } = await createWorkshop(url, organiserToken);
    const writer = client(url, room, token);
    await synced(writer);
    addNote(writer.doc, TEMPLATE_BOARD_IDS.needs, { text: 'Kirjoitettu ennen avaamista' });
    const witness = client(url, room, token);
    await until(witness.doc, () => readWorkshop(witness.doc).notes.length === 1);

    // The facilitator opens the host to the network and quits at once.
    const opening = local.setNetwork(true);
    await local.close();
    await opening.catch(() => undefined);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    await expect(local.setNetwork(false)).rejects.toThrow(/closed/);

    // Nothing holds the store: the next start opens it and finds the note.
    const again = await host(dataDir);
    const reader = client(again.status().url, room, token);
    await synced(reader);
    expect(readWorkshop(reader.doc).notes.map((n) => n.text)).toContain('Kirjoitettu ennen avaamista');
  });

  it('tells another device from this laptop by its address, IPv4-mapped or not', () => {
    const own = ['127.0.0.1', '::1', '192.168.1.10'];
    expect(fromAnotherDevice('192.168.1.23', own)).toBe(true);
    expect(fromAnotherDevice('::ffff:192.168.1.23', own)).toBe(true);
    expect(fromAnotherDevice('::ffff:192.168.1.10', own)).toBe(false);
    expect(fromAnotherDevice('192.168.1.10', own)).toBe(false);
    expect(fromAnotherDevice('::ffff:127.0.0.1', own)).toBe(false);
    expect(fromAnotherDevice('', own)).toBe(false);
  });

  it('counts the devices that connected from the network since it opened, never this laptop itself', async () => {
    // This laptop's own connections never count: a firewall lets them through whatever it blocks.
    const local = await host(ownDir());
    const { url } = await local.setNetwork(true);
    await fetch(`${url}/healthz`);
    expect(local.status().networkVisitors).toBe(0);

    // Stand in another device: a laptop none of whose addresses is the one connecting.
    const dataDir = ownDir();
    const seen = await startLocalHost({ dataDir, port: 0, ownAddresses: () => [] });
    cleanUps.push(() => seen.close());
    expect(seen.status().networkVisitors).toBe(0);
    await seen.setNetwork(true);
    expect(seen.status().networkVisitors).toBe(0);
    await fetch(`${seen.status().url}/healthz`);
    await fetch(`${seen.status().url}/healthz`);
    expect(seen.status().networkVisitors).toBe(1);
    // Counted afresh each time it opens.
    expect((await seen.setNetwork(false)).networkVisitors).toBe(0);
    expect((await seen.setNetwork(true)).networkVisitors).toBe(0);
  });

  it('keeps its key and workshops from one start of the app to the next', async () => {
    const dataDir = ownDir();
    const first = await startLocalHost({ dataDir, port: 0 });
    const { room, token } = await createWorkshop(first.status().url, first.status().organiserToken);
    const writer = connectClient({ url: first.status().url }, room, token);
    await synced(writer);
    addNote(writer.doc, TEMPLATE_BOARD_IDS.needs, { text: 'Harjoitustila nuorille' });
    const witness = client(first.status().url, room, token);
    await until(witness.doc, () => readWorkshop(witness.doc).notes.length === 1);
    writer.provider.destroy();
    await first.close();

    const second = await host(dataDir);
    const reader = client(second.status().url, room, token);
    await synced(reader);
    expect(readWorkshop(reader.doc).notes.map((n) => n.text)).toContain('Harjoitustila nuorille');
  });

  it('hands the window one recorded organiser link, not a new one on every status call or start (#10, finding 5)', async () => {
    const dataDir = ownDir();
    const first = await startLocalHost({ dataDir, port: 0 });
    const token = first.status().organiserToken;
    expect(first.status().organiserToken).toBe(token);
    await first.close();
    const second = await host(dataDir);
    expect(second.status().organiserToken).toBe(token);
    // Recorded once in the data folder's link book, where it can be revoked.
    const organiserLinks = readFileSync(join(dataDir, 'links.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line.includes('"role":"organiser"'));
    expect(organiserLinks).toHaveLength(1);
  });

  it('on a full disk loses nothing: it keeps serving rather than switch networks, shutting down says what it could not store, and the next start brings it back (#10, finding 2)', async () => {
    const dir = ownDir();
    // A real small disk where user namespaces are allowed, else a store that fails like one.
    const disk = await smallTmpfs(dir);
    if (disk) cleanUps.push(() => disk.unmount());
    let full = false;
    const dataDir = disk ? join(disk.root, 'data') : dir;
    mkdirSync(dataDir, { recursive: true });
    const openStorage = disk
      ? undefined
      : async (folder: string): Promise<DocumentStorage> => {
          const level = await openLevelStorage(folder);
          return {
            ...level,
            append: (room, updates) =>
              full ? Promise.reject(new Error('No space left on device')) : level.append(room, updates),
          };
        };
    const fill = (): Promise<void> => (disk ? disk.fill() : Promise.resolve(void (full = true)));
    const free = (): Promise<void> => (disk ? disk.free() : Promise.resolve(void (full = false)));
    // A recovery file the full disk refuses goes to the system temp folder: this test's own.
    const tmp = process.env.TMPDIR;
    process.env.TMPDIR = ownDir();
    cleanUps.push(() => void (tmp === undefined ? delete process.env.TMPDIR : (process.env.TMPDIR = tmp)));
    const health = async (local: LocalHost): Promise<string> =>
      ((await (await fetch(`${local.status().url}/healthz`)).json()) as { status: string }).status;

    const first = await startLocalHost({ dataDir, port: 0, openStorage });
    const { room, token } = await createWorkshop(first.status().url, first.status().organiserToken);
    const writer = connectClient({ url: first.status().url }, room, token);
    const witness = client(first.status().url, room, token);
    await Promise.all([synced(writer), synced(witness)]);
    await fill();
    const written: string[] = [];
    while ((await health(first)) === 'ok') {
      const text = `Muistiinpano ${written.length + 1}`;
      addNote(writer.doc, TEMPLATE_BOARD_IDS.needs, { text });
      written.push(text);
      await until(witness.doc, () => readWorkshop(witness.doc).notes.some((n) => n.text === text));
    }
    // Only the host holds the notes now.
    writer.provider.destroy();
    witness.provider.destroy();

    // A restart would open the store again, which the full disk refuses: the host stays as it is.
    await expect(first.setNetwork(true)).rejects.toThrow(/cannot save workshops/);
    const viewer = client(first.status().url, room, token);
    await synced(viewer);
    expect(
      readWorkshop(viewer.doc)
        .notes.map((n) => n.text)
        .sort(),
    ).toEqual([...written].sort());
    viewer.provider.destroy();
    await expect(first.close()).rejects.toThrow(/could not be stored.*recovery file/);

    await free();
    const second = await startLocalHost({ dataDir, port: 0, openStorage });
    cleanUps.push(() => second.close());
    const reader = client(second.status().url, room, token);
    await synced(reader);
    expect(
      readWorkshop(reader.doc)
        .notes.map((n) => n.text)
        .sort(),
    ).toEqual([...written].sort());
    expect(await health(second)).toBe('ok');
  });
});
