import { assertHabitDefinition, assertHabitLogs, HabitDefinition, HabitLog, HabitSchedule, LogStatus } from './habit';
import { isScheduledWeekday } from './frequency';
import { isoWeekdayOfDayNumber } from './iso-week';
import { assertLocalDate, LocalDate, toDayNumber } from './local-date';

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
  private readonly statuses = new Map<number, LogStatus>();
  private readonly pauses: ReadonlyArray<readonly [number, number]>;
  // Every statistic asks the same few questions of each day many times: answered once per day, from the start
  // to the end of the current ISO week, as bit flags.
  private readonly flags: Uint8Array;

  constructor(habit: HabitDefinition, logs: readonly HabitLog[], today: LocalDate) {
    assertHabitDefinition(habit);
    assertHabitLogs(logs);
    this.schedule = habit;
    this.today = toDayNumber(assertLocalDate(today, 'today'));
    let start = toDayNumber(habit.createdOn);
    const doneDays: number[] = [];
    let skippedCount = 0;
    for (const log of logs) {
      const day = toDayNumber(log.date);
      if (day > this.today) continue;
      this.statuses.set(day, log.status);
      if (log.status === 'done') doneDays.push(day);
      if (log.status === 'skipped') skippedCount++;
      if (day < start) start = day;
    }
    this.start = start;
    this.skippedCount = skippedCount;
    this.doneDays = doneDays.sort((a, b) => a - b);
    this.pauses = (habit.pauses ?? [])
      .map((pause) => [toDayNumber(pause.from), pause.to ? toDayNumber(pause.to) : Number.POSITIVE_INFINITY] as const)
      .filter(([from, to]) => to >= from);
    this.flags = new Uint8Array(Math.max(0, this.today + 7 - start + 1));
    for (let index = 0; index < this.flags.length; index++) this.flags[index] = this.computeFlags(start + index);
  }

  statusOn(day: number): LogStatus | undefined {
    return this.statuses.get(day);
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
    const status = this.statuses.get(day);
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
    return cached === undefined ? this.computeFlags(day) : cached;
  }

  private computeFlags(day: number): number {
    const status = this.statuses.get(day);
    return (
      (status === 'done' ? DONE : 0) |
      (status === 'skipped' ? SKIPPED : 0) |
      (this.pauses.some(([from, to]) => day >= from && day <= to) ? PAUSED : 0) |
      (isScheduledWeekday(this.schedule, isoWeekdayOfDayNumber(day)) ? SCHEDULED : 0)
    );
  }
}

const DONE = 1;
const SKIPPED = 2;
const PAUSED = 4;
const SCHEDULED = 8;

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
