/**
 * The in-place text editor of a note and of a private draft: Enter saves, Shift+Enter breaks the
 * line, Escape cancels, and leaving it saves. What it tells others (presence) is the caller's.
 */
import { useEffect, useRef, useState } from 'react';
import { useDocumentLanguage } from '../i18n';

/**
 * Edits `initial` in place and calls `onDone` once: with the new text (`initial` again when it was
 * emptied), or null when cancelled. `resumed` is text typed before the editor was drawn anew: it
 * goes on from there with the caret at its end instead of the whole text selected.
 */
export function TextEditor({
  initial,
  resumed = null,
  label,
  onChange,
  onDone,
}: {
  initial: string;
  resumed?: string | null;
  label: string;
  onChange?: (text: string) => void;
  onDone: (text: string | null) => void;
}) {
  const documentLanguage = useDocumentLanguage();
  const [text, setText] = useState(resumed ?? initial);
  const ref = useRef<HTMLTextAreaElement>(null);
  const done = useRef(false);
  useEffect(() => {
    const area = ref.current;
    area?.focus();
    if (resumed === null) area?.select();
    else area?.setSelectionRange(area.value.length, area.value.length);
  }, [resumed]);
  const finish = (value: string | null): void => {
    if (done.current) return;
    done.current = true;
    onDone(value === null ? null : value.trim() || initial);
  };
  return (
    <textarea
      ref={ref}
      className="note-editor"
      aria-label={label}
      // Written in the workshop's language: the spell checker follows it.
      lang={documentLanguage}
      value={text}
      rows={3}
      onChange={(e) => {
        setText(e.target.value);
        onChange?.(e.target.value);
      }}
      onBlur={() => finish(text)}
      onPointerDown={(e) => e.stopPropagation()}
      onKeyDown={(e) => {
        e.stopPropagation();
        if (e.key === 'Enter' && !e.shiftKey) {
          e.preventDefault();
          finish(text);
        } else if (e.key === 'Escape') {
          e.preventDefault();
          finish(null);
        }
      }}
    />
  );
}
