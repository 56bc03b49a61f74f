/**
 * The Electron main process entry, bundled by esbuild to dist/main/main.cjs: one hardened window
 * on the renderer, the IPC handlers, the application menu. Thin glue only: what is allowed lives
 * in trusted-url.ts, what the IPC does in ipc-handlers.ts and workshop-files.ts, all tested in Node.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  screen,
  session,
  shell,
  type OpenDialogOptions,
  type SaveDialogOptions,
  type Session,
  type WebContents,
} from 'electron';
import { translate, type MessageKey } from '../shared/i18n';
import { DESKTOP_EVENT_CHANNEL, DOCUMENTATION_URL, type DesktopEvent } from '../shared/ipc';
import { LANGUAGES, type Language } from '../shared/model/schema';
import { EXPORT_FILE_TYPES, type ExportFormat } from '../shared/report/export';
import { formatParseError, ok } from '../shared/result';
import { WORKSHOP_FILE_EXTENSION } from '../shared/workshop-file';
import { DesktopOutbox, openAndRemember, workshopFilesInArgv } from './desktop-files';
import { createIpcHandlers, registerIpcHandlers } from './ipc-handlers';
import { LEAVE_QUESTION_NOTICE, leavePrompt, leaves, STAYED_NOTICE } from './leave-prompt';
import { decideLoadFailure } from './load-failure';
import { startLocalHost, type LocalHost } from './local-host';
import { menuTemplate } from './menu';
import { RecentFiles } from './recent-files';
import {
  decideNavigation,
  decideWindowOpen,
  isPermissionAllowed,
  isPrintRequestAllowed,
  isTrustedAppUrl,
  parseDevRendererUrl,
  PRINT_CONTENT_SECURITY_POLICY,
  withContentSecurityPolicy,
  type TrustPolicy,
} from './trusted-url';
import { loadWindowState, restoredBounds, WindowStateSaver, type WindowState } from './window-state';

// main.cjs and preload.cjs sit side by side in dist/main/; the renderer build in dist/renderer/.
const PRELOAD_PATH = path.join(__dirname, 'preload.cjs');
const RENDERER_DIR = path.join(__dirname, '..', 'renderer');
// The window's icon (Linux and Windows show it; installers carry their own from build/).
const ICON_PATH = path.join(__dirname, '..', '..', 'build', 'icon.png');
const RENDERER_INDEX_PATH = path.join(RENDERER_DIR, 'index.html');

/** The UI language for native dialogs and menus: the system's, if Talkoo speaks it. */
function t(key: MessageKey, params: Readonly<Record<string, string>> = {}): string {
  const system = app.getLocale().slice(0, 2);
  const language = (LANGUAGES as readonly string[]).includes(system) ? (system as Language) : 'en';
  return translate(language, key, params);
}

function workshopFilters(): { name: string; extensions: string[] }[] {
  return [{ name: t('desktop.fileType'), extensions: [WORKSHOP_FILE_EXTENSION] }];
}

// Every renderer sandboxed, including any a dependency might create; must precede 'ready'.
app.enableSandbox();
// Electron names the data folder after the app, now "Talkoo" (package.json productName); Talkoo's
// data has always been in <appData>/talkoo, which Linux tells apart from it. Kept there, so an
// update finds the laptop's workshops. Before 'ready' and the single-instance lock, which use it.
app.setPath('userData', path.join(app.getPath('appData'), 'talkoo'));

let mainWindow: BrowserWindow | null = null;
/**
 * What main tells the page unasked: files the system gave (double-click, argv, a second
 * instance, Open Recent) and menu commands, held until the window's page has loaded.
 */
