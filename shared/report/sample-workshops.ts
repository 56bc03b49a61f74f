/**
 * Workshops for export tests and benchmarks: every shipped example as a snapshot, and a hostile
 * one that holds what real pastes and bad days bring (control characters from spreadsheets,
 * formula-like cells, emoji, quotes, markup, 5,000-character texts, missing owners and dates, a
 * theme without needs, an action linked to a deleted theme). Pure: builds Y.Docs in memory.
 */
import * as Y from 'yjs';
import { EXAMPLE_NAMES, EXAMPLE_OUTLINES, type ExampleName } from '../examples';
import type { ActionId, LaneId, ParticipantId, RoundId, ThemeId } from '../ids';
import { importOutline, parseOutline } from '../outline/outline';
import { readWorkshop } from '../model/read';
import type { Workshop } from '../model/schema';
import {
  addAction,
  addLane,
  addVote,
  addNote,
  createTheme,
  createWorkshop,
  deleteTheme,
  moveNoteToTheme,
  openVoteRound,
  setMunicipalities,
  setRoundState,
  TEMPLATE_BOARD_IDS,
  upsertParticipant,
} from '../model/write';
import {
  addFundingSource,
  addMunicipality,
  addObjective,
  addWorkPackage,
  alignAction,
  setActionPackage,
  setCostShare,
  setCostShareMethod,
  setPlanBudget,
  setStatusName,
  splitBudget,
} from '../model/plan';

/** A fixed creation time, so documents built here are the same every run. */
const CREATED = '2026-01-15T09:00:00.000Z';

/** The example `name` imported into a fresh document. */
export function exampleDoc(name: ExampleName): Y.Doc {
  const parsed = parseOutline(EXAMPLE_OUTLINES[name]);
  if (!parsed.ok) throw new Error(`example ${name} does not parse: ${parsed.error[0]?.message ?? ''}`);
  const doc = new Y.Doc();
  importOutline(doc, parsed.value, CREATED);
  return doc;
}

/** Every shipped example as a workshop snapshot, by name. */
export function exampleWorkshops(): { readonly name: ExampleName; readonly workshop: Workshop }[] {
  return EXAMPLE_NAMES.map((name) => ({ name, workshop: readWorkshop(exampleDoc(name)) }));
}

/** Every control character a paste can bring: C0 (but NUL), DEL, C1, and the Unicode separators. */
export const CONTROL_CHARACTERS =
  '\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000b\u000c\u000e\u000f\u0010\u0011\u0012\u0013' +
  '\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f\u007f\u0085\u0090\u009f' +
  '\u2028\u2029\u0000';

/** Texts that start like spreadsheet formulas or commands. */
export const FORMULA_LIKE = [
  '=HYPERLINK("http://example.invalid","click")',
  '+1+1',
  '-2+3',
  '@SUM(1,2)',
  '=1+1',
] as const;

/** A text of `length` characters with words, for layout tests. */
export function longText(length: number): string {
  const words = 'Kulttuurihyvinvointisuunnitelman toteutuminen vaatii yhteistyötä kuntien välillä ja';
  let text = '';
  while (text.length < length) text += `${words} `;
  return text.slice(0, length);
}

/**
 * A workshop built to break exporters: every text field holds control characters, formula-like
 * starts, emoji, quotes and markup; one need and one action are 5,000 characters long; one action
 * has no owner, no dates, no funding; one is linked only to a theme deleted afterwards; one theme
 * has no needs; one note has no stakeholder group.
 */
