import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { JobCounts, JobName, JobRunView } from '@homehelper/contracts';
import { EventOutbox } from '@homehelper/database';

export interface JobRun {
  name: JobName;
  startedAt: Date;
  durationMs: number;
  outcome: 'completed' | 'failed';
  counts: JobCounts;
  error: string | null;
}

interface JobRunRow {
  name: JobName;
  started_at: Date;
  finished_at: Date;
  duration_ms: number;
  outcome: 'completed' | 'failed';
  counts: JobCounts;
  error: string | null;
}

/** The last run of each job, kept with its `job_completed` / `job_failed` event in one transaction. */
@Injectable()
export class JobRunsRepository {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(EventOutbox) private readonly outbox: EventOutbox,
  ) {}

  async record(run: JobRun): Promise<void> {
    const finishedAt = new Date(run.startedAt.getTime() + run.durationMs);
    await this.outbox.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO job_runs (name, started_at, finished_at, duration_ms, outcome, counts, error)
              VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (name) DO UPDATE
            SET started_at = EXCLUDED.started_at, finished_at = EXCLUDED.finished_at, duration_ms = EXCLUDED.duration_ms,
                outcome = EXCLUDED.outcome, counts = EXCLUDED.counts, error = EXCLUDED.error`,
        [run.name, run.startedAt, finishedAt, run.durationMs, run.outcome, JSON.stringify(run.counts), run.error],
      );
      await this.outbox.add(manager, run.outcome === 'completed' ? 'job_completed' : 'job_failed', {
        data: { job: run.name, durationMs: run.durationMs, counts: run.counts, ...(run.error ? { error: run.error } : {}) },
      });
    });
  }

  async lastRuns(): Promise<Map<JobName, JobRunView>> {
    const rows = (await this.dataSource.query(`SELECT * FROM job_runs`)) as JobRunRow[];
    return new Map(
      rows.map((row) => [
        row.name,
        {
          startedAt: row.started_at.toISOString(),
          finishedAt: row.finished_at.toISOString(),
          durationMs: row.duration_ms,
          outcome: row.outcome,
          counts: row.counts,
          error: row.error,
        },
      ]),
    );
  }
}