const outbox = new DesktopOutbox((filePath) => openAndRemember(filePath, rememberRecentFile));
/** File > Open Recent's list, read once the app is ready. */
let recentFiles: RecentFiles | null = null;
/** The window's size and place when it last closed; read once the app is ready. */
let savedWindow: WindowState | null = null;
/** Saves the window's size and place (window-state.ts). */
let windowSaver: WindowStateSaver | null = null;
/** The window's default and minimum sizes. */
const WINDOW_SIZES = { width: 1280, height: 800, minWidth: 800, minHeight: 560 };
/** "Host on this laptop": started once the app is ready; its workshops live in the user data folder. */
let localHost: Promise<LocalHost> | null = null;
/** Quitting began with a signal (Ctrl+C in a terminal): what the window asks is told there too. */
let quitBySignal = false;

function start(): void {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }

  // A dev server URL is honoured only in an unpackaged (development) build.
  const devRenderer = app.isPackaged ? ok(null) : parseDevRendererUrl(process.env['TALKOO_RENDERER_URL']);
  if (!devRenderer.ok) {
    console.error(`Talkoo cannot start: ${formatParseError(devRenderer.error)}`);
    app.exit(1);
    return;
  }
  const policy: TrustPolicy = {
    rendererFileUrl: pathToFileURL(RENDERER_INDEX_PATH).href,
    devServerOrigin: devRenderer.value?.origin ?? null,
  };
  const startUrl = devRenderer.value?.url ?? policy.rendererFileUrl;

  // Every web contents gets the guards, not only the ones this file creates.
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, policy));
  // A file double-clicked while Talkoo runs starts a second instance, which hands its command
  // line here and quits; relative paths in it mean its own working folder.
  app.on('second-instance', (_event, argv, workingDirectory) => {
    for (const file of workshopFilesInArgv(argv, workingDirectory, process.platform)) outbox.openFile(file);
    showWindow(startUrl, policy);
  });
  // macOS hands files by event, even before 'ready' (double-click on a file starts the app).
  app.on('open-file', (event, filePath) => {
    event.preventDefault();
    outbox.openFile(filePath);
    if (app.isReady()) showWindow(startUrl, policy);
  });
  // Windows and Linux name a double-clicked file on the command line.
  for (const file of workshopFilesInArgv(process.argv, process.cwd(), process.platform))
    outbox.openFile(file);
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  // Quitting waits until the laptop's server has stored every change and closed its connections.
  // What it could not store (a full disk) is in a recovery file the next start replays, or lost:
  // either way the user is told, and the app exits with 1.
  let stored = false;
  app.on('will-quit', (event) => {
    if (stored || !localHost) return;
    event.preventDefault();
    let failed = false;
    void localHost
      .then(
        (host) => host.close(),
        () => undefined, // It never started: nothing to store.
      )
      .catch((error: unknown) => {
        failed = true;
        const message = error instanceof Error ? error.message : String(error);
        console.error('Talkoo could not store the local workshops:', message);
        dialog.showErrorBox(t('desktop.notStoredTitle'), `${t('desktop.notStoredBody')}\n\n${message}`);
      })
      // The recent list and the window's place are small files: their last writes finish too.
      .then(() => Promise.all([recentFiles?.idle(), windowSaver?.idle()]))
      .finally(() => {
        stored = true;
        if (failed) app.exit(1);
        else app.quit();
      });
  });
  // Ctrl+C in a terminal, a session ending, the terminal closed: quit as the menu does, so
  // will-quit stores first. Electron's own handler quits on the first signal only and dies on
  // the next, before storing; Node's default for SIGHUP ends the process at once.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      quitBySignal = true;
      app.quit();
    });
  }
  app.on('activate', () => {
    if (app.isReady() && BrowserWindow.getAllWindows().length === 0) showWindow(startUrl, policy);
  });

  app
    .whenReady()
    .then(async () => {
      hardenSession(policy);
      localHost = startLocalHost({
        dataDir: path.join(app.getPath('userData'), 'workshops'),
        staticDir: RENDERER_DIR,
      });
      // A host that cannot start is reported to the window when it asks (see ipc-handlers.ts).
      localHost.catch((error: unknown) => console.error('Talkoo could not host on this laptop:', error));
      const userData = app.getPath('userData');
      [recentFiles, savedWindow] = await Promise.all([
        RecentFiles.load(path.join(userData, 'recent-files.json'), process.platform, () =>
          updateMenu(startUrl, policy),
        ),
        loadWindowState(path.join(userData, WINDOW_STATE_FILE)),
      ]);
      updateMenu(startUrl, policy);
      registerIpcHandlers(
        ipcMain,
        createIpcHandlers({
          appVersion: app.getVersion(),
          platform: process.platform,
          chooseSavePath,
          chooseOpenPath,
          chooseExportPath,
          printToPdf,
          rememberRecentFile,
          localHost: () => localHost ?? Promise.reject(new Error('Talkoo is still starting.')),
        }),
        policy,
      );
      mainWindow = createWindow(startUrl, policy);
    })
    .catch((error: unknown) => {
      console.error('Talkoo failed to start:', error);
      app.exit(1);
    });
}