export function hostileDoc(): Y.Doc {
  const doc = new Y.Doc();
  createWorkshop(doc, {
    title: `Työpaja ${CONTROL_CHARACTERS} "lainaus" ‘quote’ <b>&amp;</b> 🎭`,
    language: 'fi',
    boardTitles: { needs: 'Tarpeet', themes: 'Teemat', actions: 'Toimenpiteet' },
    created: CREATED,
  });
  const board = TEMPLATE_BOARD_IDS.needs;
  const lane = 'lane-a' as LaneId;
  addLane(doc, board, `=Kunnat${CONTROL_CHARACTERS}`, lane);
  addLane(doc, board, '@Yhdistykset | *tähti* _alaviiva_ # otsikko', 'lane-b' as LaneId);
  setMunicipalities(doc, board, ['Mikkeli', '+Savonlinna']);
  const facilitator = 'p-facilitator' as ParticipantId;
  upsertParticipant(doc, facilitator, {
    name: 'Aino "Fasilitaattori" 🎻',
    colour: '#1D5FD1',
    role: 'facilitator',
  });
  const notes = [
    addNote(doc, board, {
      text: `Tarve${CONTROL_CHARACTERS}loppu`,
      laneId: lane,
      municipality: 'Mikkeli',
      author: facilitator,
    }),
    addNote(doc, board, {
      text: FORMULA_LIKE.join('\n'),
      laneId: 'lane-b' as LaneId,
      municipality: '+Savonlinna',
    }),
    addNote(doc, board, {
      text: `🎭🎻 👩🏽‍🎨 "lainaus" ‘quote’ „citat” <script>alert(1)</script> | a | b |`,
      laneId: null,
    }),
    addNote(doc, board, { text: longText(5000), laneId: lane }),
  ].filter((id) => id !== null);
  const theme = createTheme(doc, { title: `=Teema${CONTROL_CHARACTERS} 🎭`, id: 'theme-a' as ThemeId });
  createTheme(doc, { title: 'Teema ilman tarpeita', id: 'theme-empty' as ThemeId });
  const doomed = createTheme(doc, { title: 'Poistettu teema', id: 'theme-doomed' as ThemeId });
  notes.slice(0, 3).forEach((id, i) => moveNoteToTheme(doc, id, theme, i));
  const round = 'round-1' as RoundId;
  openVoteRound(doc, { id: round, target: 'notes', dotsPerPerson: 0 });
  if (notes[0]) addVote(doc, round, facilitator, notes[0], 3);
  setRoundState(doc, round, 'revealed');
  addAction(doc, {
    id: 'act-hostile' as ActionId,
    title: `${FORMULA_LIKE[0]}${CONTROL_CHARACTERS} 🎭`,
    description: `Kuvaus\u000bjatkuu\u000crivillä "lainaus" <i>kursiivi</i>`,
    themeIds: [theme],
    owner: '@Omistaja',
    partners: ['-Kumppani', '=Kunta', `Tab\there`],
    start: '2026-01',
    end: '2027-06',
    budgetCents: 1_234_550,
    funding: '+Rahoittaja',
    indicator: `-Mittari${CONTROL_CHARACTERS}`,
    status: 'ongoing',
  });
  addAction(doc, { id: 'act-empty' as ActionId, title: '', themeIds: [] });
  addAction(doc, {
    id: 'act-long' as ActionId,
    title: longText(5000),
    description: longText(5000),
    themeIds: [doomed],
    owner: longText(300),
    start: '2026-03',
    end: '2026-03',
    budgetCents: 99,
    funding: 'Kunta',
    indicator: longText(2000),
    status: 'done',
  });
  deleteTheme(doc, doomed);
  return doc;
}

/** The hostile workshop as a snapshot. */
export function hostileWorkshop(): Workshop {
  return readWorkshop(hostileDoc());
}

/**
 * A plan as Elinvoimaa kulttuurista keeps one (in Finnish): three municipalities with their
 * populations and baselines, funding sources (the municipalities' one marked municipal), two work
 * packages with owners, strategy objectives, actions split 80/20 between the ministry's grant and
 * the municipalities, a renamed status, a budget range of 475–525 k€ and the municipal share
 * split by population among the three.
 */
