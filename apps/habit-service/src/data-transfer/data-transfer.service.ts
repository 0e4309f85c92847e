import { Inject, Injectable } from '@nestjs/common';
import type { Actor, HabitDataDocument, HabitDataImportSummary, LoopImportRequest } from '@homehelper/contracts';
import { ServiceError } from '@homehelper/bus';
import { GoalProgress } from '../goals/goal-progress';
import { HabitStatistics } from '../habits/habit-statistics';
import { DataTransferRepository } from './data-transfer.repository';
import { checkHabitData } from './habit-data-check';
import { toHabitDataDocument } from './habit-data-export';
import { importRows } from './habit-data-import';
import { loopToHabitData } from './loop-import';

/**
 * Export and import of a user's habit data. An import restores a whole history into an empty account in one
 * transaction and announces nothing: the statistics and goals' progress are recomputed as of today, but
 * no `habit_logged`, `streak_update` or `goal_completed` is published for history that happened elsewhere.
 */
@Injectable()
export class DataTransferService {
  constructor(
    @Inject(DataTransferRepository) private readonly repository: DataTransferRepository,
    @Inject(HabitStatistics) private readonly statistics: HabitStatistics,
    @Inject(GoalProgress) private readonly goalProgress: GoalProgress,
  ) {}

  async export(actor: Actor): Promise<HabitDataDocument> {
    const snapshot = await this.repository.snapshot(actor.userId);
    return toHabitDataDocument(snapshot, { exportedAt: new Date(), timezone: actor.timezone });
  }

  async import(actor: Actor, input: unknown): Promise<HabitDataImportSummary> {
    const today = this.statistics.today(actor);
    const checked = checkHabitData(input, { today, timezone: actor.timezone });
    if (!checked.ok) throw ServiceError.validationFailed('The habit data document is not valid; nothing was imported', checked.problems);
    return this.restore(actor, checked.document, today);
  }

  async importLoop(actor: Actor, request: LoopImportRequest): Promise<HabitDataImportSummary> {
    const now = new Date();
    const converted = loopToHabitData(request, { now, today: this.statistics.today(actor, now), timezone: actor.timezone });
    if (!converted.ok) throw ServiceError.validationFailed("The Loop Habit Tracker export is not valid; nothing was imported", converted.problems);
    return this.import(actor, converted.document);
  }

  /**
   * Writes the document's rows, then recomputes what is derived from them: each habit's statistics as of
   * today, and each goal's current value. A goal imported as completed keeps its completion time; one
   * imported as active that its history already reaches is completed now, silently.
   */
  private restore(actor: Actor, document: HabitDataDocument, today: string): Promise<HabitDataImportSummary> {
    const rows = importRows(document);
    return this.repository.transaction(async (manager) => {
      await this.repository.lockAccount(manager, actor.userId);
      if (await this.repository.holdsHabitData(manager, actor.userId)) {
        throw ServiceError.conflict('This account already has habits or goals: an import restores into an empty account only');
      }
      const habits = await this.repository.insertHabits(manager, actor.userId, rows.habits);
      await this.repository.insertPauses(manager, rows.pauses.map(({ habit, from, to }) => ({ habitId: habits[habit].id, from, to })));
      await this.repository.insertLogs(manager, actor.userId, rows.logs.map(({ habit, ...log }) => ({ habitId: habits[habit].id, ...log })));
      for (const habit of habits) {
        await this.statistics.refresh(manager, habit, today);
        await manager.save(habit);
      }
      const goals = await this.repository.insertGoals(manager, actor.userId, rows.goals);
      await this.repository.insertLinks(manager, rows.links.map(({ goal, habit, weight }) => ({ goalId: goals[goal].id, habitId: habits[habit].id, weight })));
      for (const goal of goals) await this.goalProgress.recompute(manager, goal, actor.timezone);
      return { habits: habits.length, logs: rows.logs.length, goals: goals.length };
    });
  }
}
