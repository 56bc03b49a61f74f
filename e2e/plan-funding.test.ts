// Co-funding and cost sharing (#12): an action's budget split over funding sources, the plan's
// totals by source against its budget range, and the municipal share split among municipalities,
// in the Finnish example as its users would do it.
import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectNoSeriousViolations } from './a11y';
import { actionPlan, closePlan, escape, plain, planSection, t } from './plan-pages';
import { setUpE2E } from './setup';

const e2e = setUpE2E();

const PILOT = 'Yhteishankintapilotti: esiintyjäkiertue kuuteen kuntaan';
const OKM = 'Opetus- ja kulttuuriministeriö';

/** Types `value` into `field` and saves it with Enter. */
async function write(field: Locator, value: string): Promise<void> {
  await field.fill(value);
  await field.press('Enter');
}

/** The text of each cell of table `table`'s row headed `name`. */
async function rowOf(table: Locator, name: string): Promise<string[]> {
  const row = table.getByRole('row').filter({ has: table.page().getByRole('rowheader', { name }) });
  return (await row.getByRole('cell').allTextContents()).map(plain);
}

describe('co-funding', () => {
  it('an action is split 80/20 and the totals by source show it, against the plan’s budget range', async () => {
    const page = await actionPlan(e2e);
    await page
      .getByRole('button', { name: new RegExp(`^${escape(t('actions.funding'))}: ${escape(PILOT)}`) })
      .click();
    const editor = page.getByRole('group', { name: t('funding.editor', { title: PILOT }) });
    await editor.waitFor();
    // Before: one source, the whole budget.
    expect(
      plain(await editor.getByRole('textbox', { name: t('funding.amount', { n: 1 }) }).inputValue()),
    ).toBe('30 000,00');

    await editor.getByRole('button', { name: t('funding.splitByPercent') }).click();
    const split = editor.getByRole('group', { name: t('funding.splitTitle') });
    expect(plain(await split.getByRole('textbox', { name: t('funding.splitTotal') }).inputValue())).toBe(
      '30 000,00',
    );
    expect(await split.getByRole('combobox', { name: t('funding.splitSource', { n: 1 }) }).inputValue()).toBe(
      OKM,
    );
    await split.getByRole('textbox', { name: t('funding.splitPercent', { n: 1 }) }).fill('80');
    // The parts must make 100 % before they can be applied.
    expect(await split.getByRole('button', { name: t('funding.splitApply') }).isDisabled()).toBe(true);
    await split.getByRole('button', { name: t('funding.splitAddPart') }).click();
    await split.getByRole('combobox', { name: t('funding.splitSource', { n: 2 }) }).fill('Kunnat');
    // By keyboard: Enter in the last field splits, once the parts make 100 %.
    await write(split.getByRole('textbox', { name: t('funding.splitPercent', { n: 2 }) }), '20');

    // Two lines: 24 000 € (80 %) and 6 000 € (20 %); the budget column shows their sum.
    const amount = (n: number) => editor.getByRole('textbox', { name: t('funding.amount', { n }) });
    await expect.poll(async () => plain(await amount(2).inputValue())).toBe('6 000,00');
    expect(plain(await amount(1).inputValue())).toBe('24 000,00');
    expect(await editor.getByRole('combobox', { name: t('funding.source', { n: 2 }) }).inputValue()).toBe(
      'Kunnat',
    );
    const shares = (await editor.getByTestId('funding-share').allTextContents()).map(plain);
    expect(shares).toEqual(['80 %', '20 %']);
    const row = page
      .getByRole('row')
      .filter({ has: page.getByRole('textbox', { name: `${t('actions.title')}: ${PILOT}` }) });
    expect(plain(await row.textContent())).toContain('30 000,00 €');

    // A line's amount changed by hand: the share follows, the total is their sum.
    await write(amount(2), '7 500');
    await expect
      .poll(async () => (await editor.getByTestId('funding-share').allTextContents()).map(plain))
      .toEqual(['76,2 %', '23,8 %']);
    await write(amount(2), '6000');
    await expectNoSeriousViolations(page, 'Funding editor');

    // The plan's budget: a range of 475–525 k€.
    const dialog = await planSection(page, 'plan.tab.budget');
    await dialog.getByRole('radio', { name: t('budgetPlan.range') }).check();
    await write(dialog.getByRole('textbox', { name: t('budgetPlan.min') }), '475 000');
    await write(dialog.getByRole('textbox', { name: t('budgetPlan.max') }), '525 000');
    await expectNoSeriousViolations(page, 'Plan dialog, budget');
    await closePlan(dialog);

    // Totals by source: the ministry 6 000 + 24 000 + 9 000, the municipalities 12 000 + 6 000 + 5 000.
    await page.getByRole('tab', { name: t('actions.viewBudget') }).click();
    const bySource = page.getByRole('table', { name: t('budget.bySource') });
    expect(await rowOf(bySource, OKM)).toEqual(['39 000,00 €', '62,9 %']);
    expect(await rowOf(bySource, 'Kunnat')).toEqual(['23 000,00 €', '37,1 %']);
    const status = page.getByRole('status').filter({ hasText: t('budget.planTotal', { total: '' }).trim() });
    expect(plain(await status.textContent())).toContain(plain(t('budget.under', { amount: '413 000,00 €' })));
    await expectNoSeriousViolations(page, 'Budget view');
  });
});

