import { HabitPeriod } from './habit-periods';

// Open and not-expected periods neither break nor extend a streak: they are stepped over. Each figure counts back
// from the current period, through periods given latest first (see periodsBack); the array forms take them in
// chronological order, ending with the current one.

/** A run counted back from the current period, and whether a period ended it (false: the periods ran out first). */
export interface RunBack {
  length: number;
  ended: boolean;
}

/** Met periods in a row, counting back from the current period, up to the first unmet one. */
export function streakBack(latestFirst: Iterable<HabitPeriod>): RunBack {
  let length = 0;
  for (const { outcome } of latestFirst) {
    if (outcome === 'met') length++;
    else if (outcome === 'unmet') return { length, ended: true };
  }
  return { length, ended: false };
}

/**
 * DESIGN's "expected periods since the last done": unmet periods counted back from the current one, up to the
 * last sign of the habit being done — a met period, or a done log where nothing was owed (a custom habit done on
 * an unscheduled day, a done while paused), which does not extend a streak but does show the habit is alive.
 * For weekly habits a week below its target counts as a miss even with some done logs in it. The current
 * period is not counted while open; once met it ends the run at 0.
 */
export function missesBack(latestFirst: Iterable<HabitPeriod>): RunBack {
  let length = 0;
  for (const { outcome, completions } of latestFirst) {
    if (outcome === 'met' || (outcome === 'not_expected' && completions > 0)) return { length, ended: true };
    if (outcome === 'unmet') length++;
  }
  return { length, ended: false };
}

/** Met periods in a row, counting back from the current period. */
export function currentStreak(periods: readonly HabitPeriod[]): number {
  return streakBack(latestFirst(periods)).length;
}

/** The longest run of met periods. */
export function longestStreak(periods: readonly HabitPeriod[]): number {
  let longest = 0;
  let run = 0;
  for (const { outcome } of periods) {
    if (outcome === 'met') longest = Math.max(longest, ++run);
    else if (outcome === 'unmet') run = 0;
  }
  return longest;
}

/** See missesBack. */
export function consecutiveMisses(periods: readonly HabitPeriod[]): number {
  return missesBack(latestFirst(periods)).length;
}

function* latestFirst<T>(items: readonly T[]): Generator<T> {
  for (let index = items.length - 1; index >= 0; index--) yield items[index];
}
