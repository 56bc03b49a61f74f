/**
 * The preload, bundled by esbuild to dist/main/preload.cjs and run sandboxed before the
 * renderer: exposes exactly the TalkooBridge of shared/ipc.ts as `window.talkoo`, one method
 * per channel over `ipcRenderer.invoke`. No generic send: the page can reach nothing else.
 * Imports only 'electron' and the shared IPC contract.
 */
import { contextBridge, ipcRenderer } from 'electron';
import {
  IPC_CHANNELS,
  type IpcArgs,
  type IpcChannel,
  type IpcResponse,
  type TalkooBridge,
} from '../shared/ipc';

function invoke<C extends IpcChannel>(channel: C, ...args: IpcArgs<C>): Promise<IpcResponse<C>> {
  // Responses come from main's handler map, which the compiler checks against the same contract.
  return ipcRenderer.invoke(channel, ...args);
}

const bridge: TalkooBridge = {
  getAppInfo: () => invoke(IPC_CHANNELS.getAppInfo),
  saveWorkshopFile: (request) => invoke(IPC_CHANNELS.saveWorkshopFile, request),
  openWorkshopFile: () => invoke(IPC_CHANNELS.openWorkshopFile),
  getLocalHost: () => invoke(IPC_CHANNELS.getLocalHost),
  setLocalHostNetwork: (request) => invoke(IPC_CHANNELS.setLocalHostNetwork, request),
  saveExportFiles: (request) => invoke(IPC_CHANNELS.saveExportFiles, request),
  saveExportPdf: (request) => invoke(IPC_CHANNELS.saveExportPdf, request),
};

// The global's name is what the renderer's platform module reads: never rename.
contextBridge.exposeInMainWorld('talkoo', bridge);
