/**
 * On an item (an action's row, a note's card, a theme): a value of mine that was replaced by one
 * written while we worked apart, offline or each on our own laptop (renderer/src/collisions.ts):
 * what it was, who changed it and to what, with "Put mine back" (an ordinary edit: undoable,
 * everyone receives it) and "Dismiss".
 * A notice goes by itself once the field holds my value again (someone put it back) or the item
 * is gone.
 */
import { useEffect } from 'react';
import * as Y from 'yjs';
import type { MessageKey, Workshop } from '../../../shared';
import { ACTION_PREFIX } from '../../../shared/model/action-keys';
import { putBack, type CollisionRoot } from '../../../shared/model/collisions';
import { dismissCollision, useCollisionNotices, type CollisionNotice } from '../collisions';
import { useLanguage, useMonthNames, useT } from '../i18n';
import { useMay } from '../policy';
import { useMoney } from '../plan/budget-money';
import { useStatusName } from '../plan/statuses-section';
import { useConnection, useWorkshop } from '../use-workshop';

/** The words for each field that can collide (shared/model/collisions.ts COLLIDING_FIELDS). */
const FIELD_NAMES: Readonly<Record<CollisionRoot, Readonly<Record<string, MessageKey>>>> = {
  actions: {
    owner: 'actions.owner',
    status: 'actions.status',
    start: 'actions.start',
    end: 'actions.end',
    budgetCents: 'actions.budget',
    funding: 'actions.funding',
    workPackageId: 'actions.package',
    indicator: 'actions.indicator',
    partners: 'actions.partners',
  },
  notes: {
    laneId: 'collision.field.lane',
    municipality: 'collision.field.municipality',
    colour: 'collision.field.colour',
    themeId: 'collision.field.theme',
  },
  themes: { colour: 'collision.field.colour', title: 'collision.field.title' },
};

/** The words for the field of `notice` (each funding line is the action's funding). */
function fieldName(notice: Pick<CollisionNotice, 'root' | 'field'>): MessageKey {
  if (notice.root === 'actions' && notice.field.startsWith(ACTION_PREFIX.line)) return 'actions.funding';
  return FIELD_NAMES[notice.root][notice.field] ?? 'collision.field.value';
}

/** A field's value in words, as the item shows it. */
function useValueWords(): (
  notice: Pick<CollisionNotice, 'root' | 'field'>,
  value: unknown,
  w: Workshop,
) => string {
  const t = useT();
  const money = useMoney();
  const months = useMonthNames('long');
  const statusName = useStatusName();
  /** A funding line's source and amount ("OKM: 120 000,00 €"); removed, "empty". */
  const lineWords = (value: unknown): string => {
    if (typeof value !== 'object' || value === null) return t('collision.empty');
    const { source, cents } = value as Record<string, unknown>;
    const amount = typeof cents === 'number' ? money(cents) : '';
    return typeof source === 'string' && source.trim() ? `${source.trim()}: ${amount}` : amount;
  };
  return (notice, value, w) => {
    const { root, field } = notice;
    const text = typeof value === 'string' ? value : '';
    if (field.startsWith(ACTION_PREFIX.line)) return lineWords(value);
    if (Array.isArray(value))
      return value.filter((v) => typeof v === 'string').join(', ') || t('collision.empty');
    if (field === 'budgetCents') return typeof value === 'number' ? money(value) : t('collision.empty');
    if (text === '') return t('collision.empty');
    if (field === 'status') return statusName(text as never);
    if (field === 'colour') return t(`colour.${text}` as MessageKey);
    if (field === 'start' || field === 'end') {
      const match = /^(\d{4})-(\d{2})$/.exec(text);
      const name = match ? months[Number(match[2]) - 1] : undefined;
      return match && name ? `${name} ${match[1]}` : text;
    }
    if (field === 'workPackageId') return w.plan.packages.find((p) => p.id === text)?.title ?? text;
    if (root === 'notes' && field === 'themeId') return w.themes.find((th) => th.id === text)?.title ?? text;
    if (root === 'notes' && field === 'laneId') {
      for (const board of w.boards) {
        const lane = board.lanes.find((l) => l.id === text);
        if (lane) return lane.title;
      }
    }
    return text;
  };
}

/** The value the field holds now, as stored; undefined when the item is gone. */
function storedValue(doc: Y.Doc, notice: CollisionNotice): { value: unknown } | undefined {
  const item = doc.getMap<unknown>(notice.root).get(notice.id);
  return item instanceof Y.Map ? { value: (item as Y.Map<unknown>).get(notice.field) } : undefined;
}

function Notice({ notice }: { notice: CollisionNotice }) {
  const t = useT();
  const language = useLanguage();
  const { doc, place } = useConnection();
  const words = useValueWords();
  // Re-read on every change of the workshop: the field may hold my value again, or the item be gone.
  const text = useWorkshop((w) => {
    const field = t(fieldName(notice)).toLocaleLowerCase(language);
    return t('collision.replaced', {
      field,
      mine: words(notice, notice.lost, w),
      theirs: words(notice, notice.won, w),
      who: notice.by ?? t('collision.someone'),
    });
  });
  // Where this person may no longer change the field (a lock, narrowed rules), there is nothing to put back.
  const mayPutBack = useMay({ kind: 'edit', root: notice.root, id: notice.id, field: notice.field });
  const settled = useWorkshop(() => {
    const stored = storedValue(doc, notice);
    return stored === undefined || JSON.stringify(stored.value) === JSON.stringify(notice.lost);
  });
  useEffect(() => {
    if (settled) dismissCollision(place, notice.key);
  }, [settled, place, notice.key]);
  if (settled) return null;
  return (
    <div className="collision-notice" role="status">
      <p>{text}</p>
      <div className="collision-buttons">
        {mayPutBack && (
          <button
            type="button"
            className="primary-button"
            onClick={() => {
              if (putBack(doc, notice)) dismissCollision(place, notice.key);
            }}
          >
            {t('collision.putBack')}
          </button>
        )}
        <button
          type="button"
          className="secondary-button"
          onClick={() => dismissCollision(place, notice.key)}
        >
          {t('collision.dismiss')}
        </button>
      </div>
    </div>
  );
}

/** The notices on item `id` of `root`, or nothing. */
export function CollisionNotices({ root, id }: { root: CollisionRoot; id: string }) {
  const { place } = useConnection();
  const notices = useCollisionNotices(place, root, id);
  if (notices.length === 0) return null;
  return (
    // Its buttons are not the note's: a press on them neither selects nor drags the item.
    <div className="collision-notices" onPointerDown={(event) => event.stopPropagation()}>
      {notices.map((n) => (
        <Notice key={n.key} notice={n} />
      ))}
    </div>
  );
}

/** The notices of action `id` as a row of the action table under its own, or nothing. */
export function CollisionRow({ id, colSpan }: { id: string; colSpan: number }) {
  const { place } = useConnection();
  const notices = useCollisionNotices(place, 'actions', id);
  if (notices.length === 0) return null;
  return (
    <tr className="collision-row">
      <td colSpan={colSpan}>
        <CollisionNotices root="actions" id={id} />
      </td>
    </tr>
  );
}
