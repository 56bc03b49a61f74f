/**
 * The preload, bundled by esbuild to dist/main/preload.cjs and run sandboxed before the
 * renderer: exposes exactly the TalkooBridge of shared/ipc.ts as `window.talkoo`, one method
 * per channel over `ipcRenderer.invoke`, and one listener on the one channel main sends desktop
 * events on. No generic send or listen: the page can reach nothing else.
 * Imports only 'electron' and the shared IPC contract.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import {
  DESKTOP_EVENT_CHANNEL,
  IPC_CHANNELS,
  refuseNetworkDrop,
  type DesktopEvent,
  type IpcArgs,
  type IpcChannel,
  type IpcResponse,
  type TalkooBridge,
} from '../shared/ipc';

function invoke<C extends IpcChannel>(channel: C, ...args: IpcArgs<C>): Promise<IpcResponse<C>> {
  // Responses come from main's handler map, which the compiler checks against the same contract.
  return ipcRenderer.invoke(channel, ...args);
}

// What main sends before the page listens (a double-clicked file at start) waits for its listener.
// The page gets the event alone, never the IpcRendererEvent (its sender reaches ipcRenderer).
const desktopListeners = new Set<(event: DesktopEvent) => void>();
const heldEvents: DesktopEvent[] = [];
ipcRenderer.on(DESKTOP_EVENT_CHANNEL, (_event: IpcRendererEvent, desktopEvent: DesktopEvent) => {
  if (desktopListeners.size === 0) heldEvents.push(desktopEvent);
  for (const listener of [...desktopListeners]) listener(desktopEvent);
});

const bridge: TalkooBridge = {
  getAppInfo: () => invoke(IPC_CHANNELS.getAppInfo),
  saveWorkshopFile: (request) => invoke(IPC_CHANNELS.saveWorkshopFile, request),
  openWorkshopFile: () => invoke(IPC_CHANNELS.openWorkshopFile),
  // The page never sees a path: it hands over the dropped File, whose path only Electron knows
  // ('' for a file not on disk, which main's parser refuses). A non-File throws: a rejection.
  // A file on a network share is answered here: main refuses the path, the open dialog opens it.
  openDroppedFile: (file) => {
    try {
      const filePath = webUtils.getPathForFile(file as File);
      const refused = refuseNetworkDrop(filePath);
      return refused ? Promise.resolve(refused) : invoke(IPC_CHANNELS.openDroppedFile, filePath);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  },
  getLocalHost: () => invoke(IPC_CHANNELS.getLocalHost),
  setLocalHostNetwork: (request) => invoke(IPC_CHANNELS.setLocalHostNetwork, request),
  saveExportFiles: (request) => invoke(IPC_CHANNELS.saveExportFiles, request),
  saveExportPdf: (request) => invoke(IPC_CHANNELS.saveExportPdf, request),
  onDesktopEvent: (listener) => {
    desktopListeners.add(listener);
    for (const event of heldEvents.splice(0)) listener(event);
    return () => {
      desktopListeners.delete(listener);
    };
  },
};

// The global's name is what the renderer's platform module reads: never rename.
contextBridge.exposeInMainWorld('talkoo', bridge);
