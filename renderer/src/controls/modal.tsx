/**
 * A modal dialog: a backdrop, a titled panel named by its heading; Escape closes it when it can be
 * closed. Focus moves into the dialog when it opens, Tab stays inside it, and focus goes back to
 * where it was (the button that opened it) when it closes.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';

const FOCUSABLE =
  'button:not(:disabled), input:not(:disabled), select:not(:disabled), textarea:not(:disabled), iframe, [href], [tabindex]:not([tabindex="-1"])';

/** What Tab reaches inside `dialog`, in order. */
function focusables(dialog: HTMLElement): HTMLElement[] {
  return [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    // Tab reaches a radio group by its checked radio only.
    (item) => !(item instanceof HTMLInputElement && item.type === 'radio' && !item.checked),
  );
}

/**
 * A dialog's buttons, in its lower right corner: Cancel or Close first, the dialog's main action
 * last (a primary or a danger button). A dialog whose changes apply as they are made has one
 * button here, Close, as a secondary button (UI.md, "Dialogs").
 */
export function DialogFooter({ children }: { children: ReactNode }) {
  return <div className="dialog-footer">{children}</div>;
}

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
  const panel = useRef<HTMLDivElement>(null);
  // Read while rendering, before a child's autoFocus takes the focus.
  const [opener] = useState(() =>
    document.activeElement instanceof HTMLElement ? document.activeElement : null,
  );
  const close = useRef(onClose);
  useEffect(() => {
    close.current = onClose;
  });

  useEffect(() => {
    const dialog = panel.current;
    // A child may have taken the focus already (a name field); else the dialog itself has it, so
    // a screen reader reads its title and the first Tab reaches its first control.
    if (dialog && !dialog.contains(document.activeElement)) dialog.focus();
    // A control that disappears under the focus (a button replaced by its confirmation) leaves it
    // on the page's body, outside the dialog: keys pressed then still belong to the dialog.
    const onKey = (event: KeyboardEvent): void => {
      if (!dialog || event.defaultPrevented || dialog.contains(document.activeElement)) return;
      if (event.key === 'Escape' && close.current) {
        event.preventDefault();
        close.current();
      } else if (event.key === 'Tab') {
        event.preventDefault();
        dialog.focus();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      if (opener?.isConnected) opener.focus();
    };
  }, [opener]);

  const onKeyDown = (event: React.KeyboardEvent<HTMLDivElement>): void => {
    if (event.nativeEvent.defaultPrevented) return;
    if (event.key === 'Escape' && onClose) {
      event.preventDefault();
      onClose();
      return;
    }
    if (event.key !== 'Tab') return;
    const items = focusables(event.currentTarget);
    const first = items[0];
    const last = items.at(-1);
    if (!first || !last) return event.preventDefault();
    const at = document.activeElement;
    if (event.shiftKey && (at === first || at === event.currentTarget)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && at === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return (
    <div className="dialog-backdrop">
      <div
        ref={panel}
        className={wide ? 'dialog wide' : 'dialog'}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <h2 id={titleId}>{title}</h2>
        {children}
      </div>
    </div>
  );
}
