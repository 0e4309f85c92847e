import { Inject, Injectable } from '@nestjs/common';
import type { Actor, HabitLogRange, UpsertHabitLogRequest } from '@homehelper/contracts';
import { ServiceError } from '@homehelper/bus';
import { EventOutbox, OutboxEvent } from '@homehelper/database';
import { toDayNumber, withLoggedDay } from '@homehelper/habit-domain';
import { EntityManager } from 'typeorm';
import { GoalProgress } from '../goals/goal-progress';
import { GoalsService } from '../goals/goals.service';
import { HabitStatistics } from '../habits/habit-statistics';
import { HabitsRepository } from '../habits/habits.repository';
import { HabitsService } from '../habits/habits.service';
import { HabitLog } from './habit-log.entity';
import { HabitLogView, toHabitLogView } from './habit-log-view';
import { HabitLogsRepository, LogWriteState } from './habit-logs.repository';

/** The row the locked log upsert returns. */
interface HabitLogRow {
  id: string;
  habit_id: string;
  log_date: string;
  status: HabitLog['status'];
  notes: string | null;
  entered_by: HabitLog['enteredBy'];
  created_at: Date;
  updated_at: Date;
}

/** Tries of the write that takes no lock before a write waits for the habit's lock instead. */
const UNLOCKED_ATTEMPTS = 3;

/**
 * A log, the habit's statistics, the goals it feeds and the events that tell about them change together; the
 * events are published once that has committed. Usually in one statement that applies only if the habit has
 * not changed since its logs were read (then nothing can have changed under the figures); when it has, when
 * the habit feeds goals, or after a few lost races, in a transaction holding the habit row's lock.
 */
@Injectable()
export class HabitLogsService {
  constructor(
    @Inject(HabitsRepository) private readonly habits: HabitsRepository,
    @Inject(HabitLogsRepository) private readonly logs: HabitLogsRepository,
    @Inject(HabitsService) private readonly habitsService: HabitsService,
    @Inject(HabitStatistics) private readonly statistics: HabitStatistics,
    @Inject(GoalProgress) private readonly goalProgress: GoalProgress,
    @Inject(GoalsService) private readonly goals: GoalsService,
    @Inject(EventOutbox) private readonly outbox: EventOutbox,
  ) {}

  async upsert(actor: Actor, request: UpsertHabitLogRequest): Promise<HabitLogView> {
    const today = this.statistics.today(actor);
    if (request.logDate > today) throw ServiceError.validationFailed(`${request.logDate} is in the future (today is ${today} in ${actor.timezone})`);
    for (let attempt = 0; attempt < UNLOCKED_ATTEMPTS; attempt += 1) {
      const state = await this.logs.stateForWrite(actor.userId, request.habitId, { fresh: attempt > 0 });
      if (!state) throw ServiceError.notFound('No such habit');
      assertTakesLogs(state.habit);
      if (state.feedsGoals) break;
      const written = await this.writeUnlocked(actor, request, state, today);
      if (written) {
        // Committed with the write, so published whatever happens next; the answer need not wait for it.
        this.outbox.flushSoon();
        return written;
      }
    }
    return this.upsertLocked(actor, request, today);
  }

  async list(actor: Actor, habitId: string, range: HabitLogRange): Promise<HabitLogView[]> {
    const habit = await this.habits.findOwned(actor.userId, habitId);
    if (!habit) throw ServiceError.notFound('No such habit');
    return (await this.habits.logsInRange(habit.id, range)).map(toHabitLogView);
  }

  async delete(actor: Actor, logId: string): Promise<void> {
    const today = this.statistics.today(actor);
    await this.habits.transaction(async (manager) => {
      const log = await manager.findOneBy(HabitLog, { id: logId, userId: actor.userId });
      if (!log) throw ServiceError.notFound('No such habit log');
      const habit = await this.habitsService.ownedForUpdate(manager, actor, log.habitId);
      await manager.remove(log);
      const change = await this.statistics.refresh(manager, habit, today);
      await this.habits.saveFigures(manager, habit);
      await this.habitsService.announce(manager, actor, habit, change);
      await this.afterLogsChanged(manager, actor, habit.id);
    });
  }

