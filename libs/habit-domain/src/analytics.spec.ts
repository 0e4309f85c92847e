import { completionWindow, consistencyTrend } from './consistency-trend';
import { HabitDefinition, HabitLog } from './habit';
import { computeHabitStatistics } from './habit-statistics';
import { completionHeatmap } from './heatmap';
import { eachDay, LocalDate } from './local-date';
import { deleteLog, upsertLog } from './log-book';
import { monthlySummaries, weeklySummaries } from './period-summaries';
import { todayStatus } from './today-status';

const done = (...dates: LocalDate[]): HabitLog[] => dates.map((date) => ({ date, status: 'done' }));

describe('analytics', () => {
  describe('completionHeatmap', () => {
    it('gives one value per day, with what the day was', () => {
      const habit: HabitDefinition = { frequency: 'custom', weekdays: [1, 3, 5], createdOn: '2026-06-03', pauses: [{ from: '2026-06-10', to: '2026-06-10' }] };
      const logs: HabitLog[] = [...done('2026-06-03', '2026-06-06'), { date: '2026-06-05', status: 'skipped' }, { date: '2026-06-12', status: 'missed' }];
      const heatmap = completionHeatmap(habit, logs, '2026-06-15', '2026-06-01', '2026-06-16');
      expect(heatmap.map(({ date, value, state }) => `${date} ${value} ${state}`)).toEqual([
        '2026-06-01 0 before_start',
        '2026-06-02 0 before_start',
        '2026-06-03 1 done',
        '2026-06-04 0 not_scheduled',
        '2026-06-05 0 skipped',
        '2026-06-06 1 done',
        '2026-06-07 0 not_scheduled',
        '2026-06-08 0 missed',
        '2026-06-09 0 not_scheduled',
        '2026-06-10 0 paused',
        '2026-06-11 0 not_scheduled',
        '2026-06-12 0 missed',
        '2026-06-13 0 not_scheduled',
        '2026-06-14 0 not_scheduled',
        '2026-06-15 0 open',
        '2026-06-16 0 future',
      ]);
    });

    it('calls a weekly habit’s days without a log empty, not missed', () => {
      const habit: HabitDefinition = { frequency: 'weekly', timesPerWeek: 2, createdOn: '2026-06-01' };
      const states = completionHeatmap(habit, [...done('2026-06-01'), { date: '2026-06-02', status: 'missed' }], '2026-06-04', '2026-06-01', '2026-06-04').map((day) => day.state);
      expect(states).toEqual(['done', 'missed', 'empty', 'open']);
    });

    it('covers a leap year’s 366 days', () => {
      const habit: HabitDefinition = { frequency: 'daily', createdOn: '2028-01-01' };
      expect(completionHeatmap(habit, [], '2028-12-31', '2028-01-01', '2028-12-31')).toHaveLength(366);
    });
  });

  describe('weeklySummaries', () => {
    it('labels ISO weeks across New Year and says which were met', () => {
      const habit: HabitDefinition = { frequency: 'weekly', timesPerWeek: 2, createdOn: '2026-12-21' };
      const logs = done('2026-12-22', '2026-12-24', '2026-12-29', '2027-01-05');
      expect(weeklySummaries(habit, logs, '2027-01-06', 4)).toEqual([
        { period: '2026-W51', from: '2026-12-14', to: '2026-12-20', open: false, completions: 0, expectedCompletions: 0, rate: null, target: 0, met: null },
        { period: '2026-W52', from: '2026-12-21', to: '2026-12-27', open: false, completions: 2, expectedCompletions: 2, rate: 1, target: 2, met: true },
        { period: '2026-W53', from: '2026-12-28', to: '2027-01-03', open: false, completions: 1, expectedCompletions: 2, rate: 0.5, target: 2, met: false },
        // So far: Monday and Tuesday owe 2/7 each (today, Wednesday, is open and not done).
        { period: '2027-W01', from: '2027-01-04', to: '2027-01-10', open: true, completions: 1, expectedCompletions: 0.57, rate: 1, target: 2, met: null },
      ]);
    });

    it('counts a daily habit’s expected days as the week’s target', () => {
      const habit: HabitDefinition = { frequency: 'daily', createdOn: '2026-06-03' };
      const [week] = weeklySummaries(habit, done(...eachDay('2026-06-03', '2026-06-07')), '2026-06-08', 2);
      expect(week).toMatchObject({ period: '2026-W23', target: 5, completions: 5, met: true, rate: 1 });
    });
  });

  describe('monthlySummaries', () => {
    it('gives leap February its 29 days', () => {
      const habit: HabitDefinition = { frequency: 'daily', createdOn: '2028-01-15' };
      const logs = done(...eachDay('2028-02-01', '2028-02-29'), '2028-03-01');
      expect(monthlySummaries(habit, logs, '2028-03-02', 3)).toEqual([
        { period: '2028-01', from: '2028-01-01', to: '2028-01-31', open: false, completions: 0, expectedCompletions: 17, rate: 0 },
        { period: '2028-02', from: '2028-02-01', to: '2028-02-29', open: false, completions: 29, expectedCompletions: 29, rate: 1 },
        { period: '2028-03', from: '2028-03-01', to: '2028-03-31', open: true, completions: 1, expectedCompletions: 1, rate: 1 },
      ]);
    });
  });

  describe('consistencyTrend', () => {
    it('gives, for each day, the score computeHabitStatistics gives with that day as today', () => {
      const habit: HabitDefinition = { frequency: 'custom', weekdays: [2, 4, 6], createdOn: '2026-02-01', pauses: [{ from: '2026-03-10', to: '2026-03-15' }] };
      const logs: HabitLog[] = [...done('2026-02-03', '2026-02-05', '2026-02-10', '2026-03-03', '2026-03-05', '2026-03-16', '2026-03-21'), { date: '2026-03-19', status: 'skipped' }];
      const trend = consistencyTrend(habit, logs, '2026-03-31', 60);
      expect(trend).toHaveLength(60);
      expect(trend[59].to).toBe('2026-03-31');
      for (const point of trend) expect(point.score).toBe(computeHabitStatistics(habit, logs, point.to).consistencyScore);
    });

    it('gives the 7-day completion rate of the dashboard', () => {
      const habit: HabitDefinition = { frequency: 'daily', createdOn: '2026-01-01' };
      expect(completionWindow(habit, done('2026-01-08', '2026-01-10', '2026-01-12'), '2026-01-14', 7)).toEqual({
        from: '2026-01-08',
        to: '2026-01-14',
        completions: 3,
        expectedCompletions: 6,
        score: 50,
      });
    });
  });

  describe('todayStatus', () => {
    it('says whether each kind of habit is due today', () => {
      const created = '2026-06-01';
      expect(todayStatus({ frequency: 'daily', createdOn: created }, [], '2026-06-03')).toEqual({ due: true, done: false, paused: false });
      expect(todayStatus({ frequency: 'custom', weekdays: [1], createdOn: created }, [], '2026-06-03')).toEqual({ due: false, done: false, paused: false });
      expect(todayStatus({ frequency: 'daily', createdOn: created, pauses: [{ from: '2026-06-02' }] }, [], '2026-06-03')).toEqual({ due: false, done: false, paused: true });
      const weekly: HabitDefinition = { frequency: 'weekly', timesPerWeek: 2, createdOn: created };
      expect(todayStatus(weekly, done('2026-06-01'), '2026-06-03')).toMatchObject({ due: true, done: false, week: { target: 2, completions: 1, needed: 1, daysLeft: 5 } });
      expect(todayStatus(weekly, done('2026-06-01', '2026-06-03'), '2026-06-03')).toMatchObject({ due: true, done: true, week: { needed: 0 } });
      expect(todayStatus(weekly, done('2026-06-01', '2026-06-02'), '2026-06-03')).toMatchObject({ due: false, done: false, week: { week: '2026-W23' } });
    });
  });

  describe('upsertLog and deleteLog', () => {
    it('keep one log per date, sorted', () => {
      let logs: HabitLog[] = [];
      logs = upsertLog(logs, { date: '2026-01-03', status: 'done' });
      logs = upsertLog(logs, { date: '2026-01-01', status: 'missed' });
      logs = upsertLog(logs, { date: '2026-01-03', status: 'skipped' });
      expect(logs).toEqual([
        { date: '2026-01-01', status: 'missed' },
        { date: '2026-01-03', status: 'skipped' },
      ]);
      expect(deleteLog(logs, '2026-01-01')).toEqual([{ date: '2026-01-03', status: 'skipped' }]);
    });
  });

  it('refuses a count below 1', () => {
    const habit: HabitDefinition = { frequency: 'daily', createdOn: '2026-01-01' };
    expect(() => consistencyTrend(habit, [], '2026-01-05', 0)).toThrow('days must be a whole number of at least 1');
    expect(() => weeklySummaries(habit, [], '2026-01-05', 1.5)).toThrow(RangeError);
  });
});
