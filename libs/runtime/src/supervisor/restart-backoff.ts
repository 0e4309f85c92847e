// How long a crashed app waits before its next start (DESIGN §5: crashed → backoff → starting). No I/O.

/** The manifest's `restart` settings that shape the wait. */
export interface BackoffPolicy {
  backoffSeconds: number;
  maxBackoffSeconds: number;
}

/** The most jitter takes off a delay, as a fraction of it. */
const MAX_JITTER = 0.25;

/**
 * The wait in whole milliseconds after `failures` consecutive failures (1 for the first):
 * `backoffSeconds × 2^(failures − 1)`, capped at `maxBackoffSeconds`, then shortened by a random 0–25 %.
 *
 * The jitter spreads the restarts of many apps that crashed together (Redis went away, say) so they do not
 * all start again in the same instant on a small machine. It only ever shortens, and by at most a quarter,
 * so below the cap each wait is still longer than the one before, whatever the random draws: the shortest
 * next wait (0.75 × 2d) exceeds the longest current one (d). Users reading the logs and the supervisor's
 * tests rely on waits that grow; at the cap they vary between 75 % and 100 % of it.
 */
export function restartDelayMs(failures: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const doublings = Math.max(0, failures - 1);
  // 2 ** doublings overflows to Infinity for a very long streak, which the cap absorbs.
  const seconds = Math.min(policy.backoffSeconds * 2 ** doublings, policy.maxBackoffSeconds);
  return Math.round(seconds * 1000 * (1 - MAX_JITTER * random()));
}
