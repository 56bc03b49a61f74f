/**
 * The plan UI's small rules, apart from React so that they are tested on their own: which names a
 * list refuses, how a typed count reads, what the partners list offers, the heat table's shading.
 */
import { InvalidValueError, type MessageKey } from '../../../shared';
import { nameKey } from '../../../shared/model/plan';

/**
 * Why `name` cannot be a new name in a list that holds `others` (names of the other entries),
 * or null when it can: the model refuses these too, this says it in words.
 */
export function nameProblem(name: string, others: readonly string[]): MessageKey | null {
  if (!name.trim()) return 'plan.error.empty';
  if (others.some((o) => nameKey(o) === nameKey(name))) return 'plan.error.taken';
  return null;
}

/**
 * Runs a plan write; a value the model refuses (InvalidValueError) comes back as words for the
 * field, anything else is a bug and is thrown on.
 */
export function tryWrite(write: () => void): MessageKey | null {
  try {
    write();
    return null;
  } catch (error) {
    if (error instanceof InvalidValueError) return 'plan.error.invalid';
    throw error;
  }
}

/** A whole, non-negative number from what a person typed ("12 345", "12345"), or null for none; NaN when not a number. */
export function parseCount(text: string): number | null {
  const compact = text.replace(/[\s\u00a0\u202f.,']/g, '');
  if (!compact) return null;
  return /^\d+$/.test(compact) ? Number(compact) : Number.NaN;
}

/** A partner the list offers: a municipality, an organisation, or the text as typed. */
export type Choice = { readonly name: string; readonly kind: 'municipality' | 'organisation' | 'typed' };

/** What the list offers for `text`: listed names that contain it (not yet chosen), then the text itself. */
export function partnerChoices(
  text: string,
  municipalities: readonly string[],
  organisations: readonly string[],
  chosen: readonly string[],
): Choice[] {
  const query = nameKey(text);
  const taken = new Set(chosen.map(nameKey));
  const offer = (names: readonly string[], kind: Choice['kind']): Choice[] =>
    names.filter((n) => !taken.has(nameKey(n)) && nameKey(n).includes(query)).map((name) => ({ name, kind }));
  const listed = [...offer(municipalities, 'municipality'), ...offer(organisations, 'organisation')];
  const exact = [...municipalities, ...organisations, ...chosen].some((n) => nameKey(n) === query);
  return query && !exact ? [...listed, { name: text.trim(), kind: 'typed' }] : listed;
}

/** Shading steps from the lightest to the strongest; dark text keeps 7:1 or more on each. */
const SHADES = ['#ffffff', '#eaf2fd', '#d4e4fb', '#b9d3f8', '#9cc1f5'] as const;

/** The shade of a cell holding `count` of at most `max`: zero is white, the largest the strongest. */
export function shadeOf(count: number, max: number): string {
  if (count <= 0 || max <= 0) return SHADES[0];
  const step = Math.max(1, Math.ceil((count / max) * (SHADES.length - 1)));
  return SHADES[Math.min(step, SHADES.length - 1)] ?? SHADES[0];
}
