import { Inject, Injectable } from '@nestjs/common';
import type { Actor, HabitLogRange, UpsertHabitLogRequest } from '@homehelper/contracts';
import { EventBus, ServiceError } from '@homehelper/bus';
import { Goal } from '../goals/goal.entity';
import { GoalProgress } from '../goals/goal-progress';
import { GoalsService } from '../goals/goals.service';
import { Habit } from '../habits/habit.entity';
import { HabitStatistics, StatisticsChange } from '../habits/habit-statistics';
import { HabitsRepository } from '../habits/habits.repository';
import { HabitsService } from '../habits/habits.service';
import { HabitLog } from './habit-log.entity';
import { HabitLogView, toHabitLogView } from './habit-log-view';

interface LogWrite {
  log: HabitLog | null;
  habit: Habit;
  change: StatisticsChange;
  recovered: boolean;
  completedGoals: Goal[];
}

/**
 * Logs are written with the habit row locked: the log, the habit's statistics and the goals it feeds change
 * in one transaction, and the events follow once it has committed.
 */
@Injectable()
export class HabitLogsService {
  constructor(
    @Inject(HabitsRepository) private readonly habits: HabitsRepository,
    @Inject(HabitsService) private readonly habitsService: HabitsService,
    @Inject(HabitStatistics) private readonly statistics: HabitStatistics,
    @Inject(GoalProgress) private readonly goalProgress: GoalProgress,
    @Inject(GoalsService) private readonly goals: GoalsService,
    @Inject(EventBus) private readonly events: EventBus,
  ) {}

  async upsert(actor: Actor, request: UpsertHabitLogRequest): Promise<HabitLogView> {
    const today = this.statistics.today(actor);
    if (request.logDate > today) throw ServiceError.validationFailed(`${request.logDate} is in the future (today is ${today} in ${actor.timezone})`);
    const write = await this.habits.transaction(async (manager): Promise<LogWrite> => {
      const habit = await this.habitsService.ownedForUpdate(manager, actor, request.habitId);
      if (habit.status === 'archived') throw ServiceError.conflict('An archived habit takes no logs; make it active first');
      const [log] = (await manager.query(
        `INSERT INTO habit_logs (habit_id, user_id, log_date, status, notes, entered_by)
              VALUES ($1, $2, $3, $4, $5, 'user')
         ON CONFLICT (habit_id, log_date)
           DO UPDATE SET status = EXCLUDED.status, notes = EXCLUDED.notes, entered_by = 'user', updated_at = now()
           RETURNING id`,
        [habit.id, actor.userId, request.logDate, request.status, request.notes ?? null],
      )) as Array<{ id: string }>;
      const recovered = habit.status === 'at_risk' && request.status === 'done';
      if (recovered) habit.status = 'active';
      const change = await this.statistics.refresh(manager, habit, today);
      await manager.save(habit);
      const completedGoals = await this.goalProgress.afterHabitChanged(manager, habit.id, actor.timezone);
      return { log: await manager.findOneByOrFail(HabitLog, { id: log.id }), habit, change, recovered, completedGoals };
    });
    await this.announce(actor, write);
    return toHabitLogView(write.log!);
  }

  async list(actor: Actor, habitId: string, range: HabitLogRange): Promise<HabitLogView[]> {
    const habit = await this.habits.findOwned(actor.userId, habitId);
    if (!habit) throw ServiceError.notFound('No such habit');
    return (await this.habits.logsInRange(habit.id, range)).map(toHabitLogView);
  }

  async delete(actor: Actor, logId: string): Promise<void> {
    const today = this.statistics.today(actor);
    const write = await this.habits.transaction(async (manager): Promise<LogWrite> => {
      const log = await manager.findOneBy(HabitLog, { id: logId, userId: actor.userId });
      if (!log) throw ServiceError.notFound('No such habit log');
      const habit = await this.habitsService.ownedForUpdate(manager, actor, log.habitId);
      await manager.remove(log);
      const change = await this.statistics.refresh(manager, habit, today);
      await manager.save(habit);
      const completedGoals = await this.goalProgress.afterHabitChanged(manager, habit.id, actor.timezone);
      return { log: null, habit, change, recovered: false, completedGoals };
    });
    await this.announce(actor, write);
  }

  private async announce(actor: Actor, { log, habit, change, recovered, completedGoals }: LogWrite): Promise<void> {
    if (log) {
      await this.events.publish('habit_logged', { userId: actor.userId, data: { habitId: habit.id, logDate: log.logDate, status: log.status } });
    }
    await this.habitsService.announce(actor, habit, change);
    if (recovered) {
      await this.events.publish('habit_recovered', { userId: actor.userId, data: { habitId: habit.id, consecutiveMisses: habit.consecutiveMisses } });
    }
    for (const goal of completedGoals) await this.goals.announceCompleted(actor, goal);
  }
}
