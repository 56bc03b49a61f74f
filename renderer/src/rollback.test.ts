import { describe, expect, it } from 'vitest';
import { translate } from '../../shared';
import { REFUSALS } from '../../shared/policy/policy';
import { rollbackMessage } from './rollback';

describe('rollbackMessage', () => {
  it('says for every refusal code why the change was not kept, in every language', () => {
    const said = new Set<string>();
    for (const code of REFUSALS) {
      for (const language of ['en', 'fi', 'sv', 'et'] as const) {
        const text = translate(language, rollbackMessage(code));
        expect(text).not.toBe(rollbackMessage(code));
        said.add(`${language}:${text}`);
      }
    }
    // Each code has words of its own.
    expect(said.size).toBe(REFUSALS.length * 4);
    expect(translate('en', rollbackMessage('board-locked'))).toBe(
      'The facilitator has locked this board: your change was not kept.',
    );
  });

  it('still says the change was not kept for a code this client does not know', () => {
    expect(translate('en', rollbackMessage('from-a-newer-server'))).toContain('your change was not kept');
  });
});
