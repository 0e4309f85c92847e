import { rampedBatches } from './batches';

describe('rampedBatches', () => {
  const numbers = (count: number) => Array.from({ length: count }, (_, index) => index);

  it('starts small, doubles up to the size, and ends the way it started', () => {
    expect(rampedBatches(numbers(1000), 200, 25).map((batch) => batch.length)).toEqual([25, 50, 100, 162, 163, 162, 163, 100, 50, 25]);
  });

  it('keeps every item once, in order, for any count', () => {
    for (let count = 0; count <= 700; count += 7) {
      const batches = rampedBatches(numbers(count), 200, 25);
      expect(batches.flat()).toEqual(numbers(count));
      expect(batches.every((batch) => batch.length > 0 && batch.length <= 200)).toBe(true);
    }
  });

  it('gives a few items one batch', () => {
    expect(rampedBatches(numbers(30), 200, 25)).toEqual([numbers(30)]);
  });
});
