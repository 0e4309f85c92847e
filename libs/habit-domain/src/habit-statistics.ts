import { isAtRisk } from './at-risk';
import { CONSISTENCY_WINDOW_DAYS, consistencyWindowAt } from './consistency';
import { failureRateOf } from './failure-rate';
import { HabitDefinition, HabitLog, HabitSchedule } from './habit';
import { allPeriods } from './habit-periods';
import { HabitTimeline } from './habit-timeline';
import { fromDayNumber, LocalDate } from './local-date';
import { LoggedDays } from './logged-days';
import { strengthOf } from './strength';
import { consecutiveMisses, currentStreak, longestStreak } from './streaks';
import { AdaptiveSuggestion, suggestionsOf } from './suggestions';

/** A habit's statistics (DESIGN §4): a cache of its logs, kept on the habit row. */
export interface HabitStatistics {
  /** Met periods in a row up to today (days, or ISO weeks for weekly habits); an open today does not break it. */
  currentStreak: number;
  longestStreak: number;
  /** Done logs up to today. */
  totalCompletions: number;
  /** Skipped logs up to today. */
  totalSkips: number;
  /** 30-day consistency, 0..100, 1 decimal (see ConsistencyWindow). */
  consistencyScore: number;
  /** Unmet share of the expected periods of the last 30 days, 0..1, 4 decimals. */
  failureRate: number;
  /** Unmet expected periods since the last met one; the current period is not counted while open. */
  consecutiveMisses: number;
  lastCompletedDate: LocalDate | null;
  atRisk: boolean;
  /** Loop Habit Tracker's habit strength, 0..1, 4 decimals. */
  strength: number;
  /** Present when the lower-frequency suggestion applies. */
  suggestedFrequency?: HabitSchedule;
}

/**
 * Everything DESIGN §4 keeps on a habit, recomputed from its definition and all its logs (or their LoggedDays)
 * as of `today` (the user's local date). Pure and order-independent: the same logs in any order give the same
 * figures, so the habit-service (on every write) and the scheduler (nightly roll-over) agree.
 */
export function computeHabitStatistics(habit: HabitDefinition, logs: readonly HabitLog[] | LoggedDays, today: LocalDate): HabitStatistics {
  return analyse(habit, logs, today).statistics;
}

/** Seed 002's adaptive suggestions for a habit as of `today`, each with its reason and figures. */
export function adaptiveSuggestions(habit: HabitDefinition, logs: readonly HabitLog[], today: LocalDate): AdaptiveSuggestion[] {
  return analyse(habit, logs, today).suggestions;
}

function analyse(habit: HabitDefinition, logs: readonly HabitLog[] | LoggedDays, today: LocalDate) {
  const timeline = new HabitTimeline(habit, logs, today);
  const periods = allPeriods(timeline);
  const consistency = consistencyWindowAt(timeline, timeline.today, CONSISTENCY_WINDOW_DAYS);
  const failure = failureRateOf(timeline, CONSISTENCY_WINDOW_DAYS);
  const figures = {
    currentStreak: currentStreak(periods),
    longestStreak: longestStreak(periods),
    consecutiveMisses: consecutiveMisses(periods),
  };
  const suggestions = suggestionsOf(timeline, { ...figures, consistency, failure, difficulty: habit.difficulty });
  const suggestedFrequency = suggestions.find((suggestion) => suggestion.suggestedFrequency)?.suggestedFrequency;
  const lastDone = timeline.doneDays[timeline.doneDays.length - 1];
  const statistics: HabitStatistics = {
    currentStreak: figures.currentStreak,
    longestStreak: figures.longestStreak,
    totalCompletions: timeline.doneDays.length,
    totalSkips: timeline.skippedCount,
    consistencyScore: consistency.score,
    failureRate: failure.rate,
    consecutiveMisses: figures.consecutiveMisses,
    lastCompletedDate: lastDone === undefined ? null : fromDayNumber(lastDone),
    atRisk: isAtRisk(timeline, figures.consecutiveMisses),
    strength: strengthOf(timeline),
    ...(suggestedFrequency ? { suggestedFrequency } : {}),
  };
  return { statistics, suggestions };
}
