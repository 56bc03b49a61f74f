/**
 * Writing the plan's own lists and settings (root map \`plan\`, read by plan-read.ts) and the plan
 * fields of actions (funding lines, work package, strategy objectives: action-keys.ts). The
 * plan's lists are the facilitator's; an action's plan fields anyone's who may edit the action.
 */
import * as Y from 'yjs';
import { newId } from '../ids';
import { apportion } from '../money';
import {
  ACTION_PREFIX,
  MAX_ACTION_OBJECTIVES,
  MAX_FUNDING_LINES,
  isSingleBudget,
  readFundingLines,
  removeLine,
  writeLine,
} from './action-keys';
import { InvalidValueError } from './errors';
import { byOrder, num, str } from './fields';
import {
  boardMunicipalities,
  hasMunicipalityList,
  legacyMunicipalityId,
  listed,
  MAX_BASELINE,
  MAX_INDICATORS,
  MAX_PLAN_NAME,
  nameKey,
  PLAN_PREFIX,
  readMonth,
  type ListKind,
} from './plan-read';
import { readBoards } from './read';
import { roots } from './roots';
import {
  MONTH_PATTERN,
  type Action,
  type ActionStatus,
  type BaselineIndicator,
  type CostShareMethod,
  type Month,
} from './schema';
import { transact } from './write';

// What the plan's readers and the UI use, from one place.
export { apportion } from '../money';
export { ACTION_PREFIX, isSingleBudget, MAX_FUNDING_LINES, readFundingLines } from './action-keys';
export { MAX_BASELINE, MAX_INDICATORS, MAX_PLAN_NAME, nameKey, PLAN_PREFIX } from './plan-read';

// ---- Writing: the plan's lists (the facilitator's) ---------------------------------------------

function checkName(field: string, name: string): string {
  const trimmed = name.trim();
  if (!trimmed) throw new InvalidValueError(field, 'must not be empty');
  if (trimmed.length > MAX_PLAN_NAME)
    throw new InvalidValueError(
      field,
      `is ${trimmed.length} characters long; at most ${MAX_PLAN_NAME} are allowed`,
    );
  return trimmed;
}

function checkMonth(field: string, month: Month | null | undefined): void {
  if (month && !MONTH_PATTERN.test(month))
    throw new InvalidValueError(field, `must be a month as YYYY-MM, not "${month}"`);
}

function checkCents(field: string, cents: number): void {
  if (!Number.isSafeInteger(cents) || cents < 0)
    throw new InvalidValueError(field, `must be a whole, non-negative number of cents, not ${cents}`);
}

function entry(doc: Y.Doc, kind: ListKind, id: string): Y.Map<unknown> | undefined {
  const value = roots(doc).plan.get(PLAN_PREFIX[kind] + id);
  return value instanceof Y.Map ? (value as Y.Map<unknown>) : undefined;
}

function nextPlanOrder(doc: Y.Doc, kind: ListKind): number {
  const orders = listed(roots(doc).plan, PLAN_PREFIX[kind]).map(([, m]) => num(m, 'order'));
  return orders.length ? Math.max(...orders) + 1 : 0;
}

function addEntry(doc: Y.Doc, kind: ListKind, fields: Record<string, unknown>, id?: string): string {
  return transact(doc, () => {
    const key = id ?? newId<string>();
    const map = new Y.Map<unknown>();
    roots(doc).plan.set(PLAN_PREFIX[kind] + key, map);
    map.set('order', nextPlanOrder(doc, kind));
    for (const [field, value] of Object.entries(fields)) if (value !== undefined) map.set(field, value);
    return key;
  });
}

function updateEntry(doc: Y.Doc, kind: ListKind, id: string, fields: Record<string, unknown>): boolean {
  return transact(doc, () => {
    const map = entry(doc, kind, id);
    if (!map) return false;
    for (const [field, value] of Object.entries(fields)) {
      if (value === undefined) continue;
      if (value === null) map.delete(field);
      else if (map.get(field) !== value) map.set(field, value);
    }
    return true;
  });
}

function deleteEntry(doc: Y.Doc, kind: ListKind, id: string): boolean {
  return transact(doc, () => {
    const plan = roots(doc).plan;
    if (!entry(doc, kind, id)) return false;
    plan.delete(PLAN_PREFIX[kind] + id);
    return true;
  });
}

