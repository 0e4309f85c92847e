import { assertHabitLogs, HabitLog, LogStatus } from './habit';
import { toDayNumber } from './local-date';

/**
 * A habit's logs as day numbers (see toDayNumber), one list per status, in any order: what HabitTimeline reads.
 * The compact form of HabitLog[], for callers that read many histories at once and can skip the dates.
 */
export interface LoggedDays {
  done: readonly number[];
  skipped: readonly number[];
  missed: readonly number[];
}

/** The logs as LoggedDays, after checking them (assertHabitLogs). */
export function loggedDaysOf(logs: readonly HabitLog[]): LoggedDays {
  assertHabitLogs(logs);
  const days: { [status in HabitLog['status']]: number[] } = { done: [], skipped: [], missed: [] };
  for (const log of logs) days[log.status].push(toDayNumber(log.date));
  return days;
}

/** Either form of a habit's logs as LoggedDays. */
export function asLoggedDays(logs: readonly HabitLog[] | LoggedDays): LoggedDays {
  return isLoggedDays(logs) ? logs : loggedDaysOf(logs);
}

/** The days with the log on `day` written as `status`, replacing the log there was on that day (if any). */
export function withLoggedDay(days: LoggedDays, day: number, status: LogStatus): LoggedDays {
  const without = (list: readonly number[]) => list.filter((logged) => logged !== day);
  const written = { done: without(days.done), skipped: without(days.skipped), missed: without(days.missed) };
  written[status].push(day);
  return written;
}

/** Only the logs from `firstDay` on. */
export function loggedDaysFrom(days: LoggedDays, firstDay: number): LoggedDays {
  // Callers that read a window usually have no earlier log: the lists are kept rather than copied.
  const from = (list: readonly number[]) => (list.every((day) => day >= firstDay) ? list : list.filter((day) => day >= firstDay));
  return { done: from(days.done), skipped: from(days.skipped), missed: from(days.missed) };
}

function isLoggedDays(logs: readonly HabitLog[] | LoggedDays): logs is LoggedDays {
  return !Array.isArray(logs);
}
