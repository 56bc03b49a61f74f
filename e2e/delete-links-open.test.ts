// Deleting a workshop when the server could not record that its links are revoked (#14): the
// organiser is told that it was deleted and that its links still open its address, not that the
// delete failed, and not that its links no longer work.
import { mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectNoSeriousViolations } from './a11y';
import { setUpE2E } from './setup';

const e2e = setUpE2E();

describe('deleting a workshop whose links cannot be revoked', () => {
  it('says it was deleted but its links still open it, and the list no longer shows it', async () => {
    const headers = {
      Authorization: `Bearer ${e2e.web().organiserToken}`,
      'Content-Type': 'application/json',
    };
    await fetch(`${e2e.web().url}/api/workshops`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ title: 'Syysilta', language: 'fi' }),
    });
    const page = await (await e2e.browser().newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await page.goto(e2e.web().organiserLink);
    const list = page.getByRole('list', { name: 'Workshops on this server' });
    const item = list.getByRole('listitem').filter({ has: page.getByRole('link', { name: 'Syysilta' }) });
    await item.waitFor();

    // The link book can no longer be written: its file is a folder now.
    const book = join(e2e.web().dataDir, 'links.jsonl');
    renameSync(book, `${book}.away`);
    mkdirSync(book);

    await item.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete “Syysilta”?' });
    await dialog.getByRole('button', { name: 'Delete workshop' }).click();
    const deleted = page.getByRole('dialog', { name: 'Syysilta was deleted' });
    const said = deleted.getByRole('alert');
    await said.waitFor();
    expect(await said.textContent()).toBe(
      '“Syysilta” was deleted, but the server could not revoke its links: they still open its address until they expire.',
    );
    expect(await deleted.getByRole('button', { name: 'Delete workshop' }).count()).toBe(0);
    await expectNoSeriousViolations(page, 'delete workshop dialog, deleted with its links open');
    await deleted.getByRole('button', { name: 'Close' }).click();
    await item.waitFor({ state: 'detached' });
  });
});