/** Moves an entry of one of the plan's lists to `index` among its kind. */
export function movePlanEntry(doc: Y.Doc, kind: ListKind, id: string, index: number): boolean {
  return transact(doc, () => {
    const others = listed(roots(doc).plan, PLAN_PREFIX[kind])
      .filter(([key]) => key !== id)
      .map(([key, m]) => ({ id: key, order: num(m, 'order') }))
      .sort(byOrder);
    const map = entry(doc, kind, id);
    if (!map) return false;
    const at = Math.max(0, Math.min(index, others.length));
    const before = others[at - 1]?.order;
    const after = others[at]?.order;
    const order =
      before === undefined
        ? after === undefined
          ? 0
          : after - 1
        : after === undefined
          ? before + 1
          : (before + after) / 2;
    map.set('order', order);
    return true;
  });
}

/**
 * Makes the workshop's own municipality list from its boards' lists, once: a workshop from
 * before the plan read its municipalities from its boards. Ids are the ones readPlan gave them,
 * so that two people doing this at once write the same entries.
 */
function ensureMunicipalityList(doc: Y.Doc): void {
  const plan = roots(doc).plan;
  if (hasMunicipalityList(plan)) return;
  boardMunicipalities(readBoards(doc)).forEach((name, i) => {
    const key = PLAN_PREFIX.municipality + legacyMunicipalityId(i);
    if (plan.has(key)) return;
    const map = new Y.Map<unknown>();
    plan.set(key, map);
    map.set('name', name);
    map.set('order', i);
  });
  plan.set('municipalityList', true);
}

function existingNames(
  doc: Y.Doc,
  kind: 'municipality' | 'organisation' | 'source',
  except?: string,
): Set<string> {
  return new Set(
    listed(roots(doc).plan, PLAN_PREFIX[kind])
      .filter(([id]) => id !== except)
      .map(([, m]) => nameKey(str(m, 'name'))),
  );
}

function checkUnique(
  doc: Y.Doc,
  kind: 'municipality' | 'organisation' | 'source',
  name: string,
  except?: string,
): void {
  if (existingNames(doc, kind, except).has(nameKey(name)))
    throw new InvalidValueError('name', `"${name}" is already in the list`);
}

export type MunicipalityFields = {
  readonly name?: string;
  /** Null clears it. */
  readonly population?: number | null;
  readonly baseline?: string;
  readonly indicators?: readonly BaselineIndicator[];
};

function checkMunicipality(fields: MunicipalityFields): Record<string, unknown> {
  const { population, baseline, indicators } = fields;
  if (
    population !== undefined &&
    population !== null &&
    (!Number.isSafeInteger(population) || population < 0)
  )
    throw new InvalidValueError('population', `must be a whole, non-negative number, not ${population}`);
  if (baseline !== undefined && baseline.length > MAX_BASELINE)
    throw new InvalidValueError(
      'baseline',
      `is ${baseline.length} characters long; at most ${MAX_BASELINE} are allowed`,
    );
  if (indicators !== undefined && indicators.length > MAX_INDICATORS)
    throw new InvalidValueError(
      'indicators',
      `are ${indicators.length}; at most ${MAX_INDICATORS} are allowed`,
    );
  return {
    population,
    baseline,
    indicators: indicators?.map((i) => ({
      label: checkName('indicators.label', i.label),
      value: i.value.trim().slice(0, MAX_PLAN_NAME),
    })),
  };
}

/** Adds a municipality to the workshop's list; returns its id. Throws InvalidValueError for a bad or repeated name. */
export function addMunicipality(
  doc: Y.Doc,
  name: string,
  fields: Omit<MunicipalityFields, 'name'> = {},
  id?: string,
): string {
  const clean = checkName('name', name);
  const rest = checkMunicipality(fields);
  return transact(doc, () => {
    ensureMunicipalityList(doc);
    checkUnique(doc, 'municipality', clean);
    return addEntry(doc, 'municipality', { name: clean, ...rest }, id);
  });
}

/**
 * Changes a municipality. A new name is carried to the notes tagged with the old one and to
 * actions that name it as a partner, so that renaming loses no tag.
 */
