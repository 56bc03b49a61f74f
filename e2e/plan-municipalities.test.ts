// Municipalities in the plan (#12): the facilitator keeps the workshop's list in the plan dialog,
// a participant tags a note with one from the note itself, and the board filters by it.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectNoSeriousViolations } from './a11y';
import { lane } from './people';
import { setUpE2E } from './setup';

const e2e = setUpE2E();

const NOTE = 'Research partner to study intangible value creation';
const OTHER = 'Annual seminar rotating between member towns';
const ACTION = 'WP1 Network coordination, joint communication and marketing';

/** The tag control on the card of the note `text`. */
const tagOf = (page: Page, text: string) =>
  page
    .getByRole('listitem')
    .filter({ has: page.getByRole('button', { name: text, exact: true }) })
    .getByRole('button', { name: /^Municipality: / });

/** Whether the card of the note `text` is drawn and described as outside the filter. */
async function outside(page: Page, text: string): Promise<boolean> {
  return page.getByRole('button', { name: text, exact: true }).evaluate((button) => {
    const description = document.getElementById(button.getAttribute('aria-describedby') ?? '');
    const said = (description?.textContent ?? '').includes('Outside the filter');
    const grey = getComputedStyle(button.closest('li') ?? button).backgroundColor === 'rgb(238, 240, 243)';
    if (said !== grey) throw new Error(`described ${String(said)} but drawn ${String(grey)}`);
    return said;
  });
}

