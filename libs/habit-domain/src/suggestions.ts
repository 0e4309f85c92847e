import { ConsistencyWindow } from './consistency';
import { FailureRate } from './failure-rate';
import { describeFrequency } from './frequency';
import { Difficulty, HabitSchedule } from './habit';
import { HabitTimeline } from './habit-timeline';
import { IsoWeekday, isoWeekdayOfDayNumber } from './iso-week';
import { daysBetween } from './local-date';
import { roundTo } from './rounding';

export type SuggestionKind = 'lower_frequency' | 'easier_difficulty' | 'restart_smaller';

export interface AdaptiveSuggestion {
  kind: SuggestionKind;
  /** A friendly sentence for the user. */
  reason: string;
  /** The numbers behind it. */
  figures: Record<string, number | string | null>;
  suggestedFrequency?: HabitSchedule;
  suggestedDifficulty?: Difficulty;
}

/** Thresholds of seed 002's adaptive rules, and the ones it left open. */
export const SUGGESTION_RULES = {
  /** Lower the frequency when more than half the expected periods of the last 30 days were missed. */
  failureRateAbove: 0.5,
  /** Make it easier when the 30-day consistency score is under 30. */
  consistencyBelow: 30,
  /** A streak counts as broken (restart smaller) when the current one is 0 and the longest reached this. */
  brokenStreakMinLongest: 3,
  /** The short run a restart aims for, in periods. */
  restartTarget: 3,
  /**
   * The two rate rules need this many expected periods in the 30-day window, so a new habit is not judged: a
   * week of expected days, or two weeks' worth for a custom habit on fewer weekdays; two ISO weeks for weekly.
   */
  minExpectedDays: 7,
  minExpectedWeeks: 2,
} as const;

export interface SuggestionInputs {
  currentStreak: number;
  longestStreak: number;
  consecutiveMisses: number;
  consistency: ConsistencyWindow;
  failure: FailureRate;
  difficulty?: Difficulty;
}

const EASIER: Record<Difficulty, Difficulty | undefined> = { hard: 'medium', medium: 'easy', easy: undefined };

export function suggestionsOf(timeline: HabitTimeline, inputs: SuggestionInputs): AdaptiveSuggestion[] {
  const suggestions: AdaptiveSuggestion[] = [];
  const weekly = timeline.schedule.frequency === 'weekly';
  const unit = weekly ? 'week' : 'day';
  const enoughData = inputs.failure.expectedPeriods >= minExpectedPeriods(timeline.schedule);
  const consistency = inputs.consistency;

  if (enoughData && inputs.failure.rate > SUGGESTION_RULES.failureRateAbove) {
    const pace = completionsPerWeek(timeline);
    const suggestedFrequency = lowerFrequency(timeline, pace);
    if (suggestedFrequency) {
      suggestions.push({
        kind: 'lower_frequency',
        reason:
          `You missed ${inputs.failure.missedPeriods} of your last ${inputs.failure.expectedPeriods} planned ${unit}s. ` +
          `Going from ${describeFrequency(timeline.schedule)} to ${describeFrequency(suggestedFrequency)}, close to your ` +
          `current pace, makes it easier to keep going — you can raise it again once it sticks.`,
        figures: {
          failureRate: inputs.failure.rate,
          missedPeriods: inputs.failure.missedPeriods,
          expectedPeriods: inputs.failure.expectedPeriods,
          completionsPerWeek: roundTo(pace, 1),
          windowDays: daysOf(consistency),
        },
        suggestedFrequency,
      });
    }
  }

  if (enoughData && consistency.score < SUGGESTION_RULES.consistencyBelow) {
    const suggestedDifficulty = inputs.difficulty ? EASIER[inputs.difficulty] : undefined;
    const change = suggestedDifficulty
      ? `Making it ${suggestedDifficulty} instead of ${inputs.difficulty} can help it stick.`
      : 'Try a smaller version of it — even two minutes counts.';
    suggestions.push({
      kind: 'easier_difficulty',
      reason: `You did it ${times(consistency.completions)} in the last ${daysOf(consistency)} days, ${formatCount(consistency.expectedCompletions)} were planned. ${change}`,
      figures: {
        consistencyScore: consistency.score,
        completions: consistency.completions,
        expectedCompletions: consistency.expectedCompletions,
        windowDays: daysOf(consistency),
        difficulty: inputs.difficulty ?? null,
      },
      ...(suggestedDifficulty ? { suggestedDifficulty } : {}),
    });
  }

  if (inputs.currentStreak === 0 && inputs.longestStreak >= SUGGESTION_RULES.brokenStreakMinLongest) {
    const target = SUGGESTION_RULES.restartTarget;
    suggestions.push({
      kind: 'restart_smaller',
      reason:
        `Your streak is broken, but you once kept it up for ${inputs.longestStreak} ${unit}s in a row. ` +
        `Start again small: aim for ${target} ${unit}s in a row first.`,
      figures: {
        currentStreak: inputs.currentStreak,
        longestStreak: inputs.longestStreak,
        consecutiveMisses: inputs.consecutiveMisses,
        restartTarget: target,
      },
    });
  }
  return suggestions;
}

