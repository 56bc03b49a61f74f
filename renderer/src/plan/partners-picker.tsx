/**
 * An action's partners: chips for those named, and a combobox that offers the workshop's
 * municipalities and partner organisations as one types (a name not in either list is kept as
 * typed). Keyboard: Down/Up move in the list, Enter adds the highlighted name (or what was
 * typed), Escape closes the list, Backspace in the empty field takes the last partner away.
 * The list is drawn over the page (a portal), so the table's scrolling box never clips it.
 */
import { useId, useLayoutEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { nameKey } from '../../../shared/model/plan';
import { partnerChoices, type Choice } from './plan-rules';
import { useT } from '../i18n';
import { sameItems, useWorkshop } from '../use-workshop';
import './plan.css';

export function PartnersPicker({
  partners,
  label,
  fixed,
  onChange,
}: {
  partners: readonly string[];
  /** The field's name, with its action's ("Partners: Seminar"). */
  label: string;
  /** Why this person may not change them now; null when they may. */
  fixed: string | null;
  onChange: (partners: string[]) => void;
}) {
  const t = useT();
  const id = useId();
  const municipalities = useWorkshop((w) => w.plan.municipalities.map((m) => m.name), sameItems);
  const organisations = useWorkshop((w) => w.plan.organisations.map((o) => o.name), sameItems);
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const choices = open ? partnerChoices(text, municipalities, organisations, partners) : [];

  const add = (name: string): void => {
    const clean = name.trim();
    if (clean && !partners.some((p) => nameKey(p) === nameKey(clean))) onChange([...partners, clean]);
    setText('');
    setActive(-1);
  };
  const onKeyDown = (event: React.KeyboardEvent<HTMLInputElement>): void => {
    const last = choices.length - 1;
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        setOpen(true);
        setActive((a) => (a >= last ? 0 : a + 1));
        return;
      case 'ArrowUp':
        event.preventDefault();
        setOpen(true);
        setActive((a) => (a <= 0 ? last : a - 1));
        return;
      case 'Enter': {
        event.preventDefault();
        const choice = choices[active];
        if (choice) add(choice.name);
        else if (text.trim()) add(text);
        return;
      }
      case 'Escape':
        if (open || text) {
          // The table (or a dialog around it) keeps its own Escape for when there is nothing here.
          event.preventDefault();
          event.stopPropagation();
          setOpen(false);
          setText('');
          setActive(-1);
        }
        return;
      case 'Backspace':
        if (text === '' && partners.length > 0) onChange(partners.slice(0, -1));
        return;
      case 'Tab':
        setOpen(false);
        return;
    }
  };

  const optionId = (i: number): string => `${id}-option-${i}`;
  return (
    <div className="partners-picker" role="group" aria-label={label} title={fixed ?? undefined}>
      {partners.length > 0 && (
        <ul className="partner-chips">
          {partners.map((partner) => (
            <li key={partner} className="partner-chip">
              <span>{partner}</span>
              {fixed === null && (
                <button
                  type="button"
                  className="chip-remove"
                  aria-label={t('partners.remove', { name: partner })}
                  onClick={() => {
                    onChange(partners.filter((p) => p !== partner));
                    input.current?.focus();
                  }}
                >
                  ×
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {fixed === null && (
        <input
          ref={input}
          type="text"
          className="partner-input"
          role="combobox"
          aria-label={t('partners.add')}
          aria-expanded={open && choices.length > 0}
          aria-controls={`${id}-list`}
          aria-autocomplete="list"
          aria-activedescendant={
            open && active >= 0 && active < choices.length ? optionId(active) : undefined
          }
          placeholder={t('partners.placeholder')}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setOpen(true);
            setActive(-1);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => {
            setOpen(false);
            // What was typed and left is kept, as the field it replaces kept it.
            if (text.trim()) add(text);
          }}
          onKeyDown={onKeyDown}
        />
      )}
      {open && choices.length > 0 && (
        <PartnerList
          id={`${id}-list`}
          anchor={input}
          label={label}
          choices={choices}
          active={active}
          optionId={optionId}
          onPick={(choice) => {
            add(choice.name);
            input.current?.focus();
          }}
        />
      )}
    </div>
  );
}

function PartnerList({
  id,
  anchor,
  label,
  choices,
  active,
  optionId,
  onPick,
}: {
  id: string;
  anchor: React.RefObject<HTMLInputElement | null>;
  label: string;
  choices: readonly Choice[];
  active: number;
  optionId: (i: number) => string;
  onPick: (choice: Choice) => void;
}) {
  const t = useT();
  const list = useRef<HTMLUListElement>(null);
  // Placed under the field (above it when the window has more room there) before it is painted.
  useLayoutEffect(() => {
    const rect = anchor.current?.getBoundingClientRect();
    const element = list.current;
    if (!rect || !element) return;
    const style = element.style;
    const below = window.innerHeight - rect.bottom - 8;
    const above = rect.top - 8;
    const under = below >= 160 || below >= above;
    const height = Math.min(300, under ? below : above);
    style.left = `${Math.min(rect.left, window.innerWidth - 260)}px`;
    style.top = `${under ? rect.bottom + 2 : rect.top - 2 - Math.min(height, element.scrollHeight)}px`;
    style.minWidth = `${Math.max(240, rect.width)}px`;
    style.maxHeight = `${height}px`;
    style.visibility = 'visible';
  }, [anchor, choices.length]);
  // Keeps the highlighted option in view as the arrows move.
  useLayoutEffect(() => {
    if (active >= 0) document.getElementById(optionId(active))?.scrollIntoView({ block: 'nearest' });
  }, [active, optionId]);
  const kindLabel = (kind: Choice['kind']): string =>
    kind === 'municipality'
      ? t('partners.municipality')
      : kind === 'organisation'
        ? t('partners.organisation')
        : '';
  return createPortal(
    <ul
      id={id}
      role="listbox"
      aria-label={label}
      className="tag-list partner-list"
      ref={list}
      style={{ visibility: 'hidden' }}
      // A press on the list must not take the focus from the field (its blur closes the list).
      onPointerDown={(e) => e.preventDefault()}
    >
      {choices.map((choice, i) => (
        <li
          key={`${choice.kind}:${choice.name}`}
          id={optionId(i)}
          role="option"
          aria-selected={i === active}
          className={i === active ? 'tag-option partner-option active' : 'tag-option partner-option'}
          onClick={() => onPick(choice)}
        >
          {choice.kind === 'typed' ? (
            t('partners.addTyped', { name: choice.name })
          ) : (
            <>
              <span>{choice.name}</span>
              <span className="partner-kind" aria-hidden="true">
                {kindLabel(choice.kind)}
              </span>
            </>
          )}
        </li>
      ))}
    </ul>,
    document.body,
  );
}
