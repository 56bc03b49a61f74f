import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { addNote, createWorkshop, TEMPLATE_BOARD_IDS } from '../shared';
import { launchChromium } from './chromium';
import { startWeb, type WebServer } from './web-server';

let web: WebServer;
let browser: Browser;

beforeAll(async () => {
  web = await startWeb();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await web?.stop();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  return context.newPage();
}

describe('opening a fixture workshop in the browser', () => {
  it('lists the example workshops and opens one from the list', async () => {
    const page = await newPage();
    await page.goto(`${web.url}/`);
    const link = page.getByRole('link', { name: 'Loov Võru maakond – koosloome töötuba' });
    await link.click();
    await expect.poll(() => page.url()).toContain('#/w/example-voru-et');
    await page.getByRole('heading', { name: 'Loov Võru maakond – koosloome töötuba' }).waitFor();
    await page.context().close();
  });

  it('shows the title, a need in its stakeholder lane, a theme and an action', async () => {
    const page = await newPage();
    await page.goto(`${web.url}/#/w/example-etela-savo-fi`);
    await page
      .getByRole('heading', { name: 'AKKU – kuntien kulttuuritoiminnan kehittäminen, työpaja 1' })
      .waitFor();
    const lane = page.getByRole('list', { name: /Kuntien kulttuurityöntekijät/ });
    await lane.getByText('Vertaistukea ja kollegoita muista kunnista kaivataan').waitFor();
    expect(await page.getByRole('status').filter({ hasText: 'Verkossa' }).count()).toBe(1);
    // Votes carried in from the outline show on the need, in the workshop's language.
    const need = lane.getByRole('listitem').filter({ hasText: 'Kulttuuritoimen resurssit vaihtelevat' });
    expect(await need.textContent()).toContain('8 ääntä');

    await page.getByRole('tab', { name: 'Teemojen ryhmittely' }).click();
    const theme = page.getByRole('list', { name: 'Kuntien yhteistyö ja vertaistuki' });
    await theme.getByText('Vertaistukea ja kollegoita muista kunnista kaivataan').waitFor();

    await page.getByRole('tab', { name: 'Toimenpidesuunnittelu' }).click();
    const table = page.getByRole('table', { name: 'Toimenpidesuunnittelu' });
    const row = table.getByRole('row', { name: /Kulttuurityöntekijöiden vertaisverkosto/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('Käynnissä');
    await page.context().close();
  });

  it('shows a note added by another participant within a second', async () => {
    const page = await newPage();
    await page.goto(`${web.url}/#/w/example-culture-network-en`);
    await page.getByRole('heading', { level: 1 }).filter({ hasText: 'Vitality from Culture' }).waitFor();

    const doc = new Y.Doc();
    const provider = new WebsocketProvider(web.url.replace('http', 'ws'), 'example-culture-network-en', doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    });
    await new Promise<void>((resolve) => provider.once('sync', () => resolve()));
    expect(
      addNote(doc, TEMPLATE_BOARD_IDS.needs, { text: 'A remote participant needs a quiet room' }),
    ).not.toBeNull();
    await page.getByText('A remote participant needs a quiet room').waitFor({ timeout: 1000 });
    provider.destroy();
    await page.context().close();
  });

  it('opens a workshop saved by a newer Talkoo read-only, with a clear message', async () => {
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(web.url.replace('http', 'ws'), 'from-the-future', doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    });
    await new Promise<void>((resolve) => provider.once('sync', () => resolve()));
    createWorkshop(doc, {
      title: 'Workshop from the future',
      language: 'en',
      boardTitles: { needs: 'Needs', themes: 'Themes', actions: 'Actions' },
    });
    doc.getMap('meta').set('schemaVersion', 99);

    const page = await newPage();
    await page.goto(`${web.url}/#/w/from-the-future`);
    await page.getByRole('heading', { name: 'Workshop from the future' }).waitFor();
    await page
      .getByRole('status')
      .filter({ hasText: 'saved by a newer version of Talkoo (schema 99)' })
      .waitFor();
    provider.destroy();
    await page.context().close();
  });
});
