/** A title shown in full (long words wrap) that turns into a text field to rename it in place. */
import { useState } from 'react';
import { useDocumentLanguage } from '../i18n';

export function InlineTitle({
  value,
  renameLabel,
  inputLabel,
  onRename,
  className = 'lane-title',
}: {
  value: string;
  /** Accessible name of the title button, e.g. "Rename group X". */
  renameLabel: string;
  /** Accessible name of the text field. */
  inputLabel: string;
  onRename: (title: string) => void;
  className?: string;
}) {
  const [editing, setEditing] = useState(false);
  // The title is the workshop's words, in its language; the button's name is the UI's.
  const lang = useDocumentLanguage();
  if (!editing) {
    return (
      <button
        type="button"
        className={className}
        aria-label={renameLabel}
        onPointerDown={(e) => e.stopPropagation()}
        onClick={() => setEditing(true)}
      >
        <span lang={lang}>{value}</span>
      </button>
    );
  }
  return (
    <input
      className="lane-title-input"
      aria-label={inputLabel}
      lang={lang}
      defaultValue={value}
      autoFocus
      onPointerDown={(e) => e.stopPropagation()}
      onKeyDown={(e) => {
        e.stopPropagation();
        if (e.key === 'Enter') e.currentTarget.blur();
        if (e.key === 'Escape') {
          e.currentTarget.value = value;
          e.currentTarget.blur();
        }
      }}
      onBlur={(e) => {
        const title = e.currentTarget.value.trim();
        if (title && title !== value) onRename(title);
        setEditing(false);
      }}
    />
  );
}
