/**
 * Reconnects that heal (#13): the app's own provider (renderer/src/healing-provider.ts, exactly
 * what connection.ts builds) against the real server, through a loopback proxy that pauses,
 * drops, delays and cuts traffic (test-support/fault-proxy.ts). Partitions heal to one document
 * with no duplicated notes; a server killed with SIGKILL mid-edit and started again on the same
 * folder and port ends up holding everything any client holds.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import {
  addNote,
  deleteNotes,
  readWorkshop,
  setNoteText,
  setWorkshopTitle,
  TEMPLATE_BOARD_IDS,
  type NoteId,
} from '../shared';
import { createBackoff, RECONNECT_BACKOFF, type Backoff } from '../shared/reconnect';
import { HealingProvider } from '../renderer/src/healing-provider';
import { SESSION_MESSAGE } from '../shared/session-message';
import { CLOSE } from '../shared/close-codes';
import { FaultProxy } from './test-support/fault-proxy';
import {
  agree,
  buildServerCli,
  connectClient,
  hearStoredAcks,
  lastStoredAck,
  removeDir,
  startWorkshop,
  TestBed,
  tokenFor,
  waitFor,
  type ServerAddress,
  type StoredAcks,
} from './test-support';

const bed = new TestBed();
const proxies: FaultProxy[] = [];
const providers: HealingProvider[] = [];

afterEach(async () => {
  for (const provider of providers.splice(0)) provider.destroy();
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
  await bed.cleanUp();
});

type Client = { readonly doc: Y.Doc; readonly provider: HealingProvider };

async function proxyTo(server: Pick<ServerAddress, 'url'>): Promise<FaultProxy> {
  const proxy = await FaultProxy.start(Number(new URL(server.url).port));
  proxies.push(proxy);
  return proxy;
}

/** The app's provider, as connection.ts configures it, connected to `room` through `proxy`. */
function client(proxy: FaultProxy, server: ServerAddress, room: string, backoff?: Backoff): Client {
  const doc = new Y.Doc();
  const provider = new HealingProvider(proxy.url, room, doc, {
    params: { token: tokenFor(server, room) },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    // The page's BroadcastChannel links tabs of one browser; in one Node process it would link
    // every client past the proxy.
    disableBc: true,
    backoff,
  });
  providers.push(provider);
  return { doc, provider };
}

function synced(c: Client): Promise<void> {
  if (c.provider.synced) return Promise.resolve();
  return new Promise((resolve) => c.provider.once('sync', (s: boolean) => s && resolve()));
}

/** Every client's state (who wrote what up to which clock) and read model, to compare. */
function stateOf(doc: Y.Doc): { vector: Map<number, number>; model: ReturnType<typeof readWorkshop> } {
  return { vector: Y.decodeStateVector(Y.encodeStateVector(doc)), model: readWorkshop(doc) };
}

/** What the server holds of `room` now, read by a viewer of its own (straight, not through a proxy). */
async function serverCopy(server: ServerAddress, room: string): Promise<Y.Doc> {
  const viewer = connectClient(server, room, tokenFor(server, room, 'viewer'));
  try {
    await new Promise<void>((resolve) => viewer.provider.once('sync', () => resolve()));
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(viewer.doc));
    return copy;
  } finally {
    viewer.provider.destroy();
  }
}

/** Clocks of `have` that `covered` lacks: [client id, have's clock, covered's clock]. */
function missingFrom(covered: Map<number, number>, have: Map<number, number>): [number, number, number][] {
  return [...have]
    .filter(([id, clock]) => (covered.get(id) ?? 0) < clock)
    .map(([id, c]) => [id, c, covered.get(id) ?? 0]);
}

function noteIds(doc: Y.Doc): NoteId[] {
  return readWorkshop(doc).notes.map((n) => n.id);
}

