import { LoggedDays, loggedDaysOf, withLoggedDay } from './logged-days';

describe('withLoggedDay', () => {
  const days: LoggedDays = loggedDaysOf([
    { date: '1970-01-02', status: 'done' },
    { date: '1970-01-03', status: 'skipped' },
    { date: '1970-01-04', status: 'missed' },
  ]);

  it('adds a log on a day that had none', () => {
    expect(withLoggedDay(days, 5, 'done')).toEqual({ done: [1, 5], skipped: [2], missed: [3] });
  });

  it('replaces the log a day had, whatever its status', () => {
    expect(withLoggedDay(days, 2, 'done')).toEqual({ done: [1, 2], skipped: [], missed: [3] });
    expect(withLoggedDay(days, 1, 'missed')).toEqual({ done: [], skipped: [2], missed: [3, 1] });
    expect(withLoggedDay(days, 1, 'done')).toEqual(days);
  });

  it('leaves the days it was given as they were', () => {
    withLoggedDay(days, 3, 'done');
    expect(days).toEqual({ done: [1], skipped: [2], missed: [3] });
  });
});
