/**
 * The boards' municipality filter: one municipality at a time, held for the open workshop while
 * its boards change (needs, themes). Notes of other municipalities stay in place, drawn as
 * outside the filter (note-card.tsx), so a lane keeps its shape; the control in the status bar
 * (workshop-screen.tsx) says the filter is on and clears it.
 */
import { useId } from 'react';
import type * as Y from 'yjs';
import { create } from 'zustand';
import type { Note, Workshop } from '../../../shared';
import { nameKey } from '../../../shared/model/plan';
import { useT, useTn } from '../i18n';
import './plan.css';
import { useConnection, useWorkshop, sameItems } from '../use-workshop';

type FilterState = {
  /** The workshop the filter was set in: another workshop starts unfiltered. */
  readonly doc: Y.Doc | null;
  readonly municipality: string | null;
  readonly set: (doc: Y.Doc, municipality: string | null) => void;
};

const useFilterStore = create<FilterState>((set) => ({
  doc: null,
  municipality: null,
  set: (doc, municipality) => set({ doc, municipality }),
}));

/**
 * The municipality the open workshop's boards are filtered by: a name, '' for the notes with no
 * municipality, or null for no filter.
 */
export function useMunicipalityFilter(): string | null {
  const { doc } = useConnection();
  return useFilterStore((s) => (s.doc === doc ? s.municipality : null));
}

/** Sets the open workshop's filter: a name, '' for the notes with no municipality, null for none. */
export function useSetMunicipalityFilter(): (municipality: string | null) => void {
  const { doc } = useConnection();
  const set = useFilterStore((s) => s.set);
  return (municipality) => set(doc, municipality);
}

/** Whether `note` falls outside the filter `municipality` (null: no filter, nothing is outside). */
export function outsideFilter(note: Note, municipality: string | null): boolean {
  return municipality !== null && nameKey(note.municipality ?? '') !== nameKey(municipality);
}

/** The names of the workshop's municipalities, in the list's order. */
export function municipalityNames(workshop: Workshop): string[] {
  return workshop.plan.municipalities.map((m) => m.name);
}

/**
 * The filter control in the status bar: a select of the municipalities and, while a filter is on,
 * "Filtered: Hamina · 3 notes match" with a Clear button.
 */
/** The select's values for "all" and "no municipality": names are trimmed, so no name is either. */
const ALL = '';
const NONE = ' ';

export function MunicipalityFilterBar() {
  const t = useT();
  const tn = useTn();
  const id = useId();
  const { doc } = useConnection();
  const filter = useMunicipalityFilter();
  const set = useFilterStore((s) => s.set);
  const names = useWorkshop(municipalityNames, sameItems);
  const matches = useWorkshop((w) =>
    filter === null ? 0 : w.notes.filter((n) => !outsideFilter(n, filter)).length,
  );
  if (names.length === 0 && filter === null) return null;
  // A filter on a municipality since removed from the list stays choosable until cleared.
  const options = filter && !names.some((n) => nameKey(n) === nameKey(filter)) ? [...names, filter] : names;
  const shown = filter === '' ? t('noteTag.clear') : filter;
  return (
    <div className={filter === null ? 'municipality-filter' : 'municipality-filter active'}>
      {/* Filtered, the bar reads "Filtered: [Hamina ▾] · 2 notes match": short, for the status bar. */}
      <label htmlFor={`${id}-select`} className={filter === null ? undefined : 'visually-hidden'}>
        {t('filter.label')}
      </label>
      {filter !== null && <strong aria-hidden="true">{t('filter.activeShort')}</strong>}
      <select
        id={`${id}-select`}
        value={filter === null ? ALL : filter === '' ? NONE : filter}
        onChange={(e) => {
          const value = e.target.value;
          set(doc, value === ALL ? null : value === NONE ? '' : value);
        }}
      >
        <option value={ALL}>{t('filter.all')}</option>
        {options.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
        <option value={NONE}>{t('noteTag.clear')}</option>
      </select>
      {/* Always in the page, so that a screen reader hears the filter come and go. */}
      <span className="filter-state" role="status">
        {filter !== null && (
          <>
            <span className="visually-hidden">{t('filter.active', { name: shown ?? '' })} · </span>
            {tn('filter.matches', matches)}
          </>
        )}
      </span>
      {filter !== null && (
        <button
          type="button"
          className="icon-button filter-clear"
          aria-label={t('filter.clear')}
          title={t('filter.clear')}
          onClick={() => set(doc, null)}
        >
          ×
        </button>
      )}
    </div>
  );
}
