import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Job, Queue, Worker } from 'bullmq';
import { AppConfig } from '@homehelper/config';
import { JOB_QUEUES } from '@homehelper/contracts';
import { bullmqOptions } from '../jobs/bullmq-options';
import { deliveryRequest } from './delivery-request';
import { endpointName, sendToEndpoint } from './endpoint-request';
import { NotificationDeliveriesRepository } from './notification-deliveries.repository';

const ATTEMPTS = 5;
/** Retries after 1, 2, 4 and 8 s. */
const BACKOFF = { type: 'exponential', delay: 1000 };
const REQUEST_TIMEOUT_MS = 10_000;
/** Deliveries run side by side, so an endpoint that hangs or fails holds up only its own. */
const CONCURRENCY = 8;
const DISPATCH_BATCH = 1000;

/**
 * Sends the recorded ntfy and webhook deliveries, each as a BullMQ job of its own (job id = delivery id, so
 * queueing one twice keeps one) with retries and backoff. A delivery is marked done in Postgres once an
 * endpoint answered 2xx, and a job finding it done sends nothing.
 */
@Injectable()
export class NotificationDeliveries implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('NotificationDeliveries');
  private readonly queue: Queue;
  private worker?: Worker;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(NotificationDeliveriesRepository) private readonly deliveries: NotificationDeliveriesRepository,
  ) {
    this.queue = new Queue(JOB_QUEUES.deliveries, bullmqOptions(config));
  }

  async onApplicationBootstrap(): Promise<void> {
    this.worker = new Worker(JOB_QUEUES.deliveries, (job) => this.deliver(job), {
      ...bullmqOptions(this.config),
      concurrency: CONCURRENCY,
      lockDuration: this.config.schedulerJobLockMs,
      stalledInterval: this.config.schedulerJobLockMs,
    });
    this.worker.on('error', (error) => this.logger.warn(`Worker: ${error.message}`));
    // What a dead process recorded but never queued.
    await this.dispatch();
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
  }

  /** Queues every delivery not made yet. */
  async dispatch(): Promise<void> {
    const ids = await this.deliveries.pendingIds(ATTEMPTS, DISPATCH_BATCH);
    await this.queue.addBulk(
      ids.map((id) => ({ name: 'deliver', data: { id }, opts: { jobId: `delivery-${id}`, attempts: ATTEMPTS, backoff: BACKOFF, removeOnComplete: 1000, removeOnFail: 5000 } })),
    );
  }

  private async deliver(job: Job<{ id: string }>): Promise<void> {
    const delivery = await this.deliveries.find(job.data.id);
    if (!delivery || delivery.deliveredAt) return;
    const { url, init } = deliveryRequest(delivery);
    // Only the origin is ever recorded: a webhook's path or query often holds its secret.
    let failure: string | null = null;
    try {
      const status = await sendToEndpoint(url, init, { allowLoopback: this.config.notificationsAllowLoopback }, REQUEST_TIMEOUT_MS);
      if (status < 200 || status > 299) failure = `${endpointName(url)} answered ${status}`;
    } catch (error) {
      failure = `${endpointName(url)}: ${(error as Error).message}`;
    }
    if (failure) {
      await this.deliveries.markFailed(delivery.id, failure);
      throw new Error(failure);
    }
    await this.deliveries.markDelivered(delivery.id);
  }
}
