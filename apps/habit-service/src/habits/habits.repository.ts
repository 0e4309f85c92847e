import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { EventOutbox } from '@homehelper/database';
import type { ListHabitsQuery } from '@homehelper/contracts';
import { isoTimestamp, queryPrepared } from '../common/prepared-statements';
import { HabitLog } from '../habit-logs/habit-log.entity';
import { Habit } from './habit.entity';
import { HabitPause } from './habit-pause.entity';

/** The first sort key of each list order; ties always fall back to the newest first. */
const SORT_KEY: Record<ListHabitsQuery['sort'], string | null> = {
  created: null,
  name: 'lower(habit.name)',
  priority: "CASE habit.priority WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END",
  streak: '-habit.current_streak',
  at_risk_first: "CASE WHEN habit.status = 'at_risk' THEN 0 ELSE 1 END",
};

/** A habit row as the API shows it (HabitView), built by Postgres as JSON. */
const HABIT_VIEW = `
  SELECT habit.id, habit.name, habit.description, habit.frequency, habit.times_per_week AS "timesPerWeek", habit.weekdays,
         habit.difficulty, habit.priority, habit.status, habit.created_on AS "createdOn", habit.current_streak AS "currentStreak",
         habit.longest_streak AS "longestStreak", habit.total_completions AS "totalCompletions", habit.total_skips AS "totalSkips",
         habit.consistency_score::float8 AS "consistencyScore", habit.failure_rate::float8 AS "failureRate",
         habit.consecutive_misses AS "consecutiveMisses", habit.last_completed_date AS "lastCompletedDate", habit.strength::float8 AS strength,
         ${isoTimestamp('habit.created_at')} AS "createdAt", ${isoTimestamp('habit.updated_at')} AS "updatedAt"`;

/** The statement listing a user's habits as JSON, for one combination of sort and filters. */
function listAsJsonStatement(query: Pick<ListHabitsQuery, 'sort' | 'status' | 'priority'>): { name: string; text: string } {
  const filters = [query.status ? 'habit.status = $3' : null, query.priority ? `habit.priority = $${query.status ? 4 : 3}` : null].filter(Boolean);
  const sortKey = SORT_KEY[query.sort];
  const order = `${sortKey ? `${sortKey} ASC, ` : ''}habit.created_at DESC`;
  return {
    name: `habits-list/${query.sort}/${query.status ? 'status' : ''}/${query.priority ? 'priority' : ''}`,
    text: `
      SELECT COALESCE(json_agg(habit_view ORDER BY ${order}), '[]')::text AS habits,
             json_agg(habit.id) FILTER (WHERE habit.statistics_date IS DISTINCT FROM $2::date) AS stale
        FROM habits habit
       CROSS JOIN LATERAL (${HABIT_VIEW}) habit_view
       WHERE habit.user_id = $1${filters.map((filter) => ` AND ${filter}`).join('')}`,
  };
}

/** Habits, their pauses and logs as one user's data: every read is scoped to the owner. */
@Injectable()
export class HabitsRepository {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(EventOutbox) private readonly outbox: EventOutbox,
  ) {}

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /** A transaction whose recorded events are published once it commits. */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.outbox.transaction(work);
  }

  list(userId: string, query: Pick<ListHabitsQuery, 'sort'> & Partial<ListHabitsQuery>): Promise<Habit[]> {
    const builder = this.dataSource.getRepository(Habit).createQueryBuilder('habit').where('habit.user_id = :userId', { userId });
    if (query.status) builder.andWhere('habit.status = :status', { status: query.status });
    if (query.priority) builder.andWhere('habit.priority = :priority', { priority: query.priority });
    const sortKey = SORT_KEY[query.sort];
    if (sortKey) builder.addSelect(sortKey, 'sort_key').orderBy('sort_key', 'ASC').addOrderBy('habit.createdAt', 'DESC');
    else builder.orderBy('habit.createdAt', 'DESC');
    return builder.getMany();
  }

  /**
   * The user's habits as the API shows them (HabitView[]), as JSON text made by Postgres, in the list's order;
   * and the ids of those whose statistics are not as of `today`.
   */
  async listAsJson(userId: string, query: Pick<ListHabitsQuery, 'sort'> & Partial<ListHabitsQuery>, today: string): Promise<{ json: string; stale: string[] }> {
    const { name, text } = listAsJsonStatement(query);
    const values = [userId, today, ...(query.status ? [query.status] : []), ...(query.priority ? [query.priority] : [])];
    const [row] = await queryPrepared<{ habits: string; stale: string[] | null }>(this.dataSource, name, text, values);
    return { json: row.habits, stale: row.stale ?? [] };
  }

  findOwned(userId: string, id: string, manager: EntityManager = this.dataSource.manager): Promise<Habit | null> {
    return manager.findOneBy(Habit, { id, userId });
  }

  /** The habit row locked for this transaction, so concurrent writes to one habit take turns. */
  lockOwned(manager: EntityManager, userId: string, id: string): Promise<Habit | null> {
    return manager.getRepository(Habit).createQueryBuilder('habit').setLock('pessimistic_write').where({ id, userId }).getOne();
  }

  /**
   * Writes the habit's status and statistics (the row is locked and known: no re-read as `save` would do).
   * Always a new row version, even when no figure moved: every write to what the statistics depend on (logs,
   * pauses) ends here, which is what lets a log write that holds no lock check that nothing changed under it.
   */
  async saveFigures(manager: EntityManager, habit: Habit): Promise<void> {
    const { status, currentStreak, longestStreak, totalCompletions, totalSkips, consistencyScore, failureRate, consecutiveMisses, lastCompletedDate, strength, statisticsDate, streakDate } = habit;
    await manager.update(Habit, { id: habit.id }, {
      status,
      currentStreak,
      longestStreak,
      totalCompletions,
      totalSkips,
      consistencyScore,
      failureRate,
      consecutiveMisses,
      lastCompletedDate,
      strength,
      statisticsDate,
      streakDate,
    });
  }

  logsInRange(habitId: string, { from, to }: { from?: string; to?: string }): Promise<HabitLog[]> {
    const builder = this.dataSource.getRepository(HabitLog).createQueryBuilder('log').where('log.habit_id = :habitId', { habitId });
    if (from) builder.andWhere('log.log_date >= :from', { from });
    if (to) builder.andWhere('log.log_date <= :to', { to });
    return builder.orderBy('log.logDate', 'ASC').getMany();
  }

  logsOf(manager: EntityManager, habitId: string): Promise<HabitLog[]> {
    return manager.find(HabitLog, { where: { habitId }, order: { logDate: 'ASC' } });
  }

  pausesOf(manager: EntityManager, habitId: string): Promise<HabitPause[]> {
    return manager.find(HabitPause, { where: { habitId }, order: { fromDate: 'ASC' } });
  }
}
