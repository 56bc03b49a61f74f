/**
 * The window's size and place, remembered: saved in the user data folder once the window stops
 * moving or resizing, and when it closes; restored on the next start only where it can still be
 * seen (a monitor may have been unplugged since), never smaller than the window's minimum nor
 * larger than the screen it opens on. A missing or damaged file means the defaults.
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from './workshop-files';

/** A rectangle in screen coordinates (Electron's `Rectangle`, a display's `workArea`). */
export type Rectangle = {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
};

/** What is remembered: the window's normal (not maximised) bounds, and whether it was maximised. */
export type WindowState = Rectangle & { readonly maximized: boolean };

/** The window's default and minimum sizes. */
export type WindowSizes = {
  readonly width: number;
  readonly height: number;
  readonly minWidth: number;
  readonly minHeight: number;
};

/** Where and how large to open the window: no `x`/`y` lets the system centre it. */
export type OpenBounds = {
  readonly x?: number;
  readonly y?: number;
  readonly width: number;
  readonly height: number;
  readonly maximized: boolean;
};

/** The part of the title bar that must be on a screen to restore a place: to grab and move it. */
const TITLE_BAR_HEIGHT = 32;
const TITLE_BAR_MIN_WIDTH = 100;

/** The largest window size stored is sane; anything bigger is a damaged file. */
const MAX_COORDINATE = 100_000;

/**
 * The bounds to open the window with, given what was saved (null: nothing) and the work areas of
 * the displays there are now.
 */
export function restoredBounds(
  saved: WindowState | null,
  workAreas: readonly Rectangle[],
  sizes: WindowSizes,
): OpenBounds {
  const defaults: OpenBounds = {
    width: sizes.width,
    height: sizes.height,
    maximized: saved?.maximized ?? false,
  };
  if (saved === null) return defaults;
  const area = workAreas.find((one) => titleBarOn(saved, one));
  if (area === undefined) return defaults;
  return {
    x: saved.x,
    y: saved.y,
    width: Math.max(sizes.minWidth, Math.min(saved.width, area.width)),
    height: Math.max(sizes.minHeight, Math.min(saved.height, area.height)),
    maximized: saved.maximized,
  };
}

/** True when enough of the window's title bar lies in `area` to grab it. */
function titleBarOn(window: Rectangle, area: Rectangle): boolean {
  const left = Math.max(window.x, area.x);
  const right = Math.min(window.x + window.width, area.x + area.width);
  const topInside = window.y >= area.y && window.y + TITLE_BAR_HEIGHT <= area.y + area.height;
  return topInside && right - left >= Math.min(TITLE_BAR_MIN_WIDTH, window.width);
}

/** The state stored at `file`, or null when there is none or it is damaged. */
export async function loadWindowState(file: string): Promise<WindowState | null> {
  const text = await readFile(file, 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    return parseWindowState(JSON.parse(text));
  } catch {
    return null;
  }
}

function parseWindowState(raw: unknown): WindowState | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { x, y, width, height, maximized } = raw as Record<string, unknown>;
  const coordinate = (value: unknown): value is number =>
    typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= MAX_COORDINATE;
  const size = (value: unknown): value is number => coordinate(value) && value > 0;
  if (!coordinate(x) || !coordinate(y) || !size(width) || !size(height) || typeof maximized !== 'boolean') {
    return null;
  }
  return { x, y, width, height, maximized };
}

/**
 * Saves the window's state to a file: {@link changed} on every move or resize saves once they
 * stop for a moment; {@link flush} saves at once (the window is closing).
 */
export class WindowStateSaver {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private writing: Promise<void> = Promise.resolve();

  /** `read`: the window's state now; `delayMs`: how long moves must stop before a save. */
  constructor(
    private readonly file: string,
    private readonly read: () => WindowState,
    private readonly delayMs = 500,
  ) {}

  /** The window moved, resized, or was maximised or restored. */
  changed(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), this.delayMs);
  }

  /** Saves the state now; resolves once written (a failure is logged: the defaults then serve). */
  flush(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const bytes = new TextEncoder().encode(`${JSON.stringify(this.read())}\n`);
    this.writing = this.writing.then(() =>
      writeFileAtomic(this.file, bytes).catch((error: unknown) => {
        console.error('Talkoo could not remember the window size:', error);
      }),
    );
    return this.writing;
  }

  /** Settles once every save begun so far is written. */
  idle(): Promise<void> {
    return this.writing;
  }
}
