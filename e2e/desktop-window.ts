/**
 * A window of the desktop app in Chromium: the built UI loaded from file:// as the Electron
 * window loads it, with `window.talkoo` wired to main's real IPC handlers (sender check and
 * argument parsers included) and a real laptop host. Only the preload's ipcRenderer hop is
 * replaced, since Electron cannot run here; the bridge's methods come from the same
 * IPC_CHANNELS table the preload uses, so a new channel needs no change here. A dropped file
 * opens the path the dialogs would answer with (Chromium knows no dropped file's path), and
 * {@link sendDesktopEvent} plays main sending an event (a menu command, a file the system opened).
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { createIpcHandlers, handleInvoke } from '../main/ipc-handlers';
import type { LocalHost } from '../main/local-host';
import { IPC_CHANNELS, refuseNetworkDrop, type DesktopEvent, type IpcChannel } from '../shared/ipc';

/** The built renderer, as the desktop app packs it. */
export const RENDERER_DIR = join(import.meta.dirname, '..', 'dist', 'renderer');
/** The page the desktop window loads. */
export const APP_URL = pathToFileURL(join(RENDERER_DIR, 'index.html')).href;

/**
 * Opens a desktop window in a new context of `browser` (launched with
 * `--allow-file-access-from-files`). Every file dialog answers with `chosenPath()` (null:
 * cancelled); printing to PDF fails as it does without Electron.
 */
export async function openDesktopWindow(
  browser: Browser,
  host: LocalHost,
  chosenPath: () => string | null,
): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const handlers = createIpcHandlers({
    appVersion: '0.1.0',
    platform: 'linux',
    chooseSavePath: () => Promise.resolve(chosenPath()),
    chooseOpenPath: () => Promise.resolve(chosenPath()),
    chooseExportPath: () => Promise.resolve(chosenPath()),
    printToPdf: () => Promise.reject(new Error('Printing to PDF needs Electron.')),
    rememberRecentFile: () => undefined,
    localHost: () => Promise.resolve(host),
  });
  const policy = { rendererFileUrl: APP_URL, devServerOrigin: null };
  await context.exposeBinding('__talkooInvoke', ({ frame }, channel: IpcChannel, args: unknown[]) => {
    // The preload sends a dropped File's path on disk, which only Electron knows, and answers a
    // file on a network share itself.
    const dropped = channel === IPC_CHANNELS.openDroppedFile ? (chosenPath() ?? '') : null;
    const refused = dropped === null ? null : refuseNetworkDrop(dropped);
    if (refused) return Promise.resolve(refused);
    return handleInvoke(
      channel,
      frame.parentFrame() ? null : frame.url(),
      dropped === null ? args : [dropped],
      handlers,
      policy,
    );
  });
  await context.addInitScript((channels: Record<string, string>) => {
    const invoke = (window as unknown as { __talkooInvoke: (c: string, a: unknown[]) => Promise<unknown> })
      .__talkooInvoke;
    const listeners = new Set<(event: unknown) => void>();
    const held: unknown[] = [];
    const bridge = {
      ...Object.fromEntries(
        Object.entries(channels).map(([method, channel]) => [
          method,
          // A File cannot cross to the test; the binding puts the dropped file's path in its place.
          (...args: unknown[]) => invoke(channel, method === 'openDroppedFile' ? [] : args),
        ]),
      ),
      // As the preload: what comes before the page listens waits for its listener.
      onDesktopEvent: (listener: (event: unknown) => void) => {
        listeners.add(listener);
        for (const event of held.splice(0)) listener(event);
        return () => listeners.delete(listener);
      },
    };
    Object.defineProperty(window, 'talkoo', { value: Object.freeze(bridge) });
    Object.defineProperty(window, '__talkooDesktopEvent', {
      value: (event: unknown) => {
        if (listeners.size === 0) held.push(event);
        listeners.forEach((listener) => listener(event));
      },
    });
  }, IPC_CHANNELS);
  const page = await context.newPage();
  await page.goto(APP_URL);
  return page;
}

/** Plays main sending `event` to the window's page, as `webContents.send` on the desktop channel. */
export async function sendDesktopEvent(page: Page, event: DesktopEvent): Promise<void> {
  await page.evaluate((sent) => {
    (window as unknown as { __talkooDesktopEvent: (event: unknown) => void }).__talkooDesktopEvent(sent);
  }, event);
}
