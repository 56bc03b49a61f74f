// electron-builder cannot fetch Electron on the build machines, so its configuration is checked
// here by electron-builder's own code instead of by building installers: its schema, its
// package.json checks, and what each target (deb, AppImage, nsis, dmg) reads before it builds.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppInfo, LinuxPackager, Packager, type PlatformSpecificBuildOptions } from 'app-builder-lib';
import type { PlatformPackager } from 'app-builder-lib/out/platformPackager';
import { MacPackager } from 'app-builder-lib/out/macPackager';
import { LinuxTargetHelper } from 'app-builder-lib/out/targets/LinuxTargetHelper';
import { validateCriticalPathString } from 'app-builder-lib/out/targets/appimage/appImageUtil';
import { createTargets } from 'app-builder-lib/out/targets/targetFactory';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { WinPackager } from 'app-builder-lib/out/winPackager';
import { DebugLogger, getPlatformIconFileName } from 'builder-util';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const CONFIG = join(ROOT, 'electron-builder.yml');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  main: string;
  productName?: string;
  desktopName?: string;
};

/** electron-builder's own packager for this project, as `npm run dist` makes it, minus the build. */
async function projectPackager(): Promise<Packager> {
  const packager = new Packager({ projectDir: ROOT, config: CONFIG });
  // The schema, then package.json's required fields (name, version, dependencies).
  await packager.validateConfig();
  packager._appInfo = new AppInfo(packager, null);
  return packager;
}

/** Where a file association's icon resolves on a platform (throws when the file is missing). */
async function associationIcon<T extends PlatformSpecificBuildOptions>(
  platform: PlatformPackager<T>,
  isMac: boolean,
): Promise<string | null> {
  const [association] = platform.fileAssociations;
  const ext = [association?.ext ?? ''].flat()[0] ?? '';
  return platform.getResource(
    getPlatformIconFileName(association?.icon, isMac),
    `${ext}.${isMac ? 'icns' : 'ico'}`,
  );
}