function createWindow(url: string, policy: TrustPolicy): BrowserWindow {
  // Where it was left, if that is still on a screen (window-state.ts).
  const workAreas = screen.getAllDisplays().map((display) => display.workArea);
  const { maximized, ...bounds } = restoredBounds(savedWindow, workAreas, WINDOW_SIZES);
  const window = new BrowserWindow({
    ...bounds,
    minWidth: WINDOW_SIZES.minWidth,
    minHeight: WINDOW_SIZES.minHeight,
    title: 'Talkoo',
    icon: ICON_PATH,
    show: false,
    webPreferences: {
      preload: PRELOAD_PATH,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
    },
  });
  window.once('ready-to-show', () => {
    // Maximised once drawn: maximize() would show the window blank before its page.
    if (maximized) window.maximize();
    window.show();
  });
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
    outbox.pageGone();
  });
  rememberWindowState(window);
  connectOutbox(window.webContents, policy);
  // The page holds work saved nowhere yet (its beforeunload said so): closing the window, and
  // quitting, which closes it first, ask before that work is lost (leave-prompt.ts).
  // Quitting by a signal came from a terminal, whose user is told to look at the window.
  window.webContents.on('will-prevent-unload', (event) => {
    const fromTerminal = quitBySignal;
    quitBySignal = false;
    if (fromTerminal) console.error(`\n${LEAVE_QUESTION_NOTICE}`);
    if (leaves(dialog.showMessageBoxSync(window, leavePrompt(t)))) event.preventDefault();
    else if (fromTerminal) console.error(STAYED_NOTICE);
  });
  // A page that fails to load is tried once more, then the user is told why and the app quits:
  // a window that never shows would leave Talkoo running with nothing on screen.
  let retries = 0;
  window.webContents.on('did-fail-load', (_event, errorCode, errorDescription, validatedURL, isMainFrame) => {
    const decision = decideLoadFailure(
      { errorCode, errorDescription, url: validatedURL, isMainFrame },
      retries,
    );
    if (decision.action === 'retry') {
      retries += 1;
      void window.loadURL(url).catch(() => undefined); // A second failure comes as did-fail-load.
    } else if (decision.action === 'give-up') {
      console.error(`Talkoo could not load ${decision.url}: ${decision.reason}`);
      dialog.showErrorBox(t('desktop.loadFailedTitle'), t('desktop.loadFailedBody', decision));
      app.quit();
    }
  });
  // A failed load also rejects; did-fail-load above decides what to do about it.
  window.loadURL(url).catch(() => undefined);
  return window;
}

