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
  AppInfo,
  DesktopEvent,
  LocalHostResponse,
  OpenWorkshopFileResponse,
  SaveExportRequest,
  SaveExportResponse,
  SavePdfRequest,
  SaveWorkshopFileRequest,
  SaveWorkshopFileResponse,
  TalkooBridge,
} from '../../shared/ipc';
import { WORKSHOP_ROOM_NAME } from '../../shared/workshop-file';
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

/** Desktop: the app's version and system, as main tells them; null in a browser. */
export function appInfo(): Promise<AppInfo> | null {
  return bridge()?.getAppInfo() ?? null;
}

/**
 * Desktop: hands `listener` each event main sends unasked (a file the system opened, a menu
 * command), those that came before it listened first; returns the stop. Nothing in a browser.
 */
export function onDesktopEvent(listener: (event: DesktopEvent) => void): () => void {
  return bridge()?.onDesktopEvent(listener) ?? (() => undefined);
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

/** Asks main again about the laptop's server (who has joined from the network since). */
export async function refreshLocalHost(): Promise<LocalHostResponse | null> {
  const desktop = bridge();
  if (!desktop) return null;
  localHost = await desktop.getLocalHost();
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

/** The origin of `link` when it is an http(s) URL, else null. */
export function httpOrigin(link: string): string | null {
  try {
    const url = new URL(link);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
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

/**
 * A workshop on this device: one room on one server. Everything this device keeps for a workshop
 * (its local copy, its token, its count of unsent changes, its line in the recent list) is keyed
 * by both, never by the room alone: the same room name on another server is another workshop,
 * and a link to it must get nothing of this one.
 */
export type Place = {
  /**
   * The server as this device keys it: in a browser the page's origin (the only server it talks
   * to); in the desktop app `this-laptop` for the laptop's own server, else the server's origin.
   */
  readonly server: string;
  readonly room: string;
};

/** The server of a workshop whose link names none: the page's own, or this laptop's. */
export function homeServer(): string {
  return webOrigin() ?? THIS_LAPTOP;
}

/**
 * The workshop `room` on the server at `origin` (an http(s) origin, or null for the home
 * server). A browser only ever talks to the server it was loaded from, whatever a link says.
 */
export function placeOf(room: string, origin: string | null): Place {
  const page = webOrigin();
  if (page !== null || origin === null) return { server: page ?? THIS_LAPTOP, room };
  return { server: stored(origin), room };
}

/** The key of everything kept for `place` (room names never contain '/'; encoded in case). */
export function placeKey(place: Place): string {
  return `${place.server}/${encodeURIComponent(place.room)}`;
}

/** The origin to write into an in-app link for `place`, or null when it is the home server. */
export function serverParam(place: Place): string | null {
  return place.server === homeServer() ? null : place.server;
}

/** The collab server of `place`, as an http(s) base URL ('' when this laptop's could not start). */
export function serverUrl(place: Place): string {
  return place.server === THIS_LAPTOP ? localUrl() : place.server;
}

/** True when `place` lives on this laptop's own server (desktop app). */
export function hostedHere(place: Place): boolean {
  return !webOrigin() && localHost?.ok === true && place.server === THIS_LAPTOP;
}

/** The same server as a WebSocket URL. */
export function socketUrl(place: Place): string {
  return serverUrl(place).replace(/^http/, 'ws');
}

/**
 * The server an earlier Talkoo, which kept workshops by room alone, had on record for `room`:
 * the page's own in a browser; in the desktop app the one its last link named (this laptop when
 * none). Only that server's workshop may adopt what was kept under the room alone.
 */
export function legacyServerOf(room: string): string {
  return webOrigin() ?? recall(legacyServerKey(room)) ?? THIS_LAPTOP;
}

/** Where an earlier Talkoo recorded the server of `room`; read (and removed) only to adopt. */
export function legacyServerKey(room: string): string {
  return `talkoo.server.${room}`;
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

/**
 * Desktop: `.talkoo` workshop files through main: saved and opened with its dialogs, or a file
 * dropped on the window (rejects when it has no path on disk); null in a browser.
 */
export function workshopFiles(): {
  save(request: Omit<SaveWorkshopFileRequest, 'suggestedName'>): Promise<SaveWorkshopFileResponse>;
  open(): Promise<OpenWorkshopFileResponse>;
  openDropped(file: File): Promise<OpenWorkshopFileResponse>;
} | null {
  const desktop = bridge();
  if (!desktop) return null;
  return {
    save: (request) => desktop.saveWorkshopFile({ suggestedName: request.title || 'Talkoo', ...request }),
    open: () => desktop.openWorkshopFile(),
    openDropped: (file) => desktop.openDroppedFile(file),
  };
}

/**
 * The workshop at `place` as a workshop file records it: its room, and its server's http(s)
 * origin, null for this laptop's own (every laptop's own server, on whatever port). A room of a
 * name no server makes (a test's fixed name) is recorded as none: the file is then a copy of an
 * unknown workshop.
 */
export function fileIdentity(place: Place): { workshop: string | null; origin: string | null } {
  if (!WORKSHOP_ROOM_NAME.test(place.room)) return { workshop: null, origin: null };
  return { workshop: place.room, origin: place.server === THIS_LAPTOP ? null : place.server };
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
