/** What the plan's e2e tests share: Finnish UI texts, and the facilitator's page on the plan. */
import type { Locator, Page } from 'playwright-core';
import fi from '../shared/i18n/fi.json';
import { joinAs } from './people';
import type { E2E } from './setup';

export type Key = keyof typeof fi;

/** A Finnish UI text, with its {placeholders} filled. */
export function t(key: Key, vars: Record<string, string | number> = {}): string {
  return fi[key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`));
}

/** Text with every kind of space made one plain space: money and percent use no-break spaces. */
export const plain = (text: string | null): string => (text ?? '').replace(/[\s\u00a0\u202f]+/g, ' ').trim();

/** `text` as a regular expression that matches it literally. */
export const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The facilitator's page on a new workshop made from `example`, on the action plan. */
export async function actionPlan(
  e2e: E2E,
  example = 'example-etela-savo-fi',
  width = 1280,
  height = 800,
): Promise<Page> {
  const web = e2e.web();
  const created = await fetch(`${web.url}/api/workshops`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${web.organiserToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ example }),
  });
  const { facilitatorUrl } = (await created.json()) as { facilitatorUrl: string };
  const context = await e2e.browser().newContext({ viewport: { width, height } });
  const page = await context.newPage();
  await page.goto(facilitatorUrl);
  await joinAs(page, 'Alice');
  await showPlan(page);
  return page;
}

/** Goes to the action plan: the third phase, whatever the workshop's language calls it. */
export async function showPlan(page: Page): Promise<void> {
  await page.getByRole('tablist').first().getByRole('tab').nth(2).click();
  await page.getByRole('table').first().waitFor();
}

/** Opens the plan dialog (Finnish UI) on its section `label` and returns the dialog. */
export async function planSection(page: Page, label: Key): Promise<Locator> {
  await page.getByRole('button', { name: t('plan.open'), exact: true }).click();
  const dialog = page.getByRole('dialog', { name: t('plan.title') });
  await dialog.getByRole('tab', { name: t(label) }).click();
  return dialog;
}

/** Closes the plan dialog and waits until it is gone. */
export async function closePlan(dialog: Locator): Promise<void> {
  await dialog.getByRole('button', { name: t('plan.close'), exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
}
