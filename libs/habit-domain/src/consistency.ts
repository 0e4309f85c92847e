import { HabitTimeline } from './habit-timeline';
import { fromDayNumber, LocalDate } from './local-date';
import { roundTo } from './rounding';

/** The consistency score looks at the last 30 days (seed 002), today included. */
export const CONSISTENCY_WINDOW_DAYS = 30;

export interface ConsistencyWindow {
  /** First and last day of the window (the last is the day the score is as of). */
  from: LocalDate;
  to: LocalDate;
  /** Every done log in the window, on any day. */
  completions: number;
  /** Done logs owed in the window, rounded to 2 decimals (fractional for weekly habits). */
  expectedCompletions: number;
  /**
   * completions / expectedCompletions × 100, capped at 100, rounded to 1 decimal. With nothing expected in the
   * window (a habit paused throughout, or started today and not yet done) the score is 0: nothing was measured,
   * and the suggestions, which need a minimum of expected periods, stay quiet.
   */
  score: number;
}

/**
 * Done logs owed between two days, both included, as of `asOfDay`: each available scheduled day owes 1 (daily,
 * custom) or timesPerWeek / 7 (weekly). Days after `asOfDay` owe nothing, and `asOfDay` itself — still open —
 * owes only once it is done, so the score does not dip every morning and recover every evening.
 */
export function expectedCompletionsBetween(timeline: HabitTimeline, first: number, last: number, asOfDay: number): number {
  let owingDays = 0;
  for (let day = Math.max(first, timeline.start); day <= Math.min(last, asOfDay); day++) {
    if (!timeline.isAvailable(day) || !timeline.isScheduled(day)) continue;
    if (day === asOfDay && !timeline.isDone(day)) continue;
    owingDays++;
  }
  const schedule = timeline.schedule;
  return schedule.frequency === 'weekly' ? (owingDays * schedule.timesPerWeek) / 7 : owingDays;
}

/** Completions over expected completions × 100, capped at 100, 1 decimal; 0 when nothing was expected. */
export function consistencyScoreOf(completions: number, expectedCompletions: number): number {
  if (expectedCompletions <= 0) return 0;
  return Math.min(100, roundTo((completions * 100) / expectedCompletions, 1));
}

/** The consistency score of the `days` days ending on `asOfDay`: consistencyWindowAt's score alone. */
export function consistencyScoreAt(timeline: HabitTimeline, asOfDay: number, days: number = CONSISTENCY_WINDOW_DAYS): number {
  const first = asOfDay - days + 1;
  return consistencyScoreOf(timeline.doneBetween(first, asOfDay), expectedCompletionsBetween(timeline, first, asOfDay, asOfDay));
}

/** The consistency window of `days` days ending on `asOfDay` (today, or a past day for the trend). */
export function consistencyWindowAt(timeline: HabitTimeline, asOfDay: number, days: number = CONSISTENCY_WINDOW_DAYS): ConsistencyWindow {
  const first = asOfDay - days + 1;
  const completions = timeline.doneBetween(first, asOfDay);
  const expected = expectedCompletionsBetween(timeline, first, asOfDay, asOfDay);
  return {
    from: fromDayNumber(first),
    to: fromDayNumber(asOfDay),
    completions,
    expectedCompletions: roundTo(expected, 2),
    score: consistencyScoreOf(completions, expected),
  };
}
