// A process of the kill -9 soak holding many stock y-websocket clients (WebsocketProvider over
// `ws`). Each client asks for stored acknowledgements (shared/stored-message.ts, message 100),
// writes one new note at a time while synced (its key the note's id), and remembers which of its
// keys the server has acknowledged as stored on disk: those must survive any kill. The clients
// are participants (#11): the server tells each its identity (message 102), its notes carry it as
// their author, and it presents it again (`me`) when it reconnects, so the notes it sends again
// after a kill are still its own. Refusals (message 101) are counted: there should be none.
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { signToken } from './.soak-build/tokens.mjs';
import { STORED_MESSAGE, encodeStoredRequest, isUpdateFrame, readStoredAck } from './.soak-build/stored.mjs';
import {
  IDENTITY_PARAM,
  readRefusal,
  readSession,
  REFUSED_MESSAGE,
  SESSION_MESSAGE,
} from './.soak-build/session.mjs';
import { serve } from './lib/child.mjs';

process.setMaxListeners(0);

/** id → client */
const clients = new Map();
let writeTimer = null;

function openClient({ id, room }, target) {
  const client = {
    id,
    room,
    token: signToken(target.key, { room, role: 'participant', name: `soak ${id}`, ttlSeconds: 86_400 }),
    url: target.url,
    doc: null,
    provider: null,
    /** The signed identity the server gave, presented again on every later socket. */
    identity: null,
    frozen: false,
    seq: 0,
    /** Keys written and not yet acknowledged, in order. */
    unacked: [],
    /** Keys the server acknowledged as stored. */
    acked: [],
    /** Per update frame sent on the current socket: how many of `unacked` it carried (cumulative). */
    frames: [],
    /** Keys written since the last update frame went out. */
    carried: 0,
    acksOnSocket: 0,
    /** The identity the server knows this client by (null until it says). */
    me: null,
    /** Updates the server refused; each time the client reloads the room, as the app does. */
    refused: 0,
  };
  clients.set(id, client);
  attach(client);
  return client;
}

/**
 * Gives `client` a fresh document and provider. After a refusal the app discards its copy of the
 * room and loads it afresh (a new Yjs client id): a refused update leaves a gap in its client's
 * clock, and the server would hold every later update of that client aside, never applied.
 * Keys not yet acknowledged are then given up (never counted as acknowledged).
 */
function attach(client) {
  const doc = new Y.Doc();
  const params = client.identity
    ? { token: client.token, [IDENTITY_PARAM]: client.identity }
    : { token: client.token };
  const provider = new WebsocketProvider(client.url, client.room, doc, {
    WebSocketPolyfill: WebSocket,
    params,
    disableBc: true,
    connect: !client.frozen,
  });
  client.doc = doc;
  client.provider = provider;
  client.unacked = [];
  client.carried = 0;
  provider.messageHandlers[SESSION_MESSAGE] = (_encoder, decoder) => {
    const session = readSession(decoder);
    if (!session) return;
    client.me = session.id;
    client.identity = session.identity;
    provider.params = { ...provider.params, [IDENTITY_PARAM]: session.identity };
  };
  provider.messageHandlers[REFUSED_MESSAGE] = (_encoder, decoder) => {
    const { frame, code, path } = readRefusal(decoder);
    if (client.refused++ === 0)
      console.error(`client ${client.id}: frame ${frame} refused: ${code} at ${path}`);
    if (client.provider !== provider) return;
    // Later frames of this socket are not to be trusted any more than the refused one.
    provider.messageHandlers[STORED_MESSAGE] = () => {};
    queueMicrotask(() => {
      provider.destroy();
      doc.destroy();
      attach(client);
    });
  };
  provider.messageHandlers[STORED_MESSAGE] = (_encoder, decoder) => {
    const n = readStoredAck(decoder);
    if (n <= client.acksOnSocket) return;
    // Frames 1..n are stored: every key they carried is acknowledged. `frames` starts at the
    // first frame not yet acknowledged.
    const newly = n - client.acksOnSocket;
    const covered = client.frames[newly - 1] ?? 0;
    client.acked.push(...client.unacked.splice(0, covered));
    client.frames = client.frames.slice(newly).map((c) => c - covered);
    client.carried -= covered;
    client.acksOnSocket = n;
  };
  provider.on('status', ({ status }) => {
    if (status !== 'connected') return;
    const ws = provider.ws;
    // A new socket: its frames count from 1, and its first update frame (the sync step 2 answer)
    // carries every key not yet acknowledged.
    client.frames = [];
    client.acksOnSocket = 0;
    client.carried = client.unacked.length;
    const send = ws.send.bind(ws);
    ws.send = (data) => {
      if (isUpdateFrame(new Uint8Array(data))) {
        client.frames.push(client.carried);
      }
      send(data);
    };
    send(encodeStoredRequest());
  });
}

function write() {
  for (const client of clients.values()) {
    if (!client.provider.synced || !client.provider.wsconnected || !client.me) continue;
    if (Math.random() > client.rate) continue;
    const key = `${client.id}:${client.seq++}`;
    client.unacked.push(key);
    client.carried = client.unacked.length;
    const note = new Y.Map([
      ['text', new Y.Text(String(client.seq))],
      ['boardId', 'board-needs'],
      ['author', client.me],
    ]);
    client.doc.getMap('notes').set(key, note);
  }
}

serve(
  {
    /** Opens `clients` ([{ id, room }]) against `target` ({ url, key as hex }). */
    connect({ clients: list, target, writesPerSecond }) {
      const t = { url: target.url, key: Buffer.from(target.key, 'hex') };
      for (const spec of list) openClient(spec, t).rate = writesPerSecond / 10;
      writeTimer ??= setInterval(write, 100);
      return { opened: list.length };
    },
    /** How many clients are connected and synced. */
    synced() {
      let n = 0;
      for (const c of clients.values()) if (c.provider.synced && c.provider.wsconnected) n++;
      return { synced: n, total: clients.size };
    },
    /** Stops writing and reconnecting; reports each room's acknowledged keys and refusals so far. */
    freeze() {
      clearInterval(writeTimer);
      writeTimer = null;
      const byRoom = {};
      let unacked = 0;
      let refused = 0;
      for (const c of clients.values()) {
        c.frozen = true;
        c.provider.disconnect();
        (byRoom[c.room] ??= []).push(...c.acked);
        unacked += c.unacked.length;
        refused += c.refused;
      }
      return { byRoom, unacked, refused };
    },
    /** Reconnects every client and writes again. */
    thaw() {
      for (const c of clients.values()) {
        c.frozen = false;
        c.provider.connect();
      }
      writeTimer ??= setInterval(write, 100);
      return {};
    },
    stop() {
      clearInterval(writeTimer);
      for (const c of clients.values()) c.provider.destroy();
      clients.clear();
      return {};
    },
  },
  () => {
    for (const c of clients.values()) c.provider.destroy();
  },
);
