// The workshop the export scenarios report on (issue #9: 500 actions and 2,000 notes), written
// through shared/model/write.ts like the app writes one, then read as a snapshot. Deterministic
// (a seeded generator), so every run exports the same document. Built once per process: the four
// export scenarios share it.
import * as Y from 'yjs';
import { loadShared } from './export-build.mjs';

/** The workshop size. */
export const NOTE_COUNT = 2000;
export const ACTION_COUNT = 500;
export const THEME_COUNT = 40;
/** The report's date (fixed: the model takes it from the caller). */
export const REPORT_DATE = '2026-12-06';

const CREATED = '2026-01-15T09:00:00.000Z';

const LANES = [
  'Kuntien kulttuurityöntekijät',
  'Kuntalaiset ja yhdistykset',
  'Maakunnan toimijat',
  'Nuoret ja koulut',
];

const MUNICIPALITIES = [
  'Mikkeli',
  'Savonlinna',
  'Pieksämäki',
  'Juva',
  'Kangasniemi',
  'Mäntyharju',
  'Pertunmaa',
  'Hirvensalmi',
  'Puumala',
  'Rantasalmi',
  'Sulkava',
  'Enonkoski',
];

// Sentences are put together from these parts: "<subject> <verb> <object> <place/qualifier>."
const SUBJECTS = [
  'Kulttuuritoimen resurssit',
  'Pienten kuntien kulttuurityöntekijät',
  'Yhdistysten vapaaehtoiset',
  'Nuoret',
  'Ikäihmiset',
  'Kirjastot',
  'Kesäteatterit',
  'Kyläyhdistykset',
  'Koulujen opettajat',
  'Matkailuyrittäjät',
  'Taiteilijat ja esiintyjät',
  'Maahanmuuttajat',
  'Lapsiperheet',
  'Museot ja kotiseutuyhdistykset',
  'Kunnan tilapalvelut',
];
const VERBS = [
  'tarvitsevat',
  'kaipaavat',
  'eivät löydä',
  'haluavat kehittää',
  'jäävät ilman',
  'hyötyisivät',
  'toivovat lisää',
  'eivät tavoita',
  'tarvitsevat tukea',
  'voisivat jakaa',
];
const OBJECTS = [
  'vertaistukea ja kollegoita muista kunnista',
  'yhteisen tapahtumakalenterin koko maakuntaan',
  'kuljetuksia syrjäkyliltä iltatapahtumiin',
  'esteettömiä tiloja ja selkokielisiä tiedotteita',
  'koulujen ja kirjastojen tiloja iltakäyttöön',
  'yhteishankintoja esiintyjistä useaan kuntaan kerralla',
  'rahoitusta pieniin kokeiluihin',
  'viestintää ja markkinointia matkailijoille',
  'hyviä käytäntöjä muiden kuntien kokemuksista',
  'koulutusta hankehakemusten tekemiseen',
  'harrastusmahdollisuuksia lähellä kotia',
  'kohtaamispaikkoja eri sukupolville',
  'digitaalisia välineitä ja osaamista',
  'kulttuurihyvinvoinnin seurantaa',
];
const TAILS = [
  'erityisesti haja-asutusalueilla',
  'kesäkauden ulkopuolella',
  'ilman että yksi ihminen tekee kaiken',
  'niin että tieto kulkee kuntien välillä',
  'myös iltaisin ja viikonloppuisin',
  'kohtuullisin kustannuksin',
  'yhdessä seurakunnan ja järjestöjen kanssa',
  'jotta toiminta jatkuu hankkeen jälkeenkin',
  '– nyt moni jää kokonaan ulkopuolelle',
  'ja palautetta siitä, mikä toimii',
];

const THEME_WORDS = [
  'Kuntien yhteistyö ja vertaistuki',
  'Saavutettavuus ja osallisuus',
  'Maakunnan näkyvyys',
  'Nuorten kulttuuripolku',
  'Tilat ja kohtaamispaikat',
  'Liikkuminen ja kuljetukset',
  'Rahoitus ja hankeosaaminen',
  'Viestintä ja markkinointi',
  'Kulttuurihyvinvointi',
  'Vapaaehtoistoiminta',
];
const THEME_QUALIFIERS = ['', ' kylissä', ' kaupungeissa', ' – kokeilut'];