export function updateMunicipality(doc: Y.Doc, id: string, fields: MunicipalityFields): boolean {
  const name = fields.name === undefined ? undefined : checkName('name', fields.name);
  const rest = checkMunicipality(fields);
  return transact(doc, () => {
    ensureMunicipalityList(doc);
    const map = entry(doc, 'municipality', id);
    if (!map) return false;
    const old = str(map, 'name');
    if (name !== undefined && nameKey(name) !== nameKey(old)) {
      checkUnique(doc, 'municipality', name, id);
      renameEverywhere(doc, old, name);
    }
    return updateEntry(doc, 'municipality', id, { name, ...rest });
  });
}

function renameEverywhere(doc: Y.Doc, oldName: string, newName: string): void {
  const { notes, actions } = roots(doc);
  const old = nameKey(oldName);
  notes.forEach((note) => {
    if (note instanceof Y.Map && nameKey(str(note, 'municipality')) === old)
      note.set('municipality', newName);
  });
  actions.forEach((action) => {
    if (!(action instanceof Y.Map)) return;
    const partners: unknown = action.get('partners');
    if (!Array.isArray(partners) || !partners.some((p) => typeof p === 'string' && nameKey(p) === old))
      return;
    action.set(
      'partners',
      partners.map((p: unknown) => (typeof p === 'string' && nameKey(p) === old ? newName : p)),
    );
  });
}

/** Removes a municipality from the list (notes keep their tag; it is no longer offered). */
export function deleteMunicipality(doc: Y.Doc, id: string): boolean {
  return transact(doc, () => {
    ensureMunicipalityList(doc);
    roots(doc).plan.delete(PLAN_PREFIX.share + id);
    return deleteEntry(doc, 'municipality', id);
  });
}

/** Moves a municipality to `index` in the list. */
export function moveMunicipality(doc: Y.Doc, id: string, index: number): boolean {
  return transact(doc, () => {
    ensureMunicipalityList(doc);
    return movePlanEntry(doc, 'municipality', id, index);
  });
}

/** Adds a partner organisation; returns its id. */
export function addOrganisation(doc: Y.Doc, name: string, id?: string): string {
  const clean = checkName('name', name);
  return transact(doc, () => {
    checkUnique(doc, 'organisation', clean);
    return addEntry(doc, 'organisation', { name: clean }, id);
  });
}

export function renameOrganisation(doc: Y.Doc, id: string, name: string): boolean {
  const clean = checkName('name', name);
  return transact(doc, () => {
    checkUnique(doc, 'organisation', clean, id);
    return updateEntry(doc, 'organisation', id, { name: clean });
  });
}

export function deleteOrganisation(doc: Y.Doc, id: string): boolean {
  return deleteEntry(doc, 'organisation', id);
}

/** Adds a funding source the plan knows; `municipal` marks it part of the municipal share. */
export function addFundingSource(doc: Y.Doc, name: string, municipal = false, id?: string): string {
  const clean = checkName('name', name);
  return transact(doc, () => {
    checkUnique(doc, 'source', clean);
    return addEntry(doc, 'source', { name: clean, municipal }, id);
  });
}

/** Changes a funding source; a new name is carried to the actions' funding lines that used the old one. */
export function updateFundingSource(
  doc: Y.Doc,
  id: string,
  fields: { readonly name?: string; readonly municipal?: boolean },
): boolean {
  const name = fields.name === undefined ? undefined : checkName('name', fields.name);
  return transact(doc, () => {
    const map = entry(doc, 'source', id);
    if (!map) return false;
    const old = nameKey(str(map, 'name'));
    if (name !== undefined && nameKey(name) !== old) {
      checkUnique(doc, 'source', name, id);
      roots(doc).actions.forEach((action) => {
        if (!(action instanceof Y.Map)) return;
        for (const line of readFundingLines(action))
          if (nameKey(line.source) === old) writeLine(action, line.id, { ...line, source: name });
      });
    }
    return updateEntry(doc, 'source', id, { name, municipal: fields.municipal });
  });
}

export function deleteFundingSource(doc: Y.Doc, id: string): boolean {
  return deleteEntry(doc, 'source', id);
}

export type WorkPackageFields = {
  readonly title?: string;
  readonly owner?: string;
  readonly start?: Month | null;
  readonly end?: Month | null;
};

function checkPeriod(start: Month | null | undefined, end: Month | null | undefined): void {
  checkMonth('start', start);
  checkMonth('end', end);
  if (start && end && end < start) throw new InvalidValueError('end', `${end} is before the start ${start}`);
}

