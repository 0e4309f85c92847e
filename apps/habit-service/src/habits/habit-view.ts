import { Habit } from './habit.entity';

export type HabitView = Omit<Habit, 'userId' | 'statisticsDate' | 'streakDate' | 'createdAt' | 'updatedAt'> & {
  createdAt: string;
  updatedAt: string;
};

/** A habit as the API shows it: its settings and its statistics, camelCase, no owner id. */
export function toHabitView(habit: Habit): HabitView {
  const { userId: _owner, statisticsDate: _computedFor, streakDate: _streakFor, createdAt, updatedAt, ...rest } = habit;
  return { ...rest, createdAt: createdAt.toISOString(), updatedAt: updatedAt.toISOString() };
}
