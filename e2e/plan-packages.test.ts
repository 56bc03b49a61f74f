// Work packages, strategy objectives and statuses (#12), in the Finnish example as its users
// would do them: a work package sums its actions' budgets (in the plan dialog, the table's
// groups and the timeline); an action is aligned to a strategy objective from its row; a status
// renamed by the facilitator shows in the table. Axe on every new control.
import { describe, expect, it } from 'vitest';
import { expectNoSeriousViolations } from './a11y';
import { actionPlan, closePlan, escape, plain, planSection, t, type Key } from './plan-pages';
import { setUpE2E } from './setup';

const e2e = setUpE2E();

const PILOT = 'Yhteishankintapilotti: esiintyjäkiertue kuuteen kuntaan';
const RIDE = 'Kulttuurikyyti-kokeilu syrjäkylistä tapahtumiin';
const NETWORK = 'Kulttuurityöntekijöiden vertaisverkosto: kuukausittainen etätapaaminen';
const PACKAGE = 'TP2 Saavutettavuus';

/** The accessible name of field `field` of action `title` ("Työpaketti: …"). */
const field = (key: Key, title: string): string => t('actions.field', { field: t(key), title });

describe('work packages', () => {
  it('a work package sums its actions: in the plan dialog, grouped in the table and on the timeline', async () => {
    const page = await actionPlan(e2e);
    let dialog = await planSection(page, 'plan.tab.packages');
    await dialog.getByRole('textbox', { name: t('packages.new') }).fill(PACKAGE);
    await dialog.getByRole('button', { name: t('packages.add') }).click();
    const item = dialog.getByRole('listitem').filter({
      has: page.getByRole('textbox', { name: t('packages.title', { name: PACKAGE }) }),
    });
    await item.getByRole('textbox', { name: t('packages.owner', { name: PACKAGE }) }).fill('Puumalan kunta');
    await item.getByRole('textbox', { name: t('packages.owner', { name: PACKAGE }) }).press('Enter');
    // Its period: September 2021 to October 2022 (month, then the year beside it).
    for (const [key, month, year] of [
      ['packages.start', 9, '2021'],
      ['packages.end', 10, '2022'],
    ] as const) {
      const group = item.getByRole('group', { name: t(key, { name: PACKAGE }) });
      await group.getByRole('combobox', { name: t('month.month') }).selectOption({ index: month });
      await group.getByRole('spinbutton', { name: t('month.year') }).fill(year);
      await group.getByRole('spinbutton', { name: t('month.year') }).press('Enter');
    }
    // No action in it yet: nothing budgeted.
    expect(plain(await item.textContent())).toContain('0,00 €');
    await expectNoSeriousViolations(page, 'Work packages section');
    await closePlan(dialog);

    // Two actions put in the package from their rows: 30 000 € + 12 000 €.
    for (const title of [PILOT, RIDE])
      await page.getByRole('combobox', { name: field('actions.package', title) }).selectOption(PACKAGE);

    dialog = await planSection(page, 'plan.tab.packages');
    await expect
      .poll(async () => plain(await dialog.getByRole('listitem').filter({ hasText: '42 000' }).textContent()))
      .toContain(`42 000,00 € ${t('packages.actions_other', { count: 2 })}`);
    await closePlan(dialog);

    // Grouped by package: the package's header row with its owner and budget, then its actions;
    // the actions in no package last.
    await page.getByRole('checkbox', { name: t('actions.groupByPackage') }).check();
    const table = page.getByRole('table', { name: t('board.actions') });
    // Row groups: the head, our package, no package, the foot. Each group's first row is its header.
    const rowgroups = table.getByRole('rowgroup');
    await expect.poll(() => rowgroups.count()).toBe(4);
    const groups = { nth: (i: number) => rowgroups.nth(i + 1) };
    const header = (i: number) => groups.nth(i).getByRole('row').first().textContent();
    const ours = plain(await header(0));
    expect(ours).toContain(PACKAGE);
    expect(ours).toContain(t('packages.ownerIs', { owner: 'Puumalan kunta' }));
    expect(ours).toContain(t('packages.budgetIs', { amount: '42 000,00 €' }));
    const inOurs = await groups
      .nth(0)
      .getByRole('textbox', { name: new RegExp(`^${t('actions.title')}: `) })
      .evaluateAll((els) => els.map((el) => (el as HTMLTextAreaElement).value));
    expect(inOurs).toEqual([PILOT, RIDE]);
    const rest = plain(await header(1));
    expect(rest).toContain(t('packages.none'));
    expect(
      await groups
        .nth(1)
        .getByRole('textbox', { name: `${t('actions.title')}: ${NETWORK}` })
        .count(),
    ).toBe(1);
    await expectNoSeriousViolations(page, 'Action table grouped by work package');

    // The timeline: the package's rows as a group, its period a band.
    await page.getByRole('tab', { name: t('actions.viewTimeline') }).click();
    const band = page.getByRole('group', { name: PACKAGE });
    await band.waitFor();
    expect(await band.getByRole('slider').count()).toBe(2);
    const period = band.getByRole('img', {
      name: t('timeline.package', { title: PACKAGE, period: '' }),
      exact: false,
    });
    expect(await period.count()).toBe(1);
    await expectNoSeriousViolations(page, 'Timeline with work packages');
  });
});

