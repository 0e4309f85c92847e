import { HabitDefinition, HabitLog, LogStatus } from './habit';
import { computeHabitStatistics } from './habit-statistics';
import { eachDay, LocalDate } from './local-date';
import { localDateAt, todayIn } from './time-zone';

const done = (...dates: LocalDate[]): HabitLog[] => dates.map((date) => ({ date, status: 'done' }));
const doneFrom = (from: LocalDate, to: LocalDate): HabitLog[] => done(...eachDay(from, to));
const logged = (entries: Record<LocalDate, LogStatus>): HabitLog[] => Object.entries(entries).map(([date, status]) => ({ date, status }));
const daily = (createdOn: LocalDate, more: Partial<HabitDefinition> = {}): HabitDefinition => ({ frequency: 'daily', createdOn, ...more }) as HabitDefinition;
const weekly = (createdOn: LocalDate, timesPerWeek: number, more: Partial<HabitDefinition> = {}): HabitDefinition =>
  ({ frequency: 'weekly', timesPerWeek, createdOn, ...more }) as HabitDefinition;
const custom = (createdOn: LocalDate, weekdays: number[], more: Partial<HabitDefinition> = {}): HabitDefinition =>
  ({ frequency: 'custom', weekdays, createdOn, ...more }) as HabitDefinition;

