// electron-builder cannot fetch Electron on the build machines, so its configuration is
// validated here against electron-builder's own schema instead of by building installers.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string };

describe('electron-builder configuration', () => {
  it('passes electron-builder’s schema and packs the built app', async () => {
    const config = await getConfig(ROOT, join(ROOT, 'electron-builder.yml'), null);
    await validateConfiguration(config, new DebugLogger(false));
    expect(config.npmRebuild).toBe(false);
    const files = JSON.stringify(config.files);
    for (const pattern of ['dist/main/**', 'dist/renderer/**', 'package.json'])
      expect(files).toContain(pattern);
    expect(pkg.main).toBe('dist/main/main.cjs');
  });

  it('finds the app icon in buildResources, large enough for every platform (≥ 512 px)', async () => {
    const config = await getConfig(ROOT, join(ROOT, 'electron-builder.yml'), null);
    const png = readFileSync(join(ROOT, config.directories?.buildResources ?? 'build', 'icon.png'));
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    const [width, height] = [png.readUInt32BE(16), png.readUInt32BE(20)];
    expect(width).toBe(height);
    expect(width).toBeGreaterThanOrEqual(512);
  });

  it('rejects an unknown option (the check can fail)', async () => {
    const config = await getConfig(ROOT, join(ROOT, 'electron-builder.yml'), null);
    await expect(
      validateConfiguration({ ...config, npmRebuid: false } as typeof config, new DebugLogger(false)),
    ).rejects.toThrow(/npmRebuid/);
  });
});
