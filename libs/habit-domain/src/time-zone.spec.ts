import { localDateAt, todayIn } from './time-zone';

const at = (iso: string) => new Date(iso);

describe('today in a time zone', () => {
  it.each([
    // Europe/London: BST begins 2026-03-29 01:00 UTC (a 23-hour day) and ends 2026-10-25 01:00 UTC (25 hours).
    ['Europe/London', '2026-03-28T23:59:00Z', '2026-03-28'],
    ['Europe/London', '2026-03-29T00:30:00Z', '2026-03-29'],
    ['Europe/London', '2026-03-29T22:59:00Z', '2026-03-29'],
    ['Europe/London', '2026-03-29T23:00:00Z', '2026-03-30'],
    ['Europe/London', '2026-10-24T22:59:00Z', '2026-10-24'],
    ['Europe/London', '2026-10-24T23:00:00Z', '2026-10-25'],
    ['Europe/London', '2026-10-25T23:59:00Z', '2026-10-25'],
    ['Europe/London', '2026-10-26T00:00:00Z', '2026-10-26'],
    // America/New_York: EDT begins 2026-03-08 07:00 UTC, ends 2026-11-01 06:00 UTC.
    ['America/New_York', '2026-03-08T04:59:00Z', '2026-03-07'],
    ['America/New_York', '2026-03-08T05:00:00Z', '2026-03-08'],
    ['America/New_York', '2026-03-09T03:59:00Z', '2026-03-08'],
    ['America/New_York', '2026-03-09T04:00:00Z', '2026-03-09'],
    ['America/New_York', '2026-11-01T03:59:00Z', '2026-10-31'],
    ['America/New_York', '2026-11-01T04:00:00Z', '2026-11-01'],
    ['America/New_York', '2026-11-02T04:59:00Z', '2026-11-01'],
    ['America/New_York', '2026-11-02T05:00:00Z', '2026-11-02'],
    // Pacific/Auckland (UTC+13 in January) is already tomorrow; Pacific/Honolulu (UTC−10) is still yesterday.
    ['Pacific/Auckland', '2026-01-15T10:59:00Z', '2026-01-15'],
    ['Pacific/Auckland', '2026-01-15T11:00:00Z', '2026-01-16'],
    ['Pacific/Honolulu', '2026-01-16T09:59:00Z', '2026-01-15'],
    ['Pacific/Honolulu', '2026-01-16T10:00:00Z', '2026-01-16'],
    ['UTC', '2028-02-29T23:59:59Z', '2028-02-29'],
  ])('in %s at %s it is %s', (zone, instant, date) => {
    expect(todayIn(zone, at(instant))).toBe(date);
    expect(localDateAt(at(instant).getTime(), zone)).toBe(date);
  });

  it('does not depend on the machine’s zone', () => {
    const before = process.env.TZ;
    try {
      for (const machineZone of ['Pacific/Kiritimati', 'America/Adak', 'UTC']) {
        process.env.TZ = machineZone;
        expect(todayIn('Europe/London', at('2026-03-29T23:30:00Z'))).toBe('2026-03-30');
      }
    } finally {
      process.env.TZ = before;
    }
  });

  it('refuses an unknown zone and an invalid instant', () => {
    expect(() => todayIn('Mars/Olympus_Mons', at('2026-01-01T00:00:00Z'))).toThrow('unknown time zone "Mars/Olympus_Mons"');
    expect(() => todayIn('Europe/London', new Date('not a date'))).toThrow('instant must be a valid point in time');
  });
});
