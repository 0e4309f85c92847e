/** Throws a RangeError unless `value` is a whole number from 1 up (a number of days, weeks or months). */
export function assertCount(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${what} must be a whole number of at least 1, got ${JSON.stringify(value)}`);
}