describe('computeHabitStatistics', () => {
  describe('a daily habit', () => {
    const habit = daily('2026-03-01');
    const fiveDays = doneFrom('2026-03-01', '2026-03-05');

    it('counts a streak up to a done today', () => {
      expect(computeHabitStatistics(habit, fiveDays, '2026-03-05')).toEqual({
        currentStreak: 5,
        longestStreak: 5,
        totalCompletions: 5,
        totalSkips: 0,
        consistencyScore: 100,
        failureRate: 0,
        consecutiveMisses: 0,
        lastCompletedDate: '2026-03-05',
        atRisk: false,
        strength: expect.any(Number),
      });
    });

    it('does not break the streak, or the score, for a today not yet done', () => {
      expect(computeHabitStatistics(habit, fiveDays, '2026-03-06')).toMatchObject({ currentStreak: 5, consistencyScore: 100, consecutiveMisses: 0, failureRate: 0 });
    });

    it('breaks it for a missed yesterday, and is at risk after two missed days', () => {
      expect(computeHabitStatistics(habit, fiveDays, '2026-03-07')).toMatchObject({
        currentStreak: 0,
        longestStreak: 5,
        consecutiveMisses: 1,
        atRisk: false,
        consistencyScore: 83.3,
        failureRate: 0.1667,
      });
      expect(computeHabitStatistics(habit, fiveDays, '2026-03-08')).toMatchObject({ consecutiveMisses: 2, atRisk: true, consistencyScore: 71.4 });
    });

    it('recovers from risk with a done today', () => {
      expect(computeHabitStatistics(habit, [...fiveDays, ...done('2026-03-08')], '2026-03-08')).toMatchObject({
        currentStreak: 1,
        longestStreak: 5,
        consecutiveMisses: 0,
        atRisk: false,
        lastCompletedDate: '2026-03-08',
      });
    });

    it('counts an entered missed log like no log at all', () => {
      const withMissed = [...fiveDays, ...logged({ '2026-03-06': 'missed' })];
      expect(computeHabitStatistics(habit, withMissed, '2026-03-07')).toEqual(computeHabitStatistics(habit, fiveDays, '2026-03-07'));
    });

    it('is not at risk, and scores 0, on its first day before it is done', () => {
      expect(computeHabitStatistics(daily('2026-03-01'), [], '2026-03-01')).toMatchObject({
        currentStreak: 0,
        longestStreak: 0,
        consistencyScore: 0,
        failureRate: 0,
        consecutiveMisses: 0,
        atRisk: false,
        lastCompletedDate: null,
        strength: 0,
      });
    });

    it('rounds the score to one decimal and caps nothing below 100', () => {
      // 2 of the 3 closed days done: 66.666… → 66.7.
      expect(computeHabitStatistics(daily('2026-03-01'), done('2026-03-01', '2026-03-03'), '2026-03-04').consistencyScore).toBe(66.7);
    });

    it('looks at the last 30 days only', () => {
      // Done every day of March except the 1st and 2nd; on April 1 (open) the window is March 3–April 1.
      const stats = computeHabitStatistics(daily('2026-03-01'), doneFrom('2026-03-03', '2026-03-31'), '2026-04-01');
      expect(stats).toMatchObject({ consistencyScore: 100, failureRate: 0, currentStreak: 29, longestStreak: 29 });
    });
  });

  describe('skipped days', () => {
    it('neither break nor extend a streak, and leave the consistency denominator', () => {
      const logs = logged({ '2026-03-01': 'done', '2026-03-02': 'done', '2026-03-03': 'skipped', '2026-03-04': 'done', '2026-03-05': 'done' });
      expect(computeHabitStatistics(daily('2026-03-01'), logs, '2026-03-05')).toMatchObject({
        currentStreak: 4,
        longestStreak: 4,
        totalCompletions: 4,
        totalSkips: 1,
        consistencyScore: 100,
        failureRate: 0,
      });
    });

    it('keep a streak through a skipped yesterday', () => {
      const logs = logged({ '2026-03-01': 'done', '2026-03-02': 'done', '2026-03-03': 'skipped' });
      expect(computeHabitStatistics(daily('2026-03-01'), logs, '2026-03-04')).toMatchObject({ currentStreak: 2, consecutiveMisses: 0, atRisk: false });
    });

    it('are stepped over when counting misses and risk', () => {
      const logs = logged({ '2026-03-01': 'done', '2026-03-02': 'skipped', '2026-03-03': 'skipped' });
      expect(computeHabitStatistics(daily('2026-03-01'), logs, '2026-03-05')).toMatchObject({ consecutiveMisses: 1, atRisk: false });
      expect(computeHabitStatistics(daily('2026-03-01'), logs, '2026-03-06')).toMatchObject({ consecutiveMisses: 2, atRisk: true });
    });
  });

  describe('back-filling', () => {
    const habit = daily('2026-04-01');
    const twoRuns = [...doneFrom('2026-04-01', '2026-04-03'), ...doneFrom('2026-04-05', '2026-04-07')];

    it('joins two streaks into one', () => {
      expect(computeHabitStatistics(habit, twoRuns, '2026-04-08')).toMatchObject({ currentStreak: 3, longestStreak: 3 });
      expect(computeHabitStatistics(habit, [...twoRuns, ...done('2026-04-04')], '2026-04-08')).toMatchObject({
        currentStreak: 7,
        longestStreak: 7,
        consistencyScore: 100,
        failureRate: 0,
      });
    });

    it('moves the start before the creation date', () => {
      const history = [...doneFrom('2026-03-28', '2026-03-31'), ...doneFrom('2026-04-01', '2026-04-07')];
      expect(computeHabitStatistics(habit, history, '2026-04-08')).toMatchObject({ currentStreak: 11, longestStreak: 11, totalCompletions: 11 });
      // The days between a back-filled log and the creation date are expected too.
      expect(computeHabitStatistics(habit, done('2026-03-28', '2026-04-01'), '2026-04-01')).toMatchObject({
        currentStreak: 1,
        longestStreak: 1,
        consistencyScore: 40,
      });
    });

    it('can also break a streak, with a missed log', () => {
      const history = [...doneFrom('2026-04-01', '2026-04-03'), ...logged({ '2026-04-04': 'missed' }), ...doneFrom('2026-04-05', '2026-04-07')];
      expect(computeHabitStatistics(habit, history, '2026-04-07')).toMatchObject({ currentStreak: 3, longestStreak: 3 });
    });
  });

  describe('a custom habit (Monday, Wednesday, Friday)', () => {
    const habit = custom('2026-06-01', [1, 3, 5]);
    const fourDays = done('2026-06-01', '2026-06-03', '2026-06-05', '2026-06-08');

    it('expects only its weekdays', () => {
      expect(computeHabitStatistics(habit, fourDays, '2026-06-09')).toMatchObject({
        currentStreak: 4,
        longestStreak: 4,
        consecutiveMisses: 0,
        consistencyScore: 100,
        failureRate: 0,
        atRisk: false,
      });
    });

    it('is broken by a missed Wednesday, not by the weekend', () => {
      expect(computeHabitStatistics(habit, done('2026-06-01', '2026-06-03', '2026-06-05'), '2026-06-08')).toMatchObject({ currentStreak: 3 });
      expect(computeHabitStatistics(habit, fourDays, '2026-06-11')).toMatchObject({ currentStreak: 0, longestStreak: 4, consecutiveMisses: 1 });
    });

    it('counts a done Saturday as a completion without extending the streak', () => {
      const stats = computeHabitStatistics(habit, [...fourDays, ...done('2026-06-06')], '2026-06-09');
      expect(stats).toMatchObject({ currentStreak: 4, longestStreak: 4, totalCompletions: 5, lastCompletedDate: '2026-06-08' });
      // 5 completions against 4 expected days: capped at 100.
      expect(stats.consistencyScore).toBe(100);
    });

    it('is at risk after its last two expected days, however far apart', () => {
      const mondayThursday = custom('2026-06-01', [1, 4]);
      // Done Monday 1st; Thursday 4th and Monday 8th missed; today Wednesday 10th.
      expect(computeHabitStatistics(mondayThursday, done('2026-06-01'), '2026-06-10')).toMatchObject({ consecutiveMisses: 2, atRisk: true });
      expect(computeHabitStatistics(mondayThursday, done('2026-06-01', '2026-06-04'), '2026-06-10')).toMatchObject({ consecutiveMisses: 1, atRisk: false });
      expect(computeHabitStatistics(mondayThursday, done('2026-06-01', '2026-06-11'), '2026-06-11')).toMatchObject({ consecutiveMisses: 0, atRisk: false });
    });
  });

  describe('a weekly habit', () => {
    it('counts ISO weeks across a year boundary (2026-W52, 2026-W53, 2027-W01)', () => {
      const habit = weekly('2026-12-21', 2);
      const history = done('2026-12-22', '2026-12-24', '2026-12-29', '2027-01-02', '2027-01-05', '2027-01-07');
      expect(computeHabitStatistics(habit, history, '2027-01-08')).toMatchObject({ currentStreak: 3, longestStreak: 3, consecutiveMisses: 0 });
      // Monday of 2027-W01 with nothing done yet: the open week does not break the streak.
      expect(computeHabitStatistics(habit, history.slice(0, 4), '2027-01-04')).toMatchObject({ currentStreak: 2, longestStreak: 2, atRisk: false });
    });

    it('does not let a week that spans New Year count twice or split', () => {
      // 2026-W53 runs from Monday 2026-12-28 to Sunday 2027-01-03; one done on each side makes its 2.
      const habit = weekly('2026-12-28', 2);
      expect(computeHabitStatistics(habit, done('2026-12-31', '2027-01-01'), '2027-01-03')).toMatchObject({ currentStreak: 1 });
      expect(computeHabitStatistics(habit, done('2026-12-31'), '2027-01-04')).toMatchObject({ currentStreak: 0, consecutiveMisses: 1 });
    });

    it('breaks on a week below its target', () => {
      const habit = weekly('2026-12-21', 2);
      const history = done('2026-12-22', '2026-12-24', '2026-12-29', '2027-01-05', '2027-01-07');
      expect(computeHabitStatistics(habit, history, '2027-01-08')).toMatchObject({ currentStreak: 1, longestStreak: 1 });
    });

    it('counts the weeks missed in a row', () => {
      const habit = weekly('2026-11-02', 3);
      const history = done('2026-11-02', '2026-11-04', '2026-11-06', '2026-11-10');
      expect(computeHabitStatistics(habit, history, '2026-11-23')).toMatchObject({ currentStreak: 0, longestStreak: 1, consecutiveMisses: 2 });
    });

    it('scales the first week’s target to the days left in it', () => {
      // Created on a Saturday, 3 times a week: 2 days of 7 → ⌈6/7⌉ = 1.
      expect(computeHabitStatistics(weekly('2026-06-06', 3), done('2026-06-06'), '2026-06-07')).toMatchObject({ currentStreak: 1, atRisk: false });
    });

    it('expects timesPerWeek / 7 per day in the consistency score', () => {
      // Monday 1 to Saturday 13 June (today, Sunday 14th, open): 13 × 3/7 = 5.571 expected, 4 done → 71.8.
      const stats = computeHabitStatistics(weekly('2026-06-01', 3), done('2026-06-01', '2026-06-03', '2026-06-05', '2026-06-09'), '2026-06-14');
      expect(stats.consistencyScore).toBe(71.8);
      // Week 23 met, week 24 (open) not yet: one expected period, met.
      expect(stats.failureRate).toBe(0);
      expect(stats.currentStreak).toBe(1);
    });
  });

  describe('at risk, weekly', () => {
    const habit = weekly('2026-06-01', 3);

    it('is at risk when the completions still needed are at least the days left, today included', () => {
      expect(computeHabitStatistics(habit, done('2026-06-01'), '2026-06-05').atRisk).toBe(false); // 2 needed, Fri–Sun left
      expect(computeHabitStatistics(habit, done('2026-06-01'), '2026-06-06').atRisk).toBe(true); // 2 needed, Sat–Sun left
      expect(computeHabitStatistics(habit, done('2026-06-01', '2026-06-06'), '2026-06-06').atRisk).toBe(false); // 1 needed
      expect(computeHabitStatistics(habit, done('2026-06-01', '2026-06-03', '2026-06-04'), '2026-06-07').atRisk).toBe(false); // met
    });

    it('does not count paused days as days left', () => {
      const pausedSunday = weekly('2026-06-01', 3, { pauses: [{ from: '2026-06-07', to: '2026-06-07' }] });
      // Six available days still owe ⌈18/7⌉ = 3; on Friday 2 are needed and only Friday and Saturday are left.
      expect(computeHabitStatistics(pausedSunday, done('2026-06-01'), '2026-06-05').atRisk).toBe(true);
    });

    it('treats 7 times a week like a daily habit that has no slack', () => {
      expect(computeHabitStatistics(weekly('2026-06-01', 7), [], '2026-06-01').atRisk).toBe(true);
      expect(computeHabitStatistics(weekly('2026-06-01', 7), done('2026-06-01'), '2026-06-01').atRisk).toBe(false);
    });

    it('is never at risk while paused', () => {
      const paused = weekly('2026-06-01', 3, { pauses: [{ from: '2026-06-05' }] });
      expect(computeHabitStatistics(paused, [], '2026-06-06').atRisk).toBe(false);
      expect(computeHabitStatistics(daily('2026-06-01', { pauses: [{ from: '2026-06-05' }] }), [], '2026-06-09').atRisk).toBe(false);
    });
  });

  describe('pauses', () => {
    it('keep a streak across the paused days', () => {
      const habit = daily('2026-07-01', { pauses: [{ from: '2026-07-06', to: '2026-07-15' }] });
      const history = [...doneFrom('2026-07-01', '2026-07-05'), ...done('2026-07-16')];
      expect(computeHabitStatistics(habit, history, '2026-07-16')).toMatchObject({
        currentStreak: 6,
        longestStreak: 6,
        consistencyScore: 100,
        failureRate: 0,
        consecutiveMisses: 0,
      });
    });

    it('while still open, keep the streak and the score as they were', () => {
      const habit = daily('2026-07-01', { pauses: [{ from: '2026-07-06' }] });
      expect(computeHabitStatistics(habit, doneFrom('2026-07-01', '2026-07-05'), '2026-07-20')).toMatchObject({
        currentStreak: 5,
        consistencyScore: 100,
        consecutiveMisses: 0,
        atRisk: false,
      });
    });

    it('make today expected again once resumed (to = yesterday)', () => {
      const habit = daily('2026-07-01', { pauses: [{ from: '2026-07-06', to: '2026-07-19' }] });
      const stats = computeHabitStatistics(habit, doneFrom('2026-07-01', '2026-07-05'), '2026-07-21');
      expect(stats).toMatchObject({ currentStreak: 0, consecutiveMisses: 1 });
    });

    it('do not let a done log inside a pause extend a streak, but count it as a completion', () => {
      const habit = daily('2026-07-01', { pauses: [{ from: '2026-07-03', to: '2026-07-04' }] });
      const stats = computeHabitStatistics(habit, done('2026-07-01', '2026-07-02', '2026-07-03', '2026-07-05'), '2026-07-05');
      expect(stats).toMatchObject({ currentStreak: 3, totalCompletions: 4, lastCompletedDate: '2026-07-05' });
    });

    it('leave a weekly habit’s fully paused week out', () => {
      const habit = weekly('2026-06-01', 2, { pauses: [{ from: '2026-06-08', to: '2026-06-14' }] });
      expect(computeHabitStatistics(habit, done('2026-06-02', '2026-06-04', '2026-06-16', '2026-06-18'), '2026-06-19')).toMatchObject({
        currentStreak: 2,
        longestStreak: 2,
      });
    });

    it('with nothing expected in 30 days, score 0 and fail nothing', () => {
      const habit = daily('2026-01-01', { pauses: [{ from: '2026-01-11' }] });
      expect(computeHabitStatistics(habit, doneFrom('2026-01-01', '2026-01-10'), '2026-03-01')).toMatchObject({
        consistencyScore: 0,
        failureRate: 0,
        currentStreak: 10,
      });
    });
  });

  describe('time zones', () => {
    it('keeps a London streak across the 23-hour day when clocks go forward', () => {
      // Logged at 00:30 local each night: GMT until Sunday 29 March 2026, BST after — in UTC the last two land
      // on the same date, in London they are consecutive days.
      const instants = ['2026-03-27T00:30:00Z', '2026-03-28T00:30:00Z', '2026-03-29T00:30:00Z', '2026-03-29T23:30:00Z', '2026-03-30T23:30:00Z'];
      const dates = instants.map((instant) => localDateAt(new Date(instant), 'Europe/London'));
      expect(dates).toEqual(['2026-03-27', '2026-03-28', '2026-03-29', '2026-03-30', '2026-03-31']);
      const today = todayIn('Europe/London', new Date('2026-03-31T22:30:00Z'));
      expect(today).toBe('2026-03-31');
      expect(computeHabitStatistics(daily('2026-03-27'), done(...dates), today)).toMatchObject({ currentStreak: 5, atRisk: false });
    });

    it('keeps a New York streak across the 25-hour day when clocks go back', () => {
      // Logged at 19:30 local: 23:30 UTC under EDT, 00:30 UTC the next day under EST — UTC dates would skip
      // 1 November and call the streak broken.
      const instants = ['2026-10-30T23:30:00Z', '2026-10-31T23:30:00Z', '2026-11-02T00:30:00Z', '2026-11-03T00:30:00Z'];
      const dates = instants.map((instant) => localDateAt(new Date(instant), 'America/New_York'));
      expect(dates).toEqual(['2026-10-30', '2026-10-31', '2026-11-01', '2026-11-02']);
      const today = todayIn('America/New_York', new Date('2026-11-03T04:59:00Z'));
      expect(today).toBe('2026-11-02');
      expect(computeHabitStatistics(daily('2026-10-30'), done(...dates), today)).toMatchObject({ currentStreak: 4, longestStreak: 4 });
      // The next local day, still not done, keeps it (open).
      expect(computeHabitStatistics(daily('2026-10-30'), done(...dates), todayIn('America/New_York', new Date('2026-11-03T05:00:00Z')))).toMatchObject({ currentStreak: 4 });
    });

    it('uses Auckland’s date, a day ahead of UTC', () => {
      // Logged at 07:00 NZDT each morning, 10–15 January (18:00 UTC the day before).
      const dates = ['2026-01-09', '2026-01-10', '2026-01-11', '2026-01-12', '2026-01-13', '2026-01-14'].map((day) =>
        localDateAt(new Date(`${day}T18:00:00Z`), 'Pacific/Auckland'),
      );
      expect(dates).toEqual(['2026-01-10', '2026-01-11', '2026-01-12', '2026-01-13', '2026-01-14', '2026-01-15']);
      // 00:30 on 17 January in Auckland, still the 16th in UTC: the 16th went by without a done log.
      const now = new Date('2026-01-16T11:30:00Z');
      expect(todayIn('Pacific/Auckland', now)).toBe('2026-01-17');
      expect(todayIn('UTC', now)).toBe('2026-01-16');
      expect(computeHabitStatistics(daily('2026-01-10'), done(...dates), todayIn('Pacific/Auckland', now))).toMatchObject({
        currentStreak: 0,
        longestStreak: 6,
        consecutiveMisses: 1,
      });
    });

    it('uses Honolulu’s date, a day behind UTC', () => {
      // Logged at 21:00 HST each evening, 10–15 January (07:00 UTC the day after).
      const dates = ['2026-01-11', '2026-01-12', '2026-01-13', '2026-01-14', '2026-01-15', '2026-01-16'].map((day) =>
        localDateAt(new Date(`${day}T07:00:00Z`), 'Pacific/Honolulu'),
      );
      expect(dates).toEqual(['2026-01-10', '2026-01-11', '2026-01-12', '2026-01-13', '2026-01-14', '2026-01-15']);
      const now = new Date('2026-01-16T08:00:00Z');
      expect(todayIn('Pacific/Honolulu', now)).toBe('2026-01-15');
      expect(computeHabitStatistics(daily('2026-01-10'), done(...dates), todayIn('Pacific/Honolulu', now))).toMatchObject({
        currentStreak: 6,
        consecutiveMisses: 0,
        consistencyScore: 100,
      });
    });
  });

  describe('leap days', () => {
    it('count 29 February as a day of a daily streak', () => {
      expect(computeHabitStatistics(daily('2028-02-27'), doneFrom('2028-02-27', '2028-03-02'), '2028-03-02')).toMatchObject({ currentStreak: 5 });
      // Missing it breaks the streak like any other day.
      expect(computeHabitStatistics(daily('2028-02-27'), done('2028-02-27', '2028-02-28', '2028-03-01'), '2028-03-02')).toMatchObject({
        currentStreak: 1,
        longestStreak: 2,
        consecutiveMisses: 0,
        failureRate: 0.25,
      });
    });

    it('schedule a Tuesday-only habit on 29 February 2028', () => {
      expect(computeHabitStatistics(custom('2028-02-22', [2]), done('2028-02-22', '2028-02-29', '2028-03-07'), '2028-03-08')).toMatchObject({
        currentStreak: 3,
      });
      expect(computeHabitStatistics(custom('2028-02-22', [2]), done('2028-02-22', '2028-03-07'), '2028-03-08')).toMatchObject({ currentStreak: 1 });
    });

    it('put 29 February in 2028-W09 for a weekly habit', () => {
      expect(computeHabitStatistics(weekly('2028-02-21', 1), done('2028-02-23', '2028-02-29'), '2028-03-06')).toMatchObject({ currentStreak: 2 });
    });
  });

  describe('input it does not expect', () => {
    it('ignores logs after today rather than failing', () => {
      const stats = computeHabitStatistics(daily('2026-03-01'), done('2026-03-01', '2026-03-02', '2026-03-10'), '2026-03-02');
      expect(stats).toEqual(computeHabitStatistics(daily('2026-03-01'), done('2026-03-01', '2026-03-02'), '2026-03-02'));
    });

    it('gives zeros for a habit whose creation date is after today', () => {
      expect(computeHabitStatistics(daily('2026-03-05'), [], '2026-03-01')).toMatchObject({ currentStreak: 0, consistencyScore: 0, atRisk: false, strength: 0 });
    });

    it.each([
      [daily('2026-02-30'), [], '2026-03-01', 'createdOn must be a date'],
      [daily('2026-03-01'), [], '2026-3-1', 'today must be a calendar date'],
      [weekly('2026-03-01', 0), [], '2026-03-01', 'timesPerWeek must be a whole number from 1 to 7'],
      [weekly('2026-03-01', 8), [], '2026-03-01', 'timesPerWeek must be a whole number from 1 to 7'],
      [custom('2026-03-01', []), [], '2026-03-01', 'weekdays must be distinct ISO weekdays'],
      [custom('2026-03-01', [1, 1]), [], '2026-03-01', 'weekdays must be distinct ISO weekdays'],
      [custom('2026-03-01', [0]), [], '2026-03-01', 'weekdays must be distinct ISO weekdays'],
      [{ frequency: 'monthly', createdOn: '2026-03-01' } as unknown as HabitDefinition, [], '2026-03-01', 'frequency must be daily, weekly or custom'],
      [daily('2026-03-01'), [...done('2026-03-01'), ...logged({ '2026-03-01': 'skipped' })], '2026-03-01', 'two logs for 2026-03-01'],
      [daily('2026-03-01'), [{ date: '2026-03-01', status: 'maybe' } as unknown as HabitLog], '2026-03-01', 'log status must be one of'],
      [daily('2026-03-01', { pauses: [{ from: 'soon' }] }), [], '2026-03-01', 'pauses[0].from'],
    ])('refuses a malformed input with a RangeError (%#)', (habit, logs, today, message) => {
      expect(() => computeHabitStatistics(habit, logs, today)).toThrow(RangeError);
      expect(() => computeHabitStatistics(habit, logs, today)).toThrow(message);
    });
  });
});
