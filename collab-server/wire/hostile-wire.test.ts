/**
 * Hostile bytes on the wire (#10, finding 1): frames no WebSocket client may send (unmasked, a
 * reserved opcode, an RSV bit) right after the upgrade, from a socket whose token is refused or
 * whose room is still loading, and TCP resets right after a request. None may end the server:
 * afterwards a real client still joins and syncs. An unhandled 'error' event would crash this
 * process, and vitest fails the run on it.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../server';
import {
  connectClient,
  rawHttpStatus,
  startTestServer,
  startWorkshop,
  synced,
  tokenFor,
  upgradeRequest,
} from '../test-support';

/** Frames a server must refuse: client frames must be masked, opcode 3 is reserved, RSV1 is unset. */
const HOSTILE_FRAMES = [
  Buffer.from([0x82, 0x02, 0x00, 0x00]), // binary, unmasked
  Buffer.from([0x83, 0x80, 0x01, 0x02, 0x03, 0x04]), // reserved opcode 3, masked, empty
  Buffer.from([0xc2, 0x80, 0x01, 0x02, 0x03, 0x04]), // binary with RSV1, masked, empty
];

/**
 * Opens a raw TCP connection, asks for a WebSocket to `target`, and as soon as the server answers
 * (or at once, with `eager`) writes `frame`; resolves when the server has closed the connection.
 */
function hostileUpgrade(server: RunningServer, target: string, frame: Buffer, eager: boolean): Promise<void> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve) => {
    const socket: Socket = connect(Number(port), hostname, () => {
      socket.write(upgradeRequest(hostname, target));
      if (eager) socket.write(frame);
    });
    let answered = false;
    socket.on('data', () => {
      if (answered || eager) return;
      answered = true;
      socket.write(frame);
    });
    socket.on('error', () => resolve());
    socket.on('close', () => resolve());
    // A server that keeps the socket open is fine too; the point is that it lives.
    setTimeout(() => {
      socket.destroy();
      resolve();
    }, 2000).unref();
  });
}

/** Asks for `target` and resets the TCP connection at once, before any answer. */
function resetAfterRequest(server: RunningServer, target: string): Promise<void> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(upgradeRequest(hostname, target), () => {
        socket.resetAndDestroy();
        resolve();
      });
    });
    socket.on('error', () => resolve());
  });
}

describe('hostile bytes on the wire', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  /** The server still serves: a participant joins a room and syncs a workshop into it. */
  async function stillServes(room: string): Promise<void> {
    const writer = connectClient(server, room, tokenFor(server, room, 'facilitator'));
    await synced(writer);
    startWorkshop(writer.doc, 'Still here');
    const reader = connectClient(server, room, tokenFor(server, room, 'participant'));
    await synced(reader);
    expect(await rawHttpStatus(server, '/healthz')).toBe(200);
    writer.provider.destroy();
    reader.provider.destroy();
  }

  it('lives through illegal frames from sockets whose token is refused', async () => {
    for (const frame of HOSTILE_FRAMES) {
      for (const eager of [false, true]) {
        await hostileUpgrade(server, '/room-a', frame, eager); // no token
        await hostileUpgrade(server, '/room-a?token=not-a-token', frame, eager);
      }
    }
    await stillServes('room-a');
  });

  it('lives through illegal frames sent while the room is still loading', async () => {
    for (const frame of HOSTILE_FRAMES) {
      for (let i = 0; i < 5; i++) {
        const room = `loading-${HOSTILE_FRAMES.indexOf(frame)}-${i}`;
        await hostileUpgrade(server, `/${room}?token=${tokenFor(server, room, 'viewer')}`, frame, true);
      }
    }
    await stillServes('room-b');
  });

  it('lives through connections reset right after asking for a bad room name or a good one', async () => {
    for (let i = 0; i < 30; i++) {
      await resetAfterRequest(server, '/bad%20room!');
      await resetAfterRequest(server, `/room-c?token=${tokenFor(server, 'room-c', 'viewer')}`);
    }
    await stillServes('room-c');
  });
});