const ACTION_VERBS = [
  'Perustetaan',
  'Käynnistetään',
  'Kehitetään',
  'Kokeillaan',
  'Järjestetään',
  'Kootaan',
  'Laajennetaan',
];
const ACTION_OBJECTS = [
  'kulttuurityöntekijöiden verkosto',
  'yhteinen tapahtumakalenteri',
  'kulttuurikuljetusten kokeilu',
  'esiintyjien yhteiskiertue',
  'nuorten kulttuurineuvosto',
  'avoimet tilat -ohjelma',
  'hankeosaamisen koulutussarja',
  'selkokielinen tiedotus',
  'kyläkulttuurin tapahtumaviikko',
  'kulttuurihyvinvoinnin seurantamalli',
];
const OWNERS = [
  'Mikkelin kaupunki, kulttuuripalvelut',
  'Savonlinnan kaupunki',
  'Etelä-Savon maakuntaliitto',
  'Juvan kunta, vapaa-aikatoimi',
  'Kangasniemen kunta',
  'Pieksämäen kaupunki',
  'Etelä-Savon Kylät ry',
  'Mikkelin seudun kansalaisopisto',
  'Anna Virtanen',
  'Jussi Korhonen',
];
const PARTNERS = [
  'ELY-keskus',
  'seurakunta',
  'Xamk',
  'kyläyhdistykset',
  'kirjastot',
  'koulut',
  'nuorisovaltuusto',
  'matkailuyhdistys',
  'Taiteen edistämiskeskus',
];
const FUNDING = [
  'Kunta',
  'Leader',
  'Opetus- ja kulttuuriministeriö',
  'Suomen Kulttuurirahasto',
  'Euroopan sosiaalirahasto ESR+',
  'Maakuntaliitto',
  'Oma rahoitus',
  'Taike',
];
const INDICATORS = [
  'Osallistujamäärä vuodessa',
  'Mukana olevien kuntien määrä',
  'Tapahtumien määrä',
  'Kävijäpalautteen keskiarvo',
  'Uusien vapaaehtoisten määrä',
];
const STATUSES = ['planned', 'planned', 'ongoing', 'done'];

/** A small deterministic pseudo-random generator (LCG), as in lib/content.mjs. */
function generator(seed) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Finnish sentences of about `min`–`max` characters. */
function texts(random) {
  const pick = (list) => list[Math.floor(random() * list.length)];
  const int = (from, to) => from + Math.floor(random() * (to - from + 1));
  const sentence = () => `${pick(SUBJECTS)} ${pick(VERBS)} ${pick(OBJECTS)} ${pick(TAILS)}.`;
  return {
    pick,
    int,
    text(min, max) {
      const length = int(min, max);
      let text = sentence();
      while (text.length < length) text += ` ${sentence()}`;
      if (text.length <= max) return text;
      // Cut at a word boundary; a note is what someone typed, not always a whole sentence.
      const cut = text.lastIndexOf(' ', max);
      return text.slice(0, cut > min ? cut : max);
    },
  };
}

