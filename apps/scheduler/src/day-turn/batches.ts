/**
 * `items` in consecutive slices of at most `size`, the first and last ones smaller: starting at `first` and
 * doubling up to `size`, and halving the same way at the end. Batches that are read, computed and written in a
 * pipeline then get it going sooner and leave less to finish once the last one is read.
 */
export function rampedBatches<T>(items: readonly T[], size: number, first: number): T[][] {
  const ramp: number[] = [];
  let inRamp = 0;
  for (let next = first; next < size && 2 * (inRamp + next) <= items.length; next *= 2) {
    ramp.push(next);
    inRamp += next;
  }
  const middle = items.length - 2 * inRamp;
  const middleBatches = Math.ceil(middle / size);
  const sizes = [...ramp];
  for (let index = 0; index < middleBatches; index++) sizes.push(Math.floor((middle * (index + 1)) / middleBatches) - Math.floor((middle * index) / middleBatches));
  sizes.push(...ramp.reverse());
  const batches: T[][] = [];
  let start = 0;
  for (const length of sizes) {
    batches.push(items.slice(start, start + length));
    start += length;
  }
  return batches;
}
