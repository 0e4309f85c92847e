import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager, EntityTarget, FindOptionsWhere, In } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Goal } from '../goals/goal.entity';
import { GoalHabit } from '../goals/goal-habit.entity';
import { Habit } from '../habits/habit.entity';
import { HabitPause } from '../habits/habit-pause.entity';
import { ExportedLogRow, HabitDataSnapshot } from './habit-data-export';
import { ImportedGoalRow, ImportedHabitRow } from './habit-data-import';

/** Rows per INSERT: far below Postgres' 65 535 parameters, few round trips for a long history. */
const LOGS_PER_STATEMENT = 5000;
const ROWS_PER_INSERT = 200;

/** One user's habit data read whole and written in bulk, for export and import. */
@Injectable()
export class DataTransferRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Everything of the user's as of one instant: a repeatable-read snapshot, so logs match their habits. */
  snapshot(userId: string): Promise<HabitDataSnapshot> {
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const habits = await manager.find(Habit, { where: { userId }, order: { createdAt: 'ASC', id: 'ASC' } });
      const habitIds = habits.map((habit) => habit.id);
      const pauses = habitIds.length === 0 ? [] : await manager.find(HabitPause, { where: { habitId: In(habitIds) }, order: { fromDate: 'ASC' } });
      const logs = (await manager.query(
        `SELECT habit_id AS "habitId", log_date::text AS date, status, notes, entered_by AS "enteredBy"
           FROM habit_logs WHERE user_id = $1 ORDER BY habit_id, log_date`,
        [userId],
      )) as ExportedLogRow[];
      const goals = await manager.find(Goal, { where: { userId }, order: { createdAt: 'ASC', id: 'ASC' } });
      const goalIds = goals.map((goal) => goal.id);
      const links = goalIds.length === 0 ? [] : await manager.find(GoalHabit, { where: { goalId: In(goalIds) } });
      return { habits, pauses, logs, goals, links };
    });
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** Serialises imports into one account until the transaction ends (a double-clicked import writes once). */
  async lockAccount(manager: EntityManager, userId: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`habit-data-import:${userId}`]);
  }

  async holdsHabitData(manager: EntityManager, userId: string): Promise<boolean> {
    const [row] = (await manager.query(
      `SELECT EXISTS (SELECT 1 FROM habits WHERE user_id = $1) OR EXISTS (SELECT 1 FROM goals WHERE user_id = $1) AS holds`,
      [userId],
    )) as Array<{ holds: boolean }>;
    return row.holds;
  }

  /** Inserts the habits; they come back as stored, in the same order. */
  insertHabits(manager: EntityManager, userId: string, rows: ImportedHabitRow[]): Promise<Habit[]> {
    return this.insertInOrder(manager, Habit, rows.map((row) => ({ ...row, userId })));
  }

  async insertPauses(manager: EntityManager, rows: Array<{ habitId: string; from: string; to: string | null }>): Promise<void> {
    const pauses = rows.map((row) => manager.create(HabitPause, { habitId: row.habitId, fromDate: row.from, toDate: row.to }));
    for (const chunk of chunks(pauses, ROWS_PER_INSERT)) await manager.insert(HabitPause, chunk);
  }

  /** Logs go in as arrays unnested by Postgres: one statement per few thousand, whatever their number. */
  async insertLogs(manager: EntityManager, userId: string, rows: ExportedLogRow[]): Promise<void> {
    for (const chunk of chunks(rows, LOGS_PER_STATEMENT)) {
      await manager.query(
        `INSERT INTO habit_logs (habit_id, user_id, log_date, status, notes, entered_by)
         SELECT log.habit_id, $1, log.log_date, log.status, log.notes, log.entered_by
           FROM unnest($2::uuid[], $3::date[], $4::varchar[], $5::text[], $6::varchar[]) AS log (habit_id, log_date, status, notes, entered_by)`,
        [
          userId,
          chunk.map((log) => log.habitId),
          chunk.map((log) => log.date),
          chunk.map((log) => log.status),
          chunk.map((log) => log.notes),
          chunk.map((log) => log.enteredBy),
        ],
      );
    }
  }

  /** Inserts the goals, with their own creation and completion times; they come back as stored, in the same order. */
  insertGoals(manager: EntityManager, userId: string, rows: ImportedGoalRow[]): Promise<Goal[]> {
    return this.insertInOrder(manager, Goal, rows.map((row) => ({ ...row, userId, currentValue: 0 })));
  }

  async insertLinks(manager: EntityManager, links: Array<{ goalId: string; habitId: string; weight: number }>): Promise<void> {
    for (const chunk of chunks(links, ROWS_PER_INSERT)) await manager.insert(GoalHabit, chunk);
  }

  /**
   * Inserts rows and reads them back. The values TypeORM merges into inserted entities skip the column
   * transformers (a numeric default comes back as the string "0.00"), so the entities are loaded as stored.
   */
  private async insertInOrder<T extends { id: string }>(manager: EntityManager, entity: EntityTarget<T>, rows: QueryDeepPartialEntity<T>[]): Promise<T[]> {
    const ids: string[] = [];
    for (const chunk of chunks(rows, ROWS_PER_INSERT)) {
      const { identifiers } = await manager.insert(entity, chunk);
      ids.push(...identifiers.map((identifier) => identifier.id as string));
    }
    const stored = new Map((ids.length === 0 ? [] : await manager.findBy(entity, { id: In(ids) } as FindOptionsWhere<T>)).map((row) => [row.id, row]));
    return ids.map((id) => {
      const row = stored.get(id);
      if (!row) throw new Error(`The row ${id} just inserted is missing`);
      return row;
    });
  }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}
