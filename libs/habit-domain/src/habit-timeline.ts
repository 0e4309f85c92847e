import { assertHabitDefinition, HabitDefinition, HabitLog, HabitSchedule, LogStatus } from './habit';
import { isScheduledWeekday } from './frequency';
import { IsoWeekday, isoWeekdayOfDayNumber } from './iso-week';
import { asLoggedDays, LoggedDays } from './logged-days';
import { assertLocalDate, fromDayNumber, LocalDate, toDayNumber } from './local-date';

/**
 * What a day was for a habit, as of today. `missed` is an expected day gone without a done log — for daily and
 * custom habits whether or not a `missed` log says so; for weekly habits (where no single day is owed) only
 * when a `missed` log was entered, a day without a log being `empty`. `open` is today, not yet done.
 */
export type DayState = 'done' | 'skipped' | 'missed' | 'empty' | 'open' | 'paused' | 'not_scheduled' | 'before_start' | 'future';

/**
 * A habit's days as day numbers (see toDayNumber), built once from its definition and logs and read by every
 * statistic. Logs after today are left out: the service refuses them, and a figure never looks ahead.
 */
export class HabitTimeline {
  readonly schedule: HabitSchedule;
  /** The habit's first day: the earlier of its creation date and its first log. */
  readonly start: number;
  readonly today: number;
  /** Day numbers of the done logs up to today, ascending. */
  readonly doneDays: readonly number[];
  /** Skipped logs up to today. */
  readonly skippedCount: number;
  private readonly pauses: ReadonlyArray<readonly [number, number]>;
  // Every statistic asks the same few questions of each day many times: answered once per day, from the start
  // to the end of the current ISO week, as bit flags.
  private readonly flags: Uint8Array;

  constructor(habit: HabitDefinition, logs: readonly HabitLog[] | LoggedDays, today: LocalDate) {
    assertHabitDefinition(habit);
    const days = asLoggedDays(logs);
    this.schedule = habit;
    this.today = toDayNumber(assertLocalDate(today, 'today'));
    const start = Math.min(toDayNumber(habit.createdOn), firstDayUpTo(days.done, this.today), firstDayUpTo(days.skipped, this.today), firstDayUpTo(days.missed, this.today));
    this.start = start;
    this.pauses = (habit.pauses ?? [])
      .map((pause) => [toDayNumber(pause.from), pause.to ? toDayNumber(pause.to) : Number.POSITIVE_INFINITY] as const)
      .filter(([from, to]) => to >= from);
    this.flags = new Uint8Array(Math.max(0, this.today + 7 - start + 1));
    this.markCalendar();
    this.mark(days.done, DONE);
    this.mark(days.skipped, SKIPPED);
    this.mark(days.missed, MISSED);
    const doneDays: number[] = [];
    let skippedCount = 0;
    for (let index = 0, last = this.today - start; index <= last; index++) {
      if (this.flags[index] & DONE) doneDays.push(start + index);
      else if (this.flags[index] & SKIPPED) skippedCount++;
    }
    this.doneDays = doneDays;
    this.skippedCount = skippedCount;
  }

  statusOn(day: number): LogStatus | undefined {
    if (day < this.start || day > this.today) return undefined;
    const flags = this.flags[day - this.start];
    if (flags & DONE) return 'done';
    if (flags & SKIPPED) return 'skipped';
    return flags & MISSED ? 'missed' : undefined;
  }

  isDone(day: number): boolean {
    return (this.flagsOf(day) & DONE) !== 0;
  }

  isPaused(day: number): boolean {
    return (this.flagsOf(day) & PAUSED) !== 0;
  }

  /** Whether the schedule names the day's weekday (always, for daily and weekly habits). */
  isScheduled(day: number): boolean {
    return (this.flagsOf(day) & SCHEDULED) !== 0;
  }

  /**
   * A day the habit can be done on as planned: from its start, not paused, not skipped. Days after today count
   * (unless inside a pause), which is what a weekly habit's current target needs.
   */
  isAvailable(day: number): boolean {
    return day >= this.start && (this.flagsOf(day) & (SKIPPED | PAUSED)) === 0;
  }

  /** For daily and custom habits: a day owed a done log — available, scheduled, not after today. */
  isExpectedDay(day: number): boolean {
    return day <= this.today && day >= this.start && (this.flagsOf(day) & (SKIPPED | PAUSED | SCHEDULED)) === SCHEDULED;
  }

  /** How many done logs fall between two days, both included. */
  doneBetween(first: number, last: number): number {
    if (last < first) return 0;
    return upperBound(this.doneDays, last) - lowerBound(this.doneDays, first);
  }

  dayState(day: number): DayState {
    if (day > this.today) return 'future';
    if (day < this.start) return 'before_start';
    const status = this.statusOn(day);
    if (status === 'done') return 'done';
    if (status === 'skipped') return 'skipped';
    if (this.isPaused(day)) return 'paused';
    if (!this.isScheduled(day)) return 'not_scheduled';
    if (status === 'missed') return 'missed';
    if (day === this.today) return 'open';
    return this.schedule.frequency === 'weekly' ? 'empty' : 'missed';
  }

  private flagsOf(day: number): number {
    const cached = this.flags[day - this.start];
    return cached === undefined ? this.calendarFlags(day) : cached;
  }

  /** What the calendar says of a day: paused, scheduled (no log is looked at). */
  private calendarFlags(day: number): number {
    return (
      (this.pauses.some(([from, to]) => day >= from && day <= to) ? PAUSED : 0) |
      (isScheduledWeekday(this.schedule, isoWeekdayOfDayNumber(day)) ? SCHEDULED : 0)
    );
  }

  /** The calendarFlags of every day held, a weekday and a pause at a time rather than day by day. */
  private markCalendar(): void {
    const scheduled = [1, 2, 3, 4, 5, 6, 7].map((weekday) => isScheduledWeekday(this.schedule, weekday as IsoWeekday));
    for (let index = 0, weekday = isoWeekdayOfDayNumber(this.start) - 1; index < this.flags.length; index++, weekday = (weekday + 1) % 7) {
      if (scheduled[weekday]) this.flags[index] = SCHEDULED;
    }
    for (const [from, to] of this.pauses) {
      for (let day = Math.max(from, this.start), last = Math.min(to, this.start + this.flags.length - 1); day <= last; day++) this.flags[day - this.start] |= PAUSED;
    }
  }

  /** Sets `status` on the logged days up to today; a day logged twice is refused, like in assertHabitLogs. */
  private mark(days: readonly number[], status: number): void {
    for (const day of days) {
      if (day > this.today) continue;
      const index = day - this.start;
      if (this.flags[index] & LOGGED) throw new RangeError(`two logs for ${fromDayNumber(day)}: a habit has at most one log per date`);
      this.flags[index] |= status;
    }
  }
}

const DONE = 1;
const SKIPPED = 2;
const PAUSED = 4;
const SCHEDULED = 8;
const MISSED = 16;
const LOGGED = DONE | SKIPPED | MISSED;

/** The earliest of the days up to `today` (Infinity when there is none). */
function firstDayUpTo(days: readonly number[], today: number): number {
  let first = Number.POSITIVE_INFINITY;
  for (const day of days) if (day < first && day <= today) first = day;
  return first;
}

/** The first index whose value is at least `value`. */
function lowerBound(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The first index whose value is above `value`. */
function upperBound(sorted: readonly number[], value: number): number {
  return lowerBound(sorted, value + 1);
}
