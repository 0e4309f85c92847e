import { HabitLog } from './habit-log.entity';

export interface HabitLogView {
  id: string;
  habitId: string;
  logDate: string;
  status: HabitLog['status'];
  notes: string | null;
  enteredBy: HabitLog['enteredBy'];
  createdAt: string;
  updatedAt: string;
}

export function toHabitLogView(log: Omit<HabitLog, 'userId'>): HabitLogView {
  return {
    id: log.id,
    habitId: log.habitId,
    logDate: log.logDate,
    status: log.status,
    notes: log.notes,
    enteredBy: log.enteredBy,
    createdAt: log.createdAt.toISOString(),
    updatedAt: log.updatedAt.toISOString(),
  };
}
