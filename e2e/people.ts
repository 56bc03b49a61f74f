/** Two people, each in their own browser context, on a new workshop made from an example. */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { WebServer } from './web-server';

/** A new workshop made from the example `example` by `web`'s organiser: its room and facilitator link. */
export async function exampleWorkshop(
  web: WebServer,
  example: string,
): Promise<{ room: string; facilitatorUrl: string; facilitatorToken: string }> {
  const created = await fetch(`${web.url}/api/workshops`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${web.organiserToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ example }),
  });
  return (await created.json()) as { room: string; facilitatorUrl: string; facilitatorToken: string };
}

/** A new workshop (from the English example) with a facilitator and a participant link. */
export async function newWorkshop(
  web: WebServer,
): Promise<{ facilitatorUrl: string; participantUrl: string }> {
  const { room, facilitatorUrl, facilitatorToken } = await exampleWorkshop(web, 'example-culture-network-en');
  const link = await fetch(`${web.url}/api/workshops/${room}/links`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${facilitatorToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ role: 'participant', name: 'Participant' }),
  });
  const { url } = (await link.json()) as { url: string };
  return { facilitatorUrl, participantUrl: url };
}

/** Opens the facilitator's and a participant's page; contexts are added to `contexts` to close later. */
export async function twoPeople(
  web: WebServer,
  browser: Browser,
  contexts: BrowserContext[],
): Promise<[Page, Page]> {
  const { facilitatorUrl, participantUrl } = await newWorkshop(web);
  const pages: Page[] = [];
  for (const url of [facilitatorUrl, participantUrl]) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(url);
    await joinAs(page, pages.length === 0 ? 'Alice' : 'Bob');
    await page.getByRole('heading', { level: 1 }).filter({ hasText: 'Vitality from Culture' }).waitFor();
    pages.push(page);
  }
  return pages as [Page, Page];
}

/** Answers the once-per-device name question (in whatever language the workshop speaks). */
export async function joinAs(page: Page, name: string): Promise<void> {
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('textbox').fill(name);
  await dialog.getByRole('button').click();
}

/** The needs board's lane (stakeholder group) called `name`. */
export const lane = (page: Page, name: string) => page.getByRole('list', { name });

/** Adds a note with `text` to the lane `laneName` by its button, and waits until the lane shows it. */
export async function addNote(page: Page, laneName: string, text: string): Promise<void> {
  await page.getByRole('button', { name: `Add note to ${laneName}` }).click();
  await page.getByRole('textbox', { name: 'Note text' }).fill(text);
  await page.keyboard.press('Enter');
  await lane(page, laneName).getByRole('button', { name: text }).waitFor();
}

/** Takes `page`'s browser context off the network and waits until its status bar says so. */
export async function goOffline(page: Page): Promise<void> {
  await page.context().setOffline(true);
  await page
    .getByRole('status')
    .filter({ hasText: /^Offline|^Connecting/ })
    .waitFor({ timeout: 10_000 });
}
