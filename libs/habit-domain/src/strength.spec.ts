import { HabitDefinition, HabitLog } from './habit';
import { computeHabitStatistics } from './habit-statistics';
import { eachDay, LocalDate } from './local-date';
import { STRENGTH_HALF_LIFE_DAYS, strengthMultiplier } from './strength';
import { strengthBreakdown } from './strength-breakdown';

const done = (...dates: LocalDate[]): HabitLog[] => dates.map((date) => ({ date, status: 'done' }));
const doneFrom = (from: LocalDate, to: LocalDate): HabitLog[] => done(...eachDay(from, to));
const daily: HabitDefinition = { frequency: 'daily', createdOn: '2026-01-01' };

describe('habit strength (Loop Habit Tracker’s score)', () => {
  it('uses m = 0.5^(√f / 13): a daily habit halves in 13 days, a weekly one more slowly', () => {
    expect(strengthMultiplier(daily) ** STRENGTH_HALF_LIFE_DAYS).toBeCloseTo(0.5, 12);
    const oncePerWeek = strengthMultiplier({ frequency: 'weekly', timesPerWeek: 1 });
    expect(oncePerWeek).toBeCloseTo(0.5 ** (Math.sqrt(1 / 7) / 13), 12);
    expect(oncePerWeek).toBeGreaterThan(strengthMultiplier(daily));
    expect(strengthMultiplier({ frequency: 'custom', weekdays: [1, 3, 5] })).toBeCloseTo(strengthMultiplier({ frequency: 'weekly', timesPerWeek: 3 }), 12);
  });

  it('reaches one half after 13 done days from nothing, and loses half of it in 13 missed days', () => {
    expect(computeHabitStatistics(daily, doneFrom('2026-01-01', '2026-01-13'), '2026-01-13').strength).toBe(0.5);
    // 14–26 January missed; the 27th is open and leaves the score alone.
    expect(computeHabitStatistics(daily, doneFrom('2026-01-01', '2026-01-13'), '2026-01-27').strength).toBe(0.25);
  });

  it('is the same for 7 times a week and for every weekday as for daily', () => {
    const history = done('2026-01-01', '2026-01-02', '2026-01-04', '2026-01-05', '2026-01-09', '2026-01-10', '2026-01-11');
    const expected = computeHabitStatistics(daily, history, '2026-01-20').strength;
    expect(computeHabitStatistics({ frequency: 'weekly', timesPerWeek: 7, createdOn: '2026-01-01' }, history, '2026-01-20').strength).toBe(expected);
    expect(computeHabitStatistics({ frequency: 'custom', weekdays: [1, 2, 3, 4, 5, 6, 7], createdOn: '2026-01-01' }, history, '2026-01-20').strength).toBe(expected);
  });

  it('explains each day: done days raise it, missed days lower it, skipped, paused and open days leave it', () => {
    const habit: HabitDefinition = { ...daily, pauses: [{ from: '2026-01-06', to: '2026-01-07' }] };
    const logs: HabitLog[] = [...doneFrom('2026-01-01', '2026-01-03'), { date: '2026-01-04', status: 'skipped' }, ...done('2026-01-08')];
    const days = strengthBreakdown(habit, logs, '2026-01-10', 12);
    expect(days.map((day) => [day.date, day.state, day.checkmark])).toEqual([
      ['2025-12-30', 'before_start', null],
      ['2025-12-31', 'before_start', null],
      ['2026-01-01', 'done', 1],
      ['2026-01-02', 'done', 1],
      ['2026-01-03', 'done', 1],
      ['2026-01-04', 'skipped', null],
      ['2026-01-05', 'missed', 0],
      ['2026-01-06', 'paused', null],
      ['2026-01-07', 'paused', null],
      ['2026-01-08', 'done', 1],
      ['2026-01-09', 'missed', 0],
      ['2026-01-10', 'open', null],
    ]);
    for (const day of days) {
      if (day.checkmark === 1) expect(day.change).toBeGreaterThan(0);
      else if (day.checkmark === 0) expect(day.change).toBeLessThan(0);
      else expect(day.change).toBe(0);
    }
    const m = strengthMultiplier(daily);
    expect(days[4].score).toBeCloseTo(1 - m ** 3, 4);
    expect(days[days.length - 1].score).toBe(computeHabitStatistics(habit, logs, '2026-01-10').strength);
  });

  it('spreads a weekly habit’s checkmark over the last 14 days', () => {
    // Once a week from Monday 1 June; done that Monday only. Owed: 1/7 per day since the start.
    const habit: HabitDefinition = { frequency: 'weekly', timesPerWeek: 1, createdOn: '2026-06-01' };
    const days = strengthBreakdown(habit, done('2026-06-01'), '2026-06-10', 10);
    expect(days.map((day) => day.checkmark)).toEqual([1, 1, 1, 1, 1, 1, 1, 0.875, 0.7778, null]);
  });

  it('spreads a custom habit’s checkmark over the scheduled days of the last 14', () => {
    const mondays: HabitDefinition = { frequency: 'custom', weekdays: [1], createdOn: '2026-06-01' };
    const days = strengthBreakdown(mondays, done('2026-06-01'), '2026-06-09', 9);
    // Monday 8 June is owed too: 1 done of 2 owed. Today (Tuesday 9th) is open.
    expect(days.map((day) => day.checkmark)).toEqual([1, 1, 1, 1, 1, 1, 1, 0.5, null]);
    expect(days.map((day) => day.state)).toEqual(['done', 'not_scheduled', 'not_scheduled', 'not_scheduled', 'not_scheduled', 'not_scheduled', 'not_scheduled', 'missed', 'not_scheduled']);
  });

  it('keeps a steady weekly habit strong', () => {
    const habit: HabitDefinition = { frequency: 'weekly', timesPerWeek: 2, createdOn: '2026-01-05' };
    const twiceAWeek: HabitLog[] = [];
    for (let week = 0; week < 26; week++) {
      twiceAWeek.push(...done(...[1, 4].map((offset) => [...eachDay('2026-01-05', '2026-12-31')][week * 7 + offset])));
    }
    expect(computeHabitStatistics(habit, twiceAWeek, '2026-07-05').strength).toBeGreaterThan(0.95);
  });
});
