import { HabitDefinition, HabitLog, habitScheduleFrom, LogStatus } from '@homehelper/habit-domain';

/** A habit row as the scheduler reads it: what the figures need, the figures stored now, and the row's version. */
export interface HabitHistoryRow {
  id: string;
  userId: string;
  name: string;
  status: string;
  frequency: string;
  timesPerWeek: number | null;
  weekdays: number[] | null;
  /** The earlier of its creation date and its first log. */
  startsOn: string;
  today: string;
  /** The first day of the logs read; null when they are the whole history. */
  historyFrom: string | null;
  /**
   * The done and skipped logs read, `YYYY-MM-DD<status>` joined by commas (one string per habit on the wire).
   * A `missed` log counts like no log in every figure, so it is left in the table.
   */
  logs: string | null;
  pauses: Array<{ from: string; to: string | null }> | null;
  currentStreak: number;
  consistencyScore: number;
  failureRate: number;
  consecutiveMisses: number;
  /** The row's xmin: a write only applies if nobody changed the row since it was read. */
  version: string;
}

export function definitionOf(row: HabitHistoryRow): HabitDefinition {
  return { ...habitScheduleFrom(row), createdOn: row.startsOn, pauses: row.pauses ?? [] };
}

export function logsOf(row: HabitHistoryRow): HabitLog[] {
  if (!row.logs) return [];
  return row.logs.split(',').map((entry) => ({ date: entry.slice(0, 10), status: entry.slice(10) as LogStatus }));
}