function packageFields(fields: WorkPackageFields): Record<string, unknown> {
  return {
    title: fields.title === undefined ? undefined : checkName('title', fields.title),
    owner: fields.owner?.trim().slice(0, MAX_PLAN_NAME),
    start: fields.start === null ? '' : fields.start,
    end: fields.end === null ? '' : fields.end,
  };
}

/** Adds a work package; returns its id. */
export function addWorkPackage(
  doc: Y.Doc,
  fields: WorkPackageFields & { readonly title: string },
  id?: string,
): string {
  checkPeriod(fields.start, fields.end);
  return addEntry(doc, 'package', packageFields(fields), id);
}

/** Changes a work package. A period whose end is before its start is refused. */
export function updateWorkPackage(doc: Y.Doc, id: string, fields: WorkPackageFields): boolean {
  const map = entry(doc, 'package', id);
  if (!map) return false;
  checkPeriod(
    fields.start === undefined ? readMonth(map, 'start') : fields.start,
    fields.end === undefined ? readMonth(map, 'end') : fields.end,
  );
  return updateEntry(doc, 'package', id, packageFields(fields));
}

/** Deletes a work package; its actions read as in no package. */
export function deleteWorkPackage(doc: Y.Doc, id: string): boolean {
  return deleteEntry(doc, 'package', id);
}

/** Adds a strategy objective; returns its id. */
export function addObjective(doc: Y.Doc, title: string, area = '', id?: string): string {
  return addEntry(
    doc,
    'objective',
    { title: checkName('title', title), area: area.trim().slice(0, MAX_PLAN_NAME) },
    id,
  );
}

export function updateObjective(
  doc: Y.Doc,
  id: string,
  fields: { readonly title?: string; readonly area?: string },
): boolean {
  return updateEntry(doc, 'objective', id, {
    title: fields.title === undefined ? undefined : checkName('title', fields.title),
    area: fields.area?.trim().slice(0, MAX_PLAN_NAME),
  });
}

/** Deletes an objective; actions that named it no longer do. */
export function deleteObjective(doc: Y.Doc, id: string): boolean {
  return deleteEntry(doc, 'objective', id);
}

export type RecurringFields = {
  readonly title?: string;
  readonly months?: readonly number[];
  readonly owner?: string;
};

function recurringFields(fields: RecurringFields): Record<string, unknown> {
  const { months } = fields;
  if (months !== undefined) {
    if (months.length === 0) throw new InvalidValueError('months', 'must name at least one month');
    for (const m of months)
      if (!Number.isInteger(m) || m < 1 || m > 12)
        throw new InvalidValueError('months', `must be months 1–12, not ${m}`);
  }
  return {
    title: fields.title === undefined ? undefined : checkName('title', fields.title),
    months: months === undefined ? undefined : [...new Set(months)].sort((a, b) => a - b),
    owner: fields.owner?.trim().slice(0, MAX_PLAN_NAME),
  };
}

/** Adds something that recurs every year in `months` (1–12); returns its id. */
export function addRecurring(
  doc: Y.Doc,
  fields: RecurringFields & { readonly title: string; readonly months: readonly number[] },
  id?: string,
): string {
  return addEntry(doc, 'recurring', recurringFields(fields), id);
}

export function updateRecurring(doc: Y.Doc, id: string, fields: RecurringFields): boolean {
  const values = recurringFields(fields);
  return transact(doc, () => {
    const map = entry(doc, 'recurring', id);
    if (!map) return false;
    // Months are one value: a list is replaced whole (never merged into a month nobody chose).
    return updateEntry(doc, 'recurring', id, values);
  });
}

export function deleteRecurring(doc: Y.Doc, id: string): boolean {
  return deleteEntry(doc, 'recurring', id);
}

/** Names a status for this workshop; null or '' goes back to the locale's name. */
export function setStatusName(doc: Y.Doc, status: ActionStatus, name: string | null): void {
  const clean = name?.trim() ?? '';
  if (clean.length > MAX_PLAN_NAME)
    throw new InvalidValueError(
      'name',
      `is ${clean.length} characters long; at most ${MAX_PLAN_NAME} are allowed`,
    );
  transact(doc, () => {
    const key = PLAN_PREFIX.statusName + status;
    if (clean) roots(doc).plan.set(key, clean);
    else roots(doc).plan.delete(key);
  });
}

