/** A modal dialog: a backdrop, a titled panel named by its heading; Escape closes it when it can be closed. */
import type { ReactNode } from 'react';

export function Modal({
  titleId,
  title,
  wide = false,
  onClose,
  children,
}: {
  titleId: string;
  title: string;
  wide?: boolean;
  /** Called on Escape; a dialog without it (a required answer) stays open. */
  onClose?: () => void;
  children: ReactNode;
}) {
  return (
    <div className="dialog-backdrop">
      <div
        className={wide ? 'dialog wide' : 'dialog'}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        onKeyDown={onClose ? (e) => e.key === 'Escape' && onClose() : undefined}
      >
        <h2 id={titleId}>{title}</h2>
        {children}
      </div>
    </div>
  );
}
