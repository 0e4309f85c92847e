import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { MissFigures } from '@homehelper/habit-domain';
import { HabitFigures } from '../day-turn/day-turn.service';
import { announcing } from '../notifications/announcing';

@Injectable()
export class RiskRepository {
  /**
   * Marks the habits `at_risk` with their misses and records `habit_at_risk` for each — only those still
   * `active` and unchanged since they were read, so an episode is announced once however many runs see it.
   * Returns the ids marked.
   */
  async markAtRisk(manager: EntityManager, risky: readonly HabitFigures<MissFigures>[]): Promise<string[]> {
    if (risky.length === 0) return [];
    const rows = (await manager.query(
      `WITH risky AS (SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[]) AS risky (id, version, consecutive_misses)),
       marked AS (
         UPDATE habits habit SET status = 'at_risk', consecutive_misses = risky.consecutive_misses, updated_at = now()
           FROM risky
          WHERE habit.id = risky.id AND habit.xmin::text = risky.version AND habit.status = 'active'
         RETURNING habit.id, habit.user_id, jsonb_build_object('habitId', habit.id, 'consecutiveMisses', habit.consecutive_misses) AS data),
       ${announcing('habit_at_risk', 'marked', { notify: true })}
       SELECT id FROM marked ORDER BY id`,
      [risky.map(({ habit }) => habit.id), risky.map(({ habit }) => habit.version), risky.map(({ figures }) => figures.consecutiveMisses)],
    )) as Array<{ id: string }>;
    return rows.map((row) => row.id);
  }
}
