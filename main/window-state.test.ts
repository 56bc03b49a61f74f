// The window opens where and as large as it was left, unless that place is no longer on any
// screen (a monitor unplugged): then it opens centred at its default size, as on first start.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  loadWindowState,
  restoredBounds,
  WindowStateSaver,
  type Rectangle,
  type WindowState,
  type WindowSizes,
} from './window-state';

const sizes: WindowSizes = { width: 1280, height: 800, minWidth: 800, minHeight: 560 };
const laptop: Rectangle = { x: 0, y: 0, width: 1440, height: 875 };
const monitorOnTheRight: Rectangle = { x: 1440, y: 0, width: 2560, height: 1400 };
/** The default size, where the system centres it. */
const centred = (maximized = false) => ({ width: sizes.width, height: sizes.height, maximized });

describe('where the window opens', () => {
  it('opens at its default size, centred by the system, the first time', () => {
    expect(restoredBounds(null, [laptop], sizes)).toEqual(centred());
  });

  it('opens where it was left, maximised again if it was', () => {
    const saved: WindowState = { x: 1600, y: 100, width: 1500, height: 1000, maximized: true };
    expect(restoredBounds(saved, [laptop, monitorOnTheRight], sizes)).toEqual(saved);
  });

  it('opens at its default place when the screen it was on is gone', () => {
    const saved: WindowState = { x: 1600, y: 100, width: 1500, height: 1000, maximized: true };
    expect(restoredBounds(saved, [laptop], sizes)).toEqual(centred(true));
  });

  it('opens where it was left when its title bar can still be grabbed, not when only a sliver shows', () => {
    const partly: WindowState = { x: 1000, y: 300, width: 1200, height: 700, maximized: false };
    expect(restoredBounds(partly, [laptop], sizes)).toEqual(partly);
    const sliver: WindowState = { x: 1420, y: 300, width: 1200, height: 700, maximized: false };
    expect(restoredBounds(sliver, [laptop], sizes)).toEqual(centred());
    const titleAbove: WindowState = { x: 100, y: -650, width: 1200, height: 700, maximized: false };
    expect(restoredBounds(titleAbove, [laptop], sizes)).toEqual(centred());
  });

  it('never opens smaller than its minimum, nor larger than the screen it opens on', () => {
    const tiny: WindowState = { x: 10, y: 10, width: 200, height: 100, maximized: false };
    expect(restoredBounds(tiny, [laptop], sizes)).toEqual({
      ...tiny,
      width: sizes.minWidth,
      height: sizes.minHeight,
    });
    const huge: WindowState = { x: 0, y: 0, width: 2560, height: 1400, maximized: false };
    expect(restoredBounds(huge, [laptop], sizes)).toEqual({
      ...huge,
      width: laptop.width,
      height: laptop.height,
    });
  });
});

describe('the stored state', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'talkoo-window-'));
  });
  afterEach(async () => {
    vi.useRealTimers();
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a missing or damaged file as none', async () => {
    const file = path.join(dir, 'window-state.json');
    expect(await loadWindowState(file)).toBeNull();
    for (const damaged of [
      '{"x": 1',
      'null',
      '{"x": "10", "y": 0, "width": 900, "height": 700, "maximized": false}',
      '{"x": 10, "y": 0, "width": -900, "height": 700, "maximized": false}',
      '{"x": 10, "y": 0, "width": 1e308, "height": 700, "maximized": false}',
      '{"x": 10, "y": 0, "width": 900, "height": 700}',
    ]) {
      await writeFile(file, damaged);
      expect(await loadWindowState(file)).toBeNull();
    }
  });

  it('saves once the window has stopped moving, and at once when it closes', async () => {
    vi.useFakeTimers();
    const file = path.join(dir, 'window-state.json');
    let current: WindowState = { x: 0, y: 0, width: 900, height: 700, maximized: false };
    const saver = new WindowStateSaver(file, () => current);
    for (let x = 1; x <= 50; x++) {
      current = { ...current, x };
      saver.changed(); // a drag sends a move event per step
    }
    expect(await loadWindowState(file)).toBeNull();
    await vi.runAllTimersAsync();
    await saver.idle();
    expect(await loadWindowState(file)).toEqual({ x: 50, y: 0, width: 900, height: 700, maximized: false });

    current = { ...current, maximized: true };
    saver.changed();
    await saver.flush();
    expect(await loadWindowState(file)).toEqual({ x: 50, y: 0, width: 900, height: 700, maximized: true });
    expect(await readdir(dir)).toEqual(['window-state.json']);
  });
});
