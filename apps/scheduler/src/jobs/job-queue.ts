import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Job, Queue, QueueEvents } from 'bullmq';
import { AppConfig } from '@homehelper/config';
import { JOB_NAMES, JOB_QUEUES, JOB_SCHEDULES, JobCounts, JobName } from '@homehelper/contracts';
import { bullmqOptions } from './bullmq-options';

/** A failed run is tried again twice, 10 s then 20 s later; each attempt is a whole, idempotent run. */
const RUN_OPTIONS = { attempts: 3, backoff: { type: 'exponential', delay: 10_000 }, removeOnComplete: 200, removeOnFail: 500 };

/**
 * The scheduler's BullMQ queue: one job scheduler per job, upserted at every start (idempotent, so two replicas
 * and restarts keep exactly one of each), and runs on demand.
 */
@Injectable()
export class JobQueue implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly queue: Queue;
  private readonly events: QueueEvents;

  constructor(@Inject(AppConfig) config: AppConfig) {
    const options = bullmqOptions(config);
    this.queue = new Queue(JOB_QUEUES.jobs, options);
    this.events = new QueueEvents(JOB_QUEUES.jobs, options);
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const name of JOB_NAMES) {
      await this.queue.upsertJobScheduler(name, { pattern: JOB_SCHEDULES[name].pattern }, { name, data: {}, opts: RUN_OPTIONS });
    }
    await this.events.waitUntilReady();
  }

  /** Last, once the worker has finished its job and the RPC replies went out: a run on demand waits on these events. */
  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.events.close(), this.queue.close()]);
  }

  /** When each scheduler fires next (epoch ms). */
  async nextRuns(): Promise<Map<string, number>> {
    const schedulers = await this.queue.getJobSchedulers();
    return new Map(schedulers.filter((scheduler) => scheduler.next !== undefined).map((scheduler) => [scheduler.key, scheduler.next as number]));
  }

  /**
   * Queues a run now and waits for its end. `runId` names the run: every replica that receives the same
   * request queues the same job id, and BullMQ keeps one.
   */
  async runNow(name: JobName, runId: string, timeoutMs: number): Promise<JobCounts> {
    const job: Job = await this.queue.add(name, {}, { ...RUN_OPTIONS, attempts: 1, jobId: `manual:${name}:${runId}` });
    return (await job.waitUntilFinished(this.events, timeoutMs)) as JobCounts;
  }
}
