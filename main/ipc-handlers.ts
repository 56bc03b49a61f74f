/**
 * Main's side of the IPC contract (shared/ipc.ts): one handler per channel in a map the
 * compiler checks is complete, and one gate every call passes first: the sender must be the
 * app's own page in a top-level frame, and the arguments must parse. Electron appears only as
 * narrow structural types, so everything here runs in plain Node tests; main.ts supplies the
 * dialogs and `ipcMain`.
 */
import path from 'node:path';
import {
  IPC_REQUEST_PARSERS,
  ipcChannels,
  type IpcChannel,
  type IpcRequest,
  type IpcResponse,
  type LocalHostResponse,
  type SaveExportResponse,
} from '../shared/ipc';
import type { ExportFormat } from '../shared/report/export';
import { formatParseError } from '../shared/result';
import { openAndRemember } from './desktop-files';
import { ExportWriteError, exportFileName, exportPaths, writeExportFiles } from './export-files';
import type { LocalHost, LocalHostStatus } from './local-host';
import { isTrustedAppUrl, type TrustPolicy } from './trusted-url';
import {
  describeFileError,
  readSchemaVersion,
  safeWorkshopFileName,
  saveWorkshopFile,
  writeFileAtomic,
} from './workshop-files';

/** One handler per channel; a missing or mistyped one is a compile error. */
export type IpcHandlers = {
  readonly [C in IpcChannel]: (request: IpcRequest<C>) => Promise<IpcResponse<C>>;
};

/** What the handlers need from the desktop; main.ts implements it with Electron's dialogs. */
export type DesktopServices = {
  readonly appVersion: string;
  readonly platform: string;
  /** Shows the save dialog offering `fileName`; resolves to the chosen path, or null if cancelled. */
  readonly chooseSavePath: (fileName: string) => Promise<string | null>;
  /** Shows the open dialog for workshop files; resolves to the chosen path, or null if cancelled. */
  readonly chooseOpenPath: () => Promise<string | null>;
  /** The collab server this app runs ("host on this laptop"); rejects when it could not start. */
  readonly localHost: () => Promise<LocalHost>;
  /**
   * Shows the save dialog for an export offering `fileName`, filtered to `format`'s extension;
   * resolves to the chosen path, or null if cancelled.
   */
  readonly chooseExportPath: (fileName: string, format: ExportFormat) => Promise<string | null>;
  /**
   * Prints an HTML document to PDF bytes (A4 unless the page's CSS sets the size; the page's CSS
   * numbers the pages) in a hidden window with scripts and network off; rejects when it cannot.
   */
  readonly printToPdf: (html: string) => Promise<Uint8Array>;
  /** Puts a workshop file just opened or saved first on the recent list (recent-files.ts). */
  readonly rememberRecentFile: (filePath: string) => void;
};

/** The part of Electron's WebFrameMain the sender check reads. */
export type SenderFrame = { readonly url: string; readonly parent: unknown };

/** The part of Electron's `ipcMain` used to register handlers. */
export type IpcRegistrar = {
  handle(
    channel: string,
    listener: (event: { readonly senderFrame: SenderFrame | null }, ...args: unknown[]) => Promise<unknown>,
  ): void;
};

/** Why a call was refused before any handler ran; the renderer sees it as a rejected promise. */
export class IpcRefusedError extends Error {
  override name = 'IpcRefusedError';
}

/**
 * The URL to check for a call's sender: its frame's URL when it is a top-level frame, else
 * null (a detached frame or an iframe never speaks for the app, whatever it loaded).
 */
export function senderUrlOf(frame: SenderFrame | null): string | null {
  return frame !== null && frame.parent === null ? frame.url : null;
}

/**
 * Runs one IPC call: refuses it unless `senderUrl` is the app's own page and `rawArgs` parse
 * for `channel`, then hands the parsed request to the channel's handler.
 *
 * @throws IpcRefusedError (as a rejection) for an untrusted sender or invalid arguments.
 */
export async function handleInvoke<C extends IpcChannel>(
  channel: C,
  senderUrl: string | null,
  rawArgs: readonly unknown[],
  handlers: IpcHandlers,
  policy: TrustPolicy,
): Promise<IpcResponse<C>> {
  if (senderUrl === null || !isTrustedAppUrl(senderUrl, policy)) {
    throw new IpcRefusedError(`${channel} refused: the caller is not the Talkoo window`);
  }
  const parsed = IPC_REQUEST_PARSERS[channel](rawArgs);
  if (!parsed.ok) {
    throw new IpcRefusedError(`${channel} refused: invalid arguments: ${formatParseError(parsed.error)}`);
  }
  const handler: (request: IpcRequest<C>) => Promise<IpcResponse<C>> = handlers[channel];
  return handler(parsed.value);
}

