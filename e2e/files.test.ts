// Merge by file (#13): a .talkoo file carries its workshop's identity. Two facilitators, each on
// their own laptop (a desktop window with its own laptop host), edit the same workshop apart;
// one saves a file, the other opens it: one workshop with both sides' work. In a browser the same
// merge comes through the file input. Refused files change nothing.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addNote as addNoteToDoc,
  deleteAction,
  deleteNotes,
  readWorkshop,
  setWorkshopTitle,
} from '../shared';
import { decodeWorkshopFile, encodeWorkshopFile, type DecodedWorkshopFile } from '../shared/workshop-file';
import { expectNoSeriousViolations } from './a11y';
import { sendDesktopEvent } from './desktop-window';
import {
  addAction,
  addFromFile,
  createExample,
  EXAMPLE_TITLE,
  heading,
  openByMenu,
  saveCopy,
  setUpLaptops,
} from './laptops';
import { addNote, joinAs, lane, newWorkshop } from './people';
import { startWeb, type WebServer } from './web-server';

let web: WebServer;
beforeAll(async () => {
  // Builds dist/ (the desktop windows load its renderer) and serves the browser tests.
  web = await startWeb();
});
afterAll(async () => {
  await web?.stop();
});
const laptops = setUpLaptops('talkoo-files-e2e-');

const ownerOfWp1 = (page: Page) => page.getByRole('textbox', { name: /^Owner: WP1 Network coordination/ });
/** The room in a workshop page's address. */
const roomOf = (page: Page): string => /#\/w\/([^?]+)/.exec(page.url())?.[1] ?? '';

