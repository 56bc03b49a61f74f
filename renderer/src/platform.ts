/**
 * The only reader of the desktop bridge. In the Electron window the preload exposes
 * `window.talkoo`; in a browser the app talks to the server it was loaded from.
 */

/** The collaboration server this UI talks to, as an http(s) base URL. */
export function serverBaseUrl(): string {
  const { protocol, host } = window.location;
  if (protocol === 'http:' || protocol === 'https:') return `${protocol}//${host}`;
  // The desktop app loads from file://; until "host on this laptop" lands it uses the local server.
  return 'http://127.0.0.1:4455';
}

/** The same server as a WebSocket URL. */
export function serverSocketUrl(): string {
  return serverBaseUrl().replace(/^http/, 'ws');
}
