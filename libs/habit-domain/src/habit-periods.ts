import { HabitTimeline } from './habit-timeline';
import { isoWeekStartOfDayNumber } from './iso-week';

/**
 * How a period ended: its target `met`, `unmet`, still `open` (the current period, not met yet), or
 * `not_expected` (nothing was owed: a skipped, paused or unscheduled day, a week fully paused, before the start).
 */
export type PeriodOutcome = 'met' | 'unmet' | 'open' | 'not_expected';

/** One period of a habit: a day for daily and custom habits, an ISO week (Monday–Sunday) for weekly ones. */
export interface HabitPeriod {
  /** Day numbers of its first and last day. */
  first: number;
  last: number;
  /** Done logs owed: 1 or 0 for a day; for a week, timesPerWeek scaled to its available days, rounded up. */
  target: number;
  /** Done logs in the period up to today. */
  completions: number;
  outcome: PeriodOutcome;
}

/** The periods from the one holding `fromDay` (or the habit's start, if later) to the one holding `toDay`. */
export function periodsBetween(timeline: HabitTimeline, fromDay: number, toDay: number = timeline.today): HabitPeriod[] {
  const first = Math.max(fromDay, timeline.start);
  const last = Math.min(toDay, timeline.today);
  const periods: HabitPeriod[] = [];
  if (timeline.schedule.frequency === 'weekly') {
    for (let monday = isoWeekStartOfDayNumber(first); monday <= last; monday += 7) periods.push(weekPeriod(timeline, monday));
  } else {
    for (let day = first; day <= last; day++) periods.push(dayPeriod(timeline, day));
  }
  return periods;
}

/** Every period from the habit's start to today. */
export function allPeriods(timeline: HabitTimeline): HabitPeriod[] {
  return periodsBetween(timeline, timeline.start, timeline.today);
}

/**
 * The periods from the current one back to the one holding `fromDay` (or the habit's start, if later), latest
 * first, each made only when it is reached: a figure that counts back from today (a streak, a run of misses)
 * usually stops after a few of them.
 */
export function* periodsBack(timeline: HabitTimeline, fromDay: number = timeline.start): Generator<HabitPeriod> {
  const first = Math.max(fromDay, timeline.start);
  if (timeline.schedule.frequency === 'weekly') {
    for (let monday = isoWeekStartOfDayNumber(timeline.today); monday >= isoWeekStartOfDayNumber(first); monday -= 7) yield weekPeriod(timeline, monday);
  } else {
    for (let day = timeline.today; day >= first; day--) yield dayPeriod(timeline, day);
  }
}

export function dayPeriod(timeline: HabitTimeline, day: number): HabitPeriod {
  const target = timeline.isExpectedDay(day) ? 1 : 0;
  const completions = timeline.isDone(day) ? 1 : 0;
  return { first: day, last: day, target, completions, outcome: outcomeOf(target, completions, day === timeline.today) };
}

/**
 * An ISO week of a weekly habit. Its target is timesPerWeek × (available days / 7), rounded up: a full week owes
 * timesPerWeek, a week the habit started on Saturday owes ⌈2t/7⌉, a fully paused week owes nothing. Days of the
 * current week still ahead count as available unless a pause covers them.
 */
export function weekPeriod(timeline: HabitTimeline, monday: number): HabitPeriod {
  if (timeline.schedule.frequency !== 'weekly') throw new Error('weekPeriod is for weekly habits');
  let availableDays = 0;
  for (let day = monday; day < monday + 7; day++) if (timeline.isAvailable(day)) availableDays++;
  const target = Math.floor((timeline.schedule.timesPerWeek * availableDays + 6) / 7);
  const completions = timeline.doneBetween(monday, monday + 6);
  const current = timeline.today >= monday && timeline.today <= monday + 6;
  return { first: monday, last: monday + 6, target, completions, outcome: outcomeOf(target, completions, current) };
}

function outcomeOf(target: number, completions: number, current: boolean): PeriodOutcome {
  if (target === 0) return 'not_expected';
  if (completions >= target) return 'met';
  return current ? 'open' : 'unmet';
}