describe('deleting from the plan', () => {
  it('a deleted work package and objective come back with the Undo the dialog offers', async () => {
    const page = await actionPlan(e2e);
    const dialog = await planSection(page, 'plan.tab.packages');
    await dialog.getByRole('textbox', { name: t('packages.new') }).fill(PACKAGE);
    await dialog.getByRole('button', { name: t('packages.add') }).click();
    const title = dialog.getByRole('textbox', { name: t('packages.title', { name: PACKAGE }) });
    await title.waitFor();
    await dialog.getByRole('button', { name: t('plan.delete', { name: PACKAGE }) }).click();
    await title.waitFor({ state: 'detached' });
    // The notice is inside the dialog, where it can be reached (the app's toasts sit under it).
    const notice = dialog.getByRole('status').filter({ hasText: t('plan.deleted', { name: PACKAGE }) });
    await notice.getByRole('button', { name: t('toast.undo') }).click();
    await title.waitFor();

    await dialog.getByRole('tab', { name: t('plan.tab.objectives') }).click();
    const goal = 'Kulttuuri kaikille';
    await dialog.getByRole('textbox', { name: t('objectives.new') }).fill(goal);
    await dialog.getByRole('button', { name: t('objectives.add') }).click();
    const goalTitle = dialog.getByRole('textbox', { name: t('objectives.title', { name: goal }) });
    await goalTitle.waitFor();
    await dialog.getByRole('button', { name: t('plan.delete', { name: goal }) }).click();
    await goalTitle.waitFor({ state: 'detached' });
    await dialog.getByRole('button', { name: t('toast.undo') }).click();
    await goalTitle.waitFor();
  });
});

describe('strategy objectives', () => {
  it('an action is aligned to a strategy objective from its row, shown as a chip', async () => {
    const page = await actionPlan(e2e);
    const dialog = await planSection(page, 'plan.tab.objectives');
    await dialog.getByRole('textbox', { name: t('objectives.new') }).fill('Kulttuuri kaikille ikäryhmille');
    await dialog.getByRole('textbox', { name: t('objectives.newArea') }).fill('Hyvinvointi');
    await dialog.getByRole('button', { name: t('objectives.add') }).click();
    await dialog
      .getByRole('textbox', { name: t('objectives.area', { name: 'Kulttuuri kaikille ikäryhmille' }) })
      .waitFor();
    await expectNoSeriousViolations(page, 'Strategy objectives section');
    await closePlan(dialog);

    // The row's objectives: named by the field and the action, then what it shows.
    const summary = page.getByLabel(new RegExp(`^${escape(field('actions.objectives', RIDE))}`));
    expect(await summary.getAttribute('aria-labelledby')).toBeTruthy();
    // Its text: the field's name for screen readers, then what it shows.
    expect(plain(await summary.textContent())).toMatch(new RegExp(`${escape(t('actions.noObjectives'))}$`));
    await summary.click();
    const picker = page.getByRole('group', { name: field('actions.objectives', RIDE), exact: true });
    await picker.getByRole('checkbox', { name: 'Hyvinvointi: Kulttuuri kaikille ikäryhmille' }).check();
    await expect
      .poll(async () => plain(await summary.textContent()))
      .toMatch(/tapahtumiin ?Kulttuuri kaikille ikäryhmille$/);
    await expectNoSeriousViolations(page, 'Objectives picker');
  });
});