function month(index) {
  // index 0 = 2026-01; the plan runs over 3 years (2026–2028).
  return `${2026 + Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Writes the workshop into a new Y.Doc with the shared write functions. */
export async function buildWorkshopDoc({ seed = 9 } = {}) {
  const w = await loadShared();
  const random = generator(seed);
  const { pick, int, text } = texts(random);
  const doc = new Y.Doc();
  const board = w.TEMPLATE_BOARD_IDS.needs;
  doc.transact(() => {
    w.createWorkshop(doc, {
      title: 'Etelä-Savon kulttuurisuunnitelma 2026–2028, työpajat 1–4',
      language: 'fi',
      boardTitles: { needs: 'Tarpeet', themes: 'Teemat', actions: 'Toimenpiteet' },
      created: CREATED,
    });
    const lanes = LANES.map((title, i) => w.addLane(doc, board, title, `lane-${i + 1}`));
    w.setMunicipalities(doc, board, MUNICIPALITIES);

    const people = [];
    for (let i = 0; i < 40; i++) {
      const id = `p-${String(i).padStart(2, '0')}`;
      const role = i < 3 ? 'facilitator' : i < 37 ? 'participant' : 'viewer';
      w.upsertParticipant(doc, id, { name: `Osallistuja ${i + 1}`, colour: '#1D5FD1', role });
      people.push(id);
    }

    const themes = [];
    for (let i = 0; i < THEME_COUNT; i++) {
      const title = `${THEME_WORDS[i % THEME_WORDS.length]}${THEME_QUALIFIERS[Math.floor(i / THEME_WORDS.length)]}`;
      themes.push(w.createTheme(doc, { title, id: `theme-${String(i).padStart(2, '0')}` }));
    }

    // 2,000 notes in one import-like call; about 7 in 8 sorted into a theme, 7 in 10 tagged with
    // a municipality, a few without a stakeholder group.
    const notes = [];
    for (let i = 0; i < NOTE_COUNT; i++) {
      notes.push({
        id: `note-${String(i).padStart(5, '0')}`,
        text: text(40, 200),
        laneId: random() < 0.03 ? null : pick(lanes),
        municipality: random() < 0.7 ? pick(MUNICIPALITIES) : null,
        author: pick(people),
        x: int(0, 4000),
        y: int(0, 3000),
        themeId: random() < 0.87 ? pick(themes) : null,
        order: i,
      });
    }
    const noteIds = w.addNotes(doc, board, notes);

    // One revealed round of dots on notes: every voting participant places 10 dots.
    const round = w.openVoteRound(doc, { id: 'round-1', target: 'notes', dotsPerPerson: 10 });
    for (const person of people.slice(0, 37)) {
      for (let dot = 0; dot < 10; dot++) w.addVote(doc, round, person, pick(noteIds), 1);
    }
    w.setRoundState(doc, round, 'revealed');

    // 500 actions over 2026–2028 with owners, partners, budgets, funding and 1–3 themes, half with
    // a description as long as a note (the shipped examples have none); a few without an owner or
    // dates, as real plans have.
    for (let i = 0; i < ACTION_COUNT; i++) {
      const start = int(0, 33);
      const undated = random() < 0.02;
      const linked = new Set();
      for (let n = int(1, 3); linked.size < n;) linked.add(pick(themes));
      w.addAction(doc, {
        id: `action-${String(i).padStart(3, '0')}`,
        title: `${pick(ACTION_VERBS)} ${pick(ACTION_OBJECTS)} (${pick(MUNICIPALITIES)})`,
        description: random() < 0.5 ? text(40, 200) : '',
        themeIds: [...linked],
        owner: random() < 0.03 ? '' : pick(OWNERS),
        partners: Array.from({ length: int(0, 3) }, () => pick(PARTNERS)),
        start: undated ? null : month(start),
        end: undated ? null : month(Math.min(35, start + int(0, 17))),
        budgetCents: int(5, 800) * 10_000 + (random() < 0.2 ? int(1, 99) * 100 : 0),
        funding: pick(FUNDING),
        indicator: pick(INDICATORS),
        status: pick(STATUSES),
      });
    }
  });
  return doc;
}

let cached = null;

/**
 * The workshop as a snapshot (readWorkshop), built on first call and shared by the scenarios;
 * also how long writing and reading it took, for the log.
 */
export function benchWorkshop() {
  cached ??= (async () => {
    const w = await loadShared();
    const begun = performance.now();
    const doc = await buildWorkshopDoc();
    const written = performance.now();
    const workshop = w.readWorkshop(doc);
    const read = performance.now();
    if (workshop.actions.length !== ACTION_COUNT || workshop.notes.length !== NOTE_COUNT)
      throw new Error(
        `workshop has ${workshop.actions.length} actions and ${workshop.notes.length} notes, ` +
          `not ${ACTION_COUNT} and ${NOTE_COUNT}`,
      );
    return {
      doc,
      workshop,
      writeMs: written - begun,
      readMs: read - written,
      updateBytes: Y.encodeStateAsUpdate(doc).byteLength,
    };
  })();
  return cached;
}