/** Navigation, new windows, redirects and webviews, decided by trusted-url.ts. */
function guardWebContents(contents: WebContents, policy: TrustPolicy): void {
  if (printSessionInstance !== null && contents.session === printSessionInstance) {
    denyEveryNavigation(contents);
    return;
  }
  contents.setWindowOpenHandler(({ url }) => {
    const decision = decideWindowOpen(url);
    if (decision.action === 'open-external') void shell.openExternal(decision.url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event) => {
    const decision = decideNavigation(event.url, policy);
    if (decision.action === 'allow') return;
    event.preventDefault();
    if (decision.action === 'open-external') void shell.openExternal(decision.url);
  });
  // Subframes: the main frame is handled above (it may open links in the browser; frames may not).
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame && !isTrustedAppUrl(event.url, policy)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isTrustedAppUrl(event.url, policy)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/**
 * A print window (PDF exports) goes nowhere: no link, no meta refresh, no redirect, not even
 * to the system browser. Its one page is loaded with `loadURL`, which these events do not see.
 */
function denyEveryNavigation(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-frame-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** CSP on every response, and permissions denied unless trusted-url.ts allows them. */
function hardenSession(policy: TrustPolicy): void {
  const ses = session.defaultSession;
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders) });
  });
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(isPermissionAllowed(permission, details.requestingUrl, policy));
  });
  ses.setPermissionCheckHandler((_contents, permission, _origin, details) =>
    isPermissionAllowed(permission, details.requestingUrl, policy),
  );
  ses.setDevicePermissionHandler(() => false);
}

async function chooseSavePath(fileName: string): Promise<string | null> {
  const options: SaveDialogOptions = {
    title: t('desktop.saveTitle'),
    defaultPath: path.join(app.getPath('documents'), fileName),
    filters: workshopFilters(),
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  };
  const result = mainWindow
    ? await dialog.showSaveDialog(mainWindow, options)
    : await dialog.showSaveDialog(options);
  return result.canceled || result.filePath === '' ? null : result.filePath;
}

async function chooseOpenPath(): Promise<string | null> {
  const options: OpenDialogOptions = {
    title: t('desktop.openTitle'),
    filters: workshopFilters(),
    properties: ['openFile'],
  };
  const result = mainWindow
    ? await dialog.showOpenDialog(mainWindow, options)
    : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

async function chooseExportPath(fileName: string, format: ExportFormat): Promise<string | null> {
  const { extension } = EXPORT_FILE_TYPES[format];
  const options: SaveDialogOptions = {
    title: t('desktop.exportTitle'),
    defaultPath: path.join(app.getPath('documents'), fileName),
    // The extension itself names the type: DOCX, PDF, XLSX, MD, CSV, JSON read the same in every language.
    filters: [{ name: extension.toUpperCase(), extensions: [extension] }],
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  };
  const result = mainWindow
    ? await dialog.showSaveDialog(mainWindow, options)
    : await dialog.showSaveDialog(options);
  return result.canceled || result.filePath === '' ? null : result.filePath;
}

/** The in-memory session the print windows use: nothing shared with the app's own session. */
const PRINT_PARTITION = 'talkoo-print';
/** The HTML of each page being printed, by the URL its window loads. */
const printPages = new Map<string, string>();
/** Created on the first PDF export; web contents in it are print windows (see guardWebContents). */
let printSessionInstance: Session | null = null;

/**
 * The print window's session: serves the pages being printed from memory (no file on disk)
 * under our print CSP, and refuses every other request and every permission.
 */
function printSession(): Session {
  if (printSessionInstance !== null) return printSessionInstance;
  const ses = session.fromPartition(PRINT_PARTITION);
  printSessionInstance = ses;
  ses.protocol.handle('file', (request) => {
    const html = printPages.get(request.url);
    return html === undefined
      ? new Response(null, { status: 404 })
      : new Response(html, {
          headers: {
            'Content-Type': 'text/html; charset=utf-8',
            'Content-Security-Policy': PRINT_CONTENT_SECURITY_POLICY,
          },
        });
  });
  ses.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isPrintRequestAllowed(details.url, [...printPages.keys()]) });
  });
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  return ses;
}

