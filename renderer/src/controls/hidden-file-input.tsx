/**
 * A file input kept out of sight and out of the tab order: a visible button or a command clicks
 * it through `ref`. It hands over the chosen file and forgets it, so that choosing the same file
 * again (after fixing it, or once more) is a change too.
 */
import type { Ref } from 'react';

export function HiddenFileInput({
  ref,
  accept,
  label,
  onFile,
}: {
  ref: Ref<HTMLInputElement>;
  /** The input's `accept`: extensions and media types. */
  accept: string;
  /** The input's accessible name. */
  label: string;
  /** Called with the file chosen. */
  onFile: (file: File) => void;
}) {
  return (
    <input
      ref={ref}
      type="file"
      accept={accept}
      className="visually-hidden"
      tabIndex={-1}
      aria-label={label}
      onChange={(e) => {
        const file = e.currentTarget.files?.[0];
        e.currentTarget.value = '';
        if (file) onFile(file);
      }}
    />
  );
}
