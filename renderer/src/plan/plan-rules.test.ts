// The plan UI's small pure rules: what the partners list offers, how a typed count reads, which
// names a list refuses, and the heat table's shading.
import { describe, expect, it } from 'vitest';
import { nameProblem, parseCount, partnerChoices, shadeOf } from './plan-rules';

describe('partnerChoices', () => {
  const municipalities = ['Kotka', 'Hamina', 'Lieksa'];
  const organisations = ['Kotka Music Institute', 'Kymenlaakso Museum'];

  it('offers the listed names that contain what was typed, municipalities first, then the text itself', () => {
    expect(partnerChoices('KOT', municipalities, organisations, [])).toEqual([
      { name: 'Kotka', kind: 'municipality' },
      { name: 'Kotka Music Institute', kind: 'organisation' },
      { name: 'KOT', kind: 'typed' },
    ]);
  });

  it('leaves out the partners already chosen, and offers no typed copy of a listed or chosen name', () => {
    expect(partnerChoices('kotka', municipalities, organisations, ['Kotka Music Institute'])).toEqual([
      { name: 'Kotka', kind: 'municipality' },
    ]);
    expect(partnerChoices(' hamina ', municipalities, organisations, ['Hamina'])).toEqual([]);
  });

  it('offers everything not chosen while nothing is typed', () => {
    expect(partnerChoices('', municipalities, organisations, ['Lieksa']).map((c) => c.name)).toEqual([
      'Kotka',
      'Hamina',
      'Kotka Music Institute',
      'Kymenlaakso Museum',
    ]);
  });
});

describe('parseCount', () => {
  it('reads whole numbers written with group separators, and nothing as none', () => {
    expect(parseCount('19 500')).toBe(19500);
    expect(parseCount('19\u202f500')).toBe(19500);
    expect(parseCount('1,234,567')).toBe(1234567);
    expect(parseCount('  ')).toBeNull();
  });

  it('refuses what is not a whole number', () => {
    expect(parseCount('-3')).toBeNaN();
    expect(parseCount('about 300')).toBeNaN();
  });
});

describe('nameProblem', () => {
  it('refuses an empty name and one already in the list, ignoring case and spaces', () => {
    expect(nameProblem('  ', ['Kotka'])).toBe('plan.error.empty');
    expect(nameProblem(' kotka', ['Kotka'])).toBe('plan.error.taken');
    expect(nameProblem('Hamina', ['Kotka'])).toBeNull();
  });
});

describe('shadeOf', () => {
  it('leaves empty cells white and gives the largest cell the strongest shade', () => {
    expect(shadeOf(0, 5)).toBe('#ffffff');
    expect(shadeOf(5, 5)).toBe('#9cc1f5');
    expect(shadeOf(1, 5)).not.toBe('#ffffff');
    expect(shadeOf(1, 5)).not.toBe(shadeOf(5, 5));
  });
});
