/**
 * Reads a live room of a Talkoo server for `talkoo export --server`: a stock y-websocket client
 * connects with the token, waits for its first sync, and disconnects. It stays invisible to the
 * people in the room (no awareness state) and changes nothing. A refused token, an unreachable
 * server or a room that never syncs ends in a clear error instead of a wait without end.
 */
import * as Y from 'yjs';
import { CLOSE } from '../../shared/close-codes';

/** Which room to read, and how long to wait for it. */
export type LiveRoom = {
  /** The server's address: http(s):// as in its links, or ws(s)://. */
  readonly server: string;
  readonly room: string;
  readonly token: string;
  readonly timeoutMs: number;
};

/** Why the server closed the connection, by close code (shared/close-codes.ts). */
const REFUSALS: Readonly<Record<number, string>> = {
  [CLOSE.tokenMissing]: 'the server wants a token',
  [CLOSE.tokenMalformed]: 'the token is not a Talkoo token',
  [CLOSE.tokenForged]: 'the token was not signed by this server',
  [CLOSE.tokenWrongRoom]: 'the token is for another room',
  [CLOSE.tokenWrongRole]:
    'the token cannot join a room (an organiser token? use a facilitator, participant or viewer link)',
  [CLOSE.tokenExpired]: 'the token has expired',
  [CLOSE.roomFull]: 'the room is full',
  [CLOSE.storageFailure]: 'the server could not load the room',
  [CLOSE.shuttingDown]: 'the server is shutting down',
};

/** The WebSocket base address of a server given as in its links. */
export function websocketBase(server: string): string {
  return server.replace(/^http(s?):/i, 'ws$1:').replace(/\/+$/, '');
}

/**
 * Connects to `room`, waits for the first sync and returns the room's document (a copy: the
 * connection is closed by then).
 * @throws Error with a one-line reason when the server refuses, cannot be reached or times out.
 */
export async function readLiveRoom(options: LiveRoom): Promise<Y.Doc> {
  // Loaded here, not at start: only this command needs a WebSocket client.
  const [{ WebSocket }, { Awareness }, { WebsocketProvider }] = await Promise.all([
    import('ws'),
    import('y-protocols/awareness'),
    import('y-websocket'),
  ]);
  const doc = new Y.Doc();
  const awareness = new Awareness(doc);
  // No presence: an export is not a person in the room.
  awareness.setLocalState(null);
  const base = websocketBase(options.server);
  const where = `room ${options.room} at ${options.server}`;
  const provider = new WebsocketProvider(base, options.room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { token: options.token },
    connect: true,
    awareness,
    disableBc: true,
  });
  return new Promise<Y.Doc>((resolve, reject) => {
    let done = false;
    const finish = (error: Error | null): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      provider.destroy();
      awareness.destroy();
      if (error) {
        doc.destroy();
        reject(error);
      } else resolve(doc);
    };
    const timer = setTimeout(
      () => finish(new Error(`${where} did not answer within ${options.timeoutMs / 1000} s`)),
      options.timeoutMs,
    );
    provider.on('sync', (synced: boolean) => {
      if (synced) finish(null);
    });
    provider.on('connection-close', (event: { code: number; reason: string } | null) => {
      if (!event) return;
      const why = REFUSALS[event.code];
      finish(
        new Error(
          why
            ? `${where} refused the connection: ${why}`
            : `${where} closed the connection (code ${event.code}${event.reason ? `: ${event.reason}` : ''})`,
        ),
      );
    });
    provider.on('connection-error', (event: Event) => {
      const message = (event as Event & { message?: string }).message;
      finish(new Error(`cannot reach ${where}${message ? ` (${message})` : ''}`));
    });
  });
}
