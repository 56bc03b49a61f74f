// A facilitator sees the links made for the workshop in the share dialog and revokes one (#10,
// finding 5): the participant using it is disconnected at once and told why; the list no longer
// shows it; the facilitator's own link is marked and cannot be revoked there.
import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { setUpE2E } from './setup';

const e2e = setUpE2E();
const REVOKED = 'this link was revoked. Ask your facilitator for a new one.';

/** True while `locator` has the keyboard focus. */
const focused = (locator: Locator): Promise<boolean> =>
  locator.evaluate((el) => el === document.activeElement);

describe('links made for a workshop', () => {
  it('the facilitator revokes the participant link after confirming, and the participant is cut off', async () => {
    const [alice, bob] = await e2e.twoPeople();
    await alice.getByRole('button', { name: 'Share', exact: true }).click();
    const dialog = alice.getByRole('dialog', { name: 'Invite people' });
    const list = dialog.getByRole('region', { name: 'Links made for this workshop' });
    const participantRow = list.getByRole('row').filter({ hasText: 'Participant' });
    await participantRow.waitFor();
    await expect(participantRow.textContent()).resolves.toContain('by you');
    await list.getByRole('row').filter({ hasText: 'The link you are using' }).waitFor();

    await participantRow.getByRole('button', { name: 'Revoke the Participant link (Participant)' }).click();
    // Nothing happens before the confirmation.
    expect(await bob.getByText(REVOKED).count()).toBe(0);
    await list
      .getByRole('group', { name: /Revoke this link\?/ })
      .getByRole('button', { name: 'Revoke link' })
      .click();

    await bob.getByText(REVOKED).first().waitFor();
    // Above the board, not only in the status bar: what Bob adds now stays on his device.
    await bob
      .getByRole('alert')
      .filter({ hasText: REVOKED })
      .filter({ hasText: 'Changes made here from now on are not sent.' })
      .waitFor();
    await participantRow.waitFor({ state: 'detached' });
  });

  it('works from the keyboard: focus goes into the dialog, to Cancel when asked to confirm, and back to where it was', async () => {
    const [alice, bob] = await e2e.twoPeople();
    const share = alice.getByRole('button', { name: 'Share', exact: true });
    await share.focus();
    await alice.keyboard.press('Enter');
    const dialog = alice.getByRole('dialog', { name: 'Invite people' });
    await expect.poll(() => focused(dialog)).toBe(true);
    const list = dialog.getByRole('region', { name: 'Links made for this workshop' });
    const revoke = list.getByRole('button', { name: 'Revoke the Participant link (Participant)' });
    const confirm = list.getByRole('group', { name: /Revoke this link\?/ });

    // Asked to confirm, the keyboard lands on Cancel; Escape answers no and goes back to Revoke.
    await revoke.focus();
    await alice.keyboard.press('Enter');
    await expect.poll(() => focused(confirm.getByRole('button', { name: 'Cancel' }))).toBe(true);
    await alice.keyboard.press('Escape');
    await confirm.waitFor({ state: 'detached' });
    expect(await dialog.count()).toBe(1);
    await expect.poll(() => focused(revoke)).toBe(true);

    // Revoked from the keyboard: the dialog says so, and Escape still closes it, back on Share.
    await alice.keyboard.press('Enter');
    await alice.keyboard.press('Shift+Tab');
    await expect.poll(() => focused(confirm.getByRole('button', { name: 'Revoke link' }))).toBe(true);
    await alice.keyboard.press('Enter');
    await bob.getByText(REVOKED).first().waitFor();
    await dialog
      .getByRole('status')
      .filter({ hasText: 'Revoked the Participant link (Participant).' })
      .waitFor();
    await alice.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => focused(share)).toBe(true);
  });
});
