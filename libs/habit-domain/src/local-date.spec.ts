import {
  addDays,
  addMonths,
  assertLocalDate,
  daysBetween,
  eachDay,
  endOfMonth,
  fromDayNumber,
  isLocalDate,
  toDayNumber,
} from './local-date';

describe('local dates', () => {
  it('accepts real calendar dates only, leap days included', () => {
    expect(isLocalDate('2028-02-29')).toBe(true);
    expect(isLocalDate('2000-02-29')).toBe(true);
    expect(isLocalDate('2027-02-29')).toBe(false);
    expect(isLocalDate('2100-02-29')).toBe(false);
    expect(isLocalDate('2026-04-31')).toBe(false);
    expect(isLocalDate('2026-13-01')).toBe(false);
    expect(isLocalDate('2026-1-01')).toBe(false);
    expect(isLocalDate('2026-01-01T00:00:00Z')).toBe(false);
    expect(isLocalDate(20260101)).toBe(false);
    expect(() => assertLocalDate('2027-02-29', 'logDate')).toThrow('logDate must be a calendar date written YYYY-MM-DD, got "2027-02-29"');
  });

  it('counts days from 1970-01-01 and back again, across centuries', () => {
    expect(toDayNumber('1970-01-01')).toBe(0);
    expect(toDayNumber('1969-12-31')).toBe(-1);
    expect(toDayNumber('2000-03-01') - toDayNumber('2000-02-28')).toBe(2);
    expect(toDayNumber('2100-03-01') - toDayNumber('2100-02-28')).toBe(1);
    // Agrees with the proleptic Gregorian calendar of Date (in UTC) for every day of a few centuries.
    const disagreements: string[] = [];
    for (let day = toDayNumber('1599-12-25'); day <= toDayNumber('2401-01-05'); day += 1) {
      const date = fromDayNumber(day);
      const utc = new Date(day * 86_400_000).toISOString().slice(0, 10);
      if (date !== utc || toDayNumber(date) !== day) disagreements.push(`${day}: ${date} / ${utc}`);
    }
    expect(disagreements).toEqual([]);
  });

  it('adds days across month, year and leap-day boundaries', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2028-02-29', 1)).toBe('2028-03-01');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
    expect(addDays('2026-03-29', 0)).toBe('2026-03-29');
    expect(daysBetween('2028-02-01', '2028-03-01')).toBe(29);
    expect(daysBetween('2027-02-01', '2027-03-01')).toBe(28);
    expect(daysBetween('2026-03-10', '2026-03-01')).toBe(-9);
  });

  it('iterates a range, both ends included, and nothing for a reversed one', () => {
    expect([...eachDay('2028-02-27', '2028-03-02')]).toEqual(['2028-02-27', '2028-02-28', '2028-02-29', '2028-03-01', '2028-03-02']);
    expect([...eachDay('2026-05-05', '2026-05-05')]).toEqual(['2026-05-05']);
    expect([...eachDay('2026-05-06', '2026-05-05')]).toEqual([]);
  });

  it('moves by months and finds their ends', () => {
    expect(endOfMonth('2028-02-10')).toBe('2028-02-29');
    expect(endOfMonth('2027-02-10')).toBe('2027-02-28');
    expect(addMonths('2026-01-31', -1)).toBe('2025-12-01');
    expect(addMonths('2026-11-15', 3)).toBe('2027-02-01');
  });

  it('sorts chronologically as strings', () => {
    const dates = ['2027-01-01', '2026-12-31', '2026-02-28', '2028-02-29'];
    expect([...dates].sort()).toEqual([...dates].sort((a, b) => toDayNumber(a) - toDayNumber(b)));
  });
});
