import { describe, expect, it } from 'vitest';
import { DEFAULT_RETENTION, versionsToDrop } from './retention';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Noon UTC, so day and hour buckets are easy to reason about. */
const NOW = Date.UTC(2026, 5, 15, 12, 0, 0);

/** Versions every `step` ms over `span` ms before NOW, newest first; ids are their ages. */
function every(step: number, span: number): { id: string; time: number }[] {
  const out: { id: string; time: number }[] = [];
  for (let age = 0; age <= span; age += step) out.push({ id: `age-${age}`, time: NOW - age });
  return out;
}

function kept(versions: { id: string; time: number }[], policy = DEFAULT_RETENTION): string[] {
  const dropped = new Set(versionsToDrop(versions, NOW, policy));
  return versions.filter((v) => !dropped.has(v.id)).map((v) => v.id);
}

describe('versionsToDrop', () => {
  it('keeps every version of the last day', () => {
    const day = every(10 * MINUTE, DAY - 10 * MINUTE);
    expect(kept(day)).toHaveLength(day.length);
  });

  it('keeps one version per hour for a week, then one per day up to 90 days, then none', () => {
    const versions = every(10 * MINUTE, 120 * DAY);
    const survivors = new Set(kept(versions));
    const ageOf = (id: string): number => Number(id.slice(4));
    const inRange = (from: number, to: number): number =>
      [...survivors].filter((id) => ageOf(id) >= from && ageOf(id) < to).length;
    expect(inRange(0, DAY)).toBe(144);
    // Between one and seven days old: one per clock hour (6 × 24 hours, and the part of the hour
    // that straddles the seven-day edge).
    expect(inRange(DAY, 7 * DAY)).toBe(6 * 24 + 1);
    // The newest of each hour is the one kept: 12:50 two days ago, not 12:00.
    expect(survivors.has(`age-${2 * DAY - 50 * MINUTE}`)).toBe(true);
    expect(survivors.has(`age-${2 * DAY}`)).toBe(false);
    // Between a week and 90 days: one per day (the day of the 7-day boundary is shared).
    expect(inRange(7 * DAY, 90 * DAY)).toBeGreaterThanOrEqual(82);
    expect(inRange(7 * DAY, 90 * DAY)).toBeLessThanOrEqual(84);
    expect(inRange(90 * DAY, 121 * DAY)).toBe(0);
  });

  it('always keeps the newest version, however old', () => {
    const old = [
      { id: 'a', time: NOW - 200 * DAY },
      { id: 'b', time: NOW - 300 * DAY },
    ];
    expect(kept(old)).toEqual(['a']);
  });

  it('keeps at most the cap per room, dropping the oldest', () => {
    const versions = every(MINUTE, 59 * MINUTE);
    const survivors = kept(versions, { ...DEFAULT_RETENTION, maxPerRoom: 10 });
    expect(survivors).toEqual(versions.slice(0, 10).map((v) => v.id));
  });

  it('keeps at most the byte cap per room, dropping the oldest, but always the newest', () => {
    const versions = every(MINUTE, 9 * MINUTE).map((v) => ({ ...v, bytes: 100 }));
    const policy = { ...DEFAULT_RETENTION, maxBytesPerRoom: 350 };
    expect(kept(versions, policy)).toEqual(versions.slice(0, 3).map((v) => v.id));
    const huge = [{ id: 'huge', time: NOW, bytes: 1000 }, ...versions];
    expect(kept(huge, policy)).toEqual(['huge']);
  });

  it('under either cap, keeps the newest of each earlier day before more of today, so a burst of versions cannot push the history out', () => {
    // Yesterday's and last week's boards were small; today a participant grew the room to its
    // largest size and had many versions taken of it (each unload after a change takes one).
    const earlier = [
      { id: 'yesterday', time: NOW - DAY - HOUR, bytes: 100 },
      { id: 'last-week', time: NOW - 6 * DAY, bytes: 100 },
    ];
    const burst = every(MINUTE, 59 * MINUTE).map((v) => ({ ...v, bytes: 1000 }));
    const byBytes = kept([...burst, ...earlier], { ...DEFAULT_RETENTION, maxBytesPerRoom: 10_000 });
    expect(byBytes).toEqual(expect.arrayContaining(['age-0', 'yesterday', 'last-week']));
    expect(byBytes.length).toBeGreaterThan(3);
    const byCount = kept([...burst, ...earlier], { ...DEFAULT_RETENTION, maxPerRoom: 10 });
    expect(byCount).toEqual(expect.arrayContaining(['age-0', 'yesterday', 'last-week']));
    expect(byCount).toHaveLength(10);
  });

  it('keeps versions dated after now (a clock that was ahead)', () => {
    expect(kept([{ id: 'future', time: NOW + HOUR }, ...every(HOUR, 3 * HOUR)])).toHaveLength(5);
  });
});
