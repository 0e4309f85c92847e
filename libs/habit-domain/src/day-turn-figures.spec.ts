import { seededRandom } from '@homehelper/testing';
import { dayTurnFigures, historyWindowStart, missFigures } from './day-turn-figures';
import { HabitDefinition, HabitLog, Pause } from './habit';
import { computeHabitStatistics } from './habit-statistics';
import { IsoWeekday, isoWeekday } from './iso-week';
import { addDays, daysBetween, earlierOf, LocalDate } from './local-date';
import { loggedDaysOf } from './logged-days';

/** A habit with up to 400 days of history whose done rate drifts, so long streaks and long lapses both occur. */
function randomHistory(seed: number): { habit: HabitDefinition; logs: HabitLog[]; today: LocalDate } {
  const random = seededRandom(seed);
  const today = addDays('2026-11-29', random.int(-400, 400));
  const createdOn = addDays(today, -random.int(0, 400));
  const kind = random.int(0, 2);
  const schedule =
    kind === 0
      ? { frequency: 'daily' as const }
      : kind === 1
        ? { frequency: 'weekly' as const, timesPerWeek: random.int(1, 7) }
        : { frequency: 'custom' as const, weekdays: ([1, 2, 3, 4, 5, 6, 7] as IsoWeekday[]).filter(() => random.chance(0.5)) };
  if (schedule.frequency === 'custom' && schedule.weekdays.length === 0) schedule.weekdays.push(3);
  const pauses: Pause[] = [];
  for (let count = random.int(0, 2); count > 0; count--) {
    const from = addDays(createdOn, random.int(0, 400));
    pauses.push(random.chance(0.2) ? { from } : { from, to: addDays(from, random.int(0, 30)) });
  }
  const logs: HabitLog[] = [];
  let doneRate = random.int(0, 100) / 100;
  for (let date = addDays(createdOn, -random.int(0, 20)); date <= today; date = addDays(date, 1)) {
    if (random.chance(0.03)) doneRate = random.int(0, 100) / 100;
    if (schedule.frequency === 'custom' && !schedule.weekdays.includes(isoWeekday(date)) && random.chance(0.9)) continue;
    if (random.chance(doneRate)) logs.push({ date, status: 'done' });
    else if (random.chance(0.05)) logs.push({ date, status: 'skipped' });
    else if (random.chance(0.05)) logs.push({ date, status: 'missed' });
  }
  return { habit: { ...schedule, createdOn, pauses }, logs, today };
}