describe('reconnects through a faulty network', () => {
  it('a dropped client tries again after the waits its backoff draws, and starts from the first window after it synced', async () => {
    const server = await bed.start();
    const proxy = await proxyTo(server);
    const draws: number[] = [];
    const policy = createBackoff(RECONNECT_BACKOFF, () => 0.5);
    let resets = 0;
    const backoff: Backoff = {
      next: () => {
        const wait = policy.next();
        draws.push(wait);
        return wait;
      },
      reset: () => {
        resets++;
        policy.reset();
      },
      attempts: policy.attempts,
    };
    const a = client(proxy, server, 'backoff', backoff);
    await synced(a);
    const resetsAfterFirstSync = resets;

    // A partition: every attempt is refused, each waits longer than the last.
    proxy.partition();
    await waitFor('three refused attempts', () => draws.length >= 3);
    expect(a.provider.synced).toBe(false);
    expect(draws.slice(0, 3)).toEqual([125, 250, 500]);
    proxy.heal();
    a.provider.retryNow();
    await synced(a);
    expect(resets).toBe(resetsAfterFirstSync + 1);

    // The next drop starts again from the first window.
    const before = draws.length;
    proxy.cut();
    await waitFor('one more attempt', () => draws.length > before);
    expect(draws[before]).toBe(125);
    await synced(a);
  });

  it('partitions heal to identical documents with no duplicated notes', async () => {
    const server = await bed.start();
    // Two on each side of the partition to come; a2's own network will lose what it sends.
    const [near, lossy, far] = [await proxyTo(server), await proxyTo(server), await proxyTo(server)];
    const room = 'partitioned';
    const clients = [
      client(near, server, room),
      client(lossy, server, room),
      client(far, server, room),
      client(far, server, room),
    ];
    const [a1, a2, b1, b2] = clients as [Client, Client, Client, Client];
    await Promise.all(clients.map(synced));
    startWorkshop(a1.doc, 'Before');
    const shared = addNote(a1.doc, TEMPLATE_BOARD_IDS.needs, { text: 'shared' })!;
    const doomed = addNote(a1.doc, TEMPLATE_BOARD_IDS.needs, { text: 'doomed' })!;
    await agree(clients.map((c) => c.doc));
    // The near side's network is slow.
    near.delay(20);
    lossy.delay(20);

    far.partition();
    for (let i = 0; i < 5; i++) {
      addNote(a1.doc, TEMPLATE_BOARD_IDS.needs, { text: `near ${i}` });
      addNote(b1.doc, TEMPLATE_BOARD_IDS.needs, { text: `far ${i}` });
    }
    // Both sides change the same things.
    setWorkshopTitle(a2.doc, 'Near title');
    setWorkshopTitle(b2.doc, 'Far title');
    setNoteText(a2.doc, shared, 'near text');
    setNoteText(b1.doc, shared, 'far text');
    setNoteText(a2.doc, doomed, 'edited while deleted');
    deleteNotes(b2.doc, [doomed]);
    // a2's next edit is lost on the way; its connection is then cut, and it must send it again.
    // Its open connection only: the one it makes after the cut goes through.
    lossy.drop('up', () => true);
    addNote(a2.doc, TEMPLATE_BOARD_IDS.needs, { text: 'lost on the way' });
    lossy.cut();
    await agree([a1.doc, a2.doc]);

    far.heal();
    near.delay(0);
    lossy.delay(0);
    clients.forEach((c) => c.provider.retryNow());
    await agree(clients.map((c) => c.doc));
    const copy = await serverCopy(server, room);

    const expected = stateOf(a1.doc);
    for (const doc of [...clients.map((c) => c.doc), copy]) expect(stateOf(doc)).toEqual(expected);
    const ids = noteIds(copy);
    expect(new Set(ids).size).toBe(ids.length);
    const texts = readWorkshop(copy).notes.map((n) => n.text);
    // 2 before, 5 a side, the lost one; `doomed` stays deleted on every side.
    expect(texts).toHaveLength(12);
    expect(texts).toContain('lost on the way');
    expect(texts).not.toContain('edited while deleted');
    expect(['Near title', 'Far title']).toContain(readWorkshop(copy).meta.title);
    copy.destroy();
  });

  it('a page back in view tries at once instead of waiting out a long wait', async () => {
    const server = await bed.start();
    const proxy = await proxyTo(server);
    const hour = 3_600_000;
    let waits = 0;
    const patient: Backoff = {
      next: () => {
        waits++;
        return hour;
      },
      reset: () => undefined,
      attempts: () => waits,
    };
    const a = client(proxy, server, 'visible', patient);
    await synced(a);
    proxy.cut();
    await waitFor('the drop', () => a.provider.retryPending);
    expect(a.provider.synced).toBe(false);
    a.provider.retryNow();
    await synced(a);
    expect(waits).toBe(1);
  });

  it('a link the server refuses for good stops trying and says which code', async () => {
    const server = await bed.start();
    const proxy = await proxyTo(server);
    let waits = 0;
    const backoff = createBackoff(RECONNECT_BACKOFF, Math.random);
    const doc = new Y.Doc();
    const provider = new HealingProvider(proxy.url, 'refused', doc, {
      params: { token: tokenFor(server, 'another room') },
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      backoff: {
        ...backoff,
        next: () => {
          waits++;
          return backoff.next();
        },
      },
    });
    providers.push(provider);
    const closed = await new Promise<{ code: number }>((resolve) => provider.once('closed', resolve));
    expect(closed.code).toBe(CLOSE.tokenWrongRoom);
    expect(provider.retryPending).toBe(false);
    expect(provider.shouldConnect).toBe(false);
    expect(waits).toBe(0);
  });

  it('a paused connection delivers what it held once resumed, in order', async () => {
    const server = await bed.start();
    const proxy = await proxyTo(server);
    const writer = client(proxy, server, 'paused');
    const reader = client(await proxyTo(server), server, 'paused');
    await Promise.all([synced(writer), synced(reader)]);
    startWorkshop(writer.doc);
    await agree([writer.doc, reader.doc]);
    proxy.pause('up');
    const id = addNote(writer.doc, TEMPLATE_BOARD_IDS.needs, { text: 'a' })!;
    for (const text of ['ab', 'abc', 'abcd']) setNoteText(writer.doc, id, text);
    await waitFor('bytes held', () => proxy.connections().some((link) => link.up.held() > 0));
    expect(readWorkshop(reader.doc).notes).toEqual([]);
    proxy.resume('up');
    await agree([writer.doc, reader.doc]);
    expect(readWorkshop(reader.doc).notes.map((n) => n.text)).toEqual(['abcd']);
  });
});

