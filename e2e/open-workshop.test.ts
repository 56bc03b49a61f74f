import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { addNote, TEMPLATE_BOARD_IDS } from '../shared';
import { joinAs } from './people';
import { setUpE2E } from './setup';
import { tokenOf } from './web-server';

const e2e = setUpE2E();

async function newPage(): Promise<Page> {
  const context = await e2e.browser().newContext({ viewport: { width: 1280, height: 720 } });
  return context.newPage();
}

describe('opening a fixture workshop in the browser', () => {
  it('lists the example workshops and opens one from the list', async () => {
    const page = await newPage();
    await page.goto(e2e.web().organiserLink);
    const link = page.getByRole('link', { name: 'Loov Võru maakond – koosloome töötuba' });
    await link.click();
    await expect.poll(() => page.url()).toContain('#/w/example-voru-et');
    await page.getByRole('heading', { name: 'Loov Võru maakond – koosloome töötuba' }).waitFor();
    await page.context().close();
  });

  it('shows the title, a need in its stakeholder lane, a theme and an action', async () => {
    const page = await newPage();
    await page.goto(await e2e.web().facilitatorLink('example-etela-savo-fi'));
    await joinAs(page, 'Aino');
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
    const link = await e2e.web().facilitatorLink('example-culture-network-en');
    await page.goto(link);
    await joinAs(page, 'Facilitator');
    await page.getByRole('heading', { level: 1 }).filter({ hasText: 'Vitality from Culture' }).waitFor();

    const doc = new Y.Doc();
    const provider = new WebsocketProvider(
      e2e.web().url.replace('http', 'ws'),
      'example-culture-network-en',
      doc,
      {
        WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
        params: { token: tokenOf(link) },
      },
    );
    await new Promise<void>((resolve) => provider.once('sync', () => resolve()));
    expect(
      addNote(doc, TEMPLATE_BOARD_IDS.needs, { text: 'A remote participant needs a quiet room' }),
    ).not.toBeNull();
    await page.getByText('A remote participant needs a quiet room').waitFor({ timeout: 1000 });
    provider.destroy();
    await page.context().close();
  });

  it('opens a workshop saved by a newer Talkoo read-only, with a clear message', async () => {
    const created = await fetch(`${e2e.web().url}/api/workshops`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${e2e.web().organiserToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: 'Workshop from the future', language: 'en' }),
    });
    expect(created.status).toBe(201);
    const { room, facilitatorUrl } = (await created.json()) as { room: string; facilitatorUrl: string };
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(e2e.web().url.replace('http', 'ws'), room, doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      params: { token: tokenOf(facilitatorUrl) },
    });
    await new Promise<void>((resolve) => provider.once('sync', () => resolve()));
    doc.getMap('meta').set('schemaVersion', 99);

    const page = await newPage();
    await page.goto(facilitatorUrl);
    await page.getByRole('heading', { name: 'Workshop from the future' }).waitFor();
    await page
      .getByRole('status')
      .filter({ hasText: 'saved by a newer version of Talkoo (schema 99)' })
      .waitFor();
    provider.destroy();
    await page.context().close();
  });

  it('says why a tampered link is refused, and removes the token from the address bar', async () => {
    const link = await e2e.web().facilitatorLink('example-voru-et');
    const token = tokenOf(link);
    const tampered = link.replace(encodeURIComponent(token), encodeURIComponent(`${token.slice(0, -2)}xx`));
    const page = await newPage();
    await page.goto(tampered);
    await page.getByRole('alert').filter({ hasText: 'this link was not made by this server' }).waitFor();
    expect(page.url()).not.toContain('token=');
    await page.context().close();
  });

  it('says in Finnish why the server refused a tampered organiser link, on a Finnish page', async () => {
    const token = e2e.web().organiserToken;
    const tampered = e2e
      .web()
      .organiserLink.replace(encodeURIComponent(token), encodeURIComponent(`${token.slice(0, -2)}xx`));
    const context = await e2e
      .browser()
      .newContext({ viewport: { width: 1280, height: 720 }, locale: 'fi-FI' });
    const page = await context.newPage();
    await page.goto(tampered);
    await page
      .getByRole('alert')
      .filter({ hasText: 'Palvelimen työpajoja ei voitu hakea: linkki ei ole tämän palvelimen tekemä.' })
      .waitFor();
    await context.close();
  });

  it('an organiser creates a workshop from the template; it opens in its language and is remembered', async () => {
    const page = await newPage();
    await page.goto(e2e.web().organiserLink);
    await page.getByRole('textbox', { name: 'Title' }).fill('Kulturplan för Flen 2027');
    await page.getByRole('combobox', { name: 'Language', exact: true }).selectOption('sv');
    await page.getByRole('button', { name: 'Create workshop' }).click();
    await page.getByRole('heading', { name: 'Kulturplan för Flen 2027' }).waitFor();
    await joinAs(page, 'Organiser');
    await page.getByRole('tab', { name: 'Behovsanalys' }).waitFor();
    await page.getByRole('button', { name: 'Lägg till intressentgrupp' }).waitFor();
    await page.getByRole('link', { name: 'Alla workshoppar' }).click();
    const recent = page.getByRole('region', { name: 'Recently opened on this device' });
    await recent.getByRole('link', { name: 'Kulturplan för Flen 2027' }).waitFor();
    await page.context().close();
  });

  it('a facilitator shares a participant link that lets someone else in', async () => {
    const facilitator = await newPage();
    await facilitator.goto(await e2e.web().facilitatorLink('example-voru-et'));
    await joinAs(facilitator, 'Liina');
    await facilitator.getByRole('button', { name: 'Jaga' }).click();
    const dialog = facilitator.getByRole('dialog', { name: 'Kutsu osalejaid' });
    await dialog.getByRole('button', { name: 'Loo link' }).first().click();
    const field = dialog.getByRole('textbox', { name: /^Osaleja link/ });
    // The link to hand out is the short one with its code (the QR code encodes it too).
    await expect.poll(() => field.inputValue()).toMatch(/\/j\/[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const link = await field.inputValue();

    const participant = await newPage();
    await participant.goto(link);
    await joinAs(participant, 'Mart');
    await participant.getByRole('heading', { name: 'Loov Võru maakond – koosloome töötuba' }).waitFor();
    // A participant gets no Share button: links are the facilitator's to make.
    expect(await participant.getByRole('button', { name: 'Jaga' }).count()).toBe(0);
    await participant.getByRole('button', { name: /^Lisa märge rühma Omavalitsuste juhid/ }).click();
    await participant.getByRole('textbox', { name: 'Märkme tekst' }).fill('Mardi märge');
    await participant.keyboard.press('Enter');
    await facilitator.getByRole('button', { name: 'Mardi märge' }).waitFor({ timeout: 1000 });
    await participant.context().close();
    await facilitator.context().close();
  });
});
