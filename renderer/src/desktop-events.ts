/**
 * The page's side of the desktop app: main's events (a file the system opened, a menu command)
 * go on the page's bus (commands.ts), and what File > New and Close and Edit > Undo and Redo do
 * whichever screen is showing is here. (The file flow handles files, Open and Save a Copy; the
 * workshop screen Export and the workshop's undo; the about dialog About.) Also the question
 * before the window closes with work saved nowhere yet: the page says so in `beforeunload`, and
 * the desktop app asks (main.ts).
 */
import { dispatchCommand, onCommand } from './commands';
import { onDesktopEvent } from './platform';
import { useUi } from './ui-store';

/** The hash of Home (routes.ts). */
const HOME = '#/';

/**
 * True while a text field has the focus: Undo and Redo are then the field's own, as Ctrl+Z is
 * (the workshop screen's keys leave inputs and text areas to the browser).
 */
export function textFieldHasFocus(): boolean {
  const focused = document.activeElement;
  return focused instanceof Element && focused.closest('input, textarea') !== null;
}

/**
 * True when leaving the page now would lose work saved nowhere: text typed into a note that is
 * still being edited (it is written to the workshop when the editor closes). Changes already made
 * are in this device's copy of the workshop even while offline, and reach the server later.
 */
export function hasUnsavedWork(): boolean {
  const { editing, draft } = useUi.getState();
  return editing !== null && draft !== null && draft.noteId === editing;
}

/**
 * Ends the edit of a note whose text is being typed as a click elsewhere would, which writes the
 * text into its note. Called before the page goes to another screen by itself (a file that opens
 * a workshop, the menu's New and Close): the workshop screen going away would drop the text.
 */
export function keepTypedText(): void {
  if (!hasUnsavedWork()) return;
  const focused = document.activeElement;
  // The note's editor writes what it holds when it loses the focus (boards/text-editor.tsx).
  if (focused instanceof HTMLElement) focused.blur();
}

/**
 * Puts main's events on the bus and handles the menu commands no screen owns, and guards leaving;
 * returns the stop. Started once the screens have mounted (App's effect runs after theirs), so
 * the events main held until the page loaded find their listeners.
 */
export function startDesktopCommands(): () => void {
  const stopCommands = onCommand((command) => {
    if (command.kind !== 'menu') return;
    switch (command.command) {
      case 'new':
        goHome();
        focusWhenShown('form[aria-labelledby="create-title"] input');
        return;
      case 'close':
        goHome();
        return;
      case 'undo':
      case 'redo':
        // The field's own undo, as its Ctrl+Z would; without a field the workshop screen undoes.
        // execCommand is the one way to reach it from script (deprecated, kept by every browser).
        if (textFieldHasFocus()) document.execCommand(command.command);
        return;
      default:
        return;
    }
  });
  const onBeforeUnload = (event: BeforeUnloadEvent): void => {
    if (!hasUnsavedWork()) return;
    event.preventDefault();
    // Older browsers ask only when returnValue is set.
    event.returnValue = '';
  };
  window.addEventListener('beforeunload', onBeforeUnload);
  // Last: a command held for the page reaches the listener above too.
  const stopEvents = onDesktopEvent(dispatchCommand);
  return () => {
    stopEvents();
    stopCommands();
    window.removeEventListener('beforeunload', onBeforeUnload);
  };
}

function goHome(): void {
  if (window.location.hash === HOME) return;
  keepTypedText();
  window.location.hash = HOME;
}

/** Focuses the first element matching `selector` once it is on the page (Home renders after the hash changes). */
function focusWhenShown(selector: string): void {
  const focus = (): boolean => {
    const element = document.querySelector<HTMLElement>(selector);
    element?.focus();
    return element !== null;
  };
  if (focus()) return;
  const observer = new MutationObserver(() => {
    if (focus()) stop();
  });
  // Home without the form (no organiser on this device) never shows it: stop looking soon.
  const timer = window.setTimeout(() => stop(), 10_000);
  const stop = (): void => {
    observer.disconnect();
    window.clearTimeout(timer);
  };
  observer.observe(document.body, { childList: true, subtree: true });
}
