import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DayTurnFigures } from '@homehelper/habit-domain';
import { UserToday } from '../day-turn/day-turn.repository';
import { HabitFigures } from '../day-turn/day-turn.service';
import { announcing } from '../notifications/announcing';

/** New figures for a habit whose stored ones differ; `announce` when its streak or consistency moved. */
export type FigureChange = HabitFigures<DayTurnFigures> & { announce: boolean };

/** Each user's last roll-over (their local date then), and the figures it writes. */
@Injectable()
export class RolloverRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** The users whose local midnight passed since their last roll-over (or who never had one), with their today. */
  dueUsers(at: Date): Promise<UserToday[]> {
    return this.dataSource.query(
      `SELECT u.id AS "userId", u.today::text AS today
         FROM (SELECT id, ($1::timestamptz AT TIME ZONE timezone)::date AS today FROM users WHERE is_active) u
         LEFT JOIN user_rollovers rollover ON rollover.user_id = u.id
        WHERE rollover.rolled_over_on IS NULL OR rollover.rolled_over_on < u.today
        ORDER BY u.id`,
      [at.toISOString()],
    );
  }

  /** A batch of users rolled over in one transaction: their changed figures written, their new date recorded. Returns the rows written. */
  rollOver(users: readonly UserToday[], changes: readonly FigureChange[]): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const written = await this.writeFigures(manager, changes);
      await this.markRolledOver(manager, users);
      return written;
    });
  }

  /**
   * Writes the new figures of the rows nobody changed since they were read (a write by the habit-service in
   * between has fresher ones), and records a `streak_update` for those whose streak or consistency moved (what
   * the event shows, as the habit-service announces). Returns how many rows were written.
   */
  private async writeFigures(manager: EntityManager, changes: readonly FigureChange[]): Promise<number> {
    if (changes.length === 0) return 0;
    const [{ written }] = (await manager.query(
      `WITH figures AS (
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::date[], $5::numeric[], $6::numeric[], $7::int[], $8::boolean[])
                    AS figure (id, version, current_streak, streak_date, consistency_score, failure_rate, consecutive_misses, announce)),
       written AS (
         UPDATE habits habit
            SET current_streak = figure.current_streak, streak_date = figure.streak_date, consistency_score = figure.consistency_score,
                failure_rate = figure.failure_rate, consecutive_misses = figure.consecutive_misses, updated_at = now()
           FROM figures figure
          WHERE habit.id = figure.id AND habit.xmin::text = figure.version
         RETURNING habit.user_id, figure.announce,
                   jsonb_build_object('habitId', habit.id, 'currentStreak', habit.current_streak,
                                      'longestStreak', habit.longest_streak, 'consistencyScore', habit.consistency_score) AS data),
       announced AS (SELECT user_id, data FROM written WHERE announce),
       ${announcing('streak_update', 'announced', { notify: false })}
       SELECT count(*)::int AS written FROM written`,
      [
        plainArray(changes.map(({ habit }) => habit.id)),
        plainArray(changes.map(({ habit }) => habit.version)),
        plainArray(changes.map(({ figures }) => figures.currentStreak)),
        plainArray(changes.map(({ habit }) => habit.today)),
        plainArray(changes.map(({ figures }) => figures.consistencyScore)),
        plainArray(changes.map(({ figures }) => figures.failureRate)),
        plainArray(changes.map(({ figures }) => figures.consecutiveMisses)),
        plainArray(changes.map(({ announce }) => announce)),
      ],
    )) as Array<{ written: number }>;
    return written;
  }

  private async markRolledOver(manager: EntityManager, users: readonly UserToday[]): Promise<void> {
    await manager.query(
      `INSERT INTO user_rollovers (user_id, rolled_over_on)
       SELECT * FROM unnest($1::uuid[], $2::date[])
       ON CONFLICT (user_id) DO UPDATE
          SET rolled_over_on = GREATEST(user_rollovers.rolled_over_on, EXCLUDED.rolled_over_on), rolled_over_at = now()`,
      [users.map((user) => user.userId), users.map((user) => user.today)],
    );
  }
}

/**
 * A Postgres array literal of values that never need quoting (ids, versions and dates as Postgres writes them,
 * numbers, booleans). Joined here it costs Node a fraction of pg's escaping of a JS array value by value, and
 * Postgres a quarter of reading the same rows as JSON records.
 */
function plainArray(values: ReadonlyArray<string | number | boolean>): string {
  return `{${values.join(',')}}`;
}
