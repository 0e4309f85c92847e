import { restartDelayMs } from './restart-backoff';

const DEFAULTS = { backoffSeconds: 1, maxBackoffSeconds: 60 };
const noJitter = () => 0;
const fullJitter = () => 1;

describe('restartDelayMs', () => {
  it('doubles from backoffSeconds with each failure up to maxBackoffSeconds', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8].map((failures) => restartDelayMs(failures, DEFAULTS, noJitter));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000]);
  });

  it('stays at the cap for a very long streak', () => {
    expect(restartDelayMs(5000, DEFAULTS, noJitter)).toBe(60000);
    expect(restartDelayMs(5000, DEFAULTS, fullJitter)).toBe(45000);
  });

  it('never waits longer than maxBackoffSeconds, even for the first failure', () => {
    expect(restartDelayMs(1, { backoffSeconds: 5, maxBackoffSeconds: 5 }, noJitter)).toBe(5000);
    expect(restartDelayMs(3, { backoffSeconds: 5, maxBackoffSeconds: 12 }, noJitter)).toBe(12000);
  });

  it('takes at most a quarter off with jitter', () => {
    expect(restartDelayMs(1, DEFAULTS, noJitter)).toBe(1000);
    expect(restartDelayMs(1, DEFAULTS, fullJitter)).toBe(750);
    expect(restartDelayMs(3, DEFAULTS, () => 0.5)).toBe(3500);
  });

  it('grows below the cap whatever the random draws', () => {
    for (const policy of [DEFAULTS, { backoffSeconds: 0.1, maxBackoffSeconds: 86400 }]) {
      for (let failures = 1; restartDelayMs(failures + 1, policy, noJitter) < policy.maxBackoffSeconds * 1000; failures += 1) {
        const longestNow = restartDelayMs(failures, policy, noJitter);
        const shortestNext = restartDelayMs(failures + 1, policy, fullJitter);
        expect(shortestNext).toBeGreaterThan(longestNow);
      }
    }
  });

  it('returns whole milliseconds', () => {
    const policy = { backoffSeconds: 0.37, maxBackoffSeconds: 100 };
    for (const random of [0, 0.123456, 0.5, 0.999999, 1]) {
      for (const failures of [1, 2, 3, 9, 20]) expect(Number.isInteger(restartDelayMs(failures, policy, () => random))).toBe(true);
    }
  });

  it('draws from Math.random by default', () => {
    const spy = jest.spyOn(Math, 'random').mockReturnValue(1);
    try {
      expect(restartDelayMs(2, DEFAULTS)).toBe(1500);
    } finally {
      spy.mockRestore();
    }
  });
});
