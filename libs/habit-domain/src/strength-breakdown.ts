import { HabitDefinition, HabitLog } from './habit';
import { HabitTimeline } from './habit-timeline';
import { assertCount } from './assert-count';
import { LocalDate } from './local-date';
import { StrengthDay, strengthBreakdownOf } from './strength';

/** What moved a habit's strength over the last `days` days: each day's checkmark and the score after it. */
export function strengthBreakdown(habit: HabitDefinition, logs: readonly HabitLog[], today: LocalDate, days: number): StrengthDay[] {
  assertCount(days, 'days');
  return strengthBreakdownOf(new HabitTimeline(habit, logs, today), days);
}
