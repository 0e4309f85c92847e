const FIRST_DELAY_MS = 20;
const GROWTH = 1.25;
const MAX_DELAY_MS = 1_000;

/**
 * The delay before each probe of a starting app: 20 ms at first, growing by a quarter each time up to a second
 * (or the app's probe interval, when shorter). An app is thus seen healthy within about a fifth of its own
 * start time, without a slow app being polled hard for its whole start period.
 */
export function startProbeDelays(intervalMs: number): (attempt: number) => number {
  const cap = Math.min(MAX_DELAY_MS, intervalMs);
  return (attempt) => Math.round(Math.min(cap, FIRST_DELAY_MS * GROWTH ** attempt));
}
