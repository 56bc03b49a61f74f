/** Money typed by people: "1 234,50", "1234.5", "12 000 €" → integer cents, or null if unclear. */

/**
 * Parses an amount in the workshop's currency into integer cents. Accepts spaces (also no-break)
 * as thousands separators, a comma or a point as the decimal mark, and a trailing currency sign
 * or code. Returns null for anything else (negative, more than two decimals, not a number).
 */
export function parseMoneyToCents(text: string): number | null {
  const cleaned = text
    .replace(/[\s\u00a0\u202f]/g, '')
    .replace(/(€|eur|sek|kr)$/i, '')
    .replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) return null;
  const [whole = '0', fraction = ''] = cleaned.split('.');
  const cents = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  return Number.isSafeInteger(cents) ? cents : null;
}

/** Months from `start` to `end` inclusive, as YYYY-MM strings (empty when end is before start). */
export function monthRange(start: string, end: string): string[] {
  const months: string[] = [];
  let [y, m] = start.split('-').map(Number) as [number, number];
  const [ey, em] = end.split('-').map(Number) as [number, number];
  while (y < ey || (y === ey && m <= em)) {
    months.push(`${y}-${String(m).padStart(2, '0')}`);
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
    if (months.length > 1200) break;
  }
  return months;
}

/** `month` moved by `delta` months. */
export function addMonths(month: string, delta: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + delta;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/**
 * `total` cents in parts proportional to `weights`, summing exactly to `total`: each gets the
 * floor of its share and the cents left over go to the largest remainders (ties: the first).
 * All weights zero: equal parts.
 */
export function apportion(total: number, weights: readonly number[]): number[] {
  if (weights.length === 0) return [];
  const weightSum = weights.reduce((s, w) => s + Math.max(0, w), 0);
  const shares = weights.map((w) =>
    weightSum > 0 ? (total * Math.max(0, w)) / weightSum : total / weights.length,
  );
  const floors = shares.map(Math.floor);
  let left = total - floors.reduce((s, f) => s + f, 0);
  const byRemainder = shares
    .map((share, i) => ({ i, rest: share - Math.floor(share) }))
    .sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left <= 0) break;
    floors[i] = (floors[i] ?? 0) + 1;
    left--;
  }
  return floors;
}
