import { weekPeriod } from './habit-periods';
import { HabitTimeline } from './habit-timeline';
import { isoWeekKeyOfDayNumber, isoWeekStartOfDayNumber } from './iso-week';

/** Where a weekly habit stands in the current ISO week. */
export interface WeekProgress {
  week: string;
  target: number;
  completions: number;
  /** Completions still needed to meet the target (0 once met). */
  needed: number;
  /** Days from today to Sunday, today included, on which it can still be done (not paused, not skipped). */
  daysLeft: number;
}

export function weekProgressOf(timeline: HabitTimeline): WeekProgress {
  return { week: isoWeekKeyOfDayNumber(timeline.today), ...weekStanding(timeline) };
}

function weekStanding(timeline: HabitTimeline): Omit<WeekProgress, 'week'> {
  const monday = isoWeekStartOfDayNumber(timeline.today);
  const period = weekPeriod(timeline, monday);
  let daysLeft = 0;
  for (let day = timeline.today; day <= monday + 6; day++) if (timeline.isAvailable(day)) daysLeft++;
  return { target: period.target, completions: period.completions, needed: Math.max(0, period.target - period.completions), daysLeft };
}

/**
 * Seed 002's risk rule. Daily and custom habits: the last two expected days before today went without a done
 * log and nothing was done since — two consecutive misses (the habit's consecutiveMisses), so any done, today's
 * included, recovers the habit (DESIGN: back to active on the next done). Weekly habits: the completions still
 * needed this week are at least the days left in it, today included — no slack left. Never while paused today.
 */
export function isAtRisk(timeline: HabitTimeline, consecutiveMisses: number): boolean {
  if (timeline.today < timeline.start || timeline.isPaused(timeline.today)) return false;
  if (timeline.schedule.frequency !== 'weekly') return consecutiveMisses >= 2;
  const progress = weekStanding(timeline);
  return progress.needed > 0 && progress.needed >= progress.daysLeft;
}
