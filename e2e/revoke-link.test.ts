// A facilitator sees the links made for the workshop in the share dialog and revokes one (#10,
// finding 5): the participant using it is disconnected at once and told why; the list no longer
// shows it; the facilitator's own link is marked and cannot be revoked there.
import { describe, expect, it } from 'vitest';
import { setUpE2E } from './setup';

const e2e = setUpE2E();
const REVOKED = 'this link was revoked. Ask your facilitator for a new one.';

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
    await participantRow.waitFor({ state: 'detached' });
  });
});
