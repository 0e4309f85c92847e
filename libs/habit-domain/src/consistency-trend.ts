import { CONSISTENCY_WINDOW_DAYS, ConsistencyWindow, consistencyWindowAt } from './consistency';
import { HabitDefinition, HabitLog } from './habit';
import { HabitTimeline } from './habit-timeline';
import { assertCount } from './assert-count';
import { LocalDate } from './local-date';

/**
 * The 30-day consistency score as of each of the last `days` days, oldest first, the last being today's. Each
 * entry equals the consistencyScore computeHabitStatistics gives with that day as today.
 */
export function consistencyTrend(habit: HabitDefinition, logs: readonly HabitLog[], today: LocalDate, days: number): ConsistencyWindow[] {
  assertCount(days, 'days');
  const timeline = new HabitTimeline(habit, logs, today);
  const trend: ConsistencyWindow[] = [];
  for (let asOf = timeline.today - days + 1; asOf <= timeline.today; asOf++) trend.push(consistencyWindowAt(timeline, asOf, CONSISTENCY_WINDOW_DAYS));
  return trend;
}

/** The consistency window of `days` days ending today: the 7-day and 30-day completion rates of the dashboard. */
export function completionWindow(habit: HabitDefinition, logs: readonly HabitLog[], today: LocalDate, days: number): ConsistencyWindow {
  assertCount(days, 'days');
  const timeline = new HabitTimeline(habit, logs, today);
  return consistencyWindowAt(timeline, timeline.today, days);
}
