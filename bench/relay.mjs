// The baseline every server scenario is compared with: a plain y-protocols relay. One Y.Doc and
// one Awareness per room, sync (step 1/2, updates) and awareness exactly as the stock y-websocket
// client speaks them, and nothing else: no tokens, no persistence, no limits, no metrics.
//
// It does what our server's Room does on the wire (its own sync step 1 and the current awareness
// on join, updates to every peer but the sender, awareness to every peer), so a ratio ours/relay
// measures what our additions cost. A room is dropped as soon as its last peer leaves. `seed`
// gives a room content that is applied when the room is opened by its first peer, the way our
// server loads a stored room, so "joining a 1 MB room" costs both servers that load.
import { createServer } from 'node:http';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebSocketServer } from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';

// The y-websocket message types (first varuint of a frame).
const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_QUERY_AWARENESS = 3;

function syncFrame(write) {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

function awarenessFrame(awareness, clients) {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
  return encoding.toUint8Array(encoder);
}

function send(ws, frame) {
  if (ws.readyState === ws.OPEN) ws.send(frame);
}

/**
 * Starts a relay on `host`:`port` (0 picks a free port). Resolves with its `url` (ws://…), its
 * `rooms` (name → room, for counting), `seed(room, update)` and `close()`.
 */
export async function startRelay({ host = '127.0.0.1', port = 0 } = {}) {
  const rooms = new Map();
  const seeds = new Map();

  function openRoom(name) {
    const doc = new Y.Doc();
    const seeded = seeds.get(name);
    if (seeded) Y.applyUpdate(doc, seeded);
    const awareness = new awarenessProtocol.Awareness(doc);
    awareness.setLocalState(null);
    // Each connection with the awareness client ids it controls.
    const peers = new Map();
    const room = { doc, awareness, peers };
    doc.on('update', (update, origin) => {
      const frame = syncFrame((e) => syncProtocol.writeUpdate(e, update));
      for (const ws of peers.keys()) if (ws !== origin) send(ws, frame);
    });
    awareness.on('update', ({ added, updated, removed }, origin) => {
      const controlled = peers.get(origin);
      if (controlled) {
        for (const id of added) controlled.add(id);
        for (const id of removed) controlled.delete(id);
      }
      const frame = awarenessFrame(awareness, [...added, ...updated, ...removed]);
      for (const ws of peers.keys()) send(ws, frame);
    });
    rooms.set(name, room);
    return room;
  }

  function receive(room, ws, data) {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    if (type === MESSAGE_SYNC) {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_SYNC);
      syncProtocol.readSyncMessage(decoder, encoder, room.doc, ws);
      if (encoding.length(encoder) > 1) send(ws, encoding.toUint8Array(encoder));
    } else if (type === MESSAGE_AWARENESS) {
      awarenessProtocol.applyAwarenessUpdate(room.awareness, decoding.readVarUint8Array(decoder), ws);
    } else if (type === MESSAGE_QUERY_AWARENESS) {
      send(ws, awarenessFrame(room.awareness, [...room.awareness.getStates().keys()]));
    }
  }

  const http = createServer((_req, res) => {
    res.writeHead(404);
    res.end();
  });
  const wss = new WebSocketServer({ server: http });
  wss.on('connection', (ws, req) => {
    const name = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname.slice(1));
    const room = rooms.get(name) ?? openRoom(name);
    room.peers.set(ws, new Set());
    ws.on('message', (data) => {
      try {
        receive(room, ws, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      } catch {
        ws.close(4400, 'malformed frame');
      }
    });
    ws.on('close', () => {
      const controlled = room.peers.get(ws);
      if (!room.peers.delete(ws)) return;
      if (controlled.size) awarenessProtocol.removeAwarenessStates(room.awareness, [...controlled], null);
      if (room.peers.size === 0) {
        rooms.delete(name);
        room.awareness.destroy();
        room.doc.destroy();
      }
    });
    send(
      ws,
      syncFrame((e) => syncProtocol.writeSyncStep1(e, room.doc)),
    );
    const states = [...room.awareness.getStates().keys()];
    if (states.length) send(ws, awarenessFrame(room.awareness, states));
  });

  await new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, host, () => resolve());
  });
  const bound = http.address().port;
  return {
    url: `ws://${host}:${bound}`,
    rooms,
    seed: (room, update) => seeds.set(room, update),
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      await new Promise((resolve) => wss.close(() => resolve()));
      const closed = new Promise((resolve) => http.close(() => resolve()));
      http.closeAllConnections();
      await closed;
    },
  };
}