describe('dayTurnFigures', () => {
  it('equals computeHabitStatistics on random histories, from the window or, when it says so, from the whole history (missFigures too)', () => {
    let incomplete = 0;
    let incompleteMisses = 0;
    for (let seed = 1; seed <= 1500; seed++) {
      const { habit, logs, today } = randomHistory(seed);
      const start = logs.length > 0 ? earlierOf(habit.createdOn, logs.reduce((first, log) => earlierOf(first, log.date), logs[0].date)) : habit.createdOn;
      const from = historyWindowStart(today);
      const windowed = dayTurnFigures({ ...habit, createdOn: start }, logs.filter((log) => log.date >= from), today, from);
      // The compact form of the same logs (day numbers, the scheduler's) gives the same answer.
      expect(dayTurnFigures({ ...habit, createdOn: start }, loggedDaysOf(logs), today, from)).toEqual(windowed);
      const result = windowed.complete ? windowed : dayTurnFigures({ ...habit, createdOn: start }, logs, today, null);
      if (!windowed.complete) incomplete++;
      if (!result.complete) throw new Error(`seed ${seed}: the whole history must be complete`);
      const expected = computeHabitStatistics(habit, logs, today);
      const { daysInactive: _inactive, pausedToday: _paused, ...figures } = result.figures;
      const windowedMisses = missFigures({ ...habit, createdOn: start }, logs.filter((log) => log.date >= from), today, from);
      if (!windowedMisses.complete) incompleteMisses++;
      const misses = windowedMisses.complete ? windowedMisses : missFigures({ ...habit, createdOn: start }, logs, today, null);
      const { currentStreak: _streak, consistencyScore: _consistency, failureRate: _failure, ...missesOfAll } = result.figures;
      expect({ seed, ...(misses.complete ? misses.figures : {}) }).toEqual({ seed, ...missesOfAll });
      expect({ seed, ...figures }).toEqual({
        seed,
        currentStreak: expected.currentStreak,
        consistencyScore: expected.consistencyScore,
        failureRate: expected.failureRate,
        consecutiveMisses: expected.consecutiveMisses,
        atRisk: expected.atRisk,
      });
    }
    // Both paths were exercised: most habits from the window alone, some needing their whole history.
    expect(incomplete).toBeGreaterThan(20);
    expect(incomplete).toBeLessThan(1000);
    // The run of misses alone ends inside the window more often than the streak and the misses together.
    expect(incompleteMisses).toBeGreaterThan(0);
    expect(incompleteMisses).toBeLessThan(incomplete);
  });

  it('carries a streak that goes back past the window from the stored one, as of any day inside the window', () => {
    let carried = 0;
    for (let seed = 1; seed <= 1500; seed++) {
      const { habit, logs, today } = randomHistory(seed);
      const start = logs.length > 0 ? earlierOf(habit.createdOn, logs.reduce((first, log) => earlierOf(first, log.date), logs[0].date)) : habit.createdOn;
      const from = historyWindowStart(today);
      const window = logs.filter((log) => log.date >= from);
      if (dayTurnFigures({ ...habit, createdOn: start }, window, today, from).complete) continue;
      const streakDate = addDays(from, seededRandom(seed).int(0, daysBetween(from, today)));
      const stored = { currentStreak: computeHabitStatistics(habit, logs.filter((log) => log.date <= streakDate), streakDate).currentStreak, streakDate };
      const result = dayTurnFigures({ ...habit, createdOn: start }, window, today, from, stored);
      if (!result.complete) continue;
      carried++;
      expect({ seed, currentStreak: result.figures.currentStreak }).toEqual({ seed, currentStreak: computeHabitStatistics(habit, logs, today).currentStreak });
    }
    // Most of the streaks that outrun the window are carried (the rest are long runs of misses).
    expect(carried).toBeGreaterThan(20);
  });

  it('reads the whole history when the stored streak cannot tell', () => {
    const habit: HabitDefinition = { frequency: 'daily', createdOn: '2026-01-01' };
    const logs: HabitLog[] = [];
    for (let date = '2026-09-01'; date <= '2026-11-29'; date = addDays(date, 1)) logs.push({ date, status: 'done' });
    const from = historyWindowStart('2026-11-29');
    const windowed = (stored?: { currentStreak: number; streakDate: string | null }) => dayTurnFigures(habit, logs.filter((log) => log.date >= from), '2026-11-29', from, stored);
    expect(windowed({ currentStreak: 89, streakDate: '2026-11-28' })).toMatchObject({ complete: true, figures: { currentStreak: 90 } });
    // No date, a date before the window or after today, or fewer periods than the window shows as of that date.
    expect(windowed()).toEqual({ complete: false });
    expect(windowed({ currentStreak: 89, streakDate: null })).toEqual({ complete: false });
    expect(windowed({ currentStreak: 40, streakDate: addDays(from, -1) })).toEqual({ complete: false });
    expect(windowed({ currentStreak: 91, streakDate: '2026-11-30' })).toEqual({ complete: false });
    expect(windowed({ currentStreak: 3, streakDate: '2026-11-28' })).toEqual({ complete: false });
  });

  it('tells whether today is inside a pause', () => {
    const pausedToday = (pauses: HabitDefinition['pauses']) => {
      const result = dayTurnFigures({ frequency: 'daily', createdOn: '2026-11-01', pauses }, [], '2026-11-29', null);
      return result.complete && result.figures.pausedToday;
    };
    expect(pausedToday([{ from: '2026-11-20' }])).toBe(true);
    expect(pausedToday([{ from: '2026-11-20', to: '2026-11-29' }])).toBe(true);
    expect(pausedToday([{ from: '2026-11-20', to: '2026-11-28' }])).toBe(false);
    expect(pausedToday([])).toBe(false);
  });

  it('counts the days since the last done log', () => {
    const habit: HabitDefinition = { frequency: 'daily', createdOn: '2026-11-01' };
    const figures = (logs: HabitLog[]) => {
      const result = dayTurnFigures(habit, logs, '2026-11-29', null);
      return result.complete ? result.figures.daysInactive : undefined;
    };
    expect(figures([{ date: '2026-11-26', status: 'done' }])).toBe(3);
    expect(figures([{ date: '2026-11-29', status: 'done' }])).toBe(0);
    expect(figures([])).toBe(28);
  });
});
