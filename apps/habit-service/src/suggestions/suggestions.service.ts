import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from '@homehelper/contracts';
import { ServiceError } from '@homehelper/bus';
import { EventOutbox } from '@homehelper/database';
import { adaptiveSuggestions, AdaptiveSuggestion, computeHabitStatistics } from '@homehelper/habit-domain';
import { HabitStatistics } from '../habits/habit-statistics';
import { HabitsRepository } from '../habits/habits.repository';

export interface RiskReport {
  checked: number;
  atRisk: string[];
  newlyAtRisk: string[];
}

@Injectable()
export class SuggestionsService {
  constructor(
    @Inject(HabitsRepository) private readonly habits: HabitsRepository,
    @Inject(HabitStatistics) private readonly statistics: HabitStatistics,
    @Inject(EventOutbox) private readonly outbox: EventOutbox,
  ) {}

  /** Seed 002's adaptive rules for one habit, each with its reason and the figures behind it. */
  async adaptive(actor: Actor, habitId: string): Promise<{ habitId: string; suggestions: AdaptiveSuggestion[] }> {
    const habit = await this.habits.findOwned(actor.userId, habitId);
    if (!habit) throw ServiceError.notFound('No such habit');
    const { definition, logs, today } = await this.statistics.historyOf(this.habits.manager, habit, this.statistics.today(actor));
    return { habitId, suggestions: adaptiveSuggestions(definition, logs, today) };
  }

  /**
   * DESIGN §4's risk rule, now, for the caller's active habits: one that enters risk is marked `at_risk` and
   * announced once (`habit_at_risk`); it goes back to active with its next done log. Paused and archived
   * habits are never at risk.
   */
  async detectRisks(actor: Actor): Promise<RiskReport> {
    const today = this.statistics.today(actor);
    const candidates = (await this.habits.list(actor.userId, { sort: 'created' })).filter((habit) => habit.status === 'active' || habit.status === 'at_risk');
    const report: RiskReport = { checked: candidates.length, atRisk: [], newlyAtRisk: [] };
    for (const candidate of candidates) {
      await this.habits.transaction(async (manager) => {
        const habit = await this.habits.lockOwned(manager, actor.userId, candidate.id);
        if (!habit || (habit.status !== 'active' && habit.status !== 'at_risk')) return;
        const { definition, logs } = await this.statistics.historyOf(manager, habit, today);
        const statistics = computeHabitStatistics(definition, logs, today);
        if (!statistics.atRisk) return;
        report.atRisk.push(habit.id);
        if (habit.status === 'at_risk') return;
        habit.status = 'at_risk';
        habit.consecutiveMisses = statistics.consecutiveMisses;
        await manager.save(habit);
        report.newlyAtRisk.push(habit.id);
        await this.outbox.add(manager, 'habit_at_risk', {
          userId: actor.userId,
          data: { habitId: habit.id, consecutiveMisses: statistics.consecutiveMisses },
        });
      });
    }
    return report;
  }
}
