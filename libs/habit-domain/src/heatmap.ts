import { HabitDefinition, HabitLog } from './habit';
import { DayState, HabitTimeline } from './habit-timeline';
import { assertLocalDate, fromDayNumber, LocalDate, toDayNumber } from './local-date';

export interface HeatmapDay {
  date: LocalDate;
  /** 1 for a done day, 0 otherwise. */
  value: 0 | 1;
  state: DayState;
}

/** One entry per day from `from` to `to`, both included (for example the last year, for a calendar heatmap). */
export function completionHeatmap(habit: HabitDefinition, logs: readonly HabitLog[], today: LocalDate, from: LocalDate, to: LocalDate): HeatmapDay[] {
  const timeline = new HabitTimeline(habit, logs, today);
  const days: HeatmapDay[] = [];
  for (let day = toDayNumber(assertLocalDate(from, 'from')), last = toDayNumber(assertLocalDate(to, 'to')); day <= last; day++) {
    const state = timeline.dayState(day);
    days.push({ date: fromDayNumber(day), value: state === 'done' ? 1 : 0, state });
  }
  return days;
}
