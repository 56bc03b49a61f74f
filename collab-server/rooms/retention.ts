/**
 * Which versions of a room's history are kept: every version of the last day, then the newest of
 * each hour for a week, the newest of each day for 90 days, and never more than a cap per room,
 * in count and in bytes; under a cap the newest of each day are kept before more of one day.
 * The newest version is always kept, however old, so a room unused for months still has one. Pure.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** How long each tier lasts, counted from now, and the most versions a room keeps. */
export type RetentionPolicy = {
  /** Every version younger than this is kept. */
  readonly allForMs: number;
  /** Then the newest of each clock hour, up to this age. */
  readonly hourlyForMs: number;
  /** Then the newest of each UTC day, up to this age; older versions go. */
  readonly dailyForMs: number;
  /** At most this many versions per room; beyond it the newest of each day stay, the rest thin out. */
  readonly maxPerRoom: number;
  /**
   * At most this many bytes of versions per room (admitted as `maxPerRoom` says). A room may hold 16 MiB
   * (shared/limits.ts): without this, one participant growing it to that size would have each
   * version fill the disk at 16 MiB a time.
   */
  readonly maxBytesPerRoom: number;
};

/**
 * A day of all versions, a week of hourly ones, 90 days of daily ones. The cap (500) lies above
 * what the tiers hold when versions are taken every 10 minutes of activity (144 + 144 + 83), so it
 * only bites when versions come faster (many restores, a shorter interval). 256 MiB of versions
 * keep about 200 of the largest real workshop (1.2 MB, bench/README.md) and 16 of a room at the
 * 16 MiB limit.
 */
export const DEFAULT_RETENTION: RetentionPolicy = {
  allForMs: DAY,
  hourlyForMs: 7 * DAY,
  dailyForMs: 90 * DAY,
  maxPerRoom: 500,
  maxBytesPerRoom: 256 * 1024 * 1024,
};

/**
 * The ids of the versions that `policy` no longer keeps at `now`.
 *
 * @param versions - A room's versions, in any order.
 * @param now - Milliseconds since the epoch.
 */
export function versionsToDrop(
  versions: readonly { readonly id: string; readonly time: number; readonly bytes?: number }[],
  now: number,
  policy: RetentionPolicy = DEFAULT_RETENTION,
): string[] {
  const newestFirst = [...versions].sort((a, b) => b.time - a.time || (a.id < b.id ? 1 : -1));
  const seenBuckets = new Set<string>();
  const dropped: string[] = [];
  /** What the tiers keep, each with its rank: the order in which the caps admit them. */
  const candidates: { id: string; bytes: number; rank: number }[] = [];
  const days = new Set<string>();
  const hours = new Set<string>();
  newestFirst.forEach((version, index) => {
    const age = now - version.time;
    let keep: boolean;
    if (index === 0 || age < policy.allForMs) keep = true;
    else if (age < policy.hourlyForMs) keep = firstIn(seenBuckets, `h${Math.floor(version.time / HOUR)}`);
    else if (age < policy.dailyForMs) keep = firstIn(seenBuckets, `d${Math.floor(version.time / DAY)}`);
    else keep = false;
    if (!keep) return void dropped.push(version.id);
    // Under a cap, the newest goes first, then the newest of each day, then of each hour, then the
    // rest, newest first within each: many versions in a short time (one participant making a
    // change before each of many unloads, a room grown to its largest size) then thin out among
    // themselves and cannot push out the days before them.
    const newOfDay = firstIn(days, `d${Math.floor(version.time / DAY)}`);
    const newOfHour = firstIn(hours, `h${Math.floor(version.time / HOUR)}`);
    const rank = index === 0 ? 0 : newOfDay ? 1 : newOfHour ? 2 : 3;
    candidates.push({ id: version.id, bytes: version.bytes ?? 0, rank });
  });
  let count = 0;
  let bytes = 0;
  // A stable sort: within a rank, newest first.
  for (const candidate of candidates.sort((a, b) => a.rank - b.rank)) {
    const fits =
      candidate.rank === 0 ||
      (count < policy.maxPerRoom && bytes + candidate.bytes <= policy.maxBytesPerRoom);
    if (!fits) {
      dropped.push(candidate.id);
      continue;
    }
    count++;
    bytes += candidate.bytes;
  }
  return dropped;
}

/** True the first time `bucket` is seen. */
function firstIn(seen: Set<string>, bucket: string): boolean {
  if (seen.has(bucket)) return false;
  seen.add(bucket);
  return true;
}
