/**
 * A note's municipality, chosen from the note itself: a small button on the card shows the tag
 * (or offers one) and opens the workshop's list as a listbox. Keyboard: Enter, Space or Down
 * opens it; Up/Down/Home/End move, typing jumps to a name, Enter or Space chooses, Escape or Tab
 * closes. The list is drawn over the page (a portal), not inside the card, so that a lane's
 * clipping never cuts it.
 */
import { useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { setNoteMunicipality, type NoteId } from '../../../shared';
import { nameKey } from '../../../shared/model/plan';
import { useT } from '../i18n';
import { useConnection } from '../use-workshop';
import './plan.css';

/** How long typed letters keep adding to one search ("Ha", "Ham"), in milliseconds. */
const TYPE_AHEAD_MS = 800;

export function MunicipalityTag({
  noteId,
  value,
  names,
}: {
  noteId: NoteId;
  value: string | null;
  /** The workshop's municipalities, in the list's order. */
  names: readonly string[];
}) {
  const t = useT();
  const { doc } = useConnection();
  const button = useRef<HTMLButtonElement>(null);
  const [open, setOpen] = useState(false);
  const choose = (name: string | null): void => {
    if ((name ?? '') !== (value ?? '')) setNoteMunicipality(doc, noteId, name);
    setOpen(false);
    button.current?.focus();
  };
  const shown = value ?? t('noteTag.none');
  return (
    <div className="note-tag-row">
      <button
        ref={button}
        type="button"
        className={value ? 'note-tag' : 'note-tag note-tag-add'}
        aria-haspopup="listbox"
        aria-expanded={open}
        // Named by its value alone: the note's text is its list item's, beside it (and a name that
        // repeated it would make "the button named like the note" ambiguous).
        aria-label={t('noteTag.button', { value: shown })}
        // The card selects and drags on pointer down, and edits on double-click: not from here.
        onPointerDown={(e) => e.stopPropagation()}
        onDoubleClick={(e) => e.stopPropagation()}
        onClick={() => setOpen((v) => !v)}
        onKeyDown={(e) => {
          // The board's keys (N for a new note, Delete, arrows that move notes) stay off this control.
          e.stopPropagation();
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            setOpen(true);
          }
        }}
      >
        {value ?? `+ ${t('noteTag.add')}`}
      </button>
      {open && (
        <TagList
          anchor={button}
          value={value}
          names={names}
          onChoose={choose}
          onClose={(refocus) => {
            setOpen(false);
            if (refocus) button.current?.focus();
          }}
        />
      )}
    </div>
  );
}

function TagList({
  anchor,
  value,
  names,
  onChoose,
  onClose,
}: {
  anchor: React.RefObject<HTMLButtonElement | null>;
  value: string | null;
  names: readonly string[];
  onChoose: (name: string | null) => void;
  /** `refocus`: give the focus back to the tag (Escape), not when it went elsewhere (a click, Tab). */
  onClose: (refocus: boolean) => void;
}) {
  const t = useT();
  const id = useId();
  const list = useRef<HTMLUListElement>(null);
  // The choices: no municipality, then the list (and the note's own tag, if no longer listed).
  const choices: (string | null)[] = [null, ...names];
  if (value && !names.some((n) => nameKey(n) === nameKey(value))) choices.push(value);
  const current = Math.max(
    0,
    choices.findIndex((c) => nameKey(c ?? '') === nameKey(value ?? '')),
  );
  const [active, setActive] = useState(current);
  const [place, setPlace] = useState<{ left: number; top: number; maxHeight: number } | null>(null);
  const typed = useRef({ text: '', at: 0 });

  // Under the tag, or above it when the window has more room there.
  useLayoutEffect(() => {
    const rect = anchor.current?.getBoundingClientRect();
    if (!rect) return;
    const below = window.innerHeight - rect.bottom - 8;
    const above = rect.top - 8;
    const height = Math.min(320, Math.max(below, above));
    setPlace({
      left: Math.min(rect.left, window.innerWidth - 240),
      top:
        below >= Math.min(320, list.current?.scrollHeight ?? 320) || below >= above
          ? rect.bottom + 4
          : rect.top - 4 - height,
      maxHeight: height,
    });
  }, [anchor]);

  useEffect(() => {
    list.current?.querySelector<HTMLElement>(`#${CSS.escape(`${id}-${active}`)}`)?.focus();
  }, [active, id, place]);

  // A press anywhere else, or the board moving under it, closes the list.
  useEffect(() => {
    const onPointer = (event: PointerEvent): void => {
      const target = event.target as Node;
      if (!list.current?.contains(target) && !anchor.current?.contains(target)) onClose(false);
    };
    const onWheel = (): void => onClose(false);
    document.addEventListener('pointerdown', onPointer, true);
    window.addEventListener('wheel', onWheel, { passive: true });
    window.addEventListener('resize', onWheel);
    return () => {
      document.removeEventListener('pointerdown', onPointer, true);
      window.removeEventListener('wheel', onWheel);
      window.removeEventListener('resize', onWheel);
    };
  }, [anchor, onClose]);

  const labelOf = (choice: string | null): string => choice ?? t('noteTag.clear');
  const onKeyDown = (event: React.KeyboardEvent<HTMLUListElement>): void => {
    event.stopPropagation();
    const last = choices.length - 1;
    const move = (to: number): void => {
      event.preventDefault();
      setActive(Math.max(0, Math.min(last, to)));
    };
    switch (event.key) {
      case 'ArrowDown':
        return move(active + 1);
      case 'ArrowUp':
        return move(active - 1);
      case 'Home':
        return move(0);
      case 'End':
        return move(last);
      case 'Enter':
      case ' ':
        event.preventDefault();
        return onChoose(choices[active] ?? null);
      case 'Escape':
        event.preventDefault();
        return onClose(true);
      case 'Tab':
        return onClose(false);
    }
    if (event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey) {
      // Type-ahead: the first name that starts with what was typed lately.
      const now = event.timeStamp;
      const text = (now - typed.current.at < TYPE_AHEAD_MS ? typed.current.text : '') + event.key;
      typed.current = { text, at: now };
      const found = choices.findIndex((c) => c !== null && nameKey(c).startsWith(nameKey(text)));
      if (found >= 0) move(found);
    }
  };

  return createPortal(
    <ul
      ref={list}
      role="listbox"
      aria-label={t('noteTag.list')}
      className="tag-list"
      style={
        place ? { left: place.left, top: place.top, maxHeight: place.maxHeight } : { visibility: 'hidden' }
      }
      onKeyDown={onKeyDown}
      // React passes a portal's events to its owners: a press here is not the card's (select, drag).
      onPointerDown={(e) => e.stopPropagation()}
    >
      {choices.map((choice, i) => (
        <li
          key={choice ?? ''}
          id={`${id}-${i}`}
          role="option"
          tabIndex={i === active ? 0 : -1}
          aria-selected={i === current}
          className={choice === null ? 'tag-option tag-option-none' : 'tag-option'}
          onClick={() => onChoose(choice)}
          onPointerMove={() => {
            if (i !== active) setActive(i);
          }}
        >
          {labelOf(choice)}
        </li>
      ))}
    </ul>,
    document.body,
  );
}
