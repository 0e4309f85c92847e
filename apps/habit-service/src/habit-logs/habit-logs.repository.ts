import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HabitDefinition, HabitLog as DomainLog, LoggedDays, loggedDaysOf } from '@homehelper/habit-domain';
import { EventOutbox, OutboxRecording } from '@homehelper/database';
import { isoTimestamp, queryPrepared } from '../common/prepared-statements';
import { Habit } from '../habits/habit.entity';
import { HabitFigures, HabitStatistics } from '../habits/habit-statistics';
import { HabitLog } from './habit-log.entity';
import { HabitLogView } from './habit-log-view';

/**
 * What a log write reads first: the habit row as it is now (and which version of it), and what its statistics
 * are computed from, in the form they are computed from (its definition, with its pauses, and its logs' days).
 */
export interface LogWriteState {
  /** The row version (its xmin): the write applies only if the habit is still at this version. */
  version: string;
  habit: Pick<Habit, 'id' | 'status'> & HabitFigures;
  definition: HabitDefinition;
  days: LoggedDays;
  /** Whether an active goal counts this habit's logs; such writes take the locking path, which moves goals. */
  feedsGoals: boolean;
}

/** A log write decided from a LogWriteState: the log, the habit's new status and figures, the events. */
export interface LogWrite {
  habitId: string;
  version: string;
  userId: string;
  log: { logDate: string; status: HabitLog['status']; notes: string | null };
  status: Habit['status'];
  figures: HabitFigures;
  events: OutboxRecording;
}

interface StateRow {
  version: string;
  id: string;
  status: Habit['status'];
  frequency: Habit['frequency'];
  times_per_week: number | null;
  weekdays: number[] | null;
  difficulty: Habit['difficulty'];
  created_on: string;
  current_streak: number;
  longest_streak: number;
  total_completions: number;
  total_skips: number;
  consistency_score: number;
  failure_rate: number;
  consecutive_misses: number;
  last_completed_date: string | null;
  strength: number;
  statistics_date: string | null;
  streak_date: string | null;
  /** `<date><status>` per log, comma-separated (see READ_STATE). */
  logs: string | null;
  /** `<from>:<to or nothing>` per pause, comma-separated. */
  pauses: string | null;
  feeds_goals: boolean;
}

/** Habits whose write state is kept between writes, at most (a few KB each with a year of daily logs). */
const STATES_KEPT = 500;

const ACTIVE_GOAL_OF_HABIT = (habitId: string) =>
  `SELECT 1 FROM goal_habits link JOIN goals goal ON goal.id = link.goal_id WHERE link.habit_id = ${habitId} AND goal.status = 'active'`;

/**
 * Logs and pauses come as one string each, `2026-11-28done,2026-11-29skipped`: of what Postgres can send,
 * the cheapest to make and to read (a row per log, or JSON, costs both sides about twice as much). Unordered:
 * the statistics do not depend on the order.
 */
const READ_STATE = `
  SELECT habit.xmin::text AS version, habit.id, habit.status, habit.frequency, habit.times_per_week, habit.weekdays, habit.difficulty,
         habit.created_on::text AS created_on, habit.current_streak, habit.longest_streak, habit.total_completions, habit.total_skips,
         habit.consistency_score::float8 AS consistency_score, habit.failure_rate::float8 AS failure_rate, habit.consecutive_misses,
         habit.last_completed_date::text AS last_completed_date, habit.strength::float8 AS strength, habit.statistics_date::text AS statistics_date,
         habit.streak_date::text AS streak_date,
         (SELECT string_agg(log.log_date::text || log.status, ',') FROM habit_logs log WHERE log.habit_id = habit.id) AS logs,
         (SELECT string_agg(pause.from_date::text || ':' || COALESCE(pause.to_date::text, ''), ',') FROM habit_pauses pause WHERE pause.habit_id = habit.id) AS pauses,
         EXISTS (${ACTIVE_GOAL_OF_HABIT('habit.id')}) AS feeds_goals
    FROM habits habit
   WHERE habit.id = $1 AND habit.user_id = $2`;

/**
 * The log write in one statement, without a lock held across round trips: the habit row is updated only if
 * it is still at the version the figures were computed from (and still feeds no goal), and the log and the
 * events are written only if it was. Every change to what the statistics depend on (logs, pauses, schedule,
 * status) rewrites the habit row, so an unchanged version means unchanged inputs. (Exported for bench/habits-api,
 * whose bare handler runs the same statement.)
 */
