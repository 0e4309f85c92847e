import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '@homehelper/config';
import { EventData, EventType, validateEvent } from '@homehelper/contracts';
import { EventBus, EventRejectedError } from '@homehelper/bus';

const BATCH = 200;
const RETRY_INTERVAL_MS = 5000;

interface OutboxRow {
  id: string;
  type: EventType;
  user_id: string | null;
  data: unknown;
  occurred_at: Date;
}

/**
 * The transactional outbox: a service records its events in the same transaction as the write they describe,
 * and they are published once it commits — at least once, in order, even when the service dies in between
 * (what is left is published at the next start). Each owner has its table `outbox_<service>`.
 */
@Injectable()
export class EventOutbox implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('EventOutbox');
  private readonly table: string;
  private flushing: Promise<void> | null = null;
  private flushAgain = false;
  private retryTimer?: NodeJS.Timeout;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(EventBus) private readonly events: EventBus,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.table = `outbox_${config.service.replace(/-/g, '_')}`;
  }

  /** Runs `work` in a transaction; the events it recorded are published after the commit. */
  async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const result = await this.dataSource.transaction(work);
    await this.flush();
    return result;
  }

  /** Records an event in the caller's transaction. A malformed event fails the transaction now, not later. */
  async add<T extends EventType>(manager: EntityManager, type: T, event: { userId?: string; data: EventData<T> }): Promise<void> {
    const validation = validateEvent({ type, occurredAt: new Date().toISOString(), source: 'outbox', ...event }, { requireId: false });
    if (!validation.ok) throw new EventRejectedError(`Event refused: ${validation.reason}`);
    await manager.query(`INSERT INTO ${this.table} (type, user_id, data) VALUES ($1, $2, $3)`, [type, event.userId ?? null, JSON.stringify(event.data)]);
  }

  /** Publishes everything recorded and committed so far; concurrent calls share one pass. */
  flush(): Promise<void> {
    if (this.flushing) {
      this.flushAgain = true;
      return this.flushing;
    }
    this.flushing = (async () => {
      try {
        do {
          this.flushAgain = false;
          while (await this.publishBatch()) {
            // keep going while full batches come back
          }
        } while (this.flushAgain);
      } catch (error) {
        this.logger.warn(`Publishing recorded events failed, retrying in ${RETRY_INTERVAL_MS} ms: ${(error as Error).message}`);
      } finally {
        this.flushing = null;
      }
    })();
    return this.flushing;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.retryTimer = setInterval(() => void this.flush(), RETRY_INTERVAL_MS);
    this.retryTimer.unref();
    await this.flush();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.retryTimer);
    await this.flushing;
  }

  /** One batch, oldest first, under row locks so two replicas never publish the same rows. True if it was full. */
  private publishBatch(): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const rows = (await manager.query(
        `SELECT id, type, user_id, data, occurred_at FROM ${this.table} ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
      )) as OutboxRow[];
      for (const row of rows) {
        await this.events.publish(row.type, {
          ...(row.user_id ? { userId: row.user_id } : {}),
          data: row.data as EventData<EventType>,
          occurredAt: row.occurred_at,
        });
      }
      if (rows.length > 0) await manager.query(`DELETE FROM ${this.table} WHERE id = ANY($1::bigint[])`, [rows.map((row) => row.id)]);
      return rows.length === BATCH;
    });
  }
}