/**
 * Sets the plan's budget: a ceiling (`min` null) or a range such as 475–525 k€; both null
 * clears it. Throws InvalidValueError when the range's end is below its start.
 */
export function setPlanBudget(doc: Y.Doc, minCents: number | null, maxCents: number | null): void {
  if (minCents !== null) checkCents('budgetMinCents', minCents);
  if (maxCents !== null) checkCents('budgetMaxCents', maxCents);
  if (minCents !== null && maxCents !== null && maxCents < minCents)
    throw new InvalidValueError('budgetMaxCents', `${maxCents} is below the range's start ${minCents}`);
  transact(doc, () => {
    const plan = roots(doc).plan;
    for (const [key, value] of [
      ['budgetMinCents', minCents],
      ['budgetMaxCents', maxCents],
    ] as const)
      if (value === null) plan.delete(key);
      else plan.set(key, value);
  });
}

/** How the municipal share is split among the municipalities that share it. */
export function setCostShareMethod(doc: Y.Doc, method: CostShareMethod): void {
  transact(doc, () => roots(doc).plan.set('costShareMethod', method));
}

/**
 * Makes a municipality share the costs, with the amount set for it (used by the method
 * `amount`; 0 otherwise), or, with null, no longer share them.
 */
export function setCostShare(doc: Y.Doc, municipalityId: string, cents: number | null): boolean {
  if (cents !== null) checkCents('cents', cents);
  return transact(doc, () => {
    ensureMunicipalityList(doc);
    if (!entry(doc, 'municipality', municipalityId)) return false;
    const key = PLAN_PREFIX.share + municipalityId;
    if (cents === null) roots(doc).plan.delete(key);
    else roots(doc).plan.set(key, cents);
    return true;
  });
}

/** The month the annual wheel starts at, 1–12. */
export function setWheelStart(doc: Y.Doc, month: number): void {
  if (!Number.isInteger(month) || month < 1 || month > 12)
    throw new InvalidValueError('wheelStart', `must be a month 1–12, not ${month}`);
  transact(doc, () => roots(doc).plan.set('wheelStart', month));
}

// ---- Writing: an action's plan fields (anyone who may edit the action) ------------------------

function actionMap(doc: Y.Doc, actionId: string): Y.Map<unknown> | undefined {
  const value = roots(doc).actions.get(actionId);
  return value instanceof Y.Map ? (value as Y.Map<unknown>) : undefined;
}

export type FundingLineFields = { readonly source?: string; readonly cents?: number };

function checkLine(fields: FundingLineFields): void {
  if (fields.cents !== undefined) checkCents('cents', fields.cents);
  if (fields.source !== undefined && fields.source.length > MAX_PLAN_NAME)
    throw new InvalidValueError(
      'source',
      `is ${fields.source.length} characters long; at most ${MAX_PLAN_NAME} are allowed`,
    );
}

/** Adds a funding line to an action's budget; returns its id, or null when there is no such action. */
export function addFundingLine(
  doc: Y.Doc,
  actionId: string,
  fields: { readonly source: string; readonly cents: number },
  id?: string,
): string | null {
  checkLine(fields);
  return transact(doc, () => {
    const action = actionMap(doc, actionId);
    if (!action) return null;
    const lines = readFundingLines(action);
    if (lines.length >= MAX_FUNDING_LINES)
      throw new InvalidValueError(
        'split',
        `has ${lines.length} lines; at most ${MAX_FUNDING_LINES} are allowed`,
      );
    const lineId = id ?? newId<string>();
    const order = lines.length ? Math.max(0, ...lines.map((l) => l.order)) + 1 : 0;
    writeLine(action, lineId, { source: fields.source.trim(), cents: fields.cents, order });
    return lineId;
  });
}

/** Changes one funding line (its source, its amount or both). */
export function updateFundingLine(
  doc: Y.Doc,
  actionId: string,
  lineId: string,
  fields: FundingLineFields,
): boolean {
  checkLine(fields);
  return transact(doc, () => {
    const action = actionMap(doc, actionId);
    if (!action) return false;
    const line = readFundingLines(action).find((l) => l.id === lineId);
    if (!line) return false;
    writeLine(action, lineId, {
      source: fields.source === undefined ? line.source : fields.source.trim(),
      cents: fields.cents ?? line.cents,
      order: line.order,
    });
    return true;
  });
}

