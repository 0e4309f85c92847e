import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Goal } from './goal.entity';
import { GoalHabit } from './goal-habit.entity';

@Injectable()
export class GoalsRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  list(userId: string): Promise<Goal[]> {
    return this.dataSource.manager.find(Goal, { where: { userId }, order: { createdAt: 'DESC' } });
  }

  findOwned(userId: string, id: string, manager: EntityManager = this.dataSource.manager): Promise<Goal | null> {
    return manager.findOneBy(Goal, { id, userId });
  }

  linksOf(goalIds: string[], manager: EntityManager = this.dataSource.manager): Promise<GoalHabit[]> {
    return goalIds.length === 0 ? Promise.resolve([]) : manager.getRepository(GoalHabit).createQueryBuilder('link').where('link.goal_id IN (:...goalIds)', { goalIds }).getMany();
  }

  async replaceLinks(manager: EntityManager, goalId: string, links: Array<{ habitId: string; weight: number }>): Promise<void> {
    await manager.delete(GoalHabit, { goalId });
    if (links.length > 0) await manager.insert(GoalHabit, links.map((link) => ({ goalId, ...link })));
  }

  /** Active goals the habit contributes to, locked for this transaction. */
  lockActiveGoalsOfHabit(manager: EntityManager, habitId: string): Promise<Goal[]> {
    return manager
      .getRepository(Goal)
      .createQueryBuilder('goal')
      .innerJoin(GoalHabit, 'link', 'link.goal_id = goal.id')
      .where('link.habit_id = :habitId', { habitId })
      .andWhere("goal.status = 'active'")
      .setLock('pessimistic_write')
      .getMany();
  }

  /**
   * What the linked habits contribute: each done log dated on or after the goal's creation day (in the
   * user's zone) counts its link's weight.
   */
  async habitContribution(manager: EntityManager, goalId: string, timezone: string): Promise<number> {
    const [row] = (await manager.query(
      `SELECT COALESCE(SUM(link.weight), 0) AS contribution
         FROM goal_habits link
         JOIN goals goal ON goal.id = link.goal_id
         JOIN habit_logs log ON log.habit_id = link.habit_id AND log.status = 'done'
        WHERE link.goal_id = $1 AND log.log_date >= (goal.created_at AT TIME ZONE $2)::date`,
      [goalId, timezone],
    )) as Array<{ contribution: string }>;
    return Number(row.contribution);
  }
}
