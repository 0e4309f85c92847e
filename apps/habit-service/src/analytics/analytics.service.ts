import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from '@homehelper/contracts';
import { ServiceError } from '@homehelper/bus';
import {
  addDays,
  completionHeatmap,
  completionWindow,
  consistencyTrend,
  monthlySummaries,
  strengthBreakdown,
  todayStatus,
  weeklySummaries,
} from '@homehelper/habit-domain';
import { GoalsService } from '../goals/goals.service';
import { HabitHistory, HabitStatistics } from '../habits/habit-statistics';
import { HabitsRepository } from '../habits/habits.repository';

const LIMITS = { heatmapDays: 366, weeks: 104, months: 60, trendDays: 365 };

export interface AnalyticsRange {
  days?: number;
  weeks?: number;
  months?: number;
}

function within(value: number | undefined, fallback: number, max: number, what: string): number {
  const chosen = value ?? fallback;
  if (!Number.isInteger(chosen) || chosen < 1 || chosen > max) throw ServiceError.validationFailed(`${what} must be a whole number from 1 to ${max}`);
  return chosen;
}

/** Read-only figures over a user's habits, computed by the pure functions of @homehelper/habit-domain. */
@Injectable()
export class AnalyticsService {
  constructor(
    @Inject(HabitsRepository) private readonly habits: HabitsRepository,
    @Inject(HabitStatistics) private readonly statistics: HabitStatistics,
    @Inject(GoalsService) private readonly goals: GoalsService,
  ) {}

  async dashboard(actor: Actor) {
    const today = this.statistics.today(actor);
    const habits = (await this.habits.list(actor.userId, { sort: 'priority' })).filter((habit) => habit.status !== 'archived');
    const histories = await Promise.all(habits.map((habit) => this.statistics.historyOf(this.habits.manager, habit, today)));
    const statuses = histories.map((history) => ({ history, status: todayStatus(history.definition, history.logs, today) }));
    const rate = (days: number) => {
      const windows = histories.map((history) => completionWindow(history.definition, history.logs, today, days));
      const expected = windows.reduce((sum, window) => sum + window.expectedCompletions, 0);
      const completions = windows.reduce((sum, window) => sum + window.completions, 0);
      return expected === 0 ? 0 : Math.min(100, Math.round((completions / expected) * 1000) / 10);
    };
    const summary = (history: HabitHistory) => ({ id: history.habit.id, name: history.habit.name, currentStreak: history.habit.currentStreak });
    return {
      today,
      dueToday: statuses.filter(({ status }) => status.due && !status.done).map(({ history }) => summary(history)),
      doneToday: statuses.filter(({ status }) => status.done).map(({ history }) => summary(history)),
      activeStreaks: histories
        .filter((history) => history.habit.currentStreak > 0)
        .sort((a, b) => b.habit.currentStreak - a.habit.currentStreak)
        .map(summary),
      atRiskCount: habits.filter((habit) => habit.status === 'at_risk').length,
      completionRate7d: rate(7),
      completionRate30d: rate(30),
      goalsInProgress: (await this.goals.list(actor)).filter((goal) => goal.status === 'active'),
    };
  }

  async heatmap(actor: Actor, habitId: string, range: AnalyticsRange) {
    const days = within(range.days, 365, LIMITS.heatmapDays, 'days');
    const { definition, logs, today } = await this.history(actor, habitId);
    return completionHeatmap(definition, logs, today, addDays(today, -(days - 1)), today);
  }

  async weekly(actor: Actor, habitId: string, range: AnalyticsRange) {
    const { definition, logs, today } = await this.history(actor, habitId);
    return weeklySummaries(definition, logs, today, within(range.weeks, 12, LIMITS.weeks, 'weeks'));
  }

  async monthly(actor: Actor, habitId: string, range: AnalyticsRange) {
    const { definition, logs, today } = await this.history(actor, habitId);
    return monthlySummaries(definition, logs, today, within(range.months, 12, LIMITS.months, 'months'));
  }

  async consistencyTrend(actor: Actor, habitId: string, range: AnalyticsRange) {
    const { definition, logs, today } = await this.history(actor, habitId);
    return consistencyTrend(definition, logs, today, within(range.days, 30, LIMITS.trendDays, 'days'));
  }

  async strength(actor: Actor, habitId: string, range: AnalyticsRange) {
    const { habit, definition, logs, today } = await this.history(actor, habitId);
    return { strength: habit.strength, days: strengthBreakdown(definition, logs, today, within(range.days, 30, LIMITS.trendDays, 'days')) };
  }

  private async history(actor: Actor, habitId: string): Promise<HabitHistory> {
    const habit = await this.habits.findOwned(actor.userId, habitId);
    if (!habit) throw ServiceError.notFound('No such habit');
    return this.statistics.historyOf(this.habits.manager, habit, this.statistics.today(actor));
  }
}
