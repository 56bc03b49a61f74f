// The native menu as people see it on each system: every item, its shortcut, what it does, in
// every language Talkoo speaks. Built from plain inputs, so no Electron is needed.
import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { translate, type MessageKey } from '../shared/i18n';
import type { MenuCommand } from '../shared/ipc';
import { LANGUAGES, type Language } from '../shared/model/schema';
import { menuTemplate, type MenuInput } from './menu';

type Item = MenuItemConstructorOptions;

/** The menu for `platform`, with what its clicks did. */
function menu(
  platform: string,
  options: { packaged?: boolean; recentFiles?: string[]; language?: Language } = {},
): { template: Item[]; done: string[] } {
  const done: string[] = [];
  const input: MenuInput = {
    platform,
    packaged: options.packaged ?? true,
    appName: 'Talkoo',
    recentFiles: options.recentFiles ?? [],
    t: (key, params) => translate(options.language ?? 'en', key, params),
    send: (command: MenuCommand) => done.push(`send ${command}`),
    openRecent: (filePath) => done.push(`open ${filePath}`),
    clearRecent: () => done.push('clear recent'),
    openDocumentation: () => done.push('documentation'),
  };
  return { template: menuTemplate(input), done };
}

const submenu = (item: Item | undefined): Item[] => (Array.isArray(item?.submenu) ? item.submenu : []);

/** The top-level menu labelled `label`. */
function top(template: Item[], label: string): Item[] {
  const found = template.find((item) => item.label === label);
  if (!found) throw new Error(`no menu ${label} in ${template.map((item) => item.label).join(', ')}`);
  return submenu(found);
}

/** File > Open Recent. */
const openRecent = (template: Item[]): Item[] =>
  submenu(top(template, 'File').find((item) => item.label === 'Open Recent'));

/** Each item as "label [accelerator] (role)", separators as "—". */
function describeItems(items: Item[]): string[] {
  return items.map((item) => {
    if (item.type === 'separator') return '—';
    const parts = [item.label ?? ''];
    if (item.accelerator) parts.push(`[${String(item.accelerator)}]`);
    if (item.role) parts.push(`(${item.role})`);
    if (item.enabled === false) parts.push('disabled');
    return parts.join(' ');
  });
}

function click(items: Item[], label: string): void {
  const item = items.find((one) => one.label === label);
  if (!item?.click) throw new Error(`no clickable ${label}`);
  item.click(undefined as never, undefined, undefined as never);
}

describe('the menu bar', () => {
  it('has File, Edit, View, Window and Help on Windows and Linux', () => {
    for (const platform of ['win32', 'linux']) {
      expect(menu(platform).template.map((item) => item.label)).toEqual([
        'File',
        'Edit',
        'View',
        'Window',
        'Help',
      ]);
    }
  });

  it('starts with the app menu on macOS', () => {
    const { template, done } = menu('darwin');
    expect(template.map((item) => item.label)).toEqual(['Talkoo', 'File', 'Edit', 'View', 'Window', 'Help']);
    const app = top(template, 'Talkoo');
    expect(describeItems(app)).toEqual([
      'About Talkoo',
      '—',
      'Services (services)',
      '—',
      'Hide Talkoo (hide)',
      'Hide Others (hideOthers)',
      'Show All (unhide)',
      '—',
      'Quit Talkoo (quit)',
    ]);
    click(app, 'About Talkoo');
    expect(done).toEqual(['send about']);
  });
});

describe('File', () => {
  it('offers new, open, recent, save a copy, export and close with their shortcuts, and quit', () => {
    const { template, done } = menu('linux');
    const file = top(template, 'File');
    expect(describeItems(file)).toEqual([
      'New Workshop [CmdOrCtrl+N]',
      'Open… [CmdOrCtrl+O]',
      'Open Recent',
      '—',
      'Save a Copy… [CmdOrCtrl+Shift+S]',
      'Export… [CmdOrCtrl+E]',
      '—',
      'Close Workshop [CmdOrCtrl+W]',
      '—',
      'Quit (quit)',
    ]);
    for (const label of ['New Workshop', 'Open…', 'Save a Copy…', 'Export…', 'Close Workshop'])
      click(file, label);
    expect(done).toEqual(['send new', 'send open', 'send save-copy', 'send export', 'send close']);
  });

  it('leaves quitting to the app menu on macOS', () => {
    const file = top(menu('darwin').template, 'File');
    expect(file.some((item) => item.role === 'quit')).toBe(false);
  });

  it('lists the recent files, most recent first, and opens the one chosen', () => {
    const recentFiles = ['/home/me/Kevät.talkoo', '/home/me/Syksy.talkoo'];
    const { template, done } = menu('linux', { recentFiles });
    const recent = openRecent(template);
    expect(describeItems(recent)).toEqual(['Kevät.talkoo', 'Syksy.talkoo', '—', 'Clear Recent']);
    click(recent, 'Syksy.talkoo');
    click(recent, 'Clear Recent');
    expect(done).toEqual(['open /home/me/Syksy.talkoo', 'clear recent']);
  });

  it('tells files of one name apart by their folder', () => {
    const recentFiles = ['/home/me/2025/Plan.talkoo', '/home/me/2026/Plan.talkoo', '/home/me/Other.talkoo'];
    const recent = openRecent(menu('linux', { recentFiles }).template);
    expect(describeItems(recent).slice(0, 3)).toEqual([
      'Plan.talkoo — /home/me/2025',
      'Plan.talkoo — /home/me/2026',
      'Other.talkoo',
    ]);
  });

  it('shows an ampersand in a file name as itself on Windows and Linux, not as a shortcut mark', () => {
    const recentFiles = ['C:\\Users\\me\\R&D.talkoo'];
    const recent = openRecent(menu('win32', { recentFiles }).template);
    expect(recent[0]?.label).toBe('R&&D.talkoo');
    const mac = openRecent(menu('darwin', { recentFiles: ['/Users/me/R&D.talkoo'] }).template);
    expect(mac[0]?.label).toBe('R&D.talkoo');
  });

  it('says there are no recent files when there are none', () => {
    const recent = openRecent(menu('win32').template);
    expect(describeItems(recent)).toEqual(['No Recent Files disabled', '—', 'Clear Recent disabled']);
  });
});

