import { resolutionFor } from './history-resolution';

describe('resolutionFor', () => {
  const now = new Date('2026-11-29T12:00:00Z');
  const before = (hours: number) => new Date(now.getTime() - hours * 3_600_000);

  it.each([
    [1, 0, 'minute'],
    [48, 0, 'minute'],
    [49, 0, 'hour'],
    [30 * 24, 0, 'hour'],
    // Short, but older than the one-minute points are kept.
    [8 * 24, 8 * 24 - 1, 'hour'],
  ] as const)('from %d h ago to %d h ago: %s points', (from, to, expected) => {
    expect(resolutionFor(before(from), before(to), now)).toBe(expected);
  });
});
