/**
 * The desktop app's native menu, built from plain inputs (the system, whether packaged, the recent
 * files, the translations, what each click does), so every item is tested in Node. Items that act
 * on the workshop send a {@link MenuCommand} to the page; cut, copy, paste, zoom and the like are
 * Electron's standard roles, labelled in the user's language.
 *
 * Undo and Redo are commands, not roles: the role undoes in the focused web contents, which the
 * workshop's Yjs undo manager never hears. The page routes the command to a text field's own undo
 * when one has focus, else to the workshop's (renderer/src/desktop-events.ts). Their shortcuts are
 * shown but not registered on Windows and Linux, where the page already hears Ctrl+Z itself; on
 * macOS the page gets the key first and the menu only what it leaves.
 */
import path from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import type { MessageKey } from '../shared/i18n';
import type { MenuCommand } from '../shared/ipc';

type Item = MenuItemConstructorOptions;

/** What the menu is built from. */
export type MenuInput = {
  /** Node's `process.platform`. */
  readonly platform: string;
  /** False in development: View then offers reload and the developer tools. */
  readonly packaged: boolean;
  /** The app's name as macOS shows it ("About Talkoo", "Quit Talkoo"). */
  readonly appName: string;
  /** Open Recent's files, most recent first (only files that still exist). */
  readonly recentFiles: readonly string[];
  /** The menu's language. */
  readonly t: (key: MessageKey, params?: Readonly<Record<string, string>>) => string;
  /** Hands a command to the page. */
  readonly send: (command: MenuCommand) => void;
  /** Opens a recent file in the page. */
  readonly openRecent: (filePath: string) => void;
  /** Empties the recent list. */
  readonly clearRecent: () => void;
  /** Opens the documentation in the system browser. */
  readonly openDocumentation: () => void;
};

/** The whole menu bar: macOS's app menu first, then File, Edit, View, Window and Help. */
export function menuTemplate(input: MenuInput): Item[] {
  const mac = input.platform === 'darwin';
  return [
    ...(mac ? [appMenu(input)] : []),
    fileMenu(input),
    editMenu(input),
    viewMenu(input),
    windowMenu(input),
    helpMenu(input),
  ];
}

const separator: Item = { type: 'separator' };

/** macOS's menu named after the app. */
function appMenu({ t, appName, send }: MenuInput): Item {
  return {
    label: appName,
    submenu: [
      { label: t('desktop.menuAbout', { name: appName }), click: () => send('about') },
      separator,
      { role: 'services', label: t('desktop.menuServices') },
      separator,
      { role: 'hide', label: t('desktop.menuHide', { name: appName }) },
      { role: 'hideOthers', label: t('desktop.menuHideOthers') },
      { role: 'unhide', label: t('desktop.menuShowAll') },
      separator,
      { role: 'quit', label: t('desktop.menuQuitApp', { name: appName }) },
    ],
  };
}

function fileMenu(input: MenuInput): Item {
  const { t, send } = input;
  const quit: Item[] =
    input.platform === 'darwin' ? [] : [separator, { role: 'quit', label: t('desktop.menuQuit') }];
  return {
    label: t('desktop.menuFile'),
    submenu: [
      { label: t('desktop.menuNew'), accelerator: 'CmdOrCtrl+N', click: () => send('new') },
      { label: t('desktop.menuOpen'), accelerator: 'CmdOrCtrl+O', click: () => send('open') },
      { label: t('desktop.menuOpenRecent'), submenu: recentMenu(input) },
      separator,
      { label: t('desktop.menuSaveCopy'), accelerator: 'CmdOrCtrl+Shift+S', click: () => send('save-copy') },
      { label: t('desktop.menuExport'), accelerator: 'CmdOrCtrl+E', click: () => send('export') },
      separator,
      { label: t('desktop.menuClose'), accelerator: 'CmdOrCtrl+W', click: () => send('close') },
      ...quit,
    ],
  };
}

/** Open Recent: each file by name (and folder, when two share a name), then Clear Recent. */
function recentMenu({ t, platform, recentFiles, openRecent, clearRecent }: MenuInput): Item[] {
  const paths = platform === 'win32' ? path.win32 : path.posix;
  const names = recentFiles.map((file) => paths.basename(file));
  const files: Item[] = recentFiles.map((file, index) => {
    const name = names[index] ?? file;
    const shared = names.filter((other) => other === name).length > 1;
    const label = shared ? `${name} — ${paths.dirname(file)}` : name;
    return { label: menuText(label, platform), click: () => openRecent(file) };
  });
  const empty = files.length === 0;
  return [
    ...(empty ? [{ label: t('desktop.menuNoRecent'), enabled: false }] : files),
    separator,
    { label: t('desktop.menuClearRecent'), enabled: !empty, click: clearRecent },
  ];
}

/** A label shown as written: Windows and Linux menus take `&` for the mark of a shortcut key. */
function menuText(text: string, platform: string): string {
  return platform === 'darwin' ? text : text.replaceAll('&', '&&');
}

function editMenu({ t, send, platform }: MenuInput): Item {
  return {
    label: t('desktop.menuEdit'),
    submenu: [
      // Shown, not registered: see the module comment.
      {
        label: t('desktop.menuUndo'),
        accelerator: 'CmdOrCtrl+Z',
        registerAccelerator: false,
        click: () => send('undo'),
      },
      {
        label: t('desktop.menuRedo'),
        accelerator: platform === 'win32' ? 'Ctrl+Y' : 'Shift+CmdOrCtrl+Z',
        registerAccelerator: false,
        click: () => send('redo'),
      },
      separator,
      { role: 'cut', label: t('desktop.menuCut') },
      { role: 'copy', label: t('desktop.menuCopy') },
      { role: 'paste', label: t('desktop.menuPaste') },
      { role: 'selectAll', label: t('desktop.menuSelectAll') },
    ],
  };
}

function viewMenu({ t, packaged }: MenuInput): Item {
  const developer: Item[] = packaged
    ? []
    : [
        { role: 'reload', label: t('desktop.menuReload') },
        { role: 'toggleDevTools', label: t('desktop.menuDevTools') },
        separator,
      ];
  return {
    label: t('desktop.menuView'),
    submenu: [
      ...developer,
      { role: 'resetZoom', label: t('desktop.menuResetZoom') },
      { role: 'zoomIn', label: t('desktop.menuZoomIn') },
      { role: 'zoomOut', label: t('desktop.menuZoomOut') },
      separator,
      { role: 'togglefullscreen', label: t('desktop.menuFullScreen') },
    ],
  };
}

/** No Close here: Ctrl+W is File > Close Workshop. */
function windowMenu({ t, platform }: MenuInput): Item {
  const mac: Item[] =
    platform === 'darwin'
      ? [
          { role: 'zoom', label: t('desktop.menuZoom') },
          separator,
          { role: 'front', label: t('desktop.menuFront') },
        ]
      : [];
  return {
    label: t('desktop.menuWindow'),
    submenu: [{ role: 'minimize', label: t('desktop.menuMinimize') }, ...mac],
  };
}

/** macOS's Help role adds its search field; About is in the app menu there. */
function helpMenu({ t, platform, appName, send, openDocumentation }: MenuInput): Item {
  const documentation: Item = { label: t('desktop.menuDocumentation'), click: openDocumentation };
  if (platform === 'darwin') return { role: 'help', label: t('desktop.menuHelp'), submenu: [documentation] };
  return {
    label: t('desktop.menuHelp'),
    submenu: [
      documentation,
      separator,
      { label: t('desktop.menuAbout', { name: appName }), click: () => send('about') },
    ],
  };
}
