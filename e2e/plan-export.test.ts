/**
 * The plan in the exports (#12): a work package's budget is the sum of its actions and the
 * package exports alone (the dialog's "Covers" choice: title, actions and totals are the
 * package's), and an action aligned to a strategy objective is listed under it. The plan is set
 * up through the model by a script with the facilitator's link, as another client would; the
 * export is the person's, in the real dialog and its downloads.
 */
import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import type { Download, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { readWorkshop } from '../shared/model/read';
import {
  addObjective,
  addWorkPackage,
  alignAction,
  setActionPackage,
  splitBudget,
} from '../shared/model/plan';
import { expectNoSeriousViolations } from './a11y';
import { joinAs, newWorkshop } from './people';
import { setUpE2E } from './setup';
import { tokenOf } from './web-server';

const e2e = setUpE2E();

/** Writes to the workshop as a script with the facilitator's link would (a stock y-websocket client). */
async function asFacilitator(facilitatorUrl: string, write: (doc: Y.Doc) => void): Promise<void> {
  const room = decodeURIComponent(/#\/w\/([^?]+)/.exec(facilitatorUrl)?.[1] ?? '');
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(e2e.web().url.replace('http', 'ws'), room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { token: tokenOf(facilitatorUrl) },
  });
  await new Promise<void>((resolve) => provider.once('sync', () => resolve()));
  write(doc);
  // The update is on the socket before its closing frame: the server gets it, then the close.
  provider.destroy();
  doc.destroy();
}

/** The facilitator's page on the workshop, joined as Alice. */
async function open(url: string): Promise<Page> {
  const context = await e2e.browser().newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(url);
  await joinAs(page, 'Alice');
  await page.getByRole('heading', { level: 1 }).filter({ hasText: 'Vitality from Culture' }).waitFor();
  return page;
}

/** Presses Export and waits for `count` downloads. */
async function exportDownloads(page: Page, count: number): Promise<Download[]> {
  const downloads: Download[] = [];
  const all = new Promise<void>((resolve) => {
    const on = (download: Download): void => {
      downloads.push(download);
      if (downloads.length === count) {
        page.off('download', on);
        resolve();
      }
    };
    page.on('download', on);
  });
  await page.getByRole('dialog').getByRole('button', { name: 'Export', exact: true }).click();
  await all;
  return downloads;
}

/** The English example's title. */
const TITLE = 'Vitality from Culture – national network of culture towns, planning day';

/** Amounts as the English report writes them, e.g. `€12,000.00`. */
const euros = (cents: number): string =>
  new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'EUR', minimumFractionDigits: 2 }).format(
    cents / 100,
  );

describe('the plan in the exports', () => {
  it('sums a work package from its actions and exports the package alone', async () => {
    const { facilitatorUrl } = await newWorkshop(e2e.web());
    let inPackage: { title: string; budgetCents: number }[] = [];
    let outside = '';
    await asFacilitator(facilitatorUrl, (doc) => {
      const [first, second, third] = readWorkshop(doc).actions;
      if (!first || !second || !third) throw new Error('the example has fewer than three actions');
      const pkg = addWorkPackage(doc, { title: 'WP1 Town pilots', owner: 'Lieksa' });
      setActionPackage(doc, first.id, pkg);
      setActionPackage(doc, second.id, pkg);
      // One of them co-funded 80/20.
      splitBudget(doc, first.id, 50_000_00, [
        { source: 'Ministry of Education and Culture', percent: 80 },
        { source: 'Municipalities', percent: 20 },
      ]);
      const actions = readWorkshop(doc).actions;
      inPackage = actions.slice(0, 2).map((a) => ({ title: a.title, budgetCents: a.budgetCents }));
      outside = third.title;
    });
    const total = inPackage.reduce((sum, a) => sum + a.budgetCents, 0);

    const page = await open(facilitatorUrl);
    await page.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export the action plan' });
    const preview = page.frameLocator('iframe[title="Preview"]');
    // The whole plan first: the package's row sums its two actions.
    const row = preview
      .getByRole('row')
      .filter({ has: preview.getByRole('rowheader', { name: 'WP1 Town pilots' }) });
    await expect.poll(() => row.first().textContent()).toContain(euros(total));

    await dialog
      .getByRole('combobox', { name: 'Covers' })
      .selectOption({ label: 'Work package: WP1 Town pilots' });
    await preview
      .getByRole('heading', { level: 1, name: `${TITLE} – Work package: WP1 Town pilots` })
      .waitFor();
    await expectNoSeriousViolations(page, 'export dialog limited to a work package');

    await dialog.getByRole('radio', { name: /Markdown/ }).check();
    const [download] = await exportDownloads(page, 1);
    // Named for what it covers; the long title gives way to keep the name within 100 characters.
    expect(download?.suggestedFilename()).toMatch(
      /^Vitality from Culture – .* – Work package WP1 Town pilots\.md$/,
    );
    const markdown = readFileSync(await download!.path(), 'utf8');
    expect(markdown.startsWith(`# ${TITLE} – Work package: WP1 Town pilots\n`)).toBe(true);
    for (const action of inPackage) expect(markdown).toContain(action.title);
    expect(markdown).not.toContain(outside);
    // The document's totals are the package's: its budget, and the 80/20 split in it.
    expect(markdown).toContain(`- **Total budget:** ${euros(total)}`);
    expect(markdown).toContain(`Ministry of Education and Culture: ${euros(40_000_00)} (80%)`);
    expect(markdown).toMatch(
      new RegExp(`\\| \\*\\*Total\\*\\* \\|  \\|  \\| \\*\\*${euros(total).replace(/[.$]/g, '\\$&')}\\*\\*`),
    );
  });

  it('lists an action under the strategy objective it is aligned to', async () => {
    const { facilitatorUrl } = await newWorkshop(e2e.web());
    let aligned = '';
    await asFacilitator(facilitatorUrl, (doc) => {
      const [, action] = readWorkshop(doc).actions;
      if (!action) throw new Error('the example has fewer than two actions');
      const objective = addObjective(doc, 'Cultural wellbeing for all ages', 'Wellbeing');
      addObjective(doc, 'A lively town centre', 'Economy');
      alignAction(doc, action.id, objective);
      aligned = action.title;
    });

    const page = await open(facilitatorUrl);
    await page.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export the action plan' });
    const preview = page.frameLocator('iframe[title="Preview"]');
    const objectiveRow = preview
      .getByRole('row')
      .filter({ has: preview.getByRole('rowheader', { name: 'Cultural wellbeing for all ages' }) });
    await expect.poll(() => objectiveRow.first().textContent()).toContain(`2. ${aligned}`);
    await expect
      .poll(() =>
        preview
          .getByRole('row')
          .filter({ has: preview.getByRole('rowheader', { name: 'A lively town centre' }) })
          .first()
          .textContent(),
      )
      .toContain('No actions yet.');

    await dialog.getByRole('radio', { name: /Word/ }).check();
    const [download] = await exportDownloads(page, 1);
    const zip = unzipSync(readFileSync(await download!.path()));
    const documentXml = strFromU8(zip['word/document.xml'] ?? new Uint8Array());
    const text = documentXml.replace(/<[^>]+>/g, '');
    expect(text).toContain('Strategy objectives');
    expect(text).toContain('Cultural wellbeing for all ages');
    expect(text).toContain(`2. ${aligned}`);
    // The action's row names the objective it serves, too.
    expect(text).toContain('Objectives: Cultural wellbeing for all ages');
  });
});