/** Registers every channel of the contract with `ipcMain`, each call going through {@link handleInvoke}. */
export function registerIpcHandlers(ipcMain: IpcRegistrar, handlers: IpcHandlers, policy: TrustPolicy): void {
  for (const channel of ipcChannels()) {
    ipcMain.handle(channel, (event, ...args) =>
      handleInvoke(channel, senderUrlOf(event.senderFrame), args, handlers, policy),
    );
  }
}

/** The handlers of every channel, over the given desktop services. */
export function createIpcHandlers(services: DesktopServices): IpcHandlers {
  return {
    'app:info': () => Promise.resolve({ version: services.appVersion, platform: services.platform }),

    'workshop-file:save': async ({ suggestedName, state, title, workshop, origin }) => {
      // Checked before the dialog, so the user is never asked where to save something unsavable.
      const schemaVersion = readSchemaVersion(state);
      if (!schemaVersion.ok) {
        return {
          ok: false,
          reason: 'error',
          message: 'The workshop could not be saved: its data is damaged.',
        };
      }
      const filePath = await services.chooseSavePath(safeWorkshopFileName(suggestedName));
      if (filePath === null) return { ok: false, reason: 'cancelled' };
      try {
        await saveWorkshopFile(filePath, state, {
          title,
          schemaVersion: schemaVersion.value,
          workshop,
          origin,
        });
        services.rememberRecentFile(filePath);
        return { ok: true, path: filePath };
      } catch (error) {
        const message = `Could not save ${path.basename(filePath)}. ${describeFileError(error)}`;
        return { ok: false, reason: 'error', message };
      }
    },

    'host:status': () => withLocalHost(services, (host) => host.status()),

    'export:save': async ({ suggestedName, format, files }) => {
      const chosen = await services.chooseExportPath(exportFileName(suggestedName, format), format);
      if (chosen === null) return { ok: false, reason: 'cancelled' };
      const paths = exportPaths(chosen, files.length);
      return writeExport(
        paths,
        files.map((file) => file.bytes),
      );
    },

    'export:pdf': async ({ suggestedName, html }) => {
      const chosen = await services.chooseExportPath(exportFileName(suggestedName, 'pdf'), 'pdf');
      if (chosen === null) return { ok: false, reason: 'cancelled' };
      let pdf: Uint8Array;
      try {
        pdf = await services.printToPdf(html);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        return { ok: false, reason: 'error', message: `Could not make the PDF. ${reason}` };
      }
      try {
        await writeFileAtomic(chosen, pdf);
        return { ok: true, paths: [chosen] };
      } catch (error) {
        const message = `Could not save ${path.basename(chosen)}. ${describeFileError(error)}`;
        return { ok: false, reason: 'error', message };
      }
    },

    'host:network': ({ open }) => withLocalHost(services, (host) => host.setNetwork(open)),

    'workshop-file:open': async () => {
      const filePath = await services.chooseOpenPath();
      if (filePath === null) return { ok: false, reason: 'cancelled', message: 'No file was chosen.' };
      return openAndRemember(filePath, services.rememberRecentFile);
    },

    'workshop-file:open-path': (filePath) => openAndRemember(filePath, services.rememberRecentFile),
  };
}

/** Runs `use` on the local host; a host that failed to start or change answers with why. */
async function withLocalHost(
  services: DesktopServices,
  use: (host: LocalHost) => LocalHostStatus | Promise<LocalHostStatus>,
): Promise<LocalHostResponse> {
  try {
    return { ok: true, ...(await use(await services.localHost())) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Writes an export's files (all staged before any is put in place) and answers with every path,
 * or a sentence saying which file failed and why, and which, if any, was written before it.
 */
async function writeExport(
  paths: readonly string[],
  bytes: readonly Uint8Array[],
): Promise<SaveExportResponse> {
  try {
    await writeExportFiles(paths, bytes);
    return { ok: true, paths };
  } catch (error) {
    if (!(error instanceof ExportWriteError)) throw error;
    const written = error.writtenPaths.map((written) => `${path.basename(written)} was saved.`);
    const message = [
      `Could not save ${path.basename(error.failedPath)}.`,
      describeFileError(error.cause),
      ...written,
    ].join(' ');
    return { ok: false, reason: 'error', message };
  }
}
