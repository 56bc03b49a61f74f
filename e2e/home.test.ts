import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectNoSeriousViolations } from './a11y';
import { joinAs } from './people';
import { setUpE2E } from './setup';

const e2e = setUpE2E();

async function newPage(locale = 'en-GB'): Promise<Page> {
  const context = await e2e.browser().newContext({ viewport: { width: 1280, height: 800 }, locale });
  return context.newPage();
}

type Listed = { room: string; title: string; archived: boolean };

/** The server's workshop list, as the API gives it. */
async function serverList(): Promise<Listed[]> {
  const res = await fetch(`${e2e.web().url}/api/workshops`, {
    headers: { Authorization: `Bearer ${e2e.web().organiserToken}` },
  });
  return ((await res.json()) as { workshops: Listed[] }).workshops;
}

/** A new workshop on the server, copied from an example and titled `title`. */
async function workshopFrom(example: string, title: string): Promise<string> {
  const headers = { Authorization: `Bearer ${e2e.web().organiserToken}`, 'Content-Type': 'application/json' };
  const made = await fetch(`${e2e.web().url}/api/workshops`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ example, title }),
  });
  const { room } = (await made.json()) as { room: string };
  return room;
}

/** The entry of a workshop in Home's list of the server's workshops. */
function entry(page: Page, title: string): Locator {
  return page
    .getByRole('list', { name: 'Workshops on this server' })
    .getByRole('listitem')
    .filter({ has: page.getByRole('link', { name: title, exact: true }) });
}

describe('Home', () => {
  it('lists a workshop with its date, language and counts; renames it and deletes it', async () => {
    const room = await workshopFrom('example-etela-savo-fi', 'Kevätseminaari');
    const page = await newPage();
    await page.goto(e2e.web().organiserLink);
    const item = entry(page, 'Kevätseminaari');
    await item.waitFor();
    const listed = (await item.textContent()) ?? '';
    expect(listed).toContain('Suomi');
    expect(listed).toMatch(/\d+ needs · \d+ themes · \d+ actions/);
    expect(listed).toContain(new Intl.DateTimeFormat('en', { dateStyle: 'medium' }).format(new Date()));

    await item.getByRole('button', { name: 'Rename' }).click();
    const field = page.getByRole('textbox', { name: 'New title for Kevätseminaari' });
    await field.fill('Kevät 2027');
    await field.press('Enter');
    await entry(page, 'Kevät 2027').waitFor();
    // A keyboard user is back on the Rename button, not at the top of the page.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Rename');
    expect((await serverList()).find((w) => w.room === room)?.title).toBe('Kevät 2027');

    // It is open in another tab while it is deleted.
    const inside = await page.context().newPage();
    await inside.goto(await e2e.web().facilitatorLink(room));
    await joinAs(inside, 'Aino');
    await inside.getByRole('heading', { name: 'Kevät 2027' }).waitFor();

    await entry(page, 'Kevät 2027').getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete “Kevät 2027”?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toMatch(/\d+ needs, \d+ themes,? and \d+ actions will be lost/);
    await expectNoSeriousViolations(page, 'delete workshop dialog');
    await dialog.getByRole('button', { name: 'Delete workshop' }).click();
    await entry(page, 'Kevät 2027').waitFor({ state: 'detached' });
    expect((await serverList()).map((w) => w.room)).not.toContain(room);
    // They are told plainly (in the Finnish workshop's language), not left editing a workshop that is gone.
    await inside
      .getByRole('alert')
      .filter({ hasText: 'palvelimen ylläpitäjä poisti tämän työpajan' })
      .first()
      .waitFor();
    // This device's recent workshops forget it.
    await page.reload();
    await entry(page, 'Kevätseminaari').waitFor({ state: 'detached' });
    await page.getByRole('heading', { name: 'Workshops', level: 1 }).waitFor();
    expect(await page.getByText('Kevät 2027').count()).toBe(0);
    await page.context().close();
  });

  it('duplicates and archives a workshop, and restores it from the archived list', async () => {
    await workshopFrom('example-voru-et', 'Võru arhiiv');
    const page = await newPage();
    await page.goto(e2e.web().organiserLink);
    await entry(page, 'Võru arhiiv').getByRole('button', { name: 'Duplicate' }).click();
    await entry(page, 'Copy of Võru arhiiv').waitFor();

    await entry(page, 'Võru arhiiv').getByRole('button', { name: 'Archive' }).click();
    await entry(page, 'Võru arhiiv').waitFor({ state: 'detached' });
    const archived = page.getByRole('list', { name: 'Archived workshops' });
    const kept = archived.getByRole('listitem').filter({ hasText: 'Võru arhiiv' });
    await kept.waitFor();
    await expectNoSeriousViolations(page, 'Home with an archived workshop');
    expect((await serverList()).find((w) => w.title === 'Võru arhiiv')?.archived).toBe(true);
    await kept.getByRole('button', { name: 'Restore' }).click();
    await entry(page, 'Võru arhiiv').waitFor();
    expect((await serverList()).find((w) => w.title === 'Võru arhiiv')?.archived).toBe(false);
    await page.context().close();
  });

  it('saves a workshop as a template and starts a new workshop from it; method templates have names', async () => {
    await workshopFrom('example-etela-savo-fi', 'AKKU syksy');
    const page = await newPage('fi-FI');
    await page.goto(e2e.web().organiserLink);
    const start = page.getByRole('combobox', { name: 'Pohja' });
    await start.waitFor();
    expect(
      await start.getByRole('option', { name: /^Tarvekartoitus ja toimenpidesuunnitelma/ }).count(),
    ).toBe(1);

    const item = page
      .getByRole('list', { name: 'Työpajat tällä palvelimella' })
      .getByRole('listitem')
      .filter({ has: page.getByRole('link', { name: 'AKKU syksy', exact: true }) });
    await item.getByRole('button', { name: 'Tallenna pohjaksi' }).click();
    const dialog = page.getByRole('dialog', { name: 'Tallenna pohjaksi' });
    await expectNoSeriousViolations(page, 'save as template dialog');
    const name = dialog.getByRole('textbox', { name: 'Pohjan nimi' });
    expect(await name.inputValue()).toBe('AKKU syksy');
    await name.fill('Kuntatyöpajan pohja');
    await dialog.getByRole('button', { name: 'Tallenna' }).click();
    await page.getByRole('list', { name: 'Omat pohjat' }).getByText('Kuntatyöpajan pohja').waitFor();
    await expectNoSeriousViolations(page, 'Home with a template');

    await start.selectOption({ label: 'Kuntatyöpajan pohja · Suomi' });
    await page.getByRole('textbox', { name: 'Nimi' }).fill('Kevään kuntatyöpaja');
    await page.getByRole('button', { name: 'Luo työpaja' }).click();
    await page.getByRole('heading', { name: 'Kevään kuntatyöpaja' }).waitFor();
    await joinAs(page, 'Aino');
    // The template's lanes and example notes are there.
    const lane = page.getByRole('list', { name: /Kuntien kulttuurityöntekijät/ });
    await lane.getByText('Vertaistukea ja kollegoita muista kunnista kaivataan').waitFor();
    await page.context().close();
  });
});
