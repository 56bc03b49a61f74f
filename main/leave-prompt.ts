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

/**
 * What the terminal says when Ctrl+C (or another signal) quits and the page holds unsaved work:
 * the question waits in the window, and a second Ctrl+C there stops the app without it. In
 * English, as the terminal's other lines from npm start are.
 */
export const LEAVE_QUESTION_NOTICE =
  'Talkoo asks in its window whether to leave typing not saved yet: answer there (Ctrl+C again stops it at once, and that typing is lost).';

/** What the terminal says when the answer in the window was to stay: the app runs on. */
export const STAYED_NOTICE = 'Talkoo stays open, as answered in its window.';
