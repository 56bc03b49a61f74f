// The question before a window with work saved nowhere closes (or the app quits): in the user's
// language, and staying is what Enter, Escape and closing the box do, so nothing is lost by haste.
import { describe, expect, it } from 'vitest';
import { translate } from '../shared/i18n';
import { leavePrompt, leaves } from './leave-prompt';

describe('the question before leaving unsaved work', () => {
  it('asks in the user’s language, Leave or Stay', () => {
    const prompt = leavePrompt((key) => translate('fi', key));
    expect(prompt.buttons).toEqual(['Poistu', 'Jää']);
    expect(prompt.message).toBe('Poistutaanko, vaikka muutoksia ei ole vielä tallennettu?');
    expect(prompt.detail).toMatch(/menetetään/);
    expect(prompt.type).toBe('question');
  });

  it('stays unless Leave was chosen', () => {
    const prompt = leavePrompt((key) => translate('en', key));
    expect(prompt.buttons[prompt.defaultId ?? -1]).toBe('Stay');
    expect(prompt.buttons[prompt.cancelId ?? -1]).toBe('Stay');
    expect(leaves(prompt.buttons.indexOf('Leave'))).toBe(true);
    expect(leaves(prompt.buttons.indexOf('Stay'))).toBe(false);
    expect(leaves(prompt.cancelId ?? -1)).toBe(false);
  });
});