export function removeFundingLine(doc: Y.Doc, actionId: string, lineId: string): boolean {
  return transact(doc, () => {
    const action = actionMap(doc, actionId);
    if (!action || !readFundingLines(action).some((l) => l.id === lineId)) return false;
    removeLine(action, lineId);
    return true;
  });
}

/**
 * Splits an action's budget by shares, e.g. 80 % / 20 %: `total` cents over the sources by
 * their percents (summing to 100), to the cent (the rounding goes to the largest remainders).
 * Replaces the action's lines. Returns false when there is no such action.
 */
export function splitBudget(
  doc: Y.Doc,
  actionId: string,
  total: number,
  parts: readonly { readonly source: string; readonly percent: number }[],
): boolean {
  checkCents('total', total);
  const sum = parts.reduce((s, p) => s + p.percent, 0);
  if (parts.length === 0 || Math.abs(sum - 100) > 1e-9)
    throw new InvalidValueError('percent', `shares must add up to 100 %, not ${sum} %`);
  if (parts.length > MAX_FUNDING_LINES)
    throw new InvalidValueError(
      'split',
      `has ${parts.length} lines; at most ${MAX_FUNDING_LINES} are allowed`,
    );
  for (const part of parts) checkLine({ source: part.source.trim() });
  const amounts = apportion(
    total,
    parts.map((p) => p.percent),
  );
  return transact(doc, () => {
    const action = actionMap(doc, actionId);
    if (!action) return false;
    for (const line of readFundingLines(action)) removeLine(action, line.id);
    parts.forEach((part, i) =>
      writeLine(action, newId<string>(), { source: part.source.trim(), cents: amounts[i] ?? 0, order: i }),
    );
    return true;
  });
}

/** Puts an action in a work package, or in none (null). */
export function setActionPackage(doc: Y.Doc, actionId: string, packageId: string | null): boolean {
  return transact(doc, () => {
    const action = actionMap(doc, actionId);
    if (!action) return false;
    if (packageId !== null && !entry(doc, 'package', packageId)) return false;
    action.set('workPackageId', packageId ?? '');
    return true;
  });
}

/** Names a strategy objective an action serves. */
export function alignAction(doc: Y.Doc, actionId: string, objectiveId: string): boolean {
  return transact(doc, () => {
    const action = actionMap(doc, actionId);
    if (!action || !entry(doc, 'objective', objectiveId)) return false;
    const key = ACTION_PREFIX.objective + objectiveId;
    if (action.has(key)) return true;
    let last = -1;
    let named = 0;
    action.forEach((value, k) => {
      if (!k.startsWith(ACTION_PREFIX.objective)) return;
      named++;
      if (typeof value === 'number') last = Math.max(last, value);
    });
    if (named >= MAX_ACTION_OBJECTIVES)
      throw new InvalidValueError(
        'objectives',
        `are ${named}; an action names at most ${MAX_ACTION_OBJECTIVES}`,
      );
    action.set(key, last + 1);
    return true;
  });
}

/** No longer names an objective for an action. */
export function unalignAction(doc: Y.Doc, actionId: string, objectiveId: string): boolean {
  return transact(doc, () => {
    const action = actionMap(doc, actionId);
    if (!action) return false;
    action.delete(ACTION_PREFIX.objective + objectiveId);
    return true;
  });
}

/**
 * Writes an action's funding lines of its own, work package and objectives as read from another
 * copy (an action written again: salvaged, duplicated); packages and objectives that do not exist
 * here are left out. A budget that is not split ({@link isSingleBudget}) is written with the
 * action, in its single budget fields.
 */
export function writeActionPlan(
  doc: Y.Doc,
  actionId: string,
  action: Pick<Action, 'split' | 'workPackageId' | 'objectiveIds'>,
): void {
  transact(doc, () => {
    const target = actionMap(doc, actionId);
    if (!target) return;
    if (!isSingleBudget(action.split)) for (const line of action.split) writeLine(target, line.id, line);
    if (action.workPackageId !== null) setActionPackage(doc, actionId, action.workPackageId);
    for (const objective of action.objectiveIds) alignAction(doc, actionId, objective);
  });
}