describe('Edit', () => {
  it('undoes and redoes through the page, which knows whether a text field or the workshop has focus', () => {
    for (const [platform, redo] of [
      ['win32', 'Ctrl+Y'],
      ['linux', 'Shift+CmdOrCtrl+Z'],
      ['darwin', 'Shift+CmdOrCtrl+Z'],
    ] as const) {
      const { template, done } = menu(platform);
      const edit = top(template, 'Edit');
      expect(describeItems(edit)).toEqual([
        'Undo [CmdOrCtrl+Z]',
        `Redo [${redo}]`,
        '—',
        'Cut (cut)',
        'Copy (copy)',
        'Paste (paste)',
        'Select All (selectAll)',
      ]);
      click(edit, 'Undo');
      click(edit, 'Redo');
      expect(done).toEqual(['send undo', 'send redo']);
      // The page hears the keys itself (its Ctrl+Z); the menu only shows them, or each press
      // would undo twice on Windows and Linux. (On macOS the page hears them first anyway.)
      for (const item of edit.slice(0, 2)) expect(item.registerAccelerator).toBe(false);
    }
  });
});

describe('View', () => {
  it('zooms and goes full screen; reload and developer tools only in development', () => {
    expect(describeItems(top(menu('linux', { packaged: true }).template, 'View'))).toEqual([
      'Actual Size (resetZoom)',
      'Zoom In (zoomIn)',
      'Zoom Out (zoomOut)',
      '—',
      'Full Screen (togglefullscreen)',
    ]);
    expect(describeItems(top(menu('linux', { packaged: false }).template, 'View')).slice(0, 3)).toEqual([
      'Reload (reload)',
      'Developer Tools (toggleDevTools)',
      '—',
    ]);
  });
});

describe('Window and Help', () => {
  it('minimises on every system, zooms and brings all to front on macOS', () => {
    expect(describeItems(top(menu('win32').template, 'Window'))).toEqual(['Minimize (minimize)']);
    expect(describeItems(top(menu('darwin').template, 'Window'))).toEqual([
      'Minimize (minimize)',
      'Zoom (zoom)',
      '—',
      'Bring All to Front (front)',
    ]);
  });

  it('shows the about dialog and the documentation in the browser', () => {
    const { template, done } = menu('win32');
    const help = top(template, 'Help');
    expect(describeItems(help)).toEqual(['Documentation', '—', 'About Talkoo']);
    click(help, 'Documentation');
    click(help, 'About Talkoo');
    expect(done).toEqual(['documentation', 'send about']);
  });

  it("is macOS's Help menu there (its search field), without a second About", () => {
    const help = menu('darwin').template.find((item) => item.label === 'Help');
    expect(help?.role).toBe('help');
    expect(describeItems(submenu(help))).toEqual(['Documentation']);
  });
});

describe('every language', () => {
  /** Every label in the menu, submenus included. */
  function labels(items: Item[]): string[] {
    return items.flatMap((item) => [
      ...(item.label === undefined ? [] : [item.label]),
      ...labels(submenu(item)),
    ]);
  }

  it.each(LANGUAGES.filter((language) => language !== 'en'))('names every item in %s', (language) => {
    for (const platform of ['darwin', 'win32', 'linux']) {
      const english = menu(platform, { packaged: false, recentFiles: ['/a/Plan.talkoo'] }).template;
      const translated = menu(platform, {
        packaged: false,
        recentFiles: ['/a/Plan.talkoo'],
        language,
      }).template;
      const items = labels(translated);
      // Every item but separators has its own label: none left to Electron's English defaults.
      expect(items).toHaveLength(labels(english).length);
      expect(items.filter((label) => label.trim() === '' || label.startsWith('desktop.'))).toEqual([]);
      const same = items.filter(
        (label, index) => label === labels(english)[index] && label !== 'Plan.talkoo',
      );
      // Words Finnish, Swedish or Estonian share with English (a name) are few.
      expect(same.length).toBeLessThanOrEqual(2);
    }
  });

  it('labels every role item, so none shows Electron’s English', () => {
    const missing = (items: Item[]): Item[] =>
      items.flatMap((item) => [...(item.role && !item.label ? [item] : []), ...missing(submenu(item))]);
    for (const platform of ['darwin', 'win32', 'linux']) {
      expect(missing(menu(platform, { packaged: false }).template)).toEqual([]);
    }
  });

  it('uses keys that exist', () => {
    const key: MessageKey = 'desktop.menuFile';
    expect(translate('fi', key)).toBe('Tiedosto');
  });
});
