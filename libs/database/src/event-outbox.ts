import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { escapeLiteral, type QueryResult } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '@homehelper/config';
import { EventData, EventType, validateEvent, validateEventContent } from '@homehelper/contracts';
import { EventBus, EventRejectedError, SerializedEvent } from '@homehelper/bus';
import { poolOf } from './data-source';
import { outboxTableOf } from './outbox-table';

const BATCH = 200;
const RETRY_INTERVAL_MS = 5000;
/**
 * The shortest time from the start of a pass to the next one that `flushSoon` asks for. The first commit after
 * a quiet spell is published at once (in the next turn of the event loop); under load one pass publishes the
 * events of all the writes committed during the interval, as each pass costs a transaction and a Redis call
 * whatever its size (at 5 ms, passes of a handful of events cost a busy habit-service a tenth of its CPU).
 */
export const SOON_PASS_INTERVAL_MS = 20;

/** A row taken for publishing, with its envelope serialized as the bus publishes it (see `takingStatement`). */
interface TakenRow {
  id: string;
  type: string;
  json: string;
}

/** One event to record. */
export interface OutboxEvent<T extends EventType = EventType> {
  type: T;
  userId?: string;
  data: EventData<T>;
}

/** Events checked and laid out as parallel arrays: the parameters of `recordingStatement`. */
export interface OutboxRecording {
  types: string[];
  userIds: Array<string | null>;
  data: string[];
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
  private readonly taking: string;
  private flushing: Promise<void> | null = null;
  private flushAgain = false;
  private soonTimer?: NodeJS.Timeout;
  /** When the last pass started (performance.now()); the first is not held back. */
  private lastPassStartedAt = -Infinity;
  private retryTimer?: NodeJS.Timeout;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(EventBus) private readonly events: EventBus,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.table = outboxTableOf(config.service);
    this.taking = takingStatement(this.table, events.source);
  }

  /** Runs `work` in a transaction; the events it recorded are published after the commit. */
  async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const result = await this.dataSource.transaction(work);
    await this.flush();
    return result;
  }

  /** Records an event in the caller's transaction. A malformed event fails the transaction now, not later. */
  async add<T extends EventType>(manager: EntityManager, type: T, event: { userId?: string; data: EventData<T> }): Promise<void> {
    const [recorded] = this.recording([{ type, ...event }]).data;
    await manager.query(`INSERT INTO ${this.table} (type, user_id, data) VALUES ($1, $2, $3)`, [type, event.userId ?? null, recorded]);
  }

  /**
   * Checks events for a write that records them in a statement of its own (see `recordingStatement`): a
   * malformed one throws here, before anything is written.
   */
  recording(events: readonly OutboxEvent[]): OutboxRecording {
    const occurredAt = new Date().toISOString();
    const recording: OutboxRecording = { types: [], userIds: [], data: [] };
    for (const event of events) {
      const validation = validateEvent({ occurredAt, source: 'outbox', ...event }, { requireId: false });
      if (!validation.ok) throw new EventRejectedError(`Event refused: ${validation.reason}`);
      recording.types.push(event.type);
      recording.userIds.push(event.userId ?? null);
      recording.data.push(JSON.stringify(event.data));
    }
    return recording;
  }

  /**
   * The INSERT that records a recording's events, in their order, as a sub-statement (the body of a
   * `WITH name AS (...)`) of a caller's single-statement write, so the write and its events commit together
   * without a transaction around several statements. `types`, `userIds` and `data` are the positions of the
   * recording's arrays among the statement's parameters; with `onlyIf` (the name of an earlier CTE) the events
   * are recorded only if that CTE returned a row. Call `flush` once the statement has run.
   */
  recordingStatement({ types, userIds, data, onlyIf }: { types: number; userIds: number; data: number; onlyIf?: string }): string {
    return `INSERT INTO ${this.table} (type, user_id, data)
            SELECT event.type, event.user_id, event.data
              FROM ${onlyIf ? `${onlyIf}, ` : ''}unnest($${types}::varchar[], $${userIds}::uuid[], $${data}::jsonb[]) WITH ORDINALITY AS event (type, user_id, data, position)
             ORDER BY event.position`;
  }

  /** Publishes everything recorded and committed so far; concurrent calls share one pass. */
  flush(): Promise<void> {
    clearTimeout(this.soonTimer);
    this.soonTimer = undefined;
    if (this.flushing) {
      this.flushAgain = true;
      return this.flushing;
    }
    this.flushing = (async () => {
      try {
        do {
          this.flushAgain = false;
          await this.publishBatches();
        } while (this.flushAgain);
      } catch (error) {
        this.logger.warn(`Publishing recorded events failed, retrying in ${RETRY_INTERVAL_MS} ms: ${(error as Error).message}`);
      } finally {
        this.flushing = null;
      }
    })();
    return this.flushing;
  }

  /**
   * Publishes what was committed: at once if no pass started in the last SOON_PASS_INTERVAL_MS, else together
   * with what other writes commit until then; for a caller that does not wait for it (a failure is retried
   * like any other).
   */
  flushSoon(): void {
    if (this.soonTimer) return;
    const wait = Math.max(0, this.lastPassStartedAt + SOON_PASS_INTERVAL_MS - performance.now());
    this.soonTimer = setTimeout(() => void this.flush(), wait);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.retryTimer = setInterval(() => void this.flush(), RETRY_INTERVAL_MS);
    this.retryTimer.unref();
    await this.flush();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.retryTimer);
    if (this.soonTimer) await this.flush();
    await this.flushing;
  }

  /**
   * Publishes batch after batch, oldest first, while full ones come back. A batch is taken and deleted in one
   * statement, under row locks that another replica skips, and its deletion commits only once it is all
   * published: a failure or a crash before then leaves it to be published again. An event that fails its schema
   * (a statement of the service's own wrote it) is left out and logged, so it neither reaches subscribers nor
   * holds up the outbox. Straight on a pooled connection, one round trip per batch (its statement goes with its
   * BEGIN and the COMMIT of the batch before) and one for the last COMMIT.
   */
  private async publishBatches(): Promise<void> {
    const client = await poolOf(this.dataSource).connect();
    let broken = false;
    try {
      let statements = this.taking;
      for (;;) {
        this.lastPassStartedAt = performance.now();
        const results = (await client.query(statements)) as unknown as QueryResult<TakenRow>[];
        const taken = results[results.length - 1].rows.sort(byId);
        await this.events.publishSerialized(taken.filter((row) => this.passesSchema(row)));
        if (taken.length < BATCH) break;
        statements = `COMMIT; ${this.taking}`;
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /** Whether a taken event passes its schema (its envelope is right by construction, see `takingStatement`); logs one that fails. */
  private passesSchema(row: TakenRow): row is TakenRow & SerializedEvent {
    const validation = validateEventContent(JSON.parse(row.json) as { type: string; userId?: string; data: unknown });
    if (!validation.ok) this.logger.error(`Dropped recorded event ${row.id}, which fails its schema (${validation.reason}): ${row.json}`);
    return validation.ok;
  }
}

/**
 * BEGIN and the statement that takes a batch: the rows are found through the primary key (`IN (SELECT ...)` was
 * planned as a hash join over a scan of the whole table, for every batch), and each comes with its envelope
 * serialized by Postgres as the bus publishes it, occurredAt to the millisecond like Date.toISOString(). The
 * deletion commits without waiting for its WAL to reach the disk: if Postgres crashes before, the batch is only
 * published again, as after any failure here, and a pass no longer waits for a disk flush per batch.
 */
function takingStatement(table: string, source: string): string {
  return `BEGIN;
    SET LOCAL synchronous_commit = off;
    DELETE FROM ${table}
     WHERE id = ANY (ARRAY(SELECT id FROM ${table} ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED))
     RETURNING id, type,
               '{"type":' || to_json(type) || ',"occurredAt":"' || to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
               || '","source":' || ${escapeLiteral(JSON.stringify(source))} || coalesce(',"userId":"' || user_id || '"', '')
               || ',"data":' || data || '}' AS json`;
}

/** Outbox ids are bigint text: the shorter is the smaller, and the same length compares as text (no BigInt per comparison). */
function byId(a: TakenRow, b: TakenRow): number {
  return a.id.length - b.id.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
