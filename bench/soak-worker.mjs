// A process of the kill -9 soak holding many stock y-websocket clients (WebsocketProvider over
// `ws`). Each client asks for stored acknowledgements (shared/stored-message.ts, message 100),
// writes one new key at a time while synced, and remembers which of its keys the server has
// acknowledged as stored on disk: those must survive any kill.
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { signToken } from './.soak-build/tokens.mjs';
import { STORED_MESSAGE, encodeStoredRequest, isUpdateFrame, readStoredAck } from './.soak-build/stored.mjs';
import { serve } from './lib/child.mjs';

process.setMaxListeners(0);

/** id → client */
const clients = new Map();
let writeTimer = null;

function openClient({ id, room }, target) {
  const doc = new Y.Doc();
  const token = signToken(target.key, { room, role: 'participant', name: `soak ${id}`, ttlSeconds: 86_400 });
  const provider = new WebsocketProvider(target.url, room, doc, {
    WebSocketPolyfill: WebSocket,
    params: { token },
    disableBc: true,
  });
  const client = {
    id,
    room,
    doc,
    provider,
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
  };
  clients.set(id, client);
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
  return client;
}

function write() {
  for (const client of clients.values()) {
    if (!client.provider.synced || !client.provider.wsconnected) continue;
    if (Math.random() > client.rate) continue;
    const key = `${client.id}:${client.seq++}`;
    client.unacked.push(key);
    client.carried = client.unacked.length;
    client.doc.getMap('soak').set(key, client.seq);
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
    /** Stops writing and reconnecting; reports each room's acknowledged keys. */
    freeze() {
      clearInterval(writeTimer);
      writeTimer = null;
      const byRoom = {};
      let unacked = 0;
      for (const c of clients.values()) {
        c.provider.disconnect();
        (byRoom[c.room] ??= []).push(...c.acked);
        unacked += c.unacked.length;
      }
      return { byRoom, unacked };
    },
    /** Reconnects every client and writes again. */
    thaw() {
      for (const c of clients.values()) c.provider.connect();
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
