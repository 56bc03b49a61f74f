import { describe, expect, it } from 'vitest';
import { addMonths, monthRange, parseMoneyToCents } from './money';

describe('money typed by people', () => {
  it('reads Nordic and English ways of writing amounts into integer cents', () => {
    expect(parseMoneyToCents('1 234,50')).toBe(123_450);
    expect(parseMoneyToCents('1234.5')).toBe(123_450);
    expect(parseMoneyToCents('12\u00a0000 €')).toBe(1_200_000);
    expect(parseMoneyToCents('0')).toBe(0);
    expect(parseMoneyToCents('42000 SEK')).toBe(4_200_000);
  });

  it('refuses what it cannot read exactly', () => {
    expect(parseMoneyToCents('-5')).toBeNull();
    expect(parseMoneyToCents('10,005')).toBeNull();
    expect(parseMoneyToCents('ten')).toBeNull();
    expect(parseMoneyToCents('')).toBeNull();
  });
});

describe('months', () => {
  it('lists the months of a span across a year end, and moves months', () => {
    expect(monthRange('2022-11', '2023-02')).toEqual(['2022-11', '2022-12', '2023-01', '2023-02']);
    expect(monthRange('2023-02', '2022-11')).toEqual([]);
    expect(addMonths('2022-12', 1)).toBe('2023-01');
    expect(addMonths('2023-01', -1)).toBe('2022-12');
    expect(addMonths('2023-01', -13)).toBe('2021-12');
  });
});