describe('a server killed with SIGKILL mid-edit', () => {
  let cli = '';
  let buildDir = '';
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    ({ cli, dir: buildDir } = await buildServerCli('talkoo-heal-test-'));
  });
  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
  });
  afterAll(() => removeDir(buildDir));

  async function freePort(): Promise<number> {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    return port;
  }

  /** Starts the server's command in a process of its own; resolves once it listens. */
  async function serve(dataDir: string, port: number): Promise<ChildProcess> {
    const child = spawn(process.execPath, [cli, 'serve', '--port', String(port), '--data-dir', dataDir], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await waitFor('the server to listen', () => /listening on http/.test(stderr) || child.exitCode !== null);
    if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}: ${stderr}`);
    return child;
  }

  async function kill9(child: ChildProcess): Promise<void> {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** Resolves once the server said it stored everything each client sent on its current connection. */
  async function allStored(acks: readonly StoredAcks[], clients: readonly Client[]): Promise<void> {
    await waitFor(
      'the server to store every change',
      () => clients.every((c, i) => c.provider.synced && lastStoredAck(acks[i]!) >= acks[i]!.sent),
      20_000,
    );
  }

  it('every client converges after the restart and the server holds every update any client holds', async () => {
    const dataDir = bed.dir();
    const port = await freePort();
    let child = await serve(dataDir, port);
    const server: ServerAddress = {
      url: `http://127.0.0.1:${port}`,
      signingKey: Buffer.from(readFileSync(join(dataDir, 'signing-key'), 'utf8').trim(), 'hex'),
    };
    const room = 'killed';
    const proxy = await proxyTo(server);
    const clients = [0, 1, 2].map(() => client(proxy, server, room));
    const acks = clients.map((c) => hearStoredAcks({ doc: c.doc, provider: c.provider }, true));
    // Asking for acknowledgements, a client is told who it is (the app keeps it; nothing to do here).
    for (const c of clients) c.provider.messageHandlers[SESSION_MESSAGE] = () => undefined;
    await Promise.all(clients.map(synced));
    startWorkshop(clients[0]!.doc, 'Killed');
    await agree(clients.map((c) => c.doc));

    // Each client adds notes and types into its own, every few milliseconds, across the kill.
    let typed = 0;
    const own = clients.map((c, i) => addNote(c.doc, TEMPLATE_BOARD_IDS.needs, { text: `own ${i}` })!);
    const edit = (): void => {
      typed++;
      clients.forEach((c, i) => {
        addNote(c.doc, TEMPLATE_BOARD_IDS.needs, { text: `client ${i} edit ${typed}` });
        setNoteText(c.doc, own[i]!, `own ${i} at ${typed}`);
      });
    };
    const editing = setInterval(edit, 3);
    await waitFor('edits under way', () => typed >= 20);
    await kill9(child);
    const atKill = typed;
    // Still editing with the server gone: these wait on the clients.
    await waitFor('edits while the server is down', () => typed >= atKill + 20);
    child = await serve(dataDir, port);
    await waitFor('edits after the restart', () => typed >= atKill + 40);
    clearInterval(editing);

    await agree(clients.map((c) => c.doc));
    await allStored(acks, clients);
    const models = clients.map((c) => readWorkshop(c.doc));
    expect(models.every((m) => JSON.stringify(m) === JSON.stringify(models[0]))).toBe(true);
    expect(models[0]!.notes).toHaveLength(3 + 3 * typed);

    // What the server acknowledged is on its disk: killed again, it still has all of it.
    await kill9(child);
    await serve(dataDir, port);
    const copy = await serverCopy(server, room);
    for (const c of clients) expect(missingFrom(stateOf(copy).vector, stateOf(c.doc).vector)).toEqual([]);
    expect(readWorkshop(copy)).toEqual(models[0]);
    const ids = noteIds(copy);
    expect(new Set(ids).size).toBe(ids.length);
    copy.destroy();
  });
});
