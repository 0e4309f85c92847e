import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Goal } from './goal.entity';
import { GoalsRepository } from './goals.repository';

/**
 * Keeps a goal's current value equal to its manual part plus what its linked habits contribute, and marks it
 * completed — once, keeping that time — when the value reaches the target.
 */
@Injectable()
export class GoalProgress {
  constructor(@Inject(GoalsRepository) private readonly goals: GoalsRepository) {}

  /** Recomputes and saves the goal; true when this update completed it. */
  async recompute(manager: EntityManager, goal: Goal, timezone: string): Promise<boolean> {
    goal.currentValue = goal.manualValue + (await this.goals.habitContribution(manager, goal.id, timezone));
    const completesNow = goal.status === 'active' && goal.currentValue >= goal.targetValue;
    if (completesNow) {
      goal.status = 'completed';
      goal.completedAt = new Date();
    }
    await manager.save(goal);
    return completesNow;
  }

  /** After a habit's logs changed: the active goals it feeds, recomputed; returns those it completed. */
  async afterHabitChanged(manager: EntityManager, habitId: string, timezone: string): Promise<Goal[]> {
    const completed: Goal[] = [];
    for (const goal of await this.goals.lockActiveGoalsOfHabit(manager, habitId)) {
      if (await this.recompute(manager, goal, timezone)) completed.push(goal);
    }
    return completed;
  }
}
