import { IsoWeekday, isIsoWeekday } from './iso-week';
import { isLocalDate, LocalDate } from './local-date';

export type LogStatus = 'done' | 'skipped' | 'missed';
export const LOG_STATUSES: readonly LogStatus[] = ['done', 'skipped', 'missed'];

/** One log of a habit: at most one per date (habit_logs is unique on habit and date). */
export interface HabitLog {
  date: LocalDate;
  status: LogStatus;
}

/**
 * When a habit is expected: every day, a number of times per ISO week, or on given weekdays. The `frequency`
 * field is the habits.frequency column (`HabitFrequency` in libs/contracts); habitScheduleFrom builds this from
 * a row's flat columns.
 */
export type HabitSchedule =
  | { frequency: 'daily' }
  | { frequency: 'weekly'; timesPerWeek: number }
  | { frequency: 'custom'; weekdays: readonly IsoWeekday[] };

export type Difficulty = 'easy' | 'medium' | 'hard';
export const DIFFICULTIES: readonly Difficulty[] = ['easy', 'medium', 'hard'];

/**
 * A pause (or vacation): the days from `from` to `to`, both included, are not expected. Without `to` the habit
 * is still paused. Resuming today means `to` = yesterday, so that today is expected again; a range whose `to`
 * is before its `from` pauses nothing.
 */
export interface Pause {
  from: LocalDate;
  to?: LocalDate | null;
}

/** What the statistics need to know about a habit besides its logs. */
export type HabitDefinition = HabitSchedule & {
  /**
   * The creation date in the user's time zone. The habit starts then, or at its first log if that is earlier
   * (so passing a stored start date that already accounts for back-fill gives the same result).
   */
  createdOn: LocalDate;
  pauses?: readonly Pause[];
  /** Only used to word the easier-difficulty suggestion. */
  difficulty?: Difficulty;
};

/** A schedule from a habit row's flat columns, validated; a RangeError names what is wrong. */
export function habitScheduleFrom(row: { frequency: string; timesPerWeek?: number | null; weekdays?: readonly number[] | null }): HabitSchedule {
  let schedule: HabitSchedule;
  switch (row.frequency) {
    case 'daily':
      schedule = { frequency: 'daily' };
      break;
    case 'weekly':
      schedule = { frequency: 'weekly', timesPerWeek: row.timesPerWeek ?? Number.NaN };
      break;
    case 'custom':
      schedule = { frequency: 'custom', weekdays: [...(row.weekdays ?? [])].sort((a, b) => a - b) as IsoWeekday[] };
      break;
    default:
      throw new RangeError(`frequency must be daily, weekly or custom, got ${JSON.stringify(row.frequency)}`);
  }
  assertHabitSchedule(schedule);
  return schedule;
}

/** Throws a RangeError naming the first thing wrong with a habit definition. */
export function assertHabitDefinition(habit: HabitDefinition): void {
  assertHabitSchedule(habit);
  if (!isLocalDate(habit.createdOn)) throw new RangeError(`createdOn must be a date written YYYY-MM-DD, got ${JSON.stringify(habit.createdOn)}`);
  for (const [index, pause] of (habit.pauses ?? []).entries()) {
    if (!isLocalDate(pause.from)) throw new RangeError(`pauses[${index}].from must be a date written YYYY-MM-DD`);
    if (pause.to !== undefined && pause.to !== null && !isLocalDate(pause.to)) {
      throw new RangeError(`pauses[${index}].to must be a date written YYYY-MM-DD, or absent while still paused`);
    }
  }
  if (habit.difficulty !== undefined && !DIFFICULTIES.includes(habit.difficulty)) {
    throw new RangeError(`difficulty must be one of ${DIFFICULTIES.join(', ')}`);
  }
}

export function assertHabitSchedule(schedule: HabitSchedule): void {
  switch (schedule.frequency) {
    case 'daily':
      return;
    case 'weekly':
      if (!Number.isInteger(schedule.timesPerWeek) || schedule.timesPerWeek < 1 || schedule.timesPerWeek > 7) {
        throw new RangeError(`timesPerWeek must be a whole number from 1 to 7, got ${JSON.stringify(schedule.timesPerWeek)}`);
      }
      return;
    case 'custom': {
      const weekdays = schedule.weekdays;
      if (!Array.isArray(weekdays) || weekdays.length === 0 || !weekdays.every(isIsoWeekday) || new Set(weekdays).size !== weekdays.length) {
        throw new RangeError('weekdays must be distinct ISO weekdays (1 = Monday … 7 = Sunday), at least one');
      }
      return;
    }
    default:
      throw new RangeError(`frequency must be daily, weekly or custom, got ${JSON.stringify((schedule as { frequency: unknown }).frequency)}`);
  }
}

/** Throws a RangeError for a malformed log or a second log on the same date. */
export function assertHabitLogs(logs: readonly HabitLog[]): void {
  const seen = new Set<string>();
  for (const log of logs) {
    if (!isLocalDate(log.date)) throw new RangeError(`log date must be a date written YYYY-MM-DD, got ${JSON.stringify(log.date)}`);
    if (!LOG_STATUSES.includes(log.status)) throw new RangeError(`log status must be one of ${LOG_STATUSES.join(', ')}, got ${JSON.stringify(log.status)}`);
    if (seen.has(log.date)) throw new RangeError(`two logs for ${log.date}: a habit has at most one log per date`);
    seen.add(log.date);
  }
}
