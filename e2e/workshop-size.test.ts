// A workshop at its largest size (#10, finding 3): the server refuses a change that would grow it
// beyond, with a permanent reason. The web client stops reconnecting (each retry would send the
// same change and be refused again) and the workshop screen says why.
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { RunningServer } from '../collab-server';
import { connectClient, startTestServer, synced, tokenFor } from '../collab-server/test-support';
import { launchChromium } from './chromium';
import { RENDERER_DIR } from './desktop-window';
import { joinAs } from './people';

/** A room this small takes the example workshop and a little more. */
const MAX_DOCUMENT_BYTES = 256 * 1024;

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  server = await startTestServer({
    staticDir: RENDERER_DIR,
    limits: { maxDocumentBytes: MAX_DOCUMENT_BYTES },
  });
  browser = await launchChromium();
});
afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await server?.close();
});

describe('a workshop at its largest size', () => {
  it('refuses a note that would grow it beyond; the page stops reconnecting and says why', async () => {
    const created = await fetch(`${server.url}/api/workshops`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.organiserToken()}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ example: 'example-culture-network-en' }),
    });
    const { room, facilitatorUrl } = (await created.json()) as { room: string; facilitatorUrl: string };
    // Someone else has filled the workshop to within 4 KiB of its size.
    const filler = connectClient(server, room, tokenFor(server, room, 'facilitator'));
    await synced(filler);
    const room4k = MAX_DOCUMENT_BYTES - Y.encodeStateAsUpdate(filler.doc).byteLength - 4096;
    filler.doc.getText('archive').insert(0, 'x'.repeat(room4k));

    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(facilitatorUrl);
    await joinAs(page, 'Alice');
    await page.getByRole('heading', { level: 1 }).filter({ hasText: 'Vitality from Culture' }).waitFor();
    await page.getByRole('button', { name: 'Add note to Culture towns' }).click();
    await page.getByRole('textbox', { name: 'Note text' }).fill('A long note. '.repeat(500));
    await page.keyboard.press('Enter');

    await page
      .getByRole('status')
      .filter({ hasText: 'the workshop has reached the largest size the server keeps' })
      .waitFor();
    expect(server.metrics.closed.get('too-large')).toBe(1);
    // No retry follows: each would send the same note and be refused again. Stock y-websocket
    // retries within 100 ms at first; give it well over that, then count the refusals again.
    await page.waitForTimeout(1500);
    expect(server.metrics.closed.get('too-large')).toBe(1);
    await page
      .getByRole('status')
      .filter({ hasText: 'the workshop has reached the largest size the server keeps' })
      .waitFor();
    // The others keep the workshop as it was, without the refused note.
    expect(filler.doc.getText('archive').length).toBe(room4k);
    expect(JSON.stringify(filler.doc.toJSON())).not.toContain('A long note.');
    filler.provider.destroy();
  });
});
