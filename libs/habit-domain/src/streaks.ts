import { HabitPeriod } from './habit-periods';

// Periods come in chronological order, ending with the current one. Open and not-expected periods neither
// break nor extend a streak: they are stepped over.

/** Met periods in a row, counting back from the current period. */
export function currentStreak(periods: readonly HabitPeriod[]): number {
  let streak = 0;
  for (let index = periods.length - 1; index >= 0; index--) {
    const outcome = periods[index].outcome;
    if (outcome === 'met') streak++;
    else if (outcome === 'unmet') break;
  }
  return streak;
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

/**
 * DESIGN's "expected periods since the last done": unmet periods counted back from the current one, up to the
 * last sign of the habit being done — a met period, or a done log where nothing was owed (a custom habit done on
 * an unscheduled day, a done while paused), which does not extend a streak but does show the habit is alive.
 * For weekly habits a week below its target counts as a miss even with some done logs in it. The current
 * period is not counted while open; once met it ends the run at 0.
 */
export function consecutiveMisses(periods: readonly HabitPeriod[]): number {
  let misses = 0;
  for (let index = periods.length - 1; index >= 0; index--) {
    const { outcome, completions } = periods[index];
    if (outcome === 'met' || (outcome === 'not_expected' && completions > 0)) break;
    if (outcome === 'unmet') misses++;
  }
  return misses;
}
