import { HabitSchedule } from './habit';
import { DayState, HabitTimeline } from './habit-timeline';
import { frequencyPerDay } from './frequency';
import { fromDayNumber, LocalDate } from './local-date';
import { roundTo } from './rounding';

/** A daily habit's strength halves after this many days without a done log. */
export const STRENGTH_HALF_LIFE_DAYS = 13;

/** Habits expected less than daily spread each checkmark over twice the week (Loop doubles the interval). */
const SPREAD_WINDOW_DAYS = 14;
const STRENGTH_DECIMALS = 4;

/**
 * Loop Habit Tracker's multiplier: m = 0.5^(√f / 13), f = repetitions expected per day. Each day the score
 * becomes score × m + checkmark × (1 − m).
 */
export function strengthMultiplier(schedule: HabitSchedule): number {
  return 0.5 ** (Math.sqrt(frequencyPerDay(schedule)) / STRENGTH_HALF_LIFE_DAYS);
}

/** One day of the strength history: what the day contributed and where it left the score. */
export interface StrengthDay {
  date: LocalDate;
  state: DayState;
  /** The day's checkmark, 0..1; null when the day did not move the score (skipped, paused, open, before start). */
  checkmark: number | null;
  /** Strength at the end of the day, 0..1, 4 decimals. */
  score: number;
  /** How much the day moved it (score minus the previous day's), 4 decimals. */
  change: number;
}

/** A day of the raw history: its checkmark (null when it left the score alone) and the score after it, 0..1. */
export interface StrengthStep {
  day: number;
  checkmark: number | null;
  score: number;
}

/**
 * The raw score (0..1) after each day from the habit's start to today, with each day's checkmark.
 *
 * Daily habits (and any with f ≥ 1) take 1 for a done day and 0 for a missed one, as in Loop. Less frequent
 * habits spread their checkmark, as Loop does: the checkmark is the share of the repetitions owed over the last
 * 14 days (twice the week, which smooths irregular days) that were done, capped at 1 — owed meaning
 * timesPerWeek / 7 per available day (weekly) or 1 per scheduled available day (custom). It is taken every
 * calendar day, scheduled or not, because m is calibrated per calendar day.
 *
 * Skipped and paused days leave the score as it was (Loop does the same for skips), and so does today until it is
 * done, like every other figure here. Where Loop owes a full window from the first day, this owes only the days
 * since the start, so a new weekly habit done on its first day is not held back by days before it existed.
 */
export function strengthHistory(timeline: HabitTimeline): StrengthStep[] {
  const schedule = timeline.schedule;
  const multiplier = strengthMultiplier(schedule);
  const spread = frequencyPerDay(schedule) < 1;
  const owedPerDay = schedule.frequency === 'weekly' ? schedule.timesPerWeek / 7 : 1;
  const history: StrengthStep[] = [];
  let score = 0;
  // The spread window's sums, slid one day at a time: days owing a repetition, and done logs.
  let owingDays = 0;
  let doneDays = 0;
  for (let day = timeline.start; day <= timeline.today; day++) {
    if (timeline.isAvailable(day) && timeline.isScheduled(day)) owingDays++;
    if (timeline.isDone(day)) doneDays++;
    const leaving = day - SPREAD_WINDOW_DAYS;
    if (leaving >= timeline.start) {
      if (timeline.isAvailable(leaving) && timeline.isScheduled(leaving)) owingDays--;
      if (timeline.isDone(leaving)) doneDays--;
    }
    let checkmark: number | null = null;
    const open = day === timeline.today && !timeline.isDone(day);
    if (timeline.isAvailable(day) && !open) {
      if (!spread) checkmark = timeline.isDone(day) ? 1 : 0;
      else if (owingDays > 0) checkmark = Math.min(1, doneDays / (owingDays * owedPerDay));
    }
    if (checkmark !== null) score = score * multiplier + checkmark * (1 - multiplier);
    history.push({ day, checkmark, score });
  }
  return history;
}

/** Today's strength, 0..1, 4 decimals (Loop shows it as a percentage). */
export function strengthOf(timeline: HabitTimeline): number {
  const history = strengthHistory(timeline);
  return history.length === 0 ? 0 : roundTo(history[history.length - 1].score, STRENGTH_DECIMALS);
}

/** The last `days` days of the strength history, oldest first (days before the start score 0). */
export function strengthBreakdownOf(timeline: HabitTimeline, days: number): StrengthDay[] {
  const byDay = new Map(strengthHistory(timeline).map((entry) => [entry.day, entry]));
  const breakdown: StrengthDay[] = [];
  let previous = byDay.get(timeline.today - days)?.score ?? 0;
  for (let day = timeline.today - days + 1; day <= timeline.today; day++) {
    const entry = byDay.get(day);
    const score = entry?.score ?? 0;
    breakdown.push({
      date: fromDayNumber(day),
      state: timeline.dayState(day),
      checkmark: entry?.checkmark === null || entry === undefined ? null : roundTo(entry.checkmark, STRENGTH_DECIMALS),
      score: roundTo(score, STRENGTH_DECIMALS),
      change: roundTo(score - previous, STRENGTH_DECIMALS),
    });
    previous = score;
  }
  return breakdown;
}
