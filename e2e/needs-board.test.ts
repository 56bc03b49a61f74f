import { describe, expect, it } from 'vitest';
import { addNote, goOffline, lane } from './people';
import { setUpE2E } from './setup';

const e2e = setUpE2E();

const twoPeople = e2e.twoPeople;

describe('needs analysis with two participants', () => {
  it('a note added by one appears for the other within a second', async () => {
    const [alice, bob] = await twoPeople();
    await addNote(alice, 'Culture towns', 'A shared booking calendar for venues');
    await lane(bob, 'Culture towns')
      .getByRole('button', { name: 'A shared booking calendar for venues' })
      .waitFor({ timeout: 1000 });
  });

  it('a lane rename reaches the other', async () => {
    const [alice, bob] = await twoPeople();
    await alice.getByRole('button', { name: 'Rename group Culture towns' }).click();
    const input = alice.getByRole('textbox', { name: 'Group name' });
    await input.fill('Culture towns and cities');
    await input.press('Enter');
    await lane(bob, 'Culture towns and cities').waitFor({ timeout: 1000 });
    // Lanes are the facilitator's: a participant is offered no rename.
    expect(await bob.getByRole('button', { name: /^Rename group/ }).count()).toBe(0);
  });

  it('a note dragged to another lane moves there for both', async () => {
    const [alice, bob] = await twoPeople();
    const text = 'Arts education reaches too few rural children';
    await addNote(alice, 'Culture towns', text);
    const note = lane(alice, 'Culture towns').getByRole('button', { name: text });
    const target = alice.getByRole('button', { name: 'Add note to Universities' });
    await note.dragTo(target);
    await lane(bob, 'Universities').getByRole('button', { name: text }).waitFor({ timeout: 1000 });
    expect(await lane(bob, 'Culture towns').getByRole('button', { name: text }).count()).toBe(0);
  });

  it('notes selected with a Shift-drag rectangle move together to another lane, for both', async () => {
    const [alice, bob] = await twoPeople();
    const notes = lane(alice, 'Culture towns').getByRole('listitem');
    const [first, second] = [notes.nth(0), notes.nth(1)];
    // A note's accessible name is its text (the card may show a tag and dots besides, which
    // describe it): the button's first text.
    const nameOf = (note: typeof first): Promise<string> =>
      note
        .getByRole('button')
        .first()
        .evaluate((body) => body.firstChild?.textContent ?? '');
    const texts = [await nameOf(first), await nameOf(second)];
    const canvas = (await alice.getByRole('region', { name: 'Needs analysis' }).boundingBox())!;
    const a = (await first.boundingBox())!;
    const b = (await second.boundingBox())!;
    // From empty space left of the lanes, down across the first two notes of the first lane.
    await alice.keyboard.down('Shift');
    await alice.mouse.move(canvas.x + 6, a.y + 10);
    await alice.mouse.down();
    await alice.mouse.move(a.x + 20, (a.y + b.y) / 2, { steps: 4 });
    await alice.mouse.move(a.x + 20, b.y + 10, { steps: 4 });
    await alice.mouse.up();
    await alice.keyboard.up('Shift');
    // A selected note's button is pressed.
    const pressed = (note: typeof first) => note.getByRole('button').first().getAttribute('aria-pressed');
    await expect.poll(() => pressed(first)).toBe('true');
    expect(await pressed(second)).toBe('true');
    expect(await pressed(notes.nth(2))).toBe('false');

    await first.dragTo(alice.getByRole('button', { name: 'Add note to Universities' }));
    for (const text of texts) {
      await lane(bob, 'Universities').getByRole('button', { name: text }).waitFor({ timeout: 1000 });
      expect(await lane(bob, 'Culture towns').getByRole('button', { name: text }).count()).toBe(0);
    }

    // Ctrl+A on the board selects every note on it.
    const board = alice.getByRole('region', { name: 'Needs analysis' });
    await board.focus();
    await alice.keyboard.press('Control+A');
    const cards = board.getByRole('listitem').filter({ has: alice.getByRole('button') });
    await expect.poll(() => board.getByRole('button', { pressed: true }).count()).toBe(await cards.count());
  });

  it("undo in one context leaves the other's notes alone", async () => {
    const [alice, bob] = await twoPeople();
    await addNote(bob, 'Culture towns', "Bob's note stays");
    await addNote(alice, 'Culture towns', "Alice's note goes");
    await lane(alice, 'Culture towns').getByRole('button', { name: "Bob's note stays" }).waitFor();
    await alice.getByRole('button', { name: 'Undo' }).click();
    await lane(bob, 'Culture towns')
      .getByRole('button', { name: "Alice's note goes" })
      .waitFor({ state: 'detached' });
    expect(
      await lane(alice, 'Culture towns').getByRole('button', { name: "Alice's note goes" }).count(),
    ).toBe(0);
    expect(await lane(alice, 'Culture towns').getByRole('button', { name: "Bob's note stays" }).count()).toBe(
      1,
    );
    expect(await lane(bob, 'Culture towns').getByRole('button', { name: "Bob's note stays" }).count()).toBe(
      1,
    );
  });

  it('deleting a note offers Undo, which brings it back for everyone', async () => {
    const [alice, bob] = await twoPeople();
    await addNote(alice, 'Culture towns', 'Delete me, then undo');
    await lane(alice, 'Culture towns').getByRole('button', { name: 'Delete me, then undo' }).click();
    await alice.keyboard.press('Delete');
    await lane(bob, 'Culture towns')
      .getByRole('button', { name: 'Delete me, then undo' })
      .waitFor({ state: 'detached' });
    await alice.getByRole('status').getByRole('button', { name: 'Undo' }).click();
    await lane(bob, 'Culture towns')
      .getByRole('button', { name: 'Delete me, then undo' })
      .waitFor({ timeout: 1000 });
  });

  it('a CSV with one bad row reports that row and imports nothing until confirmed', async () => {
    const [alice, bob] = await twoPeople();
    const csv = [
      'text,stakeholder,municipality',
      'Residencies need affordable housing,Culture towns,Ruovesi',
      'A typo in the group,Culture tows,',
      'Students want a say in the programme,Universities,',
    ].join('\n');
    await alice.getByRole('button', { name: 'Import from CSV' }).click();
    const dialog = alice.getByRole('dialog', { name: 'Import needs from a CSV file' });
    await dialog
      .getByLabel(/^CSV file/)
      .setInputFiles({ name: 'needs.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await dialog
      .getByRole('alert')
      .getByText('Line 3: “Culture tows” is not a stakeholder group of this board')
      .waitFor();
    expect(await dialog.getByRole('row').count()).toBe(3); // header + two good rows
    // Nothing is in the workshop yet, for anyone.
    expect(await bob.getByRole('button', { name: 'Residencies need affordable housing' }).count()).toBe(0);
    expect(await alice.getByRole('button', { name: 'Residencies need affordable housing' }).count()).toBe(0);

    await dialog.getByRole('button', { name: 'Import 2 notes' }).click();
    await lane(bob, 'Culture towns')
      .getByRole('button', { name: 'Residencies need affordable housing' })
      .waitFor({ timeout: 1000 });
    await lane(bob, 'Universities')
      .getByRole('button', { name: 'Students want a say in the programme' })
      .waitFor();
    expect(await bob.getByRole('button', { name: 'A typo in the group' }).count()).toBe(0);
  });

  it('offline edits are counted in the status bar and reach the other once back online', async () => {
    const [alice, bob] = await twoPeople();
    await goOffline(alice);
    await addNote(alice, 'Culture towns', 'Written on the train');
    await alice
      .getByRole('status')
      .filter({ hasText: /changes? not yet saved/ })
      .waitFor();
    expect(await bob.getByRole('button', { name: 'Written on the train' }).count()).toBe(0);
    await alice.context().setOffline(false);
    await lane(bob, 'Culture towns')
      .getByRole('button', { name: 'Written on the train' })
      .waitFor({ timeout: 15_000 });
    await alice
      .getByRole('status')
      .filter({ hasText: /^Online · all changes saved$/ })
      .waitFor({ timeout: 15_000 });
  });

  it('the outline lists every note and moves one to another lane by keyboard', async () => {
    const [alice, bob] = await twoPeople();
    await alice.getByRole('button', { name: 'Show outline' }).click();
    const outline = alice.getByRole('navigation', { name: 'Outline' });
    const move = outline.getByRole('combobox', {
      name: /^Move “Small towns lack staff to write EU funding applications” to/,
    });
    await move.focus();
    await move.selectOption({ label: 'Universities' });
    await lane(bob, 'Universities')
      .getByRole('button', { name: 'Small towns lack staff to write EU funding applications' })
      .waitFor({ timeout: 1000 });
  });

  it('the outline selects several notes with the keyboard and moves them together', async () => {
    const [alice, bob] = await twoPeople();
    await alice.getByRole('button', { name: 'Show outline' }).click();
    const outline = alice.getByRole('navigation', { name: 'Outline' });
    const texts = [
      'Small towns lack staff to write EU funding applications',
      'Annual seminar rotating between member towns',
    ];
    for (const text of texts) {
      const box = outline.getByRole('checkbox', { name: `Select “${text}”` });
      await box.focus();
      await alice.keyboard.press('Space');
      expect(await box.isChecked()).toBe(true);
    }
    await outline.getByText('2 selected').waitFor();
    // The canvas shows the same selection.
    for (const text of texts) {
      const card = lane(alice, 'Culture towns').getByRole('listitem').filter({ hasText: text });
      expect(await card.getByRole('button').first().getAttribute('aria-pressed')).toBe('true');
    }
    const moveAll = outline.getByRole('combobox', { name: 'Move the selected notes to…' });
    await moveAll.focus();
    await moveAll.selectOption({ label: 'National partners' });
    for (const text of texts) {
      await lane(bob, 'National partners').getByRole('button', { name: text }).waitFor({ timeout: 1000 });
    }
    expect(await lane(bob, 'Culture towns').getByRole('button', { name: texts[0] }).count()).toBe(0);
  });

  it('a long lane: screen readers find every note, and a note deleted above leaves an open editor alone', async () => {
    const [alice, bob] = await twoPeople();
    const lines = Array.from({ length: 120 }, (_, i) => `Long lane note ${i + 1}`);
    await alice.evaluate((text) => {
      const data = new DataTransfer();
      data.setData('text/plain', text);
      window.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data }));
    }, lines.join('\n'));
    // So many lines are asked about first (board-polish.test.ts).
    await alice
      .getByRole('dialog', { name: 'Add 120 notes?' })
      .getByRole('button', { name: 'Add 120 notes' })
      .click();
    await lane(alice, 'Culture towns').getByRole('button', { name: lines[119] }).waitFor();

    // Bob opens the board afresh: its first frame lays out only what is on the screen, and the
    // rest follows while the browser is idle. Chromium's accessibility tree then has every note.
    await bob.reload();
    const notes = lane(bob, 'Culture towns').getByRole('listitem');
    await notes.filter({ hasText: lines[119] }).waitFor();
    const count = await notes.count();
    expect(count).toBeGreaterThan(120);
    const cdp = await bob.context().newCDPSession(bob);
    const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
    const listItemsForScreenReaders = async (): Promise<number> => {
      const { nodes: lists } = await cdp.send('Accessibility.queryAXTree', {
        backendNodeId: root.backendNodeId,
        accessibleName: 'Culture towns',
        role: 'list',
      });
      const list = lists[0]?.backendDOMNodeId;
      if (list === undefined) return 0;
      const { nodes } = await cdp.send('Accessibility.queryAXTree', {
        backendNodeId: list,
        role: 'listitem',
      });
      return nodes.filter((node) => !node.ignored).length;
    };
    await expect.poll(listItemsForScreenReaders, { timeout: 5000 }).toBe(count);

    // Bob edits the 26th note; Alice deletes the first. Every note below moves up one place, and
    // Bob's editor stays open with what he typed.
    const edited = notes.nth(25).getByRole('button').first();
    // The note's text is the button's first text (its author's initials and tag describe it).
    const text = await edited.evaluate((el) => el.firstChild?.textContent ?? '');
    await edited.focus();
    await bob.keyboard.press('Enter');
    const editor = bob.getByRole('textbox', { name: 'Note text' });
    await editor.press('End');
    await editor.pressSequentially(', edited');
    await lane(alice, 'Culture towns').getByRole('listitem').first().getByRole('button').click();
    await alice.keyboard.press('Delete');
    await expect.poll(() => notes.count()).toBe(count - 1);
    expect(await editor.inputValue()).toBe(`${text}, edited`);
    await bob.keyboard.press('Enter');
    await lane(alice, 'Culture towns')
      .getByRole('button', { name: `${text}, edited` })
      .waitFor({ timeout: 1000 });
  });

  it('someone moving the note I am editing to another lane keeps my editor and what I typed', async () => {
    const [alice, bob] = await twoPeople();
    const text = 'Small towns lack staff to write EU funding applications';
    await lane(bob, 'Culture towns').getByRole('button', { name: text }).dblclick();
    const editor = bob.getByRole('textbox', { name: 'Note text' });
    await editor.press('End');
    await editor.pressSequentially(' and');
    const note = lane(alice, 'Culture towns').getByRole('button', { name: text });
    await note.dragTo(alice.getByRole('button', { name: 'Add note to Universities' }));
    await lane(bob, 'Universities').getByRole('textbox', { name: 'Note text' }).waitFor({ timeout: 1000 });
    await bob.keyboard.type(' reporting');
    await bob.keyboard.press('Enter');
    await lane(alice, 'Universities')
      .getByRole('button', { name: `${text} and reporting` })
      .waitFor({ timeout: 1000 });
  });
});
