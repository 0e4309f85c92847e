const EVENT_ID = /^(\d+)-(\d+)$/;

export function isEventId(value: unknown): value is string {
  return typeof value === 'string' && EVENT_ID.test(value);
}

/** Orders history stream ids (`<ms>-<seq>`): negative when a is older than b. */
export function compareEventIds(a: string, b: string): number {
  const [, aMs, aSeq] = EVENT_ID.exec(a) ?? [];
  const [, bMs, bSeq] = EVENT_ID.exec(b) ?? [];
  const byTime = BigInt(aMs) - BigInt(bMs);
  if (byTime !== 0n) return byTime < 0n ? -1 : 1;
  return Number(BigInt(aSeq) - BigInt(bSeq));
}
