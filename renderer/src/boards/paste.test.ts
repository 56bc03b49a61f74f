import { describe, expect, it } from 'vitest';
import { ASK_ABOVE_LINES, MAX_PASTED_NOTES, planPaste } from './paste';

describe('what a paste on a board becomes', () => {
  it('a few lines: one note each, straight away, blank lines skipped', () => {
    expect(planPaste('Yksi\r\n\n  Kaksi  \n')).toEqual({ kind: 'add', lines: ['Yksi', 'Kaksi'] });
  });

  it('nothing but white space: nothing', () => {
    expect(planPaste(' \n\t\n')).toEqual({ kind: 'none' });
  });

  it('more lines than a person would mean by accident: a question first, saying how many', () => {
    const text = Array.from({ length: 3_000 }, (_, i) => `Tarve ${i}`).join('\n');
    const plan = planPaste(text);
    expect(plan.kind).toBe('ask');
    expect(plan.kind === 'ask' && plan.lines.length).toBe(3_000);
    expect(planPaste(Array.from({ length: ASK_ABOVE_LINES }, () => 'x').join('\n')).kind).toBe('add');
  });

  it('a line too long for a note, or more notes than any import takes: refused whole', () => {
    expect(planPaste(`Lyhyt\n${'x'.repeat(260_000)}`)).toEqual({ kind: 'line-too-long' });
    const many = Array.from({ length: MAX_PASTED_NOTES + 1 }, () => 'x').join('\n');
    expect(planPaste(many)).toEqual({ kind: 'too-many', count: MAX_PASTED_NOTES + 1 });
  });
});
