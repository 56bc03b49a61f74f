/**
 * The workshop outline: a neutral JSON form of a workshop (needs, themes, actions) used as the
 * template format and for example workshops. See docs in README.md ("Workshop outline format").
 * parseOutline checks untrusted input field by field; importOutline writes a parsed outline into
 * a new document; exportOutline reads any workshop back into an outline.
 */
import type * as Y from 'yjs';
import {
  isValidId,
  type ActionId,
  type LaneId,
  type NoteId,
  type ParticipantId,
  type RoundId,
  type ThemeId,
} from '../ids';
import { LOCALES } from '../i18n';
import { readWorkshop } from '../model/read';
import {
  ACTION_STATUSES,
  LANGUAGES,
  MONTH_PATTERN,
  NOTE_COLOURS,
  type ActionStatus,
  type Language,
} from '../model/schema';
import { totalVotes } from '../model/votes';
import {
  addAction,
  addLane,
  addNote,
  createTheme,
  createWorkshop,
  LOCAL_ORIGIN,
  moveNoteToTheme,
  openVoteRound,
  setMunicipalities,
  setRoundState,
  setVote,
  TEMPLATE_BOARD_IDS,
} from '../model/write';
import { fail, ok, type ParseError, type Result } from '../result';

export type OutlineNeed = {
  readonly id: string;
  readonly text: string;
  readonly stakeholder: string;
  readonly municipality?: string;
  readonly votes?: number;
};

export type OutlineTheme = { readonly id: string; readonly title: string; readonly needs: readonly string[] };

export type OutlineAction = {
  readonly id: string;
  readonly title: string;
  readonly description?: string;
  readonly themes: readonly string[];
  readonly owner: string;
  readonly partners: readonly string[];
  readonly start: string;
  readonly end: string;
  readonly budgetEur: number;
  readonly funding: string;
  readonly indicator: string;
  readonly status: ActionStatus;
};

/** A workshop outline (the template and example format). */
export type Outline = {
  readonly title: string;
  readonly language: Language;
  readonly stakeholders: readonly string[];
  readonly municipalities?: readonly string[];
  readonly needs: readonly OutlineNeed[];
  readonly themes: readonly OutlineTheme[];
  readonly actions: readonly OutlineAction[];
};

/** Largest outline file accepted, in characters. */
export const MAX_OUTLINE_CHARS = 5_000_000;
const MAX_TEXT = 5_000;
const MAX_SHORT = 500;
/** At most this many problems are reported at once. */
const MAX_ERRORS = 20;

