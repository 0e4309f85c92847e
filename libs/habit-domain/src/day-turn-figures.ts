import { isAtRisk } from './at-risk';
import { CONSISTENCY_WINDOW_DAYS, consistencyScoreAt } from './consistency';
import { failureRateOf } from './failure-rate';
import { HabitDefinition, HabitLog } from './habit';
import { periodsBack } from './habit-periods';
import { HabitTimeline } from './habit-timeline';
import { startOfIsoWeek } from './iso-week';
import { addDays, LocalDate, toDayNumber } from './local-date';
import { asLoggedDays, LoggedDays, loggedDaysFrom } from './logged-days';
import { missesBack, streakBack } from './streaks';

/**
 * The Monday the scheduler's reading of a habit's logs begins on (35 days back at most): the consistency window's
 * first day, 29 days ago, or the Monday before it, so the failure rate's first ISO week is a whole one. There is no
 * slack: every habit's window is read and computed, and only the longer streaks and runs of misses need more (a
 * streak is carried from the stored one, a run of misses read whole); in the scheduler's bench, a week more for
 * every habit costs more than the habits it spares a second read.
 */
export function historyWindowStart(today: LocalDate): LocalDate {
  return startOfIsoWeek(addDays(today, -(CONSISTENCY_WINDOW_DAYS - 1)));
}

/** What a new day changes about a habit's run of misses (risk detection's and the nudges' figures). */
export interface MissFigures {
  consecutiveMisses: number;
  atRisk: boolean;
  /** Days since the last done log (since the start when there is none). */
  daysInactive: number;
  /** Today is inside a pause (nothing is owed, nobody is nudged). */
  pausedToday: boolean;
}

/** The statistics a new day changes without a write (the roll-over's figures). */
export interface DayTurnFigures extends MissFigures {
  currentStreak: number;
  consistencyScore: number;
  failureRate: number;
}

/**
 * A habit's current streak as stored, and the day it was computed as of (null when not known). Every writer of
 * the streak writes both, so the streak is computeHabitStatistics' for the habit's inputs as of that day.
 */
export interface StoredStreak {
  currentStreak: number;
  streakDate: LocalDate | null;
}

/** Figures from a window of the logs, or `complete: false` when the window cannot tell them. */
export type WindowedResult<Figures> = { complete: true; figures: Figures } | { complete: false };

/**
 * The figures of computeHabitStatistics that move from one day to the next, from the logs since `historyFrom`
 * (null: the whole history). `habit.createdOn` must be the habit's start — the earlier of its creation date and
 * its first log — so the start is known without the older logs.
 *
 * Periods inside the window are the same as in the whole history, so every figure is exact unless the current
 * streak or the run of misses goes back past `historyFrom`: each is counted back from today and stops at an
 * unmet period (the streak) or at a period with a done log (the misses). A streak that goes back past it is
 * carried from the `stored` one when that is as of a day inside the window (see carriedStreak). Otherwise the
 * answer is `complete: false`, and the caller computes again from the whole history.
 */
export function dayTurnFigures(
  habit: HabitDefinition,
  logs: readonly HabitLog[] | LoggedDays,
  today: LocalDate,
  historyFrom: LocalDate | null,
  stored?: StoredStreak,
): WindowedResult<DayTurnFigures> {
  const window = windowOf(habit, logs, today, historyFrom);
  const { timeline, clamped } = window;
  const streak = streakBack(periodsBack(timeline));
  const misses = missesBack(periodsBack(timeline));
  if (clamped && !misses.ended) return { complete: false };
  const currentStreak = clamped && !streak.ended ? carriedStreak(window, streak.length, stored) : streak.length;
  if (currentStreak === null) return { complete: false };
  // Named one by one: spreading missFiguresOf's object here took a third of the roll-over's computing time.
  const { atRisk, daysInactive, pausedToday } = missFiguresOf(timeline, misses.length);
  return {
    complete: true,
    figures: {
      consecutiveMisses: misses.length,
      atRisk,
      daysInactive,
      pausedToday,
      currentStreak,
      consistencyScore: consistencyScoreAt(timeline, timeline.today, CONSISTENCY_WINDOW_DAYS),
      failureRate: failureRateOf(timeline, CONSISTENCY_WINDOW_DAYS).rate,
    },
  };
}

/** dayTurnFigures' MissFigures alone: the window only has to reach back to the end of the run of misses. */
export function missFigures(habit: HabitDefinition, logs: readonly HabitLog[] | LoggedDays, today: LocalDate, historyFrom: LocalDate | null): WindowedResult<MissFigures> {
  const { timeline, clamped } = windowOf(habit, logs, today, historyFrom);
  const misses = missesBack(periodsBack(timeline));
  if (clamped && !misses.ended) return { complete: false };
  return { complete: true, figures: missFiguresOf(timeline, misses.length) };
}

/**
 * The current streak of a habit whose window (`timeline`, clamped at its first day) shows it unbroken back to the
 * window's first period, `inWindow` periods long. The periods before the window are the same whatever day the
 * streak is counted from, so they add to it today what they added to the stored streak: that streak less the
 * periods it counted inside the window, as of its own day — which must be inside the window, with the streak
 * unbroken back to the window's start then too (it is, unless the stored figure is not the logs'). Null when
 * the stored streak cannot tell.
 */
function carriedStreak({ definition, days, timeline }: HabitWindow, inWindow: number, stored: StoredStreak | undefined): number | null {
  if (!stored?.streakDate) return null;
  const asOf = toDayNumber(stored.streakDate);
  if (asOf < timeline.start || asOf > timeline.today) return null;
  const then = streakBack(periodsBack(new HabitTimeline(definition, days, stored.streakDate)));
  const beforeWindow = stored.currentStreak - then.length;
  return then.ended || beforeWindow < 0 ? null : inWindow + beforeWindow;
}

/** A habit's timeline from `historyFrom` on, and what it was built from (`clamped` when that is after its start). */
interface HabitWindow {
  definition: HabitDefinition;
  days: readonly HabitLog[] | LoggedDays;
  timeline: HabitTimeline;
  clamped: boolean;
}

function windowOf(habit: HabitDefinition, logs: readonly HabitLog[] | LoggedDays, today: LocalDate, historyFrom: LocalDate | null): HabitWindow {
  const clamped = historyFrom !== null && habit.createdOn < historyFrom;
  const definition = clamped ? { ...habit, createdOn: historyFrom } : habit;
  const days = clamped ? loggedDaysFrom(asLoggedDays(logs), toDayNumber(historyFrom)) : logs;
  return { definition, days, timeline: new HabitTimeline(definition, days, today), clamped };
}

// Exact once the window holds the end of the run of misses: that end has a done log, so the last done is in it too.
function missFiguresOf(timeline: HabitTimeline, consecutiveMisses: number): MissFigures {
  const lastDone = timeline.doneDays.length > 0 ? timeline.doneDays[timeline.doneDays.length - 1] : timeline.start;
  return {
    consecutiveMisses,
    atRisk: isAtRisk(timeline, consecutiveMisses),
    daysInactive: Math.max(0, timeline.today - lastDone),
    pausedToday: timeline.isPaused(timeline.today),
  };
}
