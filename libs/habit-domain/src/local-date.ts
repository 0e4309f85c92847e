/**
 * A calendar date in the user's time zone, `YYYY-MM-DD` (what Postgres `DATE` holds). It names a day, not an
 * instant: arithmetic on it is pure calendar arithmetic and never touches a clock or the machine's zone.
 * Four-digit years make the strings sort chronologically, so `<` and `>` compare them correctly.
 */
export type LocalDate = string;

const DASH = 45;
const ZERO = 48;

/**
 * The number written by `count` ASCII digits of `text` from `from`; NaN if one is not a digit. Dates are read
 * by hand rather than by a regular expression: statistics and the scheduler's roll-over read millions of them.
 */
function digitsAt(text: string, from: number, count: number): number {
  let value = 0;
  for (let index = from; index < from + count; index++) {
    const digit = text.charCodeAt(index) - ZERO;
    if (digit < 0 || digit > 9) return Number.NaN;
    value = value * 10 + digit;
  }
  return value;
}

/** Whether `text` is shaped `dddd-dd-dd`. */
function hasDateShape(text: string): boolean {
  return text.length === 10 && text.charCodeAt(4) === DASH && text.charCodeAt(7) === DASH;
}

/** True for a real calendar date written `YYYY-MM-DD` (so `2028-02-29` is one, `2027-02-29` is not). */
export function isLocalDate(value: unknown): value is LocalDate {
  if (typeof value !== 'string' || !hasDateShape(value)) return false;
  const year = digitsAt(value, 0, 4);
  const month = digitsAt(value, 5, 2);
  const day = digitsAt(value, 8, 2);
  return year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** The value as a LocalDate, or a RangeError naming what was wrong. */
export function assertLocalDate(value: unknown, what = 'date'): LocalDate {
  if (!isLocalDate(value)) throw new RangeError(`${what} must be a calendar date written YYYY-MM-DD, got ${JSON.stringify(value)}`);
  return value;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Days since 1970-01-01 (negative before). Integer civil-calendar arithmetic (H. Hinnant's days_from_civil),
 * so no Date object and no time zone is involved.
 */
export function toDayNumber(date: LocalDate): number {
  const month = hasDateShape(date) ? digitsAt(date, 5, 2) : Number.NaN;
  const day = digitsAt(date, 8, 2);
  const writtenYear = digitsAt(date, 0, 4);
  if (Number.isNaN(month) || Number.isNaN(day) || Number.isNaN(writtenYear)) throw new RangeError(`not a date written YYYY-MM-DD: ${JSON.stringify(date)}`);
  const year = writtenYear - (month <= 2 ? 1 : 0);
  const era = Math.floor(year / 400);
  const yearOfEra = year - era * 400;
  const dayOfYear = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** The date of a day number (the inverse of toDayNumber). */
export function fromDayNumber(dayNumber: number): LocalDate {
  const shifted = dayNumber + 719468;
  const era = Math.floor(shifted / 146097);
  const dayOfEra = shifted - era * 146097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The date `days` later (earlier when negative). */
export function addDays(date: LocalDate, days: number): LocalDate {
  return fromDayNumber(toDayNumber(date) + days);
}

/** Whole days from `from` to `to`: 1 from one day to the next, negative when `to` is earlier. */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return toDayNumber(to) - toDayNumber(from);
}

/** Every date from `from` to `to`, both included, in order; nothing when `to` is before `from`. */
export function* eachDay(from: LocalDate, to: LocalDate): Generator<LocalDate> {
  for (let day = toDayNumber(from), last = toDayNumber(to); day <= last; day++) yield fromDayNumber(day);
}

export function earlierOf(a: LocalDate, b: LocalDate): LocalDate {
  return a <= b ? a : b;
}

/** The calendar month of a date, `YYYY-MM`. */
export function monthKey(date: LocalDate): string {
  return date.slice(0, 7);
}

/** The first day of the date's month. */
export function startOfMonth(date: LocalDate): LocalDate {
  return `${monthKey(date)}-01`;
}

/** The last day of the date's month. */
export function endOfMonth(date: LocalDate): LocalDate {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  return `${monthKey(date)}-${String(daysInMonth(year, month)).padStart(2, '0')}`;
}

/** The first day of the month `months` after the date's month (before, when negative). */
export function addMonths(date: LocalDate, months: number): LocalDate {
  const index = Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1 + months;
  const year = Math.floor(index / 12);
  return `${String(year).padStart(4, '0')}-${String(index - year * 12 + 1).padStart(2, '0')}-01`;
}
