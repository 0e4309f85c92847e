import { WeekProgress, weekProgressOf } from './at-risk';
import { HabitDefinition, HabitLog } from './habit';
import { HabitTimeline } from './habit-timeline';
import { LocalDate } from './local-date';

/** Where a habit stands today, for the dashboard's "due today" and "done today". */
export interface TodayStatus {
  /**
   * Today is one of its days: daily — unless paused or skipped; custom — also only on its weekdays; weekly —
   * while this week's target was not met before today (a habit done today stays due, and done).
   */
  due: boolean;
  done: boolean;
  paused: boolean;
  /** Weekly habits only. */
  week?: WeekProgress;
}

export function todayStatus(habit: HabitDefinition, logs: readonly HabitLog[], today: LocalDate): TodayStatus {
  const timeline = new HabitTimeline(habit, logs, today);
  const day = timeline.today;
  const done = timeline.isDone(day);
  const paused = timeline.isPaused(day);
  if (timeline.schedule.frequency !== 'weekly') return { due: timeline.isExpectedDay(day), done, paused };
  const week = weekProgressOf(timeline);
  const doneBeforeToday = week.completions - (done ? 1 : 0);
  return { due: timeline.isAvailable(day) && doneBeforeToday < week.target, done, paused, week };
}