class Checker {
  readonly errors: ParseError[] = [];
  problem(path: string, message: string): void {
    if (this.errors.length < MAX_ERRORS) this.errors.push({ path, message });
  }
  record(value: unknown, path: string): Record<string, unknown> | null {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
    this.problem(path, `must be an object, not ${describe(value)}`);
    return null;
  }
  list(value: unknown, path: string): unknown[] {
    if (Array.isArray(value)) return value;
    this.problem(path, `must be a list, not ${describe(value)}`);
    return [];
  }
  text(value: unknown, path: string, max: number, required = true): string {
    if (typeof value !== 'string') {
      this.problem(path, `must be text, not ${describe(value)}`);
      return '';
    }
    if (required && value.trim() === '') this.problem(path, 'must not be empty');
    if (value.length > max)
      this.problem(path, `is ${value.length} characters long; at most ${max} are allowed`);
    return value;
  }
  id(value: unknown, path: string, seen: Set<string>): string {
    if (!isValidId(value)) {
      this.problem(path, `must be an id of 1–64 letters, digits or _ . : - (got ${describe(value)})`);
      return '';
    }
    if (seen.has(value)) this.problem(path, `"${value}" is used twice`);
    seen.add(value);
    return value;
  }
  month(value: unknown, path: string): string {
    if (typeof value !== 'string' || !MONTH_PATTERN.test(value)) {
      this.problem(path, `must be a month as YYYY-MM, not ${describe(value)}`);
      return '';
    }
    return value;
  }
  strings(value: unknown, path: string): string[] {
    return this.list(value, path).map((item, i) => this.text(item, `${path}[${i}]`, MAX_SHORT));
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${value}`;
  return typeof value;
}

function oneOf<T extends string>(c: Checker, value: unknown, path: string, allowed: readonly T[]): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  c.problem(path, `must be one of ${allowed.join(', ')}, not ${describe(value)}`);
  return allowed[0] as T;
}

/** Parses an outline from untrusted JSON text. Errors name each field and its problem. */
export function parseOutlineText(text: string): Result<Outline, ParseError[]> {
  if (text.length > MAX_OUTLINE_CHARS) {
    return fail([
      {
        path: '',
        message: `The file is too large (${text.length} characters; at most ${MAX_OUTLINE_CHARS}).`,
      },
    ]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return fail([{ path: '', message: `The file is not valid JSON: ${(error as Error).message}` }]);
  }
  return parseOutline(json);
}

/** Parses an outline from an untrusted value. Nothing is written anywhere. */
export function parseOutline(input: unknown): Result<Outline, ParseError[]> {
  const c = new Checker();
  const root = c.record(input, '(outline)');
  if (!root) return fail(c.errors);

  const title = c.text(root.title, 'title', MAX_SHORT);
  const language = oneOf(c, root.language, 'language', LANGUAGES);
  const stakeholders = c.strings(root.stakeholders, 'stakeholders');
  const stakeholderSet = new Set<string>();
  stakeholders.forEach((s, i) => {
    if (stakeholderSet.has(s)) c.problem(`stakeholders[${i}]`, `"${s}" is listed twice`);
    stakeholderSet.add(s);
  });
  const municipalities =
    root.municipalities === undefined ? undefined : c.strings(root.municipalities, 'municipalities');

  const needIds = new Set<string>();
  const needs = c.list(root.needs, 'needs').map((raw, i): OutlineNeed => {
    const path = `needs[${i}]`;
    const need = c.record(raw, path) ?? {};
    const id = c.id(need.id, `${path}.id`, needIds);
    const text = c.text(need.text, `${path}.text`, MAX_TEXT);
    const stakeholder = c.text(need.stakeholder, `${path}.stakeholder`, MAX_SHORT, false);
    if (stakeholder !== '' && !stakeholderSet.has(stakeholder)) {
      c.problem(`${path}.stakeholder`, `"${stakeholder}" is not one of the stakeholders`);
    }
    const out: { -readonly [K in keyof OutlineNeed]: OutlineNeed[K] } = { id, text, stakeholder };
    if (need.municipality !== undefined) {
      out.municipality = c.text(need.municipality, `${path}.municipality`, MAX_SHORT);
    }
    if (need.votes !== undefined) {
      if (!Number.isSafeInteger(need.votes) || (need.votes as number) < 0) {
        c.problem(`${path}.votes`, `must be a whole number of 0 or more, not ${describe(need.votes)}`);
      } else {
        out.votes = need.votes as number;
      }
    }
    return out;
  });

  const themeIds = new Set<string>();
  const themeOfNeed = new Map<string, string>();
  const themes = c.list(root.themes, 'themes').map((raw, i): OutlineTheme => {
    const path = `themes[${i}]`;
    const theme = c.record(raw, path) ?? {};
    const id = c.id(theme.id, `${path}.id`, themeIds);
    const members = c.list(theme.needs, `${path}.needs`).map((needId, j) => {
      const needPath = `${path}.needs[${j}]`;
      if (typeof needId !== 'string' || !needIds.has(needId)) {
        c.problem(needPath, `${describe(needId)} is not the id of a need`);
        return '';
      }
      const other = themeOfNeed.get(needId);
      if (other !== undefined)
        c.problem(needPath, `need "${needId}" is already in theme "${other}"; a need belongs to one theme`);
      themeOfNeed.set(needId, id);
      return needId;
    });
    return { id, title: c.text(theme.title, `${path}.title`, MAX_SHORT), needs: members };
  });

  const actionIds = new Set<string>();
  const actions = c.list(root.actions, 'actions').map((raw, i): OutlineAction => {
    const path = `actions[${i}]`;
    const a = c.record(raw, path) ?? {};
    const id = c.id(a.id, `${path}.id`, actionIds);
    const linked = c.list(a.themes, `${path}.themes`).map((themeId, j) => {
      if (typeof themeId !== 'string' || !themeIds.has(themeId)) {
        c.problem(`${path}.themes[${j}]`, `${describe(themeId)} is not the id of a theme`);
        return '';
      }
      return themeId;
    });
    const start = c.month(a.start, `${path}.start`);
    const end = c.month(a.end, `${path}.end`);
    if (start && end && end < start) c.problem(`${path}.end`, `${end} is before the start ${start}`);
    const budget = a.budgetEur;
    if (typeof budget !== 'number' || !Number.isFinite(budget) || budget < 0) {
      c.problem(`${path}.budgetEur`, `must be a number of 0 or more, not ${describe(budget)}`);
    } else if (Math.abs(Math.round(budget * 100) - budget * 100) > 1e-6) {
      c.problem(`${path}.budgetEur`, `${budget} has fractions of a cent`);
    } else if (!Number.isSafeInteger(Math.round(budget * 100))) {
      c.problem(`${path}.budgetEur`, `${budget} is too large`);
    }
    const out: { -readonly [K in keyof OutlineAction]: OutlineAction[K] } = {
      id,
      title: c.text(a.title, `${path}.title`, MAX_SHORT),
      themes: linked,
      owner: c.text(a.owner, `${path}.owner`, MAX_SHORT, false),
      partners: c.strings(a.partners, `${path}.partners`),
      start,
      end,
      budgetEur: typeof budget === 'number' ? budget : 0,
      funding: c.text(a.funding, `${path}.funding`, MAX_SHORT, false),
      indicator: c.text(a.indicator, `${path}.indicator`, MAX_TEXT, false),
      status: oneOf(c, a.status, `${path}.status`, ACTION_STATUSES),
    };
    if (a.description !== undefined) {
      out.description = c.text(a.description, `${path}.description`, MAX_TEXT, false);
    }
    return out;
  });

  if (c.errors.length) return fail(c.errors);
  const outline: Outline = { title, language, stakeholders, needs, themes, actions };
  return ok(municipalities === undefined ? outline : { ...outline, municipalities });
}

/** The participant that holds votes carried in from an outline. */
export const OUTLINE_VOTER = 'outline' as ParticipantId;
/** The revealed round that holds votes carried in from an outline. */
export const OUTLINE_ROUND = 'outline-votes' as RoundId;

/** Lane id of the n-th stakeholder of an imported outline (deterministic). */
function laneId(index: number): LaneId {
  return `lane-${index + 1}` as LaneId;
}

/**
 * Writes `outline` into `doc`, which must be a new, empty workshop. Ids come from the outline,
 * so importing the same outline on two replicas writes the same keys rather than duplicates.
 * Everything is written in one transaction.
 */
export function importOutline(doc: Y.Doc, outline: Outline, created?: string): void {
  const boardKeys = ['needs', 'themes', 'actions'] as const;
  const messages = LOCALES[outline.language];
  doc.transact(() => {
    createWorkshop(doc, {
      title: outline.title,
      language: outline.language,
      currency: 'EUR',
      created,
      boardTitles: Object.fromEntries(boardKeys.map((k) => [k, messages[`board.${k}`]])) as Record<
        (typeof boardKeys)[number],
        string
      >,
    });
    const board = TEMPLATE_BOARD_IDS.needs;
    const lanes = new Map<string, LaneId>();
    outline.stakeholders.forEach((title, i) => {
      addLane(doc, board, title, laneId(i));
      lanes.set(title, laneId(i));
    });
    setMunicipalities(doc, board, outline.municipalities ?? []);
    const perLane = new Map<string, number>();
    outline.needs.forEach((need) => {
      const lane = lanes.get(need.stakeholder) ?? null;
      const laneIndex =
        lane === null ? outline.stakeholders.length : outline.stakeholders.indexOf(need.stakeholder);
      const row = perLane.get(need.stakeholder) ?? 0;
      perLane.set(need.stakeholder, row + 1);
      addNote(doc, board, {
        id: need.id as NoteId,
        text: need.text,
        laneId: lane,
        municipality: need.municipality ?? null,
        colour: NOTE_COLOURS[laneIndex % NOTE_COLOURS.length],
        x: laneIndex * 280,
        y: row * 140,
      });
    });
    outline.themes.forEach((theme, i) => {
      const id = createTheme(doc, {
        id: theme.id as ThemeId,
        title: theme.title,
        x: (i % 4) * 320,
        y: Math.floor(i / 4) * 420,
      });
      theme.needs.forEach((needId, j) => moveNoteToTheme(doc, needId as NoteId, id, j));
    });
    outline.actions.forEach((action) => {
      addAction(doc, {
        id: action.id as ActionId,
        title: action.title,
        description: action.description ?? '',
        themeIds: action.themes as ThemeId[],
        owner: action.owner,
        partners: action.partners,
        start: action.start,
        end: action.end,
        budgetCents: Math.round(action.budgetEur * 100),
        funding: action.funding,
        indicator: action.indicator,
        status: action.status,
      });
    });
    const voted = outline.needs.filter((need) => need.votes !== undefined);
    if (voted.length) {
      openVoteRound(doc, { id: OUTLINE_ROUND, target: 'notes', dotsPerPerson: 0 });
      voted.forEach((need) => setVote(doc, OUTLINE_ROUND, OUTLINE_VOTER, need.id, need.votes ?? 0));
      setRoundState(doc, OUTLINE_ROUND, 'revealed');
      doc.getMap('facilitation').delete('activeRoundId');
    }
  }, LOCAL_ORIGIN);
}

/**
 * Reads a workshop back as an outline. Needs are the notes of needs boards; votes are the totals
 * of revealed rounds; budgets return to euros from integer cents.
 */
export function exportOutline(doc: Y.Doc): Outline {
  const w = readWorkshop(doc);
  const needsBoards = w.boards.filter((b) => b.kind === 'needs');
  const needsBoardIds = new Set<string>(needsBoards.map((b) => b.id));
  const laneTitles = new Map<string, string>(
    needsBoards.flatMap((b) => b.lanes.map((l) => [l.id, l.title] as const)),
  );
  const votes = totalVotes(doc, 'notes');
  const needs = w.notes
    .filter((note) => needsBoardIds.has(note.boardId))
    .map((note): OutlineNeed => {
      const need: { -readonly [K in keyof OutlineNeed]: OutlineNeed[K] } = {
        id: note.id,
        text: note.text,
        stakeholder: note.laneId === null ? '' : (laneTitles.get(note.laneId) ?? ''),
      };
      if (note.municipality !== null) need.municipality = note.municipality;
      const count = votes.get(note.id);
      if (count !== undefined) need.votes = count;
      return need;
    });
  const municipalities = needsBoards.flatMap((b) => b.municipalities);
  const outline: Outline = {
    title: w.meta.title,
    language: w.meta.language,
    stakeholders: needsBoards.flatMap((b) => b.lanes.map((l) => l.title)),
    needs,
    themes: w.themes.map((t) => ({ id: t.id, title: t.title, needs: [...t.noteIds] })),
    actions: w.actions.map((a): OutlineAction => {
      const action: { -readonly [K in keyof OutlineAction]: OutlineAction[K] } = {
        id: a.id,
        title: a.title,
        themes: [...a.themeIds],
        owner: a.owner,
        partners: [...a.partners],
        start: a.start ?? '',
        end: a.end ?? '',
        budgetEur: a.budgetCents / 100,
        funding: a.funding,
        indicator: a.indicator,
        status: a.status,
      };
      if (a.description !== '') action.description = a.description;
      return action;
    }),
  };
  return municipalities.length ? { ...outline, municipalities } : outline;
}
