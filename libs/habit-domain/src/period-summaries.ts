import { assertCount } from './assert-count';
import { expectedCompletionsBetween } from './consistency';
import { HabitDefinition, HabitLog } from './habit';
import { weekPeriod } from './habit-periods';
import { HabitTimeline } from './habit-timeline';
import { isoWeekKeyOfDayNumber, isoWeekStartOfDayNumber } from './iso-week';
import { addMonths, endOfMonth, fromDayNumber, LocalDate, monthKey, toDayNumber } from './local-date';
import { roundTo } from './rounding';

/** Completions of one calendar period against what was expected in it so far. */
export interface PeriodSummary {
  /** `2026-W05` for a week, `2026-02` for a month. */
  period: string;
  from: LocalDate;
  to: LocalDate;
  /** Holds today: the figures are so far. */
  open: boolean;
  /** Done logs in the period (up to today). */
  completions: number;
  /** Done logs owed up to today, as for the consistency score (today only once done), 2 decimals. */
  expectedCompletions: number;
  /** completions / expectedCompletions, capped at 1, 3 decimals; null when nothing was expected. */
  rate: number | null;
}

export interface WeekSummary extends PeriodSummary {
  /** Done logs the whole week owes: timesPerWeek scaled to its available days (weekly), or its expected days. */
  target: number;
  /** Whether the target was met; null while the week is open and not yet met, or when it owed nothing. */
  met: boolean | null;
}

/** The last `weeks` ISO weeks, oldest first, the current week last. */
export function weeklySummaries(habit: HabitDefinition, logs: readonly HabitLog[], today: LocalDate, weeks: number): WeekSummary[] {
  assertCount(weeks, 'weeks');
  const timeline = new HabitTimeline(habit, logs, today);
  const currentMonday = isoWeekStartOfDayNumber(timeline.today);
  const summaries: WeekSummary[] = [];
  for (let monday = currentMonday - 7 * (weeks - 1); monday <= currentMonday; monday += 7) {
    const summary = summarise(timeline, monday, monday + 6, isoWeekKeyOfDayNumber(monday));
    const target = weekTargetOf(timeline, monday);
    const met = target === 0 ? null : summary.completions >= target ? true : summary.open ? null : false;
    summaries.push({ ...summary, target, met });
  }
  return summaries;
}

/** The last `months` calendar months, oldest first, the current month last. */
export function monthlySummaries(habit: HabitDefinition, logs: readonly HabitLog[], today: LocalDate, months: number): PeriodSummary[] {
  assertCount(months, 'months');
  const timeline = new HabitTimeline(habit, logs, today);
  const summaries: PeriodSummary[] = [];
  for (let offset = months - 1; offset >= 0; offset--) {
    const first = addMonths(today, -offset);
    summaries.push(summarise(timeline, toDayNumber(first), toDayNumber(endOfMonth(first)), monthKey(first)));
  }
  return summaries;
}

function summarise(timeline: HabitTimeline, first: number, last: number, period: string): PeriodSummary {
  const completions = timeline.doneBetween(first, last);
  const expected = expectedCompletionsBetween(timeline, first, last, timeline.today);
  return {
    period,
    from: fromDayNumber(first),
    to: fromDayNumber(last),
    open: timeline.today >= first && timeline.today <= last,
    completions,
    expectedCompletions: roundTo(expected, 2),
    rate: expected > 0 ? Math.min(1, roundTo(completions / expected, 3)) : null,
  };
}

function weekTargetOf(timeline: HabitTimeline, monday: number): number {
  if (timeline.schedule.frequency === 'weekly') return weekPeriod(timeline, monday).target;
  let target = 0;
  for (let day = monday; day <= monday + 6; day++) if (timeline.isAvailable(day) && timeline.isScheduled(day)) target++;
  return target;
}