describe('two facilitators, each on their own laptop, merge by file', () => {
  it('adds an unknown workshop with its identity, then merges a later copy: both sides, nothing twice', async () => {
    const dir = laptops.dir();
    let aliceFile = join(dir, 'Vitality.talkoo');
    let bobChoice: string | null = aliceFile;
    const alice = (await laptops.laptop('alice', () => aliceFile)).page;
    const { page: bob, host: bobHost } = await laptops.laptop('bob', () => bobChoice);

    await createExample(alice, 'Alice');
    await saveCopy(alice, aliceFile);

    // Bob's laptop has never seen it: add it, or open a new copy.
    await bob.getByRole('button', { name: 'Open a workshop file…' }).click();
    const ask = bob.getByRole('dialog', { name: 'Add this workshop?' });
    await ask.getByText(/^“Vitality from Culture – .*” is not on this device yet\.$/).waitFor();
    await expectNoSeriousViolations(bob, 'the add-a-workshop dialog');
    await bob.screenshot({ path: '/tmp/files-add-en.png' });
    await ask.getByRole('button', { name: 'Cancel' }).click();
    await bob.getByRole('combobox', { name: 'Interface language' }).selectOption('fi');
    await bob.getByRole('button', { name: 'Avaa työpajatiedosto…' }).click();
    await bob.getByRole('dialog', { name: 'Lisätäänkö tämä työpaja?' }).waitFor();
    await bob.screenshot({ path: '/tmp/files-add-fi.png' });
    await bob.getByRole('button', { name: 'Peruuta' }).click();
    await bob.getByRole('combobox', { name: 'Käyttöliittymän kieli' }).selectOption('en');

    await addFromFile(bob, 'Bob');
    // The same workshop, on Bob's laptop: the same room name.
    expect(roomOf(bob)).toBe(roomOf(alice));
    expect(roomOf(bob)).toMatch(/^w-/);

    // Apart (each on their own laptop): a need and an action each side, and a field Bob changes.
    await addNote(alice, 'Culture towns', 'Alice wrote this apart');
    await addNote(bob, 'Culture towns', 'Bob wrote this apart');
    for (const page of [alice, bob]) await page.getByRole('tab', { name: 'Action planning' }).click();
    await addAction(alice, 'Alice’s mobile library');
    await ownerOfWp1(bob).fill('Bob’s office');
    await ownerOfWp1(bob).press('Enter');

    aliceFile = join(dir, 'Vitality again.talkoo');
    await saveCopy(alice, aliceFile);
    bobChoice = aliceFile;
    // The menu's Open… in the workshop: the file merges at once.
    await openByMenu(bob, 'Merged Vitality again.talkoo. New from it: 1 need and 1 action.');

    await bob.getByRole('textbox', { name: 'Action: Alice’s mobile library' }).waitFor();
    expect(await bob.getByRole('textbox', { name: 'Action: Alice’s mobile library' }).count()).toBe(1);
    expect(await ownerOfWp1(bob).inputValue()).toBe('Bob’s office');
    await bob.getByRole('tab', { name: 'Needs analysis' }).click();
    for (const text of ['Alice wrote this apart', 'Bob wrote this apart']) {
      expect(await lane(bob, 'Culture towns').getByRole('button', { name: text }).count()).toBe(1);
    }
    // The title as it was: neither side changed it.
    expect(await bob.getByRole('heading', { level: 1 }).textContent()).toBe(
      await alice.getByRole('heading', { level: 1 }).textContent(),
    );

    // One workshop on Bob's laptop, and the merge is in its room: a fresh window reads it there.
    const listed = await fetch(`${bobHost.status().url}/api/workshops`, {
      headers: { Authorization: `Bearer ${bobHost.status().organiserToken}` },
    });
    const { workshops } = (await listed.json()) as { workshops: { room: string }[] };
    expect(workshops.map((w) => w.room)).toEqual([roomOf(alice)]);
    const fresh = await laptops.window(bobHost, () => null);
    await fresh.getByRole('link', { name: EXAMPLE_TITLE }).click();
    await joinAs(fresh, 'Bob');
    await lane(fresh, 'Culture towns').getByRole('button', { name: 'Alice wrote this apart' }).waitFor();

    // The same file again brings nothing new, and duplicates nothing.
    await openByMenu(bob, 'Merged Vitality again.talkoo: it held nothing new.');
    expect(
      await lane(bob, 'Culture towns').getByRole('button', { name: 'Alice wrote this apart' }).count(),
    ).toBe(1);

    // Files that cannot be opened are refused with what is wrong, and change nothing.
    const good = readFileSync(aliceFile);
    const notesBefore = await lane(bob, 'Culture towns').getByRole('button').count();
    const damaged = Buffer.from(good);
    damaged[damaged.length - 20] = (damaged[damaged.length - 20] ?? 0) ^ 0xff;
    const newer = Buffer.from(good);
    newer.writeUInt16BE(2, 6);
    const decoded = decodeWorkshopFile(good);
    if (!decoded.ok) throw new Error(decoded.error.message);
    const newerSchema = encodeWorkshopFile(decoded.value.state, {
      ...decoded.value.header,
      schemaVersion: 99,
    });
    // A state of a newer schema behind a header that claims the current one.
    const newerDoc = new Y.Doc();
    Y.applyUpdate(newerDoc, decoded.value.state);
    newerDoc.getMap('meta').set('schemaVersion', 99);
    const newerState = encodeWorkshopFile(Y.encodeStateAsUpdate(newerDoc), decoded.value.header);
    const refusals: [string, Uint8Array, string][] = [
      ['Damaged.talkoo', damaged, 'The file is damaged and cannot be read. Nothing was changed.'],
      ['Cut.talkoo', good.subarray(0, good.length / 2), 'The file is incomplete: it ends too early.'],
      ['Newer.talkoo', newer, 'The file was saved by a newer version of Talkoo. Update Talkoo to open it.'],
      ['Newer schema.talkoo', newerSchema, 'The file was saved by a newer version of Talkoo.'],
      ['Newer state.talkoo', newerState, 'The file was saved by a newer version of Talkoo.'],
    ];
    for (const [name, bytes, message] of refusals) {
      bobChoice = join(dir, name);
      writeFileSync(bobChoice, bytes);
      await sendDesktopEvent(bob, { kind: 'menu', command: 'open' });
      const refused = bob.getByRole('dialog', { name: `Could not open ${name}` });
      await refused.getByRole('alert').filter({ hasText: message }).waitFor();
      if (name === 'Cut.talkoo') await bob.screenshot({ path: '/tmp/files-refused-en.png' });
      await refused.getByRole('button', { name: 'Close' }).click();
    }
    expect(await lane(bob, 'Culture towns').getByRole('button').count()).toBe(notesBefore);
    expect(roomOf(bob)).toBe(roomOf(alice));
  });
});

