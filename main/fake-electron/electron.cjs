// A stand-in for the Electron runtime, which cannot be downloaded on the build machines: just
// enough of its API for dist/main/main.cjs to start as it would in the app. It records what main
// asks of it and reports to the test over the parent's IPC channel (see main/main-start.test.ts).
'use strict';
const { EventEmitter } = require('node:events');

const report = (message) => process.send?.(message);
const appEvents = new EventEmitter();
const handlers = new Map();
let quitting = false;

const app = {
  enableSandbox: () => report({ kind: 'sandbox' }),
  requestSingleInstanceLock: () => true,
  isPackaged: false,
  isReady: () => true,
  getLocale: () => 'fi',
  getVersion: () => '0.1.0',
  getPath: (name) => (name === 'userData' ? process.env.FAKE_ELECTRON_USER_DATA : '/tmp'),
  on: (event, listener) => appEvents.on(event, listener),
  whenReady: () => Promise.resolve(),
  quit: () => {
    if (quitting) return;
    let prevented = false;
    appEvents.emit('will-quit', { preventDefault: () => (prevented = true) });
    if (!prevented) {
      quitting = true;
      report({ kind: 'quit' });
      setTimeout(() => process.exit(0), 10);
    }
  },
  exit: (code) => process.exit(code),
};

const windows = [];

class BrowserWindow {
  constructor(options) {
    this.options = options;
    this.webContents = new EventEmitter();
    windows.push(this);
    report({ kind: 'window', webPreferences: options.webPreferences });
  }
  static getAllWindows = () => [];
  once() {}
  on() {}
  loadURL(url) {
    report({ kind: 'load', url });
    return Promise.resolve();
  }
}

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
  Menu: { setApplicationMenu: () => undefined, buildFromTemplate: (template) => template },
  dialog: { showErrorBox: (title, content) => report({ kind: 'error-box', title, content }) },
  shell: { openExternal: () => Promise.resolve() },
};
