import { HabitDefinition, habitScheduleFrom, LoggedDays, toDayNumber } from '@homehelper/habit-domain';

/** A habit row as the scheduler reads it: what the figures need, the figures stored now, and the row's version. */
export interface HabitHistoryRow {
  id: string;
  userId: string;
  name: string;
  status: string;
  frequency: string;
  timesPerWeek: number | null;
  weekdays: number[] | null;
  /**
   * The earlier of its creation date and its first log; its creation date when that is before the logs read (the
   * window's figures do not depend on an earlier start, and a habit read whole gets its first log).
   */
  startsOn: string;
  today: string;
  /** The first day of the logs read; null when they are the whole history. */
  historyFrom: string | null;
  /**
   * The done and skipped logs read, as days before today joined by commas: compact on the wire and in Node, which
   * reads many thousands of them. A `missed` log counts like no log in every figure, so it is left in the table.
   */
  done: string | null;
  skipped: string | null;
  pauses: Array<{ from: string; to: string | null }> | null;
  currentStreak: number;
  /** The day `currentStreak` is as of (null: not known). */
  streakDate: string | null;
  consistencyScore: number;
  failureRate: number;
  consecutiveMisses: number;
  /** The row's xmin: a write only applies if nobody changed the row since it was read. */
  version: string;
}

export function definitionOf(row: HabitHistoryRow): HabitDefinition {
  return { ...habitScheduleFrom(row), createdOn: row.startsOn, pauses: row.pauses ?? [] };
}

export function loggedDaysOfRow(row: HabitHistoryRow): LoggedDays {
  const today = toDayNumber(row.today);
  return { done: daysBefore(today, row.done), skipped: daysBefore(today, row.skipped), missed: [] };
}

/** The days `list` (whole numbers joined by commas) counts back from `today`. */
function daysBefore(today: number, list: string | null): number[] {
  const days: number[] = [];
  if (list === null) return days;
  let ago = 0;
  for (let index = 0; index < list.length; index++) {
    const code = list.charCodeAt(index);
    if (code === COMMA) {
      days.push(today - ago);
      ago = 0;
    } else ago = ago * 10 + code - ZERO;
  }
  days.push(today - ago);
  return days;
}

const COMMA = 44;
const ZERO = 48;