  /** The write decided from `state` and applied if the habit is still as read; null if it changed meanwhile. */
  private async writeUnlocked(actor: Actor, request: UpsertHabitLogRequest, state: LogWriteState, today: string): Promise<HabitLogView | null> {
    const habit = { ...state.habit };
    const days = withLoggedDay(state.days, toDayNumber(request.logDate), request.status);
    const recovered = habit.status === 'at_risk' && request.status === 'done';
    if (recovered) habit.status = 'active';
    const change = this.statistics.recompute(habit, state.definition, days, today);
    const events: OutboxEvent[] = [{ type: 'habit_logged', userId: actor.userId, data: { habitId: habit.id, logDate: request.logDate, status: request.status } }];
    if (change.changed) events.push(this.habitsService.streakUpdate(actor, habit));
    if (recovered) events.push({ type: 'habit_recovered', userId: actor.userId, data: { habitId: habit.id, consecutiveMisses: habit.consecutiveMisses } });
    return this.logs.writeIfUnchanged(
      {
        habitId: habit.id,
        version: state.version,
        userId: actor.userId,
        log: { logDate: request.logDate, status: request.status, notes: request.notes ?? null },
        status: habit.status,
        figures: habit,
        events: this.outbox.recording(events),
      },
      { habit, definition: state.definition, days, feedsGoals: false },
    );
  }

  /** The write with the habit row locked for the transaction, so concurrent writes to one habit take turns. */
  private async upsertLocked(actor: Actor, request: UpsertHabitLogRequest, today: string): Promise<HabitLogView> {
    const log = await this.habits.transaction(async (manager) => {
      const habit = await this.habitsService.ownedForUpdate(manager, actor, request.habitId);
      assertTakesLogs(habit);
      const [written] = (await manager.query(
        `INSERT INTO habit_logs (habit_id, user_id, log_date, status, notes, entered_by)
              VALUES ($1, $2, $3, $4, $5, 'user')
         ON CONFLICT (habit_id, log_date)
           DO UPDATE SET status = EXCLUDED.status, notes = EXCLUDED.notes, entered_by = 'user', updated_at = now()
           RETURNING id, habit_id, log_date::text AS log_date, status, notes, entered_by, created_at, updated_at`,
        [habit.id, actor.userId, request.logDate, request.status, request.notes ?? null],
      )) as HabitLogRow[];
      const recovered = habit.status === 'at_risk' && request.status === 'done';
      if (recovered) habit.status = 'active';
      const change = await this.statistics.refresh(manager, habit, today);
      await this.habits.saveFigures(manager, habit);
      await this.outbox.add(manager, 'habit_logged', { userId: actor.userId, data: { habitId: habit.id, logDate: request.logDate, status: request.status } });
      await this.habitsService.announce(manager, actor, habit, change);
      if (recovered) {
        await this.outbox.add(manager, 'habit_recovered', { userId: actor.userId, data: { habitId: habit.id, consecutiveMisses: habit.consecutiveMisses } });
      }
      await this.afterLogsChanged(manager, actor, habit.id);
      return written;
    });
    return toHabitLogView({
      id: log.id,
      habitId: log.habit_id,
      logDate: log.log_date,
      status: log.status,
      notes: log.notes,
      enteredBy: log.entered_by,
      createdAt: log.created_at,
      updatedAt: log.updated_at,
    });
  }

  /** The goals the habit feeds follow its logs; each one this completes is announced once. */
  private async afterLogsChanged(manager: EntityManager, actor: Actor, habitId: string): Promise<void> {
    for (const goal of await this.goalProgress.afterHabitChanged(manager, habitId, actor.timezone)) {
      await this.goals.announceCompleted(manager, actor, goal);
    }
  }
}

function assertTakesLogs(habit: { status: string }): void {
  if (habit.status === 'archived') throw ServiceError.conflict('An archived habit takes no logs; make it active first');
}