describe('statuses', () => {
  it('the facilitator renames a status and the table shows the new name; emptied, the default is back', async () => {
    const page = await actionPlan(e2e);
    const status = page.getByRole('combobox', { name: field('actions.status', PILOT) });
    // Proposal to pilot: the five statuses in order.
    expect(await status.locator('option').allTextContents()).toEqual(
      ['proposal', 'planned', 'pilot', 'ongoing', 'done'].map((s) => t(`status.${s}` as Key)),
    );
    await status.selectOption({ label: t('status.pilot') });

    let dialog = await planSection(page, 'plan.tab.statuses');
    const name = dialog.getByRole('textbox', { name: t('statuses.name', { status: t('status.pilot') }) });
    await name.fill('Kokeilu');
    await name.press('Enter');
    await expectNoSeriousViolations(page, 'Statuses section');
    await closePlan(dialog);
    await expect
      .poll(() => status.evaluate((el: HTMLSelectElement) => el.selectedOptions[0]?.text))
      .toBe('Kokeilu');

    dialog = await planSection(page, 'plan.tab.statuses');
    await name.fill('');
    await name.press('Enter');
    await closePlan(dialog);
    await expect
      .poll(() => status.evaluate((el: HTMLSelectElement) => el.selectedOptions[0]?.text))
      .toBe(t('status.pilot'));
  });
});

describe('who edits what', () => {
  it('a participant puts an action in a package and aligns it, which the facilitator sees; the lists stay the facilitator’s', async () => {
    const [facilitator, participant] = await e2e.twoPeople();
    const WP1 = 'WP1 Network coordination, joint communication and marketing';
    for (const page of [facilitator, participant]) {
      await page.getByRole('tablist').first().getByRole('tab').nth(2).click();
      await page.getByRole('table').first().waitFor();
    }
    await facilitator.getByRole('button', { name: 'Plan…', exact: true }).click();
    let dialog = facilitator.getByRole('dialog');
    await dialog.getByRole('tab', { name: 'Work packages' }).click();
    await dialog.getByRole('textbox', { name: 'New work package' }).fill('Coordination');
    await dialog.getByRole('button', { name: 'Add work package' }).click();
    await dialog.getByRole('tab', { name: 'Strategy objectives' }).click();
    await dialog.getByRole('textbox', { name: 'New objective' }).fill('Smart governance');
    await dialog.getByRole('button', { name: 'Add objective' }).click();
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();

    const select = participant.getByRole('combobox', { name: `Work package: ${WP1}` });
    await select.waitFor();
    await select.selectOption('Coordination');
    await participant.getByLabel(new RegExp(`^Objectives: ${escape(WP1)}`)).click();
    await participant
      .getByRole('group', { name: `Objectives: ${WP1}`, exact: true })
      .getByRole('checkbox', { name: 'Smart governance' })
      .check();

    await expect
      .poll(() => facilitator.getByRole('combobox', { name: `Work package: ${WP1}` }).inputValue())
      .not.toBe('');
    await expect
      .poll(async () =>
        plain(await facilitator.getByLabel(new RegExp(`^Objectives: ${escape(WP1)}`)).textContent()),
      )
      .toMatch(/Smart governance$/);

    // The plan's lists are the facilitator's: the participant reads them.
    await participant.getByRole('button', { name: 'Plan…', exact: true }).click();
    dialog = participant.getByRole('dialog');
    await dialog.getByRole('tab', { name: 'Work packages' }).click();
    await dialog.getByText('Coordination', { exact: true }).waitFor();
    expect(await dialog.getByRole('textbox').count()).toBe(0);
    await dialog.getByRole('tab', { name: 'Statuses' }).click();
    expect(await dialog.getByRole('textbox').count()).toBe(0);
    await expectNoSeriousViolations(participant, 'Statuses section, read only');
  });
});