describe('cost sharing', () => {
  it('the municipal share is split among three municipalities, by amounts and then equally', async () => {
    const page = await actionPlan(e2e);
    // The municipalities' own funding is marked municipal in the plan's sources.
    const dialog = await planSection(page, 'plan.tab.sources');
    await dialog.getByRole('textbox', { name: t('sources.new') }).fill('Kunnat');
    await dialog.getByRole('checkbox', { name: t('sources.newMunicipal') }).check();
    await dialog.getByRole('button', { name: t('sources.add') }).click();
    await dialog.getByRole('checkbox', { name: t('sources.municipalOf', { name: 'Kunnat' }) }).waitFor();
    expect(
      await dialog.getByRole('checkbox', { name: t('sources.municipalOf', { name: 'Kunnat' }) }).isChecked(),
    ).toBe(true);
    await expectNoSeriousViolations(page, 'Plan dialog, funding sources');

    await dialog.getByRole('tab', { name: t('plan.tab.costSharing') }).click();
    expect(plain(await dialog.getByRole('tabpanel').textContent())).toContain(
      plain(t('costShare.share', { amount: '17 000,00 €' })),
    );
    const members = dialog.getByRole('group', { name: t('costShare.members') });
    for (const name of ['Mikkeli', 'Savonlinna', 'Juva'])
      await members.getByRole('checkbox', { name }).check();
    await dialog.getByRole('radio', { name: t('costShare.method.amount') }).check();
    await write(dialog.getByRole('textbox', { name: t('costShare.amountOf', { name: 'Mikkeli' }) }), '8 000');
    await write(
      dialog.getByRole('textbox', { name: t('costShare.amountOf', { name: 'Savonlinna' }) }),
      '6 000',
    );
    await write(dialog.getByRole('textbox', { name: t('costShare.amountOf', { name: 'Juva' }) }), '2 000');

    // 16 000 of 17 000: the difference is said plainly.
    const check = dialog.getByRole('status');
    await expect
      .poll(async () => plain(await check.textContent()))
      .toContain(plain(t('costShare.short', { amount: '1 000,00 €' })));
    await write(dialog.getByRole('textbox', { name: t('costShare.amountOf', { name: 'Juva' }) }), '3 000');
    await expect.poll(async () => plain(await check.textContent())).toContain(t('costShare.matches'));
    const table = dialog.getByRole('table', { name: t('plan.tab.costSharing') });
    expect((await rowOf(table, 'Mikkeli')).slice(-1)).toEqual(['47,1 %']);
    await expectNoSeriousViolations(page, 'Plan dialog, cost sharing');

    // Equally: to the cent, the rows still make the share.
    await dialog.getByRole('radio', { name: t('costShare.method.equal') }).check();
    await expect.poll(async () => (await rowOf(table, 'Mikkeli')).join(' ')).toContain('5 666,67 €');
    expect((await rowOf(table, 'Juva')).join(' ')).toContain('5 666,66 €');
    await expect.poll(async () => plain(await check.textContent())).toContain(t('costShare.matches'));

    // The computed split kept as amounts, to be adjusted by hand from there.
    await dialog.getByRole('button', { name: t('costShare.useAsAmounts') }).click();
    expect(await dialog.getByRole('radio', { name: t('costShare.method.amount') }).isChecked()).toBe(true);
    const juva = dialog.getByRole('textbox', { name: t('costShare.amountOf', { name: 'Juva' }) });
    expect(plain(await juva.inputValue())).toBe('5 666,66');
    await expect.poll(async () => plain(await check.textContent())).toContain(t('costShare.matches'));
  });
});

describe('who edits what', () => {
  it('a participant adds a funding line to an action, which the facilitator’s totals show; the plan’s sources stay the facilitator’s', async () => {
    const [facilitator, participant] = await e2e.twoPeople();
    const WP1 = 'WP1 Network coordination, joint communication and marketing';
    for (const page of [facilitator, participant]) {
      await page.getByRole('tablist').first().getByRole('tab').nth(2).click();
      await page.getByRole('table').first().waitFor();
    }
    await participant.getByRole('button', { name: new RegExp(`^Funding: ${escape(WP1)}`) }).click();
    const editor = participant.getByRole('group', { name: `Funding split: ${WP1}` });
    await editor.getByRole('button', { name: 'Add source' }).click();
    const source = editor.getByRole('combobox', { name: 'Source 2' });
    await expect.poll(() => source.evaluate((el) => el === document.activeElement)).toBe(true);
    await write(source, 'Regional council');
    await write(editor.getByRole('textbox', { name: 'Amount 2' }), '25000');

    await facilitator.getByRole('tab', { name: 'Budget' }).click();
    const bySource = facilitator.getByRole('table', { name: 'By funding source' });
    await expect
      .poll(async () => (await rowOf(bySource, 'Regional council')).join(' '))
      .toContain('€25,000.00');
    expect((await rowOf(bySource, 'Total'))[0]).toBe('€630,000.00');

    // The plan's lists are the facilitator's: the participant reads them.
    await participant.getByRole('button', { name: 'Plan…', exact: true }).click();
    const dialog = participant.getByRole('dialog');
    await dialog.getByRole('tab', { name: 'Funding sources' }).click();
    await dialog.getByText('Named on actions but not in the list:').waitFor();
    expect(await dialog.getByRole('textbox', { name: 'New funding source' }).count()).toBe(0);
    expect(await dialog.getByRole('button', { name: /to the list$/ }).count()).toBe(0);
  });
});
