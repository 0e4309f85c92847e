import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Pool, type PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { poolOf } from '@homehelper/database';
import { HabitHistoryRow } from './habit-history';

/** A user and their local date (`YYYY-MM-DD` in their own zone). */
export interface UserToday {
  userId: string;
  today: string;
}

/** With the first day of the logs to read (null: all of them). */
export interface UserDay extends UserToday {
  historyFrom: string | null;
}

export interface HistoryQuery {
  /** Only habits in these statuses (default: all but archived). */
  statuses?: readonly string[];
  /** Only these habits. */
  habitIds?: readonly string[];
  /**
   * Leave out the daily and custom habits done yesterday or today: they cannot have two misses in a row (a done
   * period, or a done where nothing was owed, ends the run), so they are neither at risk nor due a nudge.
   */
  withoutRecentDone?: boolean;
}

/**
 * The users' local dates, and a connection to read their habits with their recent logs on. The habits, logs and
 * pauses are the habit-service's tables; the scheduler reads them and writes only the statistics columns and the
 * status, each write guarded by the row version it read.
 */
@Injectable()
export class DayTurnRepository implements OnModuleDestroy {
  private readonly logger = new Logger('DayTurnRepository');
  /** Connections for the jobs' reads alone, kept open between runs (see reader); made at the first. */
  private readers?: Pool;

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Every active account with its local date at `at` (each user's own zone). */
  async usersAt(at: Date): Promise<UserToday[]> {
    return this.dataSource.query(
      `SELECT id AS "userId", (($1::timestamptz AT TIME ZONE timezone)::date)::text AS today FROM users WHERE is_active ORDER BY id`,
      [at.toISOString()],
    );
  }

  /**
   * A connection held for one job's reads, which run on it one after another; release it when done. It comes
   * from a small pool of the reads' own that keeps its connections open, so a job mostly reads on the one the
   * last job read on. A Postgres backend maps each shared buffer into its memory the first time it touches it:
   * a roll-over's reads spread over the service's pool mapped the same pages again on every connection, often
   * on new ones, a third of the roll-over's Postgres time on a virtual machine.
   */
  async reader(): Promise<HistoryReader> {
    if (!this.readers) {
      // Without JIT: the planner prices the per-habit subqueries far above their cost, and compiling them took
      // longer than running the whole query.
      this.readers = new Pool({ ...poolOf(this.dataSource).options, max: READERS, idleTimeoutMillis: 0, options: '-c jit=off' });
      // An idle connection that breaks (Postgres restarted) leaves the pool; the next job opens another.
      this.readers.on('error', (error) => this.logger.warn(`A connection kept for the jobs' reads broke: ${error.message}`));
    }
    return new HistoryReader(await this.readers.connect());
  }

  async onModuleDestroy(): Promise<void> {
    await this.readers?.end();
  }
}

/**
 * One for each job that reads (the roll-over, risk detection, nudges). The worker runs one job at a time, so one
 * connection is open and every job reads on it.
 */
const READERS = 3;

/** Reads habits with their recent logs for many users in one round trip, on a connection of its own (see DayTurnRepository.reader). */
export class HistoryReader {
  /** A read that failed: the connection may be broken, so it is closed rather than kept. */
  private failure?: Error;

  constructor(private readonly client: PoolClient) {}

  async histories(days: readonly UserDay[], query: HistoryQuery = {}): Promise<HabitHistoryRow[]> {
    if (days.length === 0) return [];
    return this.query(
      `WITH days AS (SELECT * FROM unnest($1::uuid[], $2::date[], $3::date[]) AS day (user_id, today, history_from))
       SELECT habit.id, habit.user_id AS "userId", habit.name, habit.status, habit.frequency,
              habit.times_per_week AS "timesPerWeek", habit.weekdays,
              (CASE WHEN day.history_from IS NULL OR habit.created_on >= day.history_from
                    THEN LEAST(habit.created_on, (SELECT min(log.log_date) FROM habit_logs log WHERE log.habit_id = habit.id))
                    ELSE habit.created_on END)::text AS "startsOn",
              day.today::text AS today, day.history_from::text AS "historyFrom",
              logs.done, logs.skipped, paused.pauses,
              habit.current_streak AS "currentStreak", habit.streak_date::text AS "streakDate", habit.consistency_score::float8 AS "consistencyScore",
              habit.failure_rate::float8 AS "failureRate", habit.consecutive_misses AS "consecutiveMisses",
              habit.xmin::text AS version
         FROM days day
         JOIN habits habit ON habit.user_id = day.user_id
         -- The users' few pauses gathered once: looked up habit by habit they cost a sixth of the whole read.
         LEFT JOIN (SELECT pause.habit_id, json_agg(json_build_object('from', pause.from_date::text, 'to', pause.to_date::text)) AS pauses
                      FROM habit_pauses pause JOIN habits owner ON owner.id = pause.habit_id
                     WHERE owner.user_id = ANY($1::uuid[])
                     GROUP BY pause.habit_id) paused ON paused.habit_id = habit.id
       CROSS JOIN LATERAL (
             SELECT string_agg((day.today - log.log_date)::text, ',') FILTER (WHERE log.status = 'done') AS done,
                    string_agg((day.today - log.log_date)::text, ',') FILTER (WHERE log.status = 'skipped') AS skipped
               FROM habit_logs log
              WHERE log.habit_id = habit.id AND log.log_date >= COALESCE(day.history_from, '-infinity'::date)) logs
        WHERE habit.status = ANY($4::varchar[]) AND ($5::uuid[] IS NULL OR habit.id = ANY($5::uuid[]))
          AND NOT ($6 AND habit.frequency <> 'weekly' AND EXISTS (
                SELECT 1 FROM habit_logs recent
                 WHERE recent.habit_id = habit.id AND recent.log_date >= day.today - 1 AND recent.status = 'done'))
        ORDER BY habit.id`,
      [
        days.map((day) => day.userId),
        days.map((day) => day.today),
        days.map((day) => day.historyFrom),
        query.statuses ?? ['active', 'at_risk', 'paused'],
        query.habitIds ?? null,
        query.withoutRecentDone ?? false,
      ],
    );
  }

  release(): void {
    this.client.release(this.failure);
  }

  private async query(text: string, values: unknown[]): Promise<HabitHistoryRow[]> {
    try {
      return (await this.client.query<HabitHistoryRow>(text, values)).rows;
    } catch (error) {
      this.failure = error as Error;
      throw error;
    }
  }
}