function minExpectedPeriods(schedule: HabitSchedule): number {
  if (schedule.frequency === 'weekly') return SUGGESTION_RULES.minExpectedWeeks;
  if (schedule.frequency === 'custom') return Math.min(SUGGESTION_RULES.minExpectedDays, 2 * schedule.weekdays.length);
  return SUGGESTION_RULES.minExpectedDays;
}

/**
 * Done logs per week over the 30-day window: 7 × done / available days (days from the start, not paused, not
 * skipped; today only once done).
 */
function completionsPerWeek(timeline: HabitTimeline): number {
  const first = Math.max(timeline.start, timeline.today - 29);
  let availableDays = 0;
  for (let day = first; day <= timeline.today; day++) {
    if (timeline.isAvailable(day) && (day !== timeline.today || timeline.isDone(day))) availableDays++;
  }
  return availableDays === 0 ? 0 : (7 * timeline.doneBetween(first, timeline.today)) / availableDays;
}

/**
 * A lower frequency near the current pace: daily → that many times a week (1–6); weekly → fewer times a week;
 * custom → the weekdays it is most often done on (as many as the pace, fewer than now), or once a week on any day
 * for a single weekday. A weekly habit due once a week has nothing lower: no suggestion.
 */
function lowerFrequency(timeline: HabitTimeline, pace: number): HabitSchedule | undefined {
  const schedule = timeline.schedule;
  const clamp = (value: number, max: number) => Math.min(max, Math.max(1, Math.round(value)));
  switch (schedule.frequency) {
    case 'daily':
      return { frequency: 'weekly', timesPerWeek: clamp(pace, 6) };
    case 'weekly':
      return schedule.timesPerWeek > 1 ? { frequency: 'weekly', timesPerWeek: clamp(pace, schedule.timesPerWeek - 1) } : undefined;
    case 'custom': {
      if (schedule.weekdays.length === 1) return { frequency: 'weekly', timesPerWeek: 1 };
      const keep = clamp(pace, schedule.weekdays.length - 1);
      const ranked = [...schedule.weekdays].sort((a, b) => successOn(timeline, b) - successOn(timeline, a) || a - b);
      return { frequency: 'custom', weekdays: ranked.slice(0, keep).sort((a, b) => a - b) };
    }
  }
}

/** Share of the expected days on this weekday in the last 30 days that were done. */
function successOn(timeline: HabitTimeline, weekday: IsoWeekday): number {
  let expected = 0;
  let done = 0;
  for (let day = Math.max(timeline.start, timeline.today - 29); day <= timeline.today; day++) {
    if (isoWeekdayOfDayNumber(day) !== weekday || !timeline.isExpectedDay(day)) continue;
    if (day === timeline.today && !timeline.isDone(day)) continue;
    expected++;
    if (timeline.isDone(day)) done++;
  }
  return expected === 0 ? 0 : done / expected;
}

function daysOf(window: ConsistencyWindow): number {
  return daysBetween(window.from, window.to) + 1;
}

function times(count: number): string {
  return count === 1 ? 'once' : `${count} times`;
}

function formatCount(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}