describe('electron-builder configuration', () => {
  let packager: Packager;
  beforeAll(async () => {
    packager = await projectPackager();
  });

  it('passes electron-builder’s schema and package.json checks, and packs the built app', async () => {
    const config = await getConfig(ROOT, CONFIG, null);
    await validateConfiguration(config, new DebugLogger(false));
    expect(config.npmRebuild).toBe(false);
    const files = JSON.stringify(config.files);
    for (const pattern of ['dist/main/**', 'dist/renderer/**', 'package.json'])
      expect(files).toContain(pattern);
    expect(pkg.main).toBe('dist/main/main.cjs');
  });

  it('names the app Talkoo where Electron reads it too (package.json productName: the macOS menu, the user data folder)', () => {
    expect(pkg.productName).toBe('Talkoo');
    expect(packager.appInfo.productName).toBe('Talkoo');
    expect(packager.appInfo.description).not.toBe('');
  });

  it('deb: finds its maintainer, vendor and project homepage', async () => {
    const linux = new LinuxPackager(packager);
    const [deb] = createTargets(new Map(), ['deb'], join(ROOT, 'release'), linux) as unknown as [
      { checkOptions(): Promise<{ maintainer: string; vendor: string; url: string }> },
    ];
    const options = await deb.checkOptions();
    expect(options.maintainer).toMatch(/^Talkoo <[^@\s]+@[^@\s]+>$/);
    expect(options.vendor).toBe(options.maintainer);
    expect(options.url).toMatch(/^https:\/\//);
  });

  it('AppImage and deb: a safe executable name, and a desktop entry that names, describes and files the app and opens .talkoo files', async () => {
    const linux = new LinuxPackager(packager);
    expect(() => validateCriticalPathString(linux.executableName, 'executableName')).not.toThrow();
    expect(() =>
      validateCriticalPathString(packager.appInfo.productFilename, 'productFilename'),
    ).not.toThrow();
    const entry = await new LinuxTargetHelper(linux).computeDesktopEntry(linux.platformSpecificBuildOptions);
    expect(entry).toMatch(/^Name=Talkoo$/m);
    expect(entry).toMatch(/^Comment=\S/m);
    expect(entry).toMatch(/^Categories=Office;$/m);
    expect(entry).toMatch(/^MimeType=application\/x-talkoo;$/m);
    expect(entry).toMatch(/^Exec=.* %U$/m);
  });

  it('Linux: the desktop entry is the one Electron names its windows after (desktopName), so the dock groups them under it', async () => {
    const linux = new LinuxPackager(packager);
    const helper = new LinuxTargetHelper(linux);
    const entry = await helper.computeDesktopEntry(linux.platformSpecificBuildOptions);
    // Electron takes the window's app_id / WM_CLASS from package.json's desktopName.
    const appId = (pkg.desktopName ?? '').replace(/\.desktop$/, '');
    expect(appId).toBe('talkoo');
    expect(entry).toMatch(new RegExp(`^StartupWMClass=${appId}$`, 'm'));
    expect(helper.getDesktopFileName()).toBe(appId);
  });

  it('nsis: a company name for the installer’s version info, an app id for its GUID, and an icon for .talkoo files', async () => {
    const win = new WinPackager(packager);
    expect(win.appInfo.companyName).toBe('Talkoo');
    expect(win.appInfo.id).toBe('fi.talkoo.app');
    expect(win.appInfo.getVersionInWeirdWindowsForm()).toBe(`${packager.appInfo.version}.0`);
    const icon = await associationIcon(win, false);
    expect(icon).toMatch(/talkoo-file\.ico$/);
    // An ICO holding a 256 px PNG (Windows' largest icon size).
    const ico = readFileSync(icon ?? '');
    expect(ico.readUInt16LE(2)).toBe(1);
    expect(ico.subarray(ico.readUInt32LE(18), ico.readUInt32LE(18) + 4).toString('latin1')).toBe('\x89PNG');
  });

  it('dmg: a productivity app that may reach another laptop’s server on the local network and opens .talkoo files as their editor', async () => {
    const mac = new MacPackager(packager);
    expect(mac.config.mac?.category).toBe('public.app-category.productivity');
    const extendInfo = (mac.platformSpecificBuildOptions.extendInfo ?? {}) as Record<string, unknown>;
    // macOS 15 blocks local network connections without it, silently.
    expect(extendInfo['NSLocalNetworkUsageDescription']).toMatch(/Talkoo.*local network/);
    const [association] = mac.fileAssociations;
    expect(association).toMatchObject({ ext: 'talkoo', role: 'Editor', mimeType: 'application/x-talkoo' });
    const icon = await associationIcon(mac, true);
    expect(icon).toMatch(/talkoo-file\.icns$/);
    expect(
      readFileSync(icon ?? '')
        .subarray(0, 4)
        .toString('latin1'),
    ).toBe('icns');
  });

  it('dmg: asks for the local network in the user’s language (Info.plist strings for each UI language, from the locale files)', async () => {
    const en = JSON.parse(readFileSync(join(ROOT, 'shared', 'i18n', 'en.json'), 'utf8')) as Record<
      string,
      string
    >;
    const extendInfo = (packager.config.mac?.extendInfo ?? {}) as Record<string, unknown>;
    // Info.plist's own value (macOS shows it where no language matches) is the English text.
    expect(extendInfo['NSLocalNetworkUsageDescription']).toBe(en['desktop.localNetworkUsage']);
    expect(packager.config.afterPack).toBe('./build/after-pack.mjs');

    const { default: afterPack } = (await import(new URL('./after-pack.mjs', import.meta.url).href)) as {
      default: (context: unknown) => Promise<void>;
    };
    const appOutDir = mkdtempSync(join(tmpdir(), 'talkoo-after-pack-'));
    try {
      await afterPack({
        electronPlatformName: 'darwin',
        appOutDir,
        packager: { appInfo: { productFilename: 'Talkoo' } },
      });
      for (const language of ['en', 'fi', 'sv', 'et']) {
        const messages = JSON.parse(
          readFileSync(join(ROOT, 'shared', 'i18n', `${language}.json`), 'utf8'),
        ) as Record<string, string>;
        const strings = readFileSync(
          join(appOutDir, 'Talkoo.app', 'Contents', 'Resources', `${language}.lproj`, 'InfoPlist.strings'),
          'utf8',
        );
        expect(strings).toBe(
          `"NSLocalNetworkUsageDescription" = ${JSON.stringify(messages['desktop.localNetworkUsage'])};\n`,
        );
      }
      // Other systems take nothing of it.
      const linuxOut = join(appOutDir, 'linux');
      await afterPack({
        electronPlatformName: 'linux',
        appOutDir: linuxOut,
        packager: { appInfo: { productFilename: 'Talkoo' } },
      });
      expect(existsSync(linuxOut)).toBe(false);
    } finally {
      rmSync(appOutDir, { recursive: true, force: true });
    }
  });

  it('finds the app icon in buildResources, large enough for every platform (≥ 512 px)', async () => {
    const config = await getConfig(ROOT, CONFIG, null);
    const png = readFileSync(join(ROOT, config.directories?.buildResources ?? 'build', 'icon.png'));
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    const [width, height] = [png.readUInt32BE(16), png.readUInt32BE(20)];
    expect(width).toBe(height);
    expect(width).toBeGreaterThanOrEqual(512);
  });

  it('rejects an unknown option (the check can fail)', async () => {
    const config = await getConfig(ROOT, CONFIG, null);
    await expect(
      validateConfiguration({ ...config, npmRebuid: false } as typeof config, new DebugLogger(false)),
    ).rejects.toThrow(/npmRebuid/);
  });
});

describe('electron-builder itself', () => {
  it('refuses a deb without a maintainer or homepage (what the deb check relies on)', async () => {
    const packager = await projectPackager();
    Object.assign(packager.metadata, { author: undefined, homepage: undefined });
    Object.assign(packager.devMetadata ?? {}, { homepage: undefined });
    Object.assign(packager.config, { linux: { ...packager.config.linux, maintainer: undefined } });
    const linux = new LinuxPackager(packager);
    const [deb] = createTargets(new Map(), ['deb'], join(ROOT, 'release'), linux) as unknown as [
      { checkOptions(): Promise<unknown> },
    ];
    await expect(deb.checkOptions()).rejects.toThrow(/homepage[\s\S]*maintainer/);
  });
});
