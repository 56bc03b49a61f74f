/**
 * The common frame of an end-to-end test file: `npm run web` on its own port and data, one
 * Chromium, and every browser context the tests open, all closed after the file.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from './chromium';
import { twoPeople } from './people';
import { startWeb, type WebServer } from './web-server';

export type E2E = {
  readonly web: () => WebServer;
  readonly browser: () => Browser;
  /** The facilitator's and a participant's page on a new workshop. */
  readonly twoPeople: () => Promise<[Page, Page]>;
};

/** Registers the file's beforeAll/afterAll and returns accessors for what they start. */
export function setUpE2E(): E2E {
  let web: WebServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    web = await startWeb();
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await web?.stop();
  });
  const need = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the end-to-end set-up has not run');
    return value;
  };
  return {
    web: () => need(web),
    browser: () => need(browser),
    twoPeople: () => twoPeople(need(web), need(browser), contexts),
  };
}
