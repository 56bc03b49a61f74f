/**
 * The only reader of the desktop bridge, and the one place that knows which collab server a
 * workshop lives on.
 *
 * In a browser the app talks to the server it was loaded from. In the desktop app (loaded from
 * file://, with the preload's `window.talkoo`) workshops live on this laptop's own server ("host
 * on this laptop", started by main) unless they were joined by a link to another server; an
 * organiser link to another server makes that server the one Home creates workshops on.
 */
import type {
  LocalHostResponse,
  OpenWorkshopFileResponse,
  SaveExportRequest,
  SaveExportResponse,
  SavePdfRequest,
  SaveWorkshopFileResponse,
  TalkooBridge,
} from '../../shared/ipc';
import { recall, remember, forget } from './storage';

declare global {
  // Declaration merging with the DOM's Window needs an interface.
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  interface Window {
    /** Present only in the desktop app: the preload's bridge to main (shared/ipc.ts). */
    readonly talkoo?: TalkooBridge;
  }
}

/** Stored in place of a URL for workshops on this laptop's server, whose port may change. */
const THIS_LAPTOP = 'this-laptop';
const serverKey = (room: string): string => `talkoo.server.${room}`;
const REMOTE_ORGANISER_KEY = 'talkoo.organiser.server';

let localHost: LocalHostResponse | null = null;

/** The desktop bridge, or null in a browser. */
function bridge(): TalkooBridge | null {
  return window.talkoo ?? null;
}

/** True in the desktop app. */
export function isDesktop(): boolean {
  return bridge() !== null;
}

/** Asks main about the laptop's server; call once before the first render. */
export async function startPlatform(): Promise<void> {
  const desktop = bridge();
  if (!desktop) return;
  try {
    localHost = await desktop.getLocalHost();
  } catch (error) {
    localHost = { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/** The laptop's own server as main last described it; null in a browser. */
export function localHostStatus(): LocalHostResponse | null {
  return localHost;
}

/** Opens the laptop's server to the local network, or closes it to this laptop only. */
export async function setLocalHostNetwork(open: boolean): Promise<LocalHostResponse> {
  const desktop = bridge();
  if (!desktop) throw new Error('Only the desktop app hosts workshops.');
  localHost = await desktop.setLocalHostNetwork({ open });
  return localHost;
}

/** The origin of this page when it is served over http(s) (the web client), else null. */
export function webOrigin(): string | null {
  const { protocol, host } = window.location;
  return protocol === 'http:' || protocol === 'https:' ? `${protocol}//${host}` : null;
}

/** The laptop's server as this laptop reaches it ('' when it could not start). */
function localUrl(): string {
  return localHost?.ok ? localHost.url : '';
}

/** True when `origin` is this laptop's own server (by either of its addresses). */
function isThisLaptop(origin: string): boolean {
  return localHost?.ok === true && (origin === localHost.url || localHost.networkUrls.includes(origin));
}

/** Where the server's workshops are kept for `server`: the laptop marker or the URL itself. */
function stored(server: string): string {
  return isThisLaptop(server) ? THIS_LAPTOP : server;
}

function resolve(value: string | null): string {
  return value === null || value === THIS_LAPTOP ? localUrl() : value;
}

/** The collab server of `room`, as an http(s) base URL. */
export function serverFor(room: string): string {
  return webOrigin() ?? resolve(recall(serverKey(room)));
}

/** True when `room` lives on this laptop's own server (desktop app). */
export function hostedHere(room: string): boolean {
  if (webOrigin() || !localHost?.ok) return false;
  const value = recall(serverKey(room));
  return value === null || value === THIS_LAPTOP;
}

/** The same server as a WebSocket URL. */
export function socketUrlFor(room: string): string {
  return serverFor(room).replace(/^http/, 'ws');
}

/** Remembers that `room` lives on `server` (desktop only; a browser always uses its own). */
export function rememberServer(room: string, server: string): void {
  if (!webOrigin()) remember(serverKey(room), stored(server));
}

/** The server Home lists and creates workshops on, with the organiser token for it. */
export function organiserServer(token: string | null): { server: string; token: string } | null {
  const page = webOrigin();
  if (page) return token ? { server: page, token } : null;
  const remote = recall(REMOTE_ORGANISER_KEY);
  if (remote && token) return { server: remote, token };
  return localHost?.ok ? { server: localHost.url, token: localHost.organiserToken } : null;
}

/** True when Home works with the laptop's own server (desktop without another organiser link). */
export function organisesThisLaptop(): boolean {
  return !webOrigin() && recall(REMOTE_ORGANISER_KEY) === null && localHost?.ok === true;
}

/** Desktop: makes `server` the one Home works with (an organiser link to it was pasted). */
export function chooseOrganiserServer(server: string | null): void {
  if (server === null || isThisLaptop(server)) forget(REMOTE_ORGANISER_KEY);
  else remember(REMOTE_ORGANISER_KEY, server);
}

/** Desktop: `.talkoo` workshop files through main's dialogs; null in a browser. */
export function workshopFiles(): {
  save(title: string, state: Uint8Array): Promise<SaveWorkshopFileResponse>;
  open(): Promise<OpenWorkshopFileResponse>;
} | null {
  const desktop = bridge();
  if (!desktop) return null;
  return {
    save: (title, state) => desktop.saveWorkshopFile({ suggestedName: title || 'Talkoo', title, state }),
    open: () => desktop.openWorkshopFile(),
  };
}

/** Desktop: export files through main's save dialog (written atomically); null in a browser. */
export function desktopExports(): {
  saveFiles(request: SaveExportRequest): Promise<SaveExportResponse>;
  savePdf(request: SavePdfRequest): Promise<SaveExportResponse>;
} | null {
  const desktop = bridge();
  if (!desktop) return null;
  return {
    saveFiles: (request) => desktop.saveExportFiles(request),
    savePdf: (request) => desktop.saveExportPdf(request),
  };
}
