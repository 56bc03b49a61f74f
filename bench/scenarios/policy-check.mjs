// policy-check: what judging one participant's update by the role policy costs (#11), beside what
// applying it costs. Since #11 our server runs, for every update a participant sends,
// describeUpdate (shared/policy/changes.ts) and judgeUpdate over a workshopView
// (shared/policy/policy.ts, view.ts) before Y.applyUpdate (collab-server/rooms/facilitation.ts
// `check`). This times the two apart, in one process, on typical updates:
//   - a keystroke: one character typed into a note's text (setNoteText, a minimal edit);
//   - a new note by the participant (addNote, its author their identity);
//   - a move: a note's x and y (moveNote);
// each made by a participant's replica of the workshop and taken from its 'update' event. The
// workshop is written through shared/model/write.ts: three boards, four lanes, 1,000 or 5,000
// notes by 25 people (each note its own transaction, so the document holds many clients' items,
// as a real one does). Per update, as the server does it: check against the document as it
// stands, then apply; the next update builds on it. 200 updates of each kind after 50 not timed;
// reported as medians (µs) and check ÷ apply. Y.applyUpdate here has no observers, where the
// server's room also relays, counts and stores the update: the ratio overstates the check's share
// of the server's work per update. No target: the server figures (server-*) carry #11's.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as Y from 'yjs';
import { log, median, percentile, sorted } from '../lib/harness.mjs';
import { NODE_BUNDLE } from '../lib/node-bundle.mjs';
import { figure } from '../lib/report.mjs';

export const summary = 'the role policy per participant update (keystroke, new note, move) vs Y.applyUpdate';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outfile = join(root, 'bench', '.build', 'policy.mjs');

const SOURCE = `
export { describeUpdate } from './shared/policy/changes.ts';
export { judgeUpdate } from './shared/policy/policy.ts';
export { workshopView } from './shared/policy/view.ts';
export { addLane, addNote, createWorkshop, moveNote, setNoteText, TEMPLATE_BOARD_IDS } from './shared/model/write.ts';
`;

const SIZES = [1000, 5000];
const PEOPLE = 25;
const WARMUP = 50;
const TIMED = 200;
const ME = 'participant-bench';

/** A small deterministic pseudo-random generator (LCG), so runs are comparable. */
function generator(seed) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const WORDS = 'kirjasto nuoret kyläyhdistys rahoitus tapahtumat kuljetus kulttuuri tilat yhteistyö'.split(
  ' ',
);

function sentence(random, words) {
  return Array.from({ length: words }, () => WORDS[Math.floor(random() * WORDS.length)]).join(' ');
}

/** The workshop of `notes` notes: written by a facilitator, its notes by PEOPLE participants. */
function workshop(p, notes, random) {
  const main = new Y.Doc();
  p.createWorkshop(main, {
    title: 'Bench workshop',
    language: 'fi',
    boardTitles: { needs: 'Tarpeet', themes: 'Teemat', actions: 'Toimenpiteet' },
    created: '2026-12-06T06:00:00.000Z',
  });
  const board = p.TEMPLATE_BOARD_IDS.needs;
  const lanes = ['A', 'B', 'C', 'D'].map((title, i) => p.addLane(main, board, title, `lane-${i}`));
  for (let person = 0; person < PEOPLE; person++) {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(main));
    for (let i = person; i < notes; i += PEOPLE) {
      p.addNote(doc, board, {
        id: `note-${String(i).padStart(5, '0')}`,
        text: sentence(random, 5 + Math.floor(random() * 20)),
        author: `person-${person}`,
        laneId: lanes[i % lanes.length],
        x: Math.round(random() * 4000),
        y: Math.round(random() * 3000),
      });
    }
    Y.applyUpdate(main, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(main)));
    doc.destroy();
  }
  return { main, board };
}

/**
 * Times `count` updates made by `edit(mine, i)` on the participant's replica: per update the
 * check (describeUpdate + judgeUpdate) against `main`, then Y.applyUpdate to `main`. Resolves
 * with the times in µs of the last `count − warmup`.
 */
function timeUpdates(p, main, mine, edit, { warmup, count }) {
  const subject = { role: 'participant', id: ME, authorKey: 'bench-author-key' };
  const updates = [];
  const take = (u) => updates.push(u);
  mine.on('update', take);
  const check = [];
  const apply = [];
  try {
    for (let i = 0; i < warmup + count; i++) {
      updates.length = 0;
      edit(mine, i);
      if (updates.length !== 1) throw new Error(`the edit made ${updates.length} updates, not 1`);
      const update = updates[0];
      const begun = performance.now();
      const refused = p.judgeUpdate(subject, p.workshopView(main), p.describeUpdate(main, update));
      const checked = performance.now();
      Y.applyUpdate(main, update);
      const applied = performance.now();
      if (refused) throw new Error(`the policy refused a bench update: ${refused.code} at ${refused.path}`);
      if (i >= warmup) {
        check.push((checked - begun) * 1000);
        apply.push((applied - checked) * 1000);
      }
    }
  } finally {
    mine.off('update', take);
  }
  return { check, apply };
}

function rows(label, { check, apply }) {
  const c = median(check);
  const a = median(apply);
  return [
    figure(`${label}: check (describeUpdate + judgeUpdate), median`, c, 'µs'),
    figure(`${label}: check, p99`, percentile(sorted(check), 99), 'µs'),
    figure(`${label}: Y.applyUpdate, median`, a, 'µs'),
    figure(`${label}: check ÷ apply (medians)`, c / a, '×'),
  ];
}

export async function run() {
  await build({
    stdin: { contents: SOURCE, resolveDir: root, sourcefile: 'policy-entry.ts', loader: 'ts' },
    outfile,
    ...NODE_BUNDLE,
  });
  const p = await import(pathToFileURL(outfile).href);
  const result = [];
  for (const size of SIZES) {
    const random = generator(size);
    const { main, board } = workshop(p, size, random);
    const mine = new Y.Doc();
    Y.applyUpdate(mine, Y.encodeStateAsUpdate(main));
    const noteIds = [...mine.getMap('notes').keys()];
    const anyNote = () => noteIds[Math.floor(random() * noteIds.length)];
    const kinds = {
      keystroke: (doc) => {
        const id = anyNote();
        const text = doc.getMap('notes').get(id).get('text').toString();
        const at = Math.floor(random() * (text.length + 1));
        p.setNoteText(doc, id, `${text.slice(0, at)}a${text.slice(at)}`);
      },
      'new note': (doc, i) => {
        p.addNote(doc, board, {
          text: sentence(random, 6),
          author: ME,
          laneId: `lane-${i % 4}`,
          x: Math.round(random() * 4000),
          y: Math.round(random() * 3000),
        });
      },
      move: (doc) => p.moveNote(doc, anyNote(), Math.round(random() * 4000), Math.round(random() * 3000)),
    };
    log(
      `  ${size} notes: ${Y.encodeStateAsUpdate(main).byteLength} bytes, ${main.store.clients.size} clients`,
    );
    for (const [kind, edit] of Object.entries(kinds)) {
      const times = timeUpdates(p, main, mine, edit, { warmup: WARMUP, count: TIMED });
      log(
        `  ${size} notes, ${kind}: check ${median(times.check).toFixed(1)} µs, ` +
          `apply ${median(times.apply).toFixed(1)} µs (medians of ${TIMED})`,
      );
      result.push(...rows(`${size.toLocaleString('en')} notes, ${kind}`, times));
    }
    main.destroy();
    mine.destroy();
  }
  return result;
}
