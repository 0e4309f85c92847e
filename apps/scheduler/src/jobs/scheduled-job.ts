import type { JobCounts, JobName } from '@homehelper/contracts';

/**
 * One of the scheduler's jobs. `run` must be idempotent: a retry, a run handed back at shutdown or taken over
 * from a dead worker, or the same hour run by a second replica changes nothing twice and announces nothing twice.
 */
export interface ScheduledJob {
  readonly name: JobName;
  /** Does the work as of the instant `at`, and says what it counted. */
  run(at: Date): Promise<JobCounts>;
}
