import { fromDayNumber, LocalDate, toDayNumber } from './local-date';

/** ISO 8601 day of the week: 1 = Monday … 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export function isIsoWeekday(value: unknown): value is IsoWeekday {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 7;
}

/** The ISO weekday of a day number (1970-01-01, day 0, was a Thursday). */
export function isoWeekdayOfDayNumber(dayNumber: number): IsoWeekday {
  return ((((dayNumber + 3) % 7) + 7) % 7 + 1) as IsoWeekday;
}

export function isoWeekday(date: LocalDate): IsoWeekday {
  return isoWeekdayOfDayNumber(toDayNumber(date));
}

/** The day number of the Monday that opens the ISO week holding the day. */
export function isoWeekStartOfDayNumber(dayNumber: number): number {
  return dayNumber - (isoWeekdayOfDayNumber(dayNumber) - 1);
}

/** The Monday of the date's ISO week. */
export function startOfIsoWeek(date: LocalDate): LocalDate {
  return fromDayNumber(isoWeekStartOfDayNumber(toDayNumber(date)));
}

/** The Sunday of the date's ISO week. */
export function endOfIsoWeek(date: LocalDate): LocalDate {
  return fromDayNumber(isoWeekStartOfDayNumber(toDayNumber(date)) + 6);
}

/**
 * The ISO week of a date, `YYYY-Www`. An ISO week belongs to the year that holds its Thursday, so the days
 * around New Year can belong to the neighbouring year's week: 2026-12-31 and 2027-01-03 are both in
 * 2026-W53, 2024-12-30 is in 2025-W01.
 */
export function isoWeekKey(date: LocalDate): string {
  return isoWeekKeyOfDayNumber(toDayNumber(date));
}

export function isoWeekKeyOfDayNumber(dayNumber: number): string {
  const thursday = isoWeekStartOfDayNumber(dayNumber) + 3;
  const thursdayDate = fromDayNumber(thursday);
  const isoYear = thursdayDate.slice(0, 4);
  const week = Math.floor((thursday - toDayNumber(`${isoYear}-01-01`)) / 7) + 1;
  return `${isoYear}-W${String(week).padStart(2, '0')}`;
}
