import { periodsBetween } from './habit-periods';
import { HabitTimeline } from './habit-timeline';
import { roundTo } from './rounding';

export interface FailureRate {
  /** Periods (days, or ISO weeks for weekly habits) that owed something and are over, or already met. */
  expectedPeriods: number;
  /** Those whose target was not met. */
  missedPeriods: number;
  /** missedPeriods / expectedPeriods, 0..1, rounded to 4 decimals; 0 when no period was expected. */
  rate: number;
}

/**
 * Failure over the periods of the last `days` days (for weekly habits, the ISO weeks that overlap them). The
 * current period counts once it is met; while still open it is left out rather than counted as a failure.
 */
export function failureRateOf(timeline: HabitTimeline, days: number): FailureRate {
  let met = 0;
  let missed = 0;
  for (const period of periodsBetween(timeline, timeline.today - days + 1, timeline.today)) {
    if (period.outcome === 'met') met++;
    else if (period.outcome === 'unmet') missed++;
  }
  const expected = met + missed;
  return { expectedPeriods: expected, missedPeriods: missed, rate: expected === 0 ? 0 : roundTo(missed / expected, 4) };
}
