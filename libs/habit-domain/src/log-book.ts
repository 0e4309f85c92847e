import { HabitLog } from './habit';
import { LocalDate } from './local-date';

/** The logs with `log` written for its date (replacing any log on that date), sorted by date. */
export function upsertLog(logs: readonly HabitLog[], log: HabitLog): HabitLog[] {
  return [...logs.filter((existing) => existing.date !== log.date), log].sort(byDate);
}

/** The logs without the one on `date`, sorted by date. */
export function deleteLog(logs: readonly HabitLog[], date: LocalDate): HabitLog[] {
  return logs.filter((existing) => existing.date !== date).sort(byDate);
}

function byDate(a: HabitLog, b: HabitLog): number {
  return a.date < b.date ? -1 : a.date > b.date ? 1 : 0;
}
