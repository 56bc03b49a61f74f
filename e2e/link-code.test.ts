// Short link codes (#12): the share dialog shows a code for each link it makes, with a sparse QR
// code of the short link, for as long as the facilitator chose; a participant joins by typing the
// code on the server's page, another by opening the short link; a wrong code and the code of a
// revoked link are each told plainly.
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { expectNoSeriousViolations } from './a11y';
import { joinAs, newWorkshop } from './people';
import { setUpE2E } from './setup';

const e2e = setUpE2E();
const contexts: BrowserContext[] = [];
afterAll(async () => {
  for (const context of contexts) await context.close();
});

const TITLE = 'Vitality from Culture';

async function person(url: string): Promise<Page> {
  const context = await e2e.browser().newContext({ viewport: { width: 1280, height: 800 } });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

async function inWorkshop(page: Page, name: string): Promise<void> {
  await joinAs(page, name);
  await page.getByRole('heading', { level: 1 }).filter({ hasText: TITLE }).waitFor();
}

/** The code the share dialog shows for the link it made ("Code K7MX-42QP"). */
async function codeIn(dialog: Locator): Promise<string> {
  const text = await dialog.getByText(/^Code [0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/).textContent();
  return text?.slice('Code '.length) ?? '';
}

/** A day as the share dialog writes it (English), `days` from now. */
const day = (days: number): string =>
  new Intl.DateTimeFormat('en', { dateStyle: 'medium' }).format(Date.now() + days * 86_400_000);

describe('short link codes', () => {
  it('a participant joins by typing the code from the share dialog; the short link in the QR code opens the workshop too', async () => {
    const web = e2e.web();
    const { facilitatorUrl } = await newWorkshop(web);
    const alice = await person(facilitatorUrl);
    await inWorkshop(alice, 'Alice');
    await alice.getByRole('button', { name: 'Share', exact: true }).click();
    const dialog = alice.getByRole('dialog', { name: 'Invite people' });

    // A week unless the facilitator chooses otherwise: a workshop series takes 30 days.
    const validity = dialog.getByRole('combobox', { name: 'New links work for' });
    expect(await validity.inputValue()).toBe('7d');
    await validity.selectOption({ label: '30 days' });
    await dialog.getByRole('button', { name: 'Make link' }).first().click();
    const code = await codeIn(dialog);
    const until = (await dialog.getByText(/^Valid until /).textContent()) ?? '';
    expect([day(30), day(31)].some((d) => until.includes(d))).toBe(true);
    const linkBox = dialog.getByRole('textbox', { name: 'Participant link (can add and edit)' });
    const shortUrl = `${web.url}/j/${code}`;
    expect(await linkBox.inputValue()).toBe(shortUrl);
    await dialog.getByText(`Or open ${new URL(web.url).host} and enter the code.`).waitFor();
    await dialog
      .getByRole('img', { name: 'QR code of the link: Participant link (can add and edit)' })
      .waitFor();
    // The list of links shows the code on the new link's row.
    await dialog
      .getByRole('region', { name: 'Links made for this workshop' })
      .getByRole('row')
      .filter({ hasText: code })
      .filter({ hasText: 'Participant' })
      .waitFor();
    await expectNoSeriousViolations(alice, 'Share dialog with a link code');

    // Bob has only the server's address and the code: a typo first, then the code as he types it.
    const bob = await person(web.url);
    const field = bob.getByRole('textbox', { name: 'Join link or code' });
    await field.fill('ZZZZ-ZZZZ');
    await bob.getByRole('button', { name: 'Join' }).click();
    await bob
      .getByRole('alert')
      .filter({ hasText: 'Could not join: no link has the code ZZZZ-ZZZZ. Check it for typos.' })
      .waitFor();
    await field.fill(code.replace('-', ' ').toLowerCase());
    await bob.getByRole('button', { name: 'Join' }).click();
    await inWorkshop(bob, 'Bob');
    // He joined as a participant: he may add notes.
    await bob
      .getByRole('button', { name: /^Add note to / })
      .first()
      .waitFor();

    // Carol scans the QR code: its short link takes her into the workshop.
    const carol = await person(shortUrl);
    await inWorkshop(carol, 'Carol');
  });

  it('the code of a revoked link is refused in words', async () => {
    const web = e2e.web();
    const { facilitatorUrl } = await newWorkshop(web);
    const alice = await person(facilitatorUrl);
    await inWorkshop(alice, 'Alice');
    await alice.getByRole('button', { name: 'Share', exact: true }).click();
    const dialog = alice.getByRole('dialog', { name: 'Invite people' });
    await dialog.getByRole('button', { name: 'Make link' }).nth(1).click();
    const code = await codeIn(dialog);
    const list = dialog.getByRole('region', { name: 'Links made for this workshop' });
    const row = list.getByRole('row').filter({ hasText: code });
    await row.getByRole('button', { name: /^Revoke the Viewer link/ }).click();
    await list.getByRole('button', { name: 'Revoke link' }).click();
    await row.waitFor({ state: 'detached' });

    const dave = await person(`${web.url}/j/${code}`);
    await dave
      .getByRole('alert')
      .filter({ hasText: `the link of the code ${code} was revoked. Ask your facilitator for a new one.` })
      .waitFor();
    // The code stays in the field to be corrected; the address no longer carries it.
    expect(await dave.getByRole('textbox', { name: 'Join link or code' }).inputValue()).toBe(code);
    expect(new URL(dave.url()).hash).toBe('#/');
  });
});
