import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Actor, CreateGoalRequest, UpdateGoalRequest } from '@homehelper/contracts';
import { ServiceError } from '@homehelper/bus';
import { EventOutbox } from '@homehelper/database';
import { Habit } from '../habits/habit.entity';
import { Goal } from './goal.entity';
import { GoalProgress } from './goal-progress';
import { GoalView, toGoalView } from './goal-view';
import { GoalsRepository } from './goals.repository';

@Injectable()
export class GoalsService {
  constructor(
    @Inject(GoalsRepository) private readonly goals: GoalsRepository,
    @Inject(GoalProgress) private readonly progress: GoalProgress,
    @Inject(EventOutbox) private readonly outbox: EventOutbox,
  ) {}

  async create(actor: Actor, request: CreateGoalRequest): Promise<GoalView> {
    const goal = await this.outbox.transaction(async (manager) => {
      await this.assertOwnHabits(manager, actor, request.habits);
      const goal = await manager.save(
        manager.create(Goal, {
          userId: actor.userId,
          name: request.name,
          description: request.description ?? null,
          targetValue: request.targetValue,
          unit: request.unit,
          deadline: request.deadline ?? null,
          manualValue: 0,
          currentValue: 0,
          status: 'active',
        }),
      );
      await this.goals.replaceLinks(manager, goal.id, request.habits);
      if (await this.progress.recompute(manager, goal, actor.timezone)) await this.announceCompleted(manager, actor, goal);
      return goal;
    });
    return this.view(goal);
  }

  async list(actor: Actor): Promise<GoalView[]> {
    const goals = await this.goals.list(actor.userId);
    const links = await this.goals.linksOf(goals.map((goal) => goal.id));
    return goals.map((goal) => toGoalView(goal, links));
  }

  async get(actor: Actor, id: string): Promise<GoalView> {
    return this.view(await this.ownedOr404(actor, id));
  }

  async update(actor: Actor, id: string, request: UpdateGoalRequest): Promise<GoalView> {
    const goal = await this.outbox.transaction(async (manager) => {
      const goal = await this.ownedOr404(actor, id, manager);
      const { habits, ...fields } = request;
      Object.assign(goal, Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)));
      if (habits) {
        await this.assertOwnHabits(manager, actor, habits);
        await this.goals.replaceLinks(manager, goal.id, habits);
      }
      if (await this.progress.recompute(manager, goal, actor.timezone)) await this.announceCompleted(manager, actor, goal);
      return goal;
    });
    return this.view(goal);
  }

  async delete(actor: Actor, id: string): Promise<void> {
    await this.outbox.transaction(async (manager) => {
      const goal = await this.ownedOr404(actor, id, manager);
      await manager.remove(goal);
    });
  }

  async announceCompleted(manager: EntityManager, actor: Actor, goal: Goal): Promise<void> {
    await this.outbox.add(manager, 'goal_completed', {
      userId: actor.userId,
      data: { goalId: goal.id, currentValue: goal.currentValue, targetValue: goal.targetValue },
    });
  }

  private async view(goal: Goal): Promise<GoalView> {
    return toGoalView(goal, await this.goals.linksOf([goal.id]));
  }

  private async ownedOr404(actor: Actor, id: string, manager?: EntityManager): Promise<Goal> {
    const goal = await this.goals.findOwned(actor.userId, id, manager);
    if (!goal) throw ServiceError.notFound('No such goal');
    return goal;
  }

  /** Linking someone else's habit (or one that does not exist) is refused as not found, revealing nothing. */
  private async assertOwnHabits(manager: EntityManager, actor: Actor, links: Array<{ habitId: string }>): Promise<void> {
    if (links.length === 0) return;
    const ids = links.map((link) => link.habitId);
    const owned = await manager.getRepository(Habit).createQueryBuilder('habit').where('habit.id IN (:...ids)', { ids }).andWhere('habit.user_id = :userId', { userId: actor.userId }).getCount();
    if (owned !== ids.length) throw ServiceError.notFound('No such habit');
  }
}
