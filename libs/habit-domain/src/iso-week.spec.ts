import { endOfIsoWeek, isoWeekday, isoWeekKey, startOfIsoWeek } from './iso-week';
import { addDays, eachDay } from './local-date';

describe('ISO weeks', () => {
  it('numbers weekdays from Monday (1) to Sunday (7)', () => {
    expect(isoWeekday('2026-01-05')).toBe(1);
    expect(isoWeekday('2026-01-01')).toBe(4);
    expect(isoWeekday('2028-02-29')).toBe(2);
    expect(isoWeekday('2026-03-29')).toBe(7);
    expect(isoWeekday('1970-01-01')).toBe(4);
    expect(isoWeekday('1969-12-29')).toBe(1);
  });

  it.each([
    // A year whose 1 January is a Thursday has 53 weeks; the days after it stay in that year's W53.
    ['2026-12-28', '2026-W53'],
    ['2026-12-31', '2026-W53'],
    ['2027-01-01', '2026-W53'],
    ['2027-01-03', '2026-W53'],
    ['2027-01-04', '2027-W01'],
    // Late December can belong to the next ISO year.
    ['2024-12-29', '2024-W52'],
    ['2024-12-30', '2025-W01'],
    ['2025-01-01', '2025-W01'],
    ['2008-12-29', '2009-W01'],
    // Early January can belong to the previous one.
    ['2021-01-03', '2020-W53'],
    ['2021-01-04', '2021-W01'],
    ['2022-01-01', '2021-W52'],
    ['2022-01-02', '2021-W52'],
    ['2022-01-03', '2022-W01'],
    // Leap years: 2028-02-29 is a Tuesday; 2032 starts on a Thursday in a leap year and has 53 weeks.
    ['2028-02-29', '2028-W09'],
    ['2032-12-31', '2032-W53'],
    ['2033-01-02', '2032-W53'],
    ['2026-01-01', '2026-W01'],
    ['2025-12-29', '2026-W01'],
  ])('puts %s in %s', (date, week) => {
    expect(isoWeekKey(date)).toBe(week);
  });

  it('gives every day of a week the same key, Monday to Sunday', () => {
    expect(startOfIsoWeek('2027-01-01')).toBe('2026-12-28');
    expect(endOfIsoWeek('2027-01-01')).toBe('2027-01-03');
    for (const day of eachDay('2026-12-20', '2027-01-20')) {
      const monday = startOfIsoWeek(day);
      expect(isoWeekday(monday)).toBe(1);
      expect(isoWeekKey(day)).toBe(isoWeekKey(monday));
      expect(isoWeekKey(addDays(monday, 7))).not.toBe(isoWeekKey(day));
    }
  });

  it('agrees with the ISO rule "the week holding the year’s first Thursday is W01" over 40 years', () => {
    for (let year = 2000; year < 2040; year++) {
      let firstThursday = `${year}-01-01`;
      while (isoWeekday(firstThursday) !== 4) firstThursday = addDays(firstThursday, 1);
      expect(isoWeekKey(firstThursday)).toBe(`${year}-W01`);
      expect(isoWeekKey(addDays(startOfIsoWeek(firstThursday), -1))).toMatch(new RegExp(`^${year - 1}-W5[23]$`));
    }
  });
});
