import { LocalDate } from './local-date';

// Building a DateTimeFormat is far slower than using one; the scheduler asks for thousands of users' dates.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        calendar: 'gregory',
        numberingSystem: 'latn',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      });
    } catch {
      throw new RangeError(`unknown time zone ${JSON.stringify(timeZone)} (expected an IANA name such as Europe/London)`);
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * The calendar date an instant falls on in an IANA time zone. The zone's own rules decide, DST included, so a
 * 23- or 25-hour day is one day like any other; the machine's zone is never consulted.
 */
export function localDateAt(instant: Date | number, timeZone: string): LocalDate {
  const time = typeof instant === 'number' ? instant : instant.getTime();
  if (!Number.isFinite(time)) throw new RangeError('instant must be a valid point in time');
  const parts = formatterFor(timeZone).formatToParts(time);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((candidate) => candidate.type === type)?.value ?? '';
  return `${part('year').padStart(4, '0')}-${part('month')}-${part('day')}`;
}

/** Today for someone living in `timeZone`, at the instant `now` (the caller passes the clock in). */
export function todayIn(timeZone: string, now: Date | number): LocalDate {
  return localDateAt(now, timeZone);
}
