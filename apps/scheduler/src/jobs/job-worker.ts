import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Job, Worker } from 'bullmq';
import { AppConfig } from '@homehelper/config';
import { JOB_QUEUES, JobCounts } from '@homehelper/contracts';
import { bullmqOptions } from './bullmq-options';
import { JobRegistry } from './job-registry';
import { JobRunsRepository } from './job-runs.repository';

/**
 * Runs the queued jobs one at a time and records each run. A worker that dies mid-job stops renewing its lock,
 * and after the lock time the job is taken up again by any worker (this one restarted, or another replica);
 * on SIGTERM the running job is let finish (the service's grace period bounds that; past it the job is handed
 * back the same way).
 */
@Injectable()
export class JobWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('JobWorker');
  private worker?: Worker;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(JobRegistry) private readonly registry: JobRegistry,
    @Inject(JobRunsRepository) private readonly runs: JobRunsRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.worker = new Worker(JOB_QUEUES.jobs, (job) => this.process(job), {
      ...bullmqOptions(this.config),
      concurrency: 1,
      lockDuration: this.config.schedulerJobLockMs,
      stalledInterval: this.config.schedulerJobLockMs,
      maxStalledCount: 3,
    });
    this.worker.on('error', (error) => this.logger.warn(`Worker: ${error.message}`));
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
  }

  private async process(job: Job): Promise<JobCounts> {
    const handler = this.registry.handlerOf(job.name);
    const startedAt = new Date();
    try {
      const counts = await handler.run(startedAt);
      await this.runs.record({ name: handler.name, startedAt, durationMs: Date.now() - startedAt.getTime(), outcome: 'completed', counts, error: null });
      return counts;
    } catch (error) {
      const message = (error as Error).message;
      this.logger.error(`${job.name} failed (attempt ${job.attemptsMade + 1}): ${message}`);
      await this.runs.record({ name: handler.name, startedAt, durationMs: Date.now() - startedAt.getTime(), outcome: 'failed', counts: {}, error: message });
      throw error;
    }
  }
}
