// Every screen and dialog of the app, as a facilitator meets them, checked with axe-core: no
// serious or critical violation (contrast, names, roles, ARIA) on any of them.
import type { Page } from 'playwright-core';
import { describe, it } from 'vitest';
import { expectNoSeriousViolations } from './a11y';
import { joinAs, newWorkshop } from './people';
import { setUpE2E } from './setup';

const e2e = setUpE2E();

async function newPage(): Promise<Page> {
  const context = await e2e.browser().newContext({ viewport: { width: 1280, height: 720 } });
  return context.newPage();
}

/** A facilitator's page on a new workshop, past the join dialog (checked on the way). */
async function facilitator(): Promise<Page> {
  const { facilitatorUrl } = await newWorkshop(e2e.web());
  const page = await newPage();
  await page.goto(facilitatorUrl);
  await page.getByRole('dialog', { name: 'Join the workshop' }).waitFor();
  await expectNoSeriousViolations(page, 'Join dialog');
  await joinAs(page, 'Alice');
  await page.getByRole('heading', { level: 1 }).filter({ hasText: 'Vitality from Culture' }).waitFor();
  await page
    .getByRole('status')
    .filter({ hasText: /^Online/ })
    .waitFor();
  return page;
}

/** Opens the dialog behind `button`, waits for `ready` in it, checks it, and closes it with Escape. */
async function checkDialog(
  page: Page,
  button: string,
  title: string | RegExp,
  ready?: string,
): Promise<void> {
  await page.getByRole('button', { name: button, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: title });
  await dialog.waitFor();
  if (ready) await dialog.locator(ready).first().waitFor();
  await expectNoSeriousViolations(page, `${String(title)} dialog`);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
}

describe('accessibility (axe-core: no serious or critical violation)', () => {
  it('on Home, for an organiser, then with a recent workshop', async () => {
    const page = await newPage();
    await page.goto(e2e.web().organiserLink);
    await page.getByRole('heading', { level: 1, name: 'Workshops' }).waitFor();
    await page
      .getByRole('link', { name: /Vitality from Culture/ })
      .first()
      .waitFor();
    await expectNoSeriousViolations(page, 'Home');
    await page
      .getByRole('link', { name: /Vitality from Culture/ })
      .first()
      .click();
    await joinAs(page, 'Olga');
    await page.getByRole('link', { name: 'Talkoo – all workshops' }).click();
    await page.getByRole('region', { name: 'Recently opened on this device' }).waitFor();
    await expectNoSeriousViolations(page, 'Home with a recent workshop');
    await page.context().close();
  });

  it('on the join dialog, the needs board, the outline, the side panel’s voting states and the CSV import', async () => {
    const page = await facilitator();
    await expectNoSeriousViolations(page, 'Needs board');
    await page.getByRole('button', { name: 'Show outline' }).click();
    await expectNoSeriousViolations(page, 'Needs board with the outline');
    await page.getByRole('button', { name: 'Hide outline' }).click();

    await page.getByRole('button', { name: 'Start voting' }).click();
    await page.getByText(/^Voting is open/).waitFor();
    await expectNoSeriousViolations(page, 'Side panel, voting open');
    await page
      .getByRole('button', { name: /^Add a dot to/ })
      .first()
      .click();
    await page.getByRole('button', { name: 'Reveal results' }).click();
    await page.getByRole('table', { name: 'Results' }).waitFor();
    await expectNoSeriousViolations(page, 'Side panel, results revealed');
    await page.getByRole('button', { name: 'Close round' }).click();
    // Closed, the round's result stays open in the history, as every revealed round's does.
    await page.getByRole('table', { name: 'Round 2: Needs' }).waitFor();
    await page.getByRole('button', { name: 'Start private writing' }).click();
    await page.getByRole('button', { name: 'Reveal notes' }).waitFor();
    await expectNoSeriousViolations(page, 'Side panel, private writing and the rounds’ history');

    await checkDialog(page, 'Import from CSV', 'Import needs from a CSV file');
    await page.context().close();
  });

  it('on the themes and actions boards', async () => {
    const page = await facilitator();
    await page.getByRole('tab', { name: 'Theme clustering' }).click();
    await page.getByRole('tab', { name: 'Theme clustering', selected: true }).waitFor();
    await expectNoSeriousViolations(page, 'Themes board');
    await page.getByRole('tab', { name: 'Action planning' }).click();
    await page.getByRole('table', { name: 'Action planning' }).waitFor();
    await expectNoSeriousViolations(page, 'Actions board');
    await page.context().close();
  });

  it('on the Share dialog with the links made, and with a new link and its QR code', async () => {
    const page = await facilitator();
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    const share = page.getByRole('dialog', { name: 'Invite people' });
    await share
      .getByRole('region', { name: 'Links made for this workshop' })
      .getByRole('row')
      .first()
      .waitFor();
    await expectNoSeriousViolations(page, 'Share dialog with the links made');
    await share.getByRole('button', { name: 'Make link' }).first().click();
    await share.getByRole('button', { name: /^Copy/ }).first().waitFor();
    await expectNoSeriousViolations(page, 'Share dialog with a new link and its QR code');
    await page.context().close();
  });

  it('on the Export and Versions dialogs, a version’s preview and the restore question', async () => {
    const page = await facilitator();
    await checkDialog(page, 'Export…', /^Export/, 'iframe');
    await checkDialog(page, 'Versions…', 'Versions of this workshop');

    await page.getByRole('button', { name: 'Versions…' }).click();
    const row = page
      .getByRole('dialog', { name: 'Versions of this workshop' })
      .getByRole('listitem')
      .filter({ hasText: 'When first opened' });
    await row.getByRole('button', { name: 'View' }).click();
    await row
      .getByRole('region', { name: /\(read-only\)$/ })
      .getByRole('list')
      .first()
      .waitFor();
    await expectNoSeriousViolations(page, 'Versions dialog with a version’s preview');
    await row.getByRole('button', { name: 'Restore…' }).click();
    await row.getByRole('alertdialog').waitFor();
    await expectNoSeriousViolations(page, 'Versions dialog asking to restore');
    await page.context().close();
  });
});
