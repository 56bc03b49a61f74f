/**
 * The page's one bus for commands that come from outside a screen: the desktop menu, a workshop
 * file the operating system handed the app, a file dropped on the window. Whoever can act on a
 * command listens (the file flow opens files, the workshop screen exports); whoever receives one
 * dispatches it (the desktop bridge, the drop target).
 */
import type { DesktopEvent } from '../../shared/ipc';

/** A command for the page: what main sends (shared/ipc.ts `DesktopEvent`). */
export type AppCommand = DesktopEvent;

type Listener = (command: AppCommand) => void;

const listeners = new Set<Listener>();

/** Hands `command` to every listener, in the order they subscribed. */
export function dispatchCommand(command: AppCommand): void {
  for (const listener of [...listeners]) listener(command);
}

/** Calls `listener` with every command from now on; returns the unsubscribe. */
export function onCommand(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