export function planDoc(): Y.Doc {
  const doc = new Y.Doc();
  createWorkshop(doc, {
    title: 'Elinvoimaa kulttuurista',
    language: 'fi',
    boardTitles: { needs: 'Tarpeet', themes: 'Teemat', actions: 'Toimenpiteet' },
    created: CREATED,
  });
  const board = TEMPLATE_BOARD_IDS.needs;
  addLane(doc, board, 'Nuoret', 'lane-youth' as LaneId);
  addLane(doc, board, 'Yhdistykset', 'lane-assoc' as LaneId);
  const mikkeli = addMunicipality(doc, 'Mikkeli', {
    population: 52_000,
    baseline: 'Kulttuuripalvelut keskittyvät keskustaan.',
    indicators: [{ label: 'Kulttuurimenot €/asukas', value: '41' }],
  });
  const savonlinna = addMunicipality(doc, 'Savonlinna', { population: 32_000 });
  const pieksamaki = addMunicipality(doc, 'Pieksämäki', { population: 16_000 });
  addFundingSource(doc, 'Opetus- ja kulttuuriministeriö');
  addFundingSource(doc, 'Kunnat', true);
  const schools = addWorkPackage(
    doc,
    { title: 'TP1 Kulttuuri kouluissa', owner: 'Mikkelin kaupunki', start: '2026-08', end: '2027-06' },
    'wp-schools',
  );
  const events = addWorkPackage(doc, { title: 'TP2 Tapahtumat', owner: 'Savonlinnan kaupunki' }, 'wp-events');
  const wellbeing = addObjective(doc, 'Kulttuurihyvinvointi kaikille', 'Hyvinvointi', 'obj-wellbeing');
  addObjective(doc, 'Elinvoimainen keskusta', 'Talous', 'obj-centre');
  const notes = [
    addNote(doc, board, {
      text: 'Harrastuksia koulupäivän jälkeen',
      laneId: 'lane-youth' as LaneId,
      municipality: 'Mikkeli',
    }),
    addNote(doc, board, {
      text: 'Tiloja bändeille',
      laneId: 'lane-youth' as LaneId,
      municipality: 'Savonlinna',
    }),
    addNote(doc, board, {
      text: 'Yhteinen tapahtumakalenteri',
      laneId: 'lane-assoc' as LaneId,
      municipality: 'Mikkeli',
    }),
  ].filter((id) => id !== null);
  const youth = createTheme(doc, { title: 'Nuorten harrastukset', id: 'theme-youth' as ThemeId });
  const calendar = createTheme(doc, { title: 'Tapahtumat', id: 'theme-events' as ThemeId });
  if (notes[0]) moveNoteToTheme(doc, notes[0], youth, 0);
  if (notes[1]) moveNoteToTheme(doc, notes[1], youth, 1);
  if (notes[2]) moveNoteToTheme(doc, notes[2], calendar, 0);
  const card = addAction(doc, {
    id: 'act-card' as ActionId,
    title: 'Kulttuurikortti koululaisille',
    themeIds: [youth],
    owner: 'Mikkelin kaupunki',
    partners: ['Mikkeli', 'Pieksämäki'],
    start: '2026-08',
    end: '2027-05',
    status: 'pilot',
  });
  splitBudget(doc, card, 200_000_00, [
    { source: 'Opetus- ja kulttuuriministeriö', percent: 80 },
    { source: 'Kunnat', percent: 20 },
  ]);
  setActionPackage(doc, card, schools);
  alignAction(doc, card, wellbeing);
  const festival = addAction(doc, {
    id: 'act-festival' as ActionId,
    title: 'Yhteinen kesäfestivaali',
    themeIds: [youth, calendar],
    owner: 'Savonlinnan kaupunki',
    partners: ['Savonlinna'],
    start: '2027-06',
    end: '2027-08',
    status: 'planned',
  });
  splitBudget(doc, festival, 150_000_00, [
    { source: 'Opetus- ja kulttuuriministeriö', percent: 80 },
    { source: 'Kunnat', percent: 20 },
  ]);
  setActionPackage(doc, festival, events);
  addAction(doc, {
    id: 'act-calendar' as ActionId,
    title: 'Tapahtumakalenteri',
    themeIds: [calendar],
    owner: 'Pieksämäen kaupunki',
    budgetCents: 12_000_00,
    funding: 'Leader',
    status: 'proposal',
  });
  setStatusName(doc, 'pilot', 'Kokeilu');
  setPlanBudget(doc, 475_000_00, 525_000_00);
  setCostShareMethod(doc, 'population');
  for (const id of [mikkeli, savonlinna, pieksamaki]) setCostShare(doc, id, 0);
  return doc;
}

/** The plan workshop as a snapshot. */
export function planWorkshop(): Workshop {
  return readWorkshop(planDoc());
}
