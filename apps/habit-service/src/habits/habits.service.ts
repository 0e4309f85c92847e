import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Actor, CreateHabitRequest, ListHabitsQuery, UpdateHabitRequest } from '@homehelper/contracts';
import { RawJson, ServiceError } from '@homehelper/bus';
import { EventOutbox, OutboxEvent } from '@homehelper/database';
import { Habit } from './habit.entity';
import { HabitPause } from './habit-pause.entity';
import { HabitStatistics, StatisticsChange } from './habit-statistics';
import { HabitView, toHabitView } from './habit-view';
import { HabitsRepository } from './habits.repository';

@Injectable()
export class HabitsService {
  constructor(
    @Inject(HabitsRepository) private readonly habits: HabitsRepository,
    @Inject(HabitStatistics) private readonly statistics: HabitStatistics,
    @Inject(EventOutbox) private readonly outbox: EventOutbox,
  ) {}

  async create(actor: Actor, request: CreateHabitRequest): Promise<HabitView> {
    const today = this.statistics.today(actor);
    const habit = await this.habits.transaction(async (manager) => {
      const habit = manager.create(Habit, {
        userId: actor.userId,
        name: request.name,
        description: request.description ?? null,
        frequency: request.frequency,
        timesPerWeek: request.frequency === 'weekly' ? (request.timesPerWeek ?? null) : null,
        weekdays: request.frequency === 'custom' ? (request.weekdays ?? null) : null,
        difficulty: request.difficulty,
        priority: request.priority,
        status: 'active',
        createdOn: today,
      });
      await this.statistics.refresh(manager, habit, today);
      return manager.save(habit);
    });
    return toHabitView(habit);
  }

  /**
   * The user's habits (HabitView[]), with statistics brought up to their today first (once a day per habit).
   * The busiest read: Postgres writes the JSON, which goes out to the caller as it is.
   */
  async list(actor: Actor, query: ListHabitsQuery): Promise<RawJson> {
    const today = this.statistics.today(actor);
    let listed = await this.habits.listAsJson(actor.userId, query, today);
    if (listed.stale.length > 0) {
      await Promise.all(listed.stale.map((id) => this.refreshStale(actor, id, today)));
      listed = await this.habits.listAsJson(actor.userId, query, today);
    }
    return new RawJson(listed.json);
  }

  async get(actor: Actor, id: string): Promise<HabitView> {
    const habit = await this.habits.findOwned(actor.userId, id);
    if (!habit) throw ServiceError.notFound('No such habit');
    const today = this.statistics.today(actor);
    if (habit.statisticsDate === today) return toHabitView(habit);
    const refreshed = await this.refreshStale(actor, id, today);
    if (!refreshed) throw ServiceError.notFound('No such habit');
    return toHabitView(refreshed);
  }

  async update(actor: Actor, id: string, request: UpdateHabitRequest): Promise<HabitView> {
    const today = this.statistics.today(actor);
    const habit = await this.habits.transaction(async (manager) => {
      const habit = await this.ownedForUpdate(manager, actor, id);
      this.applyFrequency(habit, request);
      for (const field of ['name', 'description', 'difficulty', 'priority'] as const) {
        if (request[field] !== undefined) Object.assign(habit, { [field]: request[field] });
      }
      if (request.status && request.status !== habit.status) await this.changeStatus(manager, habit, request.status, today);
      const change = await this.statistics.refresh(manager, habit, today);
      await this.announce(manager, actor, habit, change);
      return manager.save(habit);
    });
    return toHabitView(habit);
  }

  async delete(actor: Actor, id: string): Promise<void> {
    await this.habits.transaction(async (manager) => {
      const habit = await this.ownedForUpdate(manager, actor, id);
      await manager.remove(habit);
    });
  }

  /** Records `streak_update`, published after the commit, when a figure the user sees changed. */
  async announce(manager: EntityManager, actor: Actor, habit: Habit, change: StatisticsChange): Promise<void> {
    if (!change.changed) return;
    const { type, ...event } = this.streakUpdate(actor, habit);
    await this.outbox.add(manager, type, event);
  }

  streakUpdate(actor: Actor, habit: Pick<Habit, 'id' | 'currentStreak' | 'longestStreak' | 'consistencyScore'>): OutboxEvent<'streak_update'> {
    return {
      type: 'streak_update',
      userId: actor.userId,
      data: {
        habitId: habit.id,
        currentStreak: habit.currentStreak,
        longestStreak: habit.longestStreak,
        consistencyScore: habit.consistencyScore,
      },
    };
  }

  async ownedForUpdate(manager: EntityManager, actor: Actor, id: string): Promise<Habit> {
    const habit = await this.habits.lockOwned(manager, actor.userId, id);
    if (!habit) throw ServiceError.notFound('No such habit');
    return habit;
  }

  private async refreshStale(actor: Actor, id: string, today: string): Promise<Habit | null> {
    return this.habits.transaction(async (manager) => {
      const habit = await this.habits.lockOwned(manager, actor.userId, id);
      if (!habit) return null;
      await this.announce(manager, actor, habit, await this.statistics.refresh(manager, habit, today));
      return manager.save(habit);
    });
  }

  private applyFrequency(habit: Habit, request: UpdateHabitRequest): void {
    const frequency = request.frequency ?? habit.frequency;
    const timesPerWeek = request.timesPerWeek !== undefined ? request.timesPerWeek : habit.timesPerWeek;
    const weekdays = request.weekdays !== undefined ? request.weekdays : habit.weekdays;
    if (frequency === 'weekly' && !timesPerWeek) throw ServiceError.validationFailed('a weekly habit needs timesPerWeek (1 to 7)');
    if (frequency === 'custom' && !weekdays?.length) throw ServiceError.validationFailed('a custom habit needs weekdays');
    habit.frequency = frequency;
    habit.timesPerWeek = frequency === 'weekly' ? timesPerWeek : null;
    habit.weekdays = frequency === 'custom' ? weekdays : null;
  }

  /**
   * Pausing opens a pause from today (paused days are not expected, so the streak survives); resuming closes
   * it yesterday, or drops it when it began today.
   */
  private async changeStatus(manager: EntityManager, habit: Habit, status: 'active' | 'paused' | 'archived', today: string): Promise<void> {
    const openPause = await manager
      .getRepository(HabitPause)
      .createQueryBuilder('pause')
      .where('pause.habit_id = :id AND pause.to_date IS NULL', { id: habit.id })
      .getOne();
    if (status === 'paused' && !openPause) {
      await manager.insert(HabitPause, { habitId: habit.id, fromDate: today, toDate: null });
    }
    if (status !== 'paused' && openPause) {
      const yesterday = this.statistics.dayBefore(today);
      if (yesterday < openPause.fromDate) await manager.remove(openPause);
      else await manager.update(HabitPause, { id: openPause.id }, { toDate: yesterday });
    }
    habit.status = status;
  }
}
