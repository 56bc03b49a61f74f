// A stand-in for the Electron runtime, which cannot be downloaded on the build machines: just
// enough of its API for dist/main/main.cjs to start as it would in the app. It records what main
// asks of it and reports to the test over the parent's IPC channel (see main/main-start.test.ts).
'use strict';
const { EventEmitter } = require('node:events');
const path = require('node:path');

const report = (message) => process.send?.(message);
const appEvents = new EventEmitter();
const handlers = new Map();
let quitting = false;
const paths = { appData: process.env.FAKE_ELECTRON_APP_DATA };

const app = {
  enableSandbox: () => report({ kind: 'sandbox' }),
  requestSingleInstanceLock: () => true,
  isPackaged: false,
  isReady: () => true,
  getLocale: () => 'fi',
  getVersion: () => '0.1.0',
  // As Electron: userData is <appData>/<app name> unless main sets it (setPath).
  getPath: (name) =>
    name === 'userData' ? (paths.userData ?? path.join(paths.appData, app.name)) : (paths[name] ?? '/tmp'),
  setPath: (name, value) => {
    paths[name] = value;
  },
  on: (event, listener) => appEvents.on(event, listener),
  whenReady: () => Promise.resolve(),
  quit: () => {
    if (quitting) return;
    // As Electron: quitting closes the windows first, and a page holding unsaved work asks.
    if (unsavedWork) {
      let unloads = false;
      windows.at(-1)?.webContents.emit('will-prevent-unload', { preventDefault: () => (unloads = true) });
      if (!unloads) {
        report({ kind: 'quit-cancelled' });
        return;
      }
    }
    let prevented = false;
    appEvents.emit('will-quit', { preventDefault: () => (prevented = true) });
    if (!prevented) {
      quitting = true;
      report({ kind: 'quit' });
      setTimeout(() => process.exit(0), 10);
    }
  },
  exit: (code) => process.exit(code),
  name: 'Talkoo',
  addRecentDocument: (file) => report({ kind: 'recent-document', file }),
  clearRecentDocuments: () => report({ kind: 'recent-documents-cleared' }),
};

const windows = [];

class BrowserWindow {
  constructor(options) {
    this.options = options;
    this.webContents = new EventEmitter();
    // What main sends the page unasked (shared/ipc.ts DESKTOP_EVENT_CHANNEL).
    this.webContents.send = (channel, event) => report({ kind: 'send', channel, event });
    this.webContents.getURL = () => this.url ?? '';
    this.webContents.isDestroyed = () => false;
    windows.push(this);
    const { x, y, width, height } = options;
    report({ kind: 'window', webPreferences: options.webPreferences, bounds: { x, y, width, height } });
  }
  static getAllWindows = () => [];
  once() {}
  on() {}
  getNormalBounds() {
    return {
      x: this.options.x ?? 0,
      y: this.options.y ?? 0,
      width: this.options.width,
      height: this.options.height,
    };
  }
  isMaximized = () => false;
  maximize() {}
  isMinimized = () => false;
  restore() {}
  show() {}
  focus() {
    report({ kind: 'focus' });
  }
  loadURL(url) {
    this.url = url;
    report({ kind: 'load', url });
    return Promise.resolve();
  }
}

/** What the user answers the next message box (an index into its buttons). */
let boxAnswer = 0;
/** The page's beforeunload asks to stay (it holds unsaved work): quitting asks the user first. */
let unsavedWork = false;
/** The application menu main set last (a template: buildFromTemplate returns it as it is). */
let menu = [];
/** A menu's labels as the test reads them: label, or [label, submenu]; separators as '—'. */
const labelsOf = (items) =>
  items.map((item) =>
    item.type === 'separator' ? '—' : item.submenu ? [item.label, labelsOf(item.submenu)] : item.label,
  );

const ipcMain = {
  handle: (channel, listener) => handlers.set(channel, listener),
};

const session = {
  defaultSession: {
    webRequest: { onHeadersReceived: () => undefined },
    setPermissionRequestHandler: () => undefined,
    setPermissionCheckHandler: () => undefined,
    setDevicePermissionHandler: () => undefined,
  },
};

// The test drives the app as its window would: IPC calls from the app page, then quitting.
process.on('message', async (message) => {
  if (message.kind === 'invoke') {
    const listener = handlers.get(message.channel);
    const senderFrame = { url: message.senderUrl, parent: null };
    try {
      report({ kind: 'reply', id: message.id, value: await listener({ senderFrame }, ...message.args) });
    } catch (error) {
      report({ kind: 'reply', id: message.id, error: String(error) });
    }
  }
  if (message.kind === 'quit') app.quit();
  // The page loaded (main then sends what it held for it); the system gave a file (macOS
  // open-file); a second launch handed over its command line; a menu item was clicked, by labels.
  if (message.kind === 'page-loaded') windows.at(-1)?.webContents.emit('did-finish-load');
  if (message.kind === 'open-file')
    appEvents.emit('open-file', { preventDefault: () => undefined }, message.path);
  if (message.kind === 'second-instance') appEvents.emit('second-instance', {}, message.argv, message.cwd);
  // The page's beforeunload asked to stay (will-prevent-unload); the user answers main's question
  // with `answer`, an index into its buttons.
  if (message.kind === 'prevent-unload') {
    boxAnswer = message.answer;
    let unloads = false;
    windows.at(-1)?.webContents.emit('will-prevent-unload', { preventDefault: () => (unloads = true) });
    report({ kind: 'unload', unloads });
  }
  if (message.kind === 'unsaved-work') {
    unsavedWork = true;
    boxAnswer = message.answer;
  }
  if (message.kind === 'click-menu') {
    let items = menu;
    let item;
    for (const label of message.labels) {
      item = items.find((one) => one.label === label);
      items = item?.submenu ?? [];
    }
    item?.click?.();
  }
  // The page failing to load, as Chromium reports it: (event, errorCode, errorDescription, validatedURL, isMainFrame).
  if (message.kind === 'fail-load') {
    const { errorCode, errorDescription, url, isMainFrame } = message;
    windows.at(-1)?.webContents.emit('did-fail-load', {}, errorCode, errorDescription, url, isMainFrame);
  }
});

module.exports = {
  app,
  BrowserWindow,
  ipcMain,
  session,
  Menu: {
    setApplicationMenu: (template) => {
      menu = template;
      report({ kind: 'menu', labels: labelsOf(template) });
    },
    buildFromTemplate: (template) => template,
  },
  screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
  dialog: {
    showErrorBox: (title, content) => report({ kind: 'error-box', title, content }),
    showMessageBoxSync: (_window, options) => {
      report({ kind: 'message-box', buttons: options.buttons, message: options.message });
      return boxAnswer;
    },
  },
  shell: { openExternal: () => Promise.resolve() },
};
