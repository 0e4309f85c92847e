import { Inject, Injectable } from '@nestjs/common';
import { JOB_NAMES, JOB_RUN_TIMEOUT_MS, JOB_SCHEDULES, JobName, JobRunResult, JobView } from '@homehelper/contracts';
import { JobQueue } from './job-queue';
import { JobRunsRepository } from './job-runs.repository';

/** What `GET /api/jobs` and `POST /api/jobs/{name}/run` do. */
@Injectable()
export class JobsService {
  constructor(
    @Inject(JobQueue) private readonly queue: JobQueue,
    @Inject(JobRunsRepository) private readonly runs: JobRunsRepository,
  ) {}

  async list(): Promise<JobView[]> {
    const [nextRuns, lastRuns] = await Promise.all([this.queue.nextRuns(), this.runs.lastRuns()]);
    return JOB_NAMES.map((name) => {
      const next = nextRuns.get(name);
      return {
        name,
        description: JOB_SCHEDULES[name].description,
        pattern: JOB_SCHEDULES[name].pattern,
        nextRunAt: next === undefined ? null : new Date(next).toISOString(),
        lastRun: lastRuns.get(name) ?? null,
      };
    });
  }

  /** Runs the job now and answers with how it went (a failed run is an answer too, not an error). */
  async run(name: JobName, runId: string): Promise<JobRunResult> {
    const startedAt = Date.now();
    try {
      const counts = await this.queue.runNow(name, runId, JOB_RUN_TIMEOUT_MS);
      return { name, outcome: 'completed', durationMs: Date.now() - startedAt, counts, error: null };
    } catch (error) {
      return { name, outcome: 'failed', durationMs: Date.now() - startedAt, counts: {}, error: (error as Error).message };
    }
  }
}