describe('in a browser', () => {
  /** A person's own browser on the web server, at `url`, named `name`. */
  async function person(url: string, name: string): Promise<Page> {
    const context = await laptops.newContext({
      viewport: { width: 1280, height: 720 },
      acceptDownloads: true,
    });
    const page = await context.newPage();
    await page.goto(url);
    await joinAs(page, name);
    await heading(page).waitFor();
    return page;
  }

  /** Chooses `bytes` as `name` in the file input that Open a workshop file… brings up. */
  async function openFile(page: Page, name: string, bytes: Uint8Array): Promise<void> {
    await page.getByRole('link', { name: 'Talkoo – all workshops' }).click();
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Open a workshop file…' }).click();
    await (
      await chooser
    ).setFiles({ name, mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) });
  }

  /** Save a copy… in a browser: the downloaded file, decoded. */
  async function downloadCopy(page: Page): Promise<DecodedWorkshopFile> {
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Save a copy…' }).click();
    const decoded = decodeWorkshopFile(readFileSync(await (await download).path()));
    if (!decoded.ok) throw new Error(decoded.error.message);
    return decoded.value;
  }

  /** The saved workshop as someone edits it elsewhere: needs written in its Culture towns lane. */
  function editedElsewhere(saved: DecodedWorkshopFile) {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, saved.state);
    const needs = readWorkshop(doc).boards.find((b) => b.kind === 'needs');
    const towns = needs?.lanes.find((l) => l.title === 'Culture towns');
    if (!needs || !towns) throw new Error('the example has no Culture towns lane');
    return {
      addNeed: (text: string) => addNoteToDoc(doc, needs.id, { text, laneId: towns.id }),
      /** The edited workshop as a file, under the saved file's header. */
      file: () => encodeWorkshopFile(Y.encodeStateAsUpdate(doc), saved.header),
    };
  }

  /**
   * A copy of the saved workshop with Culture towns' needs and its first action deleted and the
   * title 'Emptied', as a file; with what it removes.
   */
  function emptiedCopy(saved: DecodedWorkshopFile) {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, saved.state);
    const workshop = readWorkshop(doc);
    const towns = workshop.boards.flatMap((b) => b.lanes).find((l) => l.title === 'Culture towns');
    const gone = workshop.notes.filter((n) => n.laneId === towns?.id);
    const [action] = workshop.actions;
    if (gone.length < 2 || !action) throw new Error('the example has too few needs or no action');
    deleteNotes(
      doc,
      gone.map((n) => n.id),
    );
    deleteAction(doc, action.id);
    setWorkshopTitle(doc, 'Emptied');
    return { file: encodeWorkshopFile(Y.encodeStateAsUpdate(doc), saved.header), gone, action };
  }

  it('saves a download that names the workshop, and merges a copy edited elsewhere through the file input', async () => {
    const { facilitatorUrl, participantUrl } = await newWorkshop(web);
    const alice = await person(facilitatorUrl, 'Alice');
    const saved = await downloadCopy(alice);
    expect(saved.header).toMatchObject({ workshop: roomOf(alice), origin: web.url });

    // Anna's copy: the same workshop with a need she wrote elsewhere.
    const annas = editedElsewhere(saved);
    annas.addNeed('Anna wrote this elsewhere');

    await openFile(alice, 'Anna.talkoo', annas.file());
    await alice.getByRole('status').filter({ hasText: 'Merged Anna.talkoo. New from it: 1 need.' }).waitFor();
    await lane(alice, 'Culture towns').getByRole('button', { name: 'Anna wrote this elsewhere' }).waitFor();

    // A participant's file opens only as a copy (and a browser without an organiser makes none).
    const bob = await person(participantUrl, 'Bob');
    await lane(bob, 'Culture towns').getByRole('button', { name: 'Anna wrote this elsewhere' }).waitFor();
    const notesBefore = await lane(bob, 'Culture towns').getByRole('button').count();
    annas.addNeed('Only in the file');
    await openFile(bob, 'Anna 2.talkoo', annas.file());
    const ask = bob.getByRole('dialog', { name: 'Open as a new copy?' });
    await ask.getByText(/not as its facilitator/).waitFor();
    await ask.getByText(/Only an organiser can add workshops here/).waitFor();
    await expectNoSeriousViolations(bob, 'the participant’s file dialog');
    await ask.getByRole('button', { name: 'Cancel' }).click();
    await bob.goBack();
    await heading(bob).waitFor();
    expect(await lane(bob, 'Culture towns').getByRole('button').count()).toBe(notesBefore);
    expect(await bob.getByRole('button', { name: 'Only in the file' }).count()).toBe(0);
  });

  it('asks before merging a file that removes notes and renames the workshop; Cancel changes nothing, Merge then Undo brings them back', async () => {
    const { facilitatorUrl } = await newWorkshop(web);
    const alice = await person(facilitatorUrl, 'Alice');
    const { file, gone, action } = emptiedCopy(await downloadCopy(alice));
    /** How many of the needs the file removes show on the board. */
    const goneShown = async (): Promise<number> => {
      let shown = 0;
      for (const note of gone) shown += await alice.getByRole('button', { name: note.text }).count();
      return shown;
    };
    await lane(alice, 'Culture towns').waitFor();
    expect(await goneShown()).toBe(gone.length);

    await openFile(alice, 'Emptied.talkoo', file);
    const ask = alice.getByRole('dialog', { name: 'Merge Emptied.talkoo?' });
    await ask
      .getByText(
        `This file removes ${gone.length} needs and 1 action, and renames the workshop to “Emptied”.`,
      )
      .waitFor();
    await expectNoSeriousViolations(alice, 'the question before a merge that removes');
    await alice.screenshot({ path: '/tmp/files-merge-removes-en.png' });
    // Cancel is the default: Enter cancels, and nothing changed.
    await alice.keyboard.press('Enter');
    await ask.waitFor({ state: 'detached' });
    await heading(alice).waitFor();
    expect(await goneShown()).toBe(gone.length);

    await openFile(alice, 'Emptied.talkoo', file);
    await ask.getByRole('button', { name: 'Merge' }).click();
    const merged = alice
      .getByRole('status')
      .filter({ hasText: 'Merged Emptied.talkoo: it held nothing new.' });
    await merged.waitFor();
    await alice.getByRole('heading', { level: 1, name: 'Emptied' }).waitFor();
    expect(await goneShown()).toBe(0);

    // Undo takes the whole merge back: the needs, the action and the title.
    await merged.getByRole('button', { name: 'Undo' }).click();
    await heading(alice).waitFor();
    await lane(alice, 'Culture towns').waitFor();
    expect(await goneShown()).toBe(gone.length);
    await alice.getByRole('tab', { name: 'Action planning' }).click();
    await alice.getByRole('textbox', { name: `Action: ${action.title}` }).waitFor();
  });

  it('takes a merge back with Ctrl+Z right after it, as one step', async () => {
    const { facilitatorUrl } = await newWorkshop(web);
    const alice = await person(facilitatorUrl, 'Alice');
    const { file, gone } = emptiedCopy(await downloadCopy(alice));
    const [first] = gone;
    if (!first) throw new Error('no need removed');
    const removed = alice.getByRole('button', { name: first.text });

    await openFile(alice, 'Emptied.talkoo', file);
    await alice
      .getByRole('dialog', { name: 'Merge Emptied.talkoo?' })
      .getByRole('button', { name: 'Merge' })
      .click();
    await alice.getByRole('heading', { level: 1, name: 'Emptied' }).waitFor();
    expect(await removed.count()).toBe(0);
    await alice.keyboard.press('Control+z');
    await heading(alice).waitFor();
    await removed.waitFor();
  });

  it('keeps a note being typed when a file opens another workshop: the text is written into its note', async () => {
    const other = await newWorkshop(web);
    const mine = await newWorkshop(web);
    const alice = await person(other.facilitatorUrl, 'Alice');
    const otherRoom = roomOf(alice);
    const copy = editedElsewhere(await downloadCopy(alice));
    copy.addNeed('From the other workshop');
    const bytes = [...copy.file()];
    // The same person on this device: no name asked again.
    await alice.goto(mine.facilitatorUrl);
    await alice.waitForURL((url) => !url.hash.includes(otherRoom));
    await alice.getByRole('button', { name: 'Add note to Culture towns' }).click();
    await alice.getByRole('textbox', { name: 'Note text' }).fill('Half a thought');

    const transfer = await alice.evaluateHandle((data) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(data)], 'Other.talkoo'));
      return dt;
    }, bytes);
    await alice.dispatchEvent('body', 'drop', { dataTransfer: transfer });
    await alice
      .getByRole('status')
      .filter({ hasText: 'Merged Other.talkoo. New from it: 1 need.' })
      .waitFor();
    expect(roomOf(alice)).toBe(otherRoom);

    // Back in the workshop being typed in: the text is its note's.
    await alice.goBack();
    await alice.waitForURL((url) => !url.hash.includes(otherRoom));
    await lane(alice, 'Culture towns').getByRole('button', { name: 'Half a thought' }).waitFor();
  });

  it('opens a .talkoo file dropped on the window, showing where to drop it while dragging', async () => {
    const { facilitatorUrl } = await newWorkshop(web);
    const alice = await person(facilitatorUrl, 'Alice');
    const copy = editedElsewhere(await downloadCopy(alice));
    copy.addNeed('Dropped in');
    const bytes = [...copy.file()];

    const transfer = await alice.evaluateHandle((data) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(data)], 'Dropped.talkoo'));
      return dt;
    }, bytes);
    await alice.dispatchEvent('body', 'dragenter', { dataTransfer: transfer });
    await alice.getByText('Drop a .talkoo file to open it').waitFor();
    await alice.screenshot({ path: '/tmp/files-drop-en.png' });
    await alice.dispatchEvent('body', 'drop', { dataTransfer: transfer });
    await alice
      .getByRole('status')
      .filter({ hasText: 'Merged Dropped.talkoo. New from it: 1 need.' })
      .waitFor();
    await lane(alice, 'Culture towns').getByRole('button', { name: 'Dropped in' }).waitFor();
    expect(await alice.getByText('Drop a .talkoo file to open it').count()).toBe(0);
  });
});
