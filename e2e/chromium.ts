/** Finds and launches Debian's Chromium for end-to-end tests (never a downloaded browser). */
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, findChrome } from '../collab-server/commands/pdf';

/** The Chromium executable (as the command line's PDF export finds it), or how to install one. */
export function chromiumPath(): string {
  try {
    return findChrome();
  } catch (error) {
    throw new Error(
      'The end-to-end tests need Chromium: install it with `sudo apt-get install -y chromium` ' +
        `(Debian/Ubuntu), or set CHROME_PATH. ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/** Launches headless Chromium, with `extraArgs` after the usual flags. */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
  });
}
