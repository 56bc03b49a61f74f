/**
 * The question main asks when the page says it holds work saved nowhere yet (its `beforeunload`,
 * Electron's `will-prevent-unload`): closing the window and quitting (Cmd+Q, File > Quit, which
 * close the windows first) both come here. Staying is the default and the answer to Escape.
 */
import type { MessageBoxSyncOptions } from 'electron';
import type { MessageKey } from '../shared/i18n';

/** The button that leaves; the other stays. */
const LEAVE = 0;
const STAY = 1;

/** The native message box's options, in the language of `t`. */
export function leavePrompt(t: (key: MessageKey) => string): MessageBoxSyncOptions & { buttons: string[] } {
  return {
    type: 'question',
    buttons: [t('desktop.leave'), t('desktop.stay')],
    defaultId: STAY,
    cancelId: STAY,
    noLink: true,
    message: t('desktop.leaveMessage'),
    detail: t('desktop.leaveDetail'),
  };
}

/** True when the answer to {@link leavePrompt} was to leave (and lose the unsaved work). */
export function leaves(response: number): boolean {
  return response === LEAVE;
}
