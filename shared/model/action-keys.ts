/**
 * The keys of an action's plan fields: its funding lines (\`line:<id>\`) and the objectives it
 * serves (\`objective:<id>\`), each a key of its own in the action's map so that two people's
 * lines or objectives never replace each other. Key prefixes are wire format: never rename.
 */
import * as Y from 'yjs';
import { byOrder, num, str } from './fields';
import { InvalidValueError } from './errors';
import { MAX_PLAN_NAME } from './plan-read';
import { LEGACY_LINE, type FundingLine } from './schema';

/** Key prefixes of an action's plan fields. Wire format: never rename. */
export const ACTION_PREFIX = { line: 'line:', objective: 'objective:' } as const;

/** Most funding lines on one action. */
export const MAX_FUNDING_LINES = 20;
/** Most strategy objectives one action names (a strategy has a handful). */
export const MAX_ACTION_OBJECTIVES = 100;

/**
 * An action's funding lines. Its single `budgetCents` and `funding` fields (all an older action
 * has, and what a new one starts with) read as the line {@link LEGACY_LINE} until that line is
 * written as a line of its own (edited) or removed (its key set to null): the fields are never
 * rewritten, so splitting an older budget needs no step that two people could do at once and
 * undo each other's edits with.
 */
export function readFundingLines(action: Y.Map<unknown>): FundingLine[] {
  const lines: FundingLine[] = [];
  action.forEach((value, key) => {
    if (!key.startsWith(ACTION_PREFIX.line) || typeof value !== 'object' || value === null) return;
    if (value instanceof Y.AbstractType || Array.isArray(value)) return;
    const { source, cents, order } = value as Record<string, unknown>;
    lines.push({
      id: key.slice(ACTION_PREFIX.line.length),
      source: typeof source === 'string' ? source : '',
      cents: Number.isSafeInteger(cents) && (cents as number) >= 0 ? (cents as number) : 0,
      order: typeof order === 'number' && Number.isFinite(order) ? order : 0,
    });
  });
  if (!action.has(ACTION_PREFIX.line + LEGACY_LINE)) {
    const budget = num(action, 'budgetCents');
    const funding = str(action, 'funding');
    const cents = Number.isSafeInteger(budget) && budget >= 0 ? budget : 0;
    if (cents > 0 || funding.trim()) lines.push({ id: LEGACY_LINE, source: funding, cents, order: -1 });
  }
  return lines.sort(byOrder);
}

/** The objectives an action names (ids, in the order they were named). */
export function readActionObjectives(action: Y.Map<unknown>, existing: ReadonlySet<string>): string[] {
  const named: { id: string; order: number }[] = [];
  action.forEach((value, key) => {
    if (!key.startsWith(ACTION_PREFIX.objective)) return;
    const id = key.slice(ACTION_PREFIX.objective.length);
    if (existing.has(id) && typeof value === 'number' && Number.isFinite(value))
      named.push({ id, order: value });
  });
  return named.sort(byOrder).map((o) => o.id);
}

/**
 * Whether `value` is what the key of funding line `id` may hold: a line (its source of at most
 * {@link MAX_PLAN_NAME} characters, its whole, non-negative cents, its order), or null for the
 * single budget's line removed ({@link removeLine}). The server keeps nothing else there.
 */
export function isLineValue(id: string, value: unknown): boolean {
  if (value === null) return id === LEGACY_LINE;
  if (typeof value !== 'object' || value instanceof Y.AbstractType || Array.isArray(value)) return false;
  const { source, cents, order, ...rest } = value as Record<string, unknown>;
  return (
    Object.keys(rest).length === 0 &&
    typeof source === 'string' &&
    source.length <= MAX_PLAN_NAME &&
    Number.isSafeInteger(cents) &&
    (cents as number) >= 0 &&
    typeof order === 'number' &&
    Number.isFinite(order)
  );
}

export function writeLine(action: Y.Map<unknown>, id: string, line: Omit<FundingLine, 'id'>): void {
  action.set(ACTION_PREFIX.line + id, { source: line.source, cents: line.cents, order: line.order });
}

export function removeLine(action: Y.Map<unknown>, id: string): void {
  // The legacy line is read from the action's own fields unless its key says otherwise.
  if (id === LEGACY_LINE) action.set(ACTION_PREFIX.line + LEGACY_LINE, null);
  else action.delete(ACTION_PREFIX.line + id);
}

/**
 * Sets the single budget and funding text of an action (an edit of the one budget field, from
 * the table or a script) when its budget is in funding lines of its own: the one line takes
 * them. Returns false, writing nothing, when the action's only line is its own fields (they take
 * the edit). Throws InvalidValueError, writing nothing, when the budget is split over several
 * sources: which source's amount would change is not known.
 */
export function setSingleLine(
  action: Y.Map<unknown>,
  cents: number | undefined,
  source: string | undefined,
): boolean {
  if (cents === undefined && source === undefined) return false;
  const lines = readFundingLines(action);
  const line = lines[0];
  const ownLines = lines.length > 1 || (line !== undefined && action.has(ACTION_PREFIX.line + line.id));
  if (!ownLines) {
    // Fields read as the legacy line: unless that line was removed, in which case it comes back.
    if (action.get(ACTION_PREFIX.line + LEGACY_LINE) === null)
      action.delete(ACTION_PREFIX.line + LEGACY_LINE);
    return false;
  }
  if (lines.length > 1) {
    const total = lines.reduce((sum, l) => sum + l.cents, 0);
    if (cents === undefined || cents === total) return true;
    throw new InvalidValueError(
      'budgetCents',
      `is split over ${lines.length} funding sources; change their amounts`,
    );
  }
  if (line)
    writeLine(action, line.id, {
      source: source ?? line.source,
      cents: cents ?? line.cents,
      order: line.order,
    });
  return true;
}

/** Whether `split` is one budget that an action's single budget and funding fields can hold. */
export function isSingleBudget(split: readonly FundingLine[]): boolean {
  return split.length === 0 || (split.length === 1 && split[0]?.id === LEGACY_LINE);
}