export function writeStatement(outbox: Pick<EventOutbox, 'recordingStatement'>): string {
  return `
  WITH habit AS (
    UPDATE habits
       SET status = $3, current_streak = $4, longest_streak = $5, total_completions = $6, total_skips = $7, consistency_score = $8,
           failure_rate = $9, consecutive_misses = $10, last_completed_date = $11::date, strength = $12, statistics_date = $13::date,
           streak_date = $13::date,
           updated_at = CURRENT_TIMESTAMP
     WHERE id = $1 AND user_id = $14 AND xmin = $2::xid AND NOT EXISTS (${ACTIVE_GOAL_OF_HABIT('$1')})
    RETURNING id, xmin::text AS version
  ), written AS (
    INSERT INTO habit_logs (habit_id, user_id, log_date, status, notes, entered_by)
    SELECT habit.id, $14::uuid, $15::date, $16::varchar, $17::text, 'user' FROM habit
        ON CONFLICT (habit_id, log_date)
        DO UPDATE SET status = EXCLUDED.status, notes = EXCLUDED.notes, entered_by = 'user', updated_at = now()
    RETURNING id, habit_id, log_date, status, notes, entered_by, created_at, updated_at
  ), recorded AS (
    ${outbox.recordingStatement({ types: 18, userIds: 19, data: 20, onlyIf: 'habit' })}
  )
  SELECT written.id, written.habit_id AS "habitId", written.log_date::text AS "logDate", written.status, written.notes,
         written.entered_by AS "enteredBy", ${isoTimestamp('written.created_at')} AS "createdAt",
         ${isoTimestamp('written.updated_at')} AS "updatedAt", habit.version
    FROM written, habit`;
}

/**
 * The statements of a log write that takes no lock (see HabitLogsService.upsert). What a write leaves behind
 * is kept as the state of the next write to the habit: the version check that makes a write safe also tells
 * when it is out of date, so a habit written from here again and again is not read again each time.
 */
@Injectable()
export class HabitLogsRepository {
  private readonly write: string;
  private readonly states = new Map<string, LogWriteState & { userId: string }>();

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(HabitStatistics) private readonly statistics: HabitStatistics,
    @Inject(EventOutbox) outbox: EventOutbox,
  ) {
    this.write = writeStatement(outbox);
  }

  /**
   * The user's habit as a log write needs it (null if there is no such habit of theirs): as the last write
   * from here left it, unless `fresh`, else as stored. Callers must not change what they get.
   */
  async stateForWrite(userId: string, habitId: string, { fresh }: { fresh: boolean }): Promise<LogWriteState | null> {
    const kept = this.states.get(habitId);
    if (!fresh && kept?.userId === userId) return kept;
    const [row] = await queryPrepared<StateRow>(this.dataSource, 'habit-log-write/read', READ_STATE, [habitId, userId]);
    if (!row) return null;
    const settings = { frequency: row.frequency, timesPerWeek: row.times_per_week, weekdays: row.weekdays, difficulty: row.difficulty, createdOn: row.created_on };
    const pauses = splitList(row.pauses).map((pause) => ({ fromDate: pause.slice(0, 10), toDate: pause.length > 11 ? pause.slice(11) : null }));
    const logs = splitList(row.logs).map((log) => ({ date: log.slice(0, 10), status: log.slice(10) as DomainLog['status'] }));
    return {
      version: row.version,
      habit: {
        id: row.id,
        status: row.status,
        currentStreak: row.current_streak,
        longestStreak: row.longest_streak,
        totalCompletions: row.total_completions,
        totalSkips: row.total_skips,
        consistencyScore: row.consistency_score,
        failureRate: row.failure_rate,
        consecutiveMisses: row.consecutive_misses,
        lastCompletedDate: row.last_completed_date,
        strength: row.strength,
        statisticsDate: row.statistics_date,
        streakDate: row.streak_date,
      },
      definition: this.statistics.definitionOf(settings, pauses),
      days: loggedDaysOf(logs),
      feedsGoals: row.feeds_goals,
    };
  }

  /**
   * Applies the write if the habit is still at `write.version`; null (nothing written) if it is not. `after`
   * is the state the write leaves the habit in, but for its new version.
   */
  async writeIfUnchanged(write: LogWrite, after: Omit<LogWriteState, 'version'>): Promise<HabitLogView | null> {
    const { figures, log, events } = write;
    const [written] = await queryPrepared<HabitLogView & { version: string }>(this.dataSource, 'habit-log-write/write', this.write, [
      write.habitId,
      write.version,
      write.status,
      figures.currentStreak,
      figures.longestStreak,
      figures.totalCompletions,
      figures.totalSkips,
      figures.consistencyScore,
      figures.failureRate,
      figures.consecutiveMisses,
      figures.lastCompletedDate,
      figures.strength,
      figures.statisticsDate,
      write.userId,
      log.logDate,
      log.status,
      log.notes,
      events.types,
      events.userIds,
      events.data,
    ]);
    this.states.delete(write.habitId);
    if (!written) return null;
    const { version, ...view } = written;
    if (this.states.size >= STATES_KEPT) this.states.delete(this.states.keys().next().value as string);
    this.states.set(write.habitId, { ...after, version, userId: write.userId });
    return view;
  }
}

function splitList(list: string | null): string[] {
  return list ? list.split(',') : [];
}