/**
 * Prints `html` to PDF bytes in a hidden window that runs no script, has no preload and reaches
 * nothing but its own page (and data: images); it is destroyed whatever happens. The page is
 * served from memory, since Chromium refuses a data: URL of more than 2 MB.
 */
async function printToPdf(html: string): Promise<Uint8Array> {
  const url = new URL(`file:///talkoo-print/${randomUUID()}.html`).href;
  printPages.set(url, html);
  const window = new BrowserWindow({
    show: false,
    // A4 at 96 dpi: the layout width print media queries see before pagination.
    width: 794,
    height: 1123,
    webPreferences: {
      session: printSession(),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      javascript: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  });
  try {
    await window.loadURL(url);
    const pdf = await window.webContents.printToPDF({
      pageSize: 'A4',
      printBackground: true,
      // The page's own CSS sets the size (A4, landscape pages for wide tables) and numbers the
      // pages in its language (an @page margin box, "Sivu 2"); Chromium's header and footer
      // would print a second, unlocalised number over it (seen printing the Finnish example).
      preferCSSPageSize: true,
      displayHeaderFooter: false,
    });
    return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  } finally {
    printPages.delete(url);
    window.destroy();
  }
}

/** Where the window's size and place are kept, in the user data folder. */
const WINDOW_STATE_FILE = 'window-state.json';

/** Saves the window's size and place once it stops moving or resizing, and when it closes. */
function rememberWindowState(window: BrowserWindow): void {
  const saver = new WindowStateSaver(path.join(app.getPath('userData'), WINDOW_STATE_FILE), () => ({
    ...window.getNormalBounds(),
    maximized: window.isMaximized(),
  }));
  windowSaver = saver;
  const changed = (): void => saver.changed();
  window.on('move', changed);
  window.on('resize', changed);
  window.on('maximize', changed);
  window.on('unmaximize', changed);
  window.on('close', () => {
    savedWindow = { ...window.getNormalBounds(), maximized: window.isMaximized() };
    void saver.flush();
  });
}

/**
 * Hands the outbox's events to the window's page once it has loaded, and holds them while it
 * reloads. They go only to the app's own page (trusted-url.ts), on the one desktop channel.
 */
function connectOutbox(contents: WebContents, policy: TrustPolicy): void {
  const send = (event: DesktopEvent): boolean => {
    if (contents.isDestroyed() || !isTrustedAppUrl(contents.getURL(), policy)) return false;
    contents.send(DESKTOP_EVENT_CHANNEL, event);
    return true;
  };
  contents.on('did-finish-load', () => outbox.pageReady(send));
  contents.on('did-start-navigation', (details) => {
    if (details.isMainFrame && !details.isSameDocument) outbox.pageGone();
  });
}

/** Brings the window up (made anew on macOS when every window was closed) for a file or command. */
function showWindow(url: string, policy: TrustPolicy): void {
  if (!app.isReady()) return;
  if (!mainWindow) {
    mainWindow = createWindow(url, policy);
    return;
  }
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

/** A workshop file just opened or saved goes first in Open Recent and the system's recent list. */
function rememberRecentFile(filePath: string): void {
  app.addRecentDocument(filePath);
  void recentFiles?.add(filePath);
}

/** Builds the menu anew (menu.ts) with the recent files that still exist. */
function updateMenu(url: string, policy: TrustPolicy): void {
  const recent = recentFiles;
  void (recent ? recent.existing() : Promise.resolve([])).then((files) => {
    const template = menuTemplate({
      platform: process.platform,
      packaged: app.isPackaged,
      appName: app.name,
      recentFiles: files,
      t,
      send: (command) => {
        outbox.menu(command);
        showWindow(url, policy);
      },
      openRecent: (filePath) => {
        outbox.openFile(filePath);
        showWindow(url, policy);
      },
      clearRecent: () => {
        app.clearRecentDocuments();
        void recent?.clear();
      },
      openDocumentation: () => void shell.openExternal(DOCUMENTATION_URL),
    });
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  });
}

start();