describe('municipalities', () => {
  it('the facilitator edits the list, a participant tags a note from the note, the board filters by it', async () => {
    const [facilitator, participant] = await e2e.twoPeople();

    // The facilitator adds Hamina with its population, and renames Kotka.
    await facilitator.getByRole('button', { name: 'Plan…', exact: true }).click();
    const plan = facilitator.getByRole('dialog', { name: 'Workshop plan' });
    await plan.getByRole('tab', { name: 'Municipalities' }).click();
    await plan.getByRole('textbox', { name: 'New municipality' }).fill('Hamina');
    await plan.getByRole('button', { name: 'Add municipality' }).click();
    const population = plan.getByRole('textbox', { name: 'Population of Hamina' });
    await population.fill('19 500');
    await population.press('Enter');
    const kotka = plan.getByRole('textbox', { name: 'Name of Kotka' });
    await kotka.fill('Kotka city');
    await kotka.press('Enter');
    await plan.getByRole('textbox', { name: 'Name of Kotka city' }).waitFor();
    // A deletion says so in the dialog and is undone from there.
    await plan.getByRole('button', { name: 'Delete Pori' }).click();
    await plan.getByRole('status').filter({ hasText: 'Deleted Pori' }).waitFor();
    expect(await plan.getByRole('textbox', { name: 'Name of Pori' }).count()).toBe(0);
    await plan.getByRole('button', { name: 'Undo', exact: true }).click();
    await plan.getByRole('textbox', { name: 'Name of Pori' }).waitFor();
    // A repeated name is refused in words, next to the field.
    await plan.getByRole('textbox', { name: 'New municipality' }).fill('hamina');
    await plan.getByRole('button', { name: 'Add municipality' }).click();
    await plan.getByRole('alert').filter({ hasText: 'That name is already in the list.' }).waitFor();
    await plan.getByRole('button', { name: 'Close', exact: true }).click();

    // The participant reads the plan but has no edit controls.
    await participant.getByRole('button', { name: 'Plan…', exact: true }).click();
    const theirPlan = participant.getByRole('dialog', { name: 'Workshop plan' });
    await theirPlan.getByText('Hamina', { exact: true }).waitFor();
    expect(await theirPlan.getByRole('textbox').count()).toBe(0);
    await theirPlan.getByRole('button', { name: 'Close', exact: true }).click();

    // The participant tags the note from its card, by keyboard: the list offers Hamina.
    // A tagless note offers its tag once the note has the focus: Tab reaches it from the note.
    await participant.getByRole('button', { name: NOTE, exact: true }).focus();
    await participant.keyboard.press('Tab');
    expect(await tagOf(participant, NOTE).evaluate((el) => el === document.activeElement)).toBe(true);
    await participant.keyboard.press('Enter');
    const options = participant.getByRole('listbox', { name: 'Municipalities' });
    await options.getByRole('option', { name: 'Kotka city' }).waitFor();
    await expectNoSeriousViolations(participant, "Needs board with a note's municipality list open");
    await participant.keyboard.type('Ham');
    await participant.keyboard.press('Enter');
    await options.waitFor({ state: 'detached' });
    expect(await tagOf(participant, NOTE).textContent()).toContain('Hamina');
    // Focus goes back to the tag, and the facilitator sees it.
    expect(await tagOf(participant, NOTE).evaluate((el) => el === document.activeElement)).toBe(true);
    await tagOf(facilitator, NOTE).filter({ hasText: 'Hamina' }).waitFor();

    // The facilitator's board filters by Hamina: the tagged note stands out, the others are dimmed.
    await facilitator.getByRole('combobox', { name: 'Filter by municipality' }).selectOption('Hamina');
    await facilitator.getByRole('status').filter({ hasText: 'Filtered: Hamina' }).waitFor();
    await facilitator
      .getByRole('status')
      .filter({ hasText: /^Filtered: Hamina · 1 note$/ })
      .waitFor();
    await expectNoSeriousViolations(facilitator, 'Needs board filtered by a municipality');
    expect(await outside(facilitator, NOTE)).toBe(false);
    expect(await outside(facilitator, OTHER)).toBe(true);
    await lane(facilitator, 'Universities').getByRole('button', { name: NOTE, exact: true }).waitFor();
    // The filter holds on the themes board too, and is cleared from there.
    await facilitator.getByRole('tablist').first().getByRole('tab').nth(1).click();
    await facilitator.getByRole('status').filter({ hasText: 'Filtered: Hamina' }).waitFor();
    await facilitator.getByRole('button', { name: 'Clear filter' }).click();
    await facilitator
      .getByRole('status')
      .filter({ hasText: 'Filtered: Hamina' })
      .waitFor({ state: 'detached' });
    expect(await outside(facilitator, OTHER)).toBe(false);
    // "No municipality" finds the notes still to tag.
    await facilitator
      .getByRole('combobox', { name: 'Filter by municipality' })
      .selectOption('No municipality');
    await facilitator.getByRole('status').filter({ hasText: 'Filtered: No municipality' }).waitFor();
    expect(await outside(facilitator, NOTE)).toBe(true);
    expect(await outside(facilitator, OTHER)).toBe(false);
    await facilitator.getByRole('button', { name: 'Clear filter' }).click();

    // The overview counts the tagged need under Hamina and Universities, a number in every cell.
    await facilitator.getByRole('button', { name: 'Plan…', exact: true }).click();
    const overview = facilitator.getByRole('dialog', { name: 'Workshop plan' });
    await overview.getByRole('tab', { name: 'Overview' }).click();
    const heat = overview.getByRole('table').first();
    const columns = (await heat.getByRole('columnheader').allTextContents()).map((c) => c.trim());
    const hamina = heat
      .getByRole('row')
      .filter({ has: facilitator.getByRole('rowheader', { name: 'Hamina' }) });
    const cells = (await hamina.getByRole('cell').allTextContents()).map((c) => c.trim());
    expect(cells[columns.indexOf('Universities') - 1]).toBe('1');
    expect(cells.every((c) => /^\d+$/.test(c))).toBe(true);
    expect(cells.at(-1)).toBe('1');
    // From the overview to the board: Hamina's needs, filtered.
    await overview.getByRole('button', { name: 'Show the needs of Hamina on the board' }).click();
    await overview.waitFor({ state: 'detached' });
    await facilitator.getByRole('status').filter({ hasText: 'Filtered: Hamina' }).waitFor();
    expect(await outside(facilitator, NOTE)).toBe(false);

    // A rename carries to the note's tag and to the filter.
    await facilitator.getByRole('button', { name: 'Plan…', exact: true }).click();
    const renamed = plan.getByRole('textbox', { name: 'Name of Hamina' });
    await renamed.fill('Hamina town');
    await renamed.press('Enter');
    await plan.getByRole('textbox', { name: 'Name of Hamina town' }).waitFor();
    await plan.getByRole('button', { name: 'Close', exact: true }).click();
    await facilitator.getByRole('status').filter({ hasText: 'Filtered: Hamina town' }).waitFor();
    expect(await tagOf(facilitator, NOTE).textContent()).toContain('Hamina town');
    expect(await outside(facilitator, NOTE)).toBe(false);
  });

  it('the plan dialog has no serious accessibility violations, for the facilitator and a participant', async () => {
    const [facilitator, participant] = await e2e.twoPeople();
    // The facilitator writes a baseline: a text and an indicator.
    await facilitator.getByRole('button', { name: 'Plan…', exact: true }).click();
    const plan = facilitator.getByRole('dialog', { name: 'Workshop plan' });
    await plan.getByRole('button', { name: 'Baseline of Kotka' }).click();
    const text = plan.getByRole('textbox', { name: 'Baseline analysis of Kotka' });
    await text.fill('A port town of 50 000 with a strong event scene.');
    await plan.getByRole('button', { name: 'Add indicator to Kotka' }).click();
    const label = plan.getByRole('textbox', { name: 'Indicator 1 of Kotka' });
    await label.fill('Culture budget per resident');
    await label.press('Enter');
    const value = plan.getByRole('textbox', { name: 'Value of Culture budget per resident' });
    await value.fill('62 €');
    await value.press('Enter');
    await expectNoSeriousViolations(facilitator, 'Plan dialog, municipalities');
    await plan.getByRole('tab', { name: 'Organisations' }).click();
    await expectNoSeriousViolations(facilitator, 'Plan dialog, organisations');
    await plan.getByRole('tab', { name: 'Overview' }).click();
    await plan.getByRole('table').first().waitFor();
    await expectNoSeriousViolations(facilitator, 'Plan dialog, overview');
    await plan.getByRole('button', { name: 'Close', exact: true }).click();

    // The participant reads the same baseline.
    await participant.getByRole('button', { name: 'Plan…', exact: true }).click();
    const theirs = participant.getByRole('dialog', { name: 'Workshop plan' });
    await theirs.getByRole('button', { name: 'Baseline of Kotka' }).click();
    await theirs.getByText('A port town of 50 000 with a strong event scene.').waitFor();
    await theirs.getByText('62 €').waitFor();
    await expectNoSeriousViolations(participant, 'Plan dialog, read only');
  });

  it('an action’s partners are chosen from the municipalities and organisations, or typed freely', async () => {
    const [facilitator] = await e2e.twoPeople();
    await facilitator.getByRole('button', { name: 'Plan…', exact: true }).click();
    const plan = facilitator.getByRole('dialog', { name: 'Workshop plan' });
    await plan.getByRole('tab', { name: 'Organisations' }).click();
    await plan.getByRole('textbox', { name: 'New organisation' }).fill('Kotka Music Institute');
    await plan.getByRole('button', { name: 'Add organisation' }).click();
    await plan.getByRole('button', { name: 'Close', exact: true }).click();

    await facilitator.getByRole('tablist').first().getByRole('tab').nth(2).click();
    const partners = facilitator.getByRole('group', { name: `Partners: ${ACTION}` });
    const input = partners.getByRole('combobox');
    // Typing narrows the list to what matches, by municipality and organisation.
    await input.fill('kot');
    const list = facilitator.getByRole('listbox');
    await list.getByRole('option', { name: 'Kotka', exact: true }).waitFor();
    await list.getByRole('option', { name: 'Kotka Music Institute' }).waitFor();
    expect(await list.getByRole('option', { name: 'Lieksa' }).count()).toBe(0);
    await input.press('ArrowDown');
    await input.press('ArrowDown');
    await input.press('Enter');
    await partners.getByText('Kotka Music Institute', { exact: true }).waitFor();
    // A partner not in either list is typed and kept as it is.
    await input.fill('Local library');
    await input.press('Enter');
    await partners.getByText('Local library', { exact: true }).waitFor();
    // Pick a municipality, then take the library away again.
    await input.fill('Lieksa');
    await list.getByRole('option', { name: 'Lieksa', exact: true }).click();
    await partners.getByRole('button', { name: 'Remove Local library' }).click();
    await partners.getByText('Local library', { exact: true }).waitFor({ state: 'detached' });
    // What is typed and left (Tab away) is kept too.
    await input.fill('Youth council');
    await input.press('Tab');
    await partners.getByText('Youth council', { exact: true }).waitFor();
    const chips = (await partners.getByRole('listitem').allTextContents()).map((c) =>
      c.replace('×', '').trim(),
    );
    expect(chips).toEqual([
      'Association of Finnish Municipalities',
      'Kotka Music Institute',
      'Lieksa',
      'Youth council',
    ]);

    // The overview counts the action for Lieksa.
    await facilitator.getByRole('button', { name: 'Plan…', exact: true }).click();
    await plan.getByRole('tab', { name: 'Overview' }).click();
    const perMunicipality = plan.getByRole('table').nth(1);
    const lieksa = perMunicipality
      .getByRole('row')
      .filter({ has: facilitator.getByRole('rowheader', { name: 'Lieksa', exact: true }) });
    expect(await lieksa.getByRole('cell').first().textContent()).toBe('1');
    await expectNoSeriousViolations(facilitator, 'Plan dialog, overview with partners');
  });
});
