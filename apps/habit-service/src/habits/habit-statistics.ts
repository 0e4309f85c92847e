import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Actor } from '@homehelper/contracts';
import { addDays, computeHabitStatistics, HabitDefinition, HabitLog as DomainLog, habitScheduleFrom, LoggedDays, todayIn } from '@homehelper/habit-domain';
import { HabitLog } from '../habit-logs/habit-log.entity';
import { Habit } from './habit.entity';
import { HabitPause } from './habit-pause.entity';
import { HabitsRepository } from './habits.repository';

/** A habit with everything the pure statistics functions need, as of the user's today. */
export interface HabitHistory {
  habit: Habit;
  definition: HabitDefinition;
  logs: DomainLog[];
  today: string;
}

export interface StatisticsChange {
  /** Did a figure the user sees in `streak_update` change? */
  changed: boolean;
}

/** The statistics columns of a habit row (and `statisticsDate`, the day they are as of, which `streakDate` repeats). */
export type HabitFigures = Pick<
  Habit,
  | 'currentStreak'
  | 'longestStreak'
  | 'totalCompletions'
  | 'totalSkips'
  | 'consistencyScore'
  | 'failureRate'
  | 'consecutiveMisses'
  | 'lastCompletedDate'
  | 'strength'
  | 'statisticsDate'
  | 'streakDate'
>;

/** What the statistics depend on besides the logs and pauses. */
export type HabitSettings = Pick<Habit, 'frequency' | 'timesPerWeek' | 'weekdays' | 'createdOn' | 'difficulty'>;

/** The figures `streak_update` carries. */
const ANNOUNCED = ['currentStreak', 'longestStreak', 'consistencyScore'] as const;

/** Keeps a habit row's cached statistics equal to what its logs say, as of the user's today. */
@Injectable()
export class HabitStatistics {
  /** The local date in each zone during the last minute asked about (Intl works it out slowly, and every request needs it). */
  private readonly todays = new Map<string, { minute: number; date: string }>();

  constructor(@Inject(HabitsRepository) private readonly habits: HabitsRepository) {}

  today(actor: Actor, now: Date = new Date()): string {
    // Every zone in use today is a whole number of minutes off UTC: a local date holds for the rest of the UTC minute.
    const minute = Math.floor(now.getTime() / 60_000);
    const known = this.todays.get(actor.timezone);
    if (known?.minute === minute) return known.date;
    const date = todayIn(actor.timezone, now);
    this.todays.set(actor.timezone, { minute, date });
    return date;
  }

  dayBefore(date: string): string {
    return addDays(date, -1);
  }

  definitionOf(habit: HabitSettings, pauses: Array<Pick<HabitPause, 'fromDate' | 'toDate'>>): HabitDefinition {
    return {
      ...habitScheduleFrom(habit),
      createdOn: habit.createdOn,
      pauses: pauses.map((pause) => ({ from: pause.fromDate, to: pause.toDate })),
      difficulty: habit.difficulty,
    };
  }

  toDomainLogs(logs: HabitLog[]): DomainLog[] {
    return logs.map((log) => ({ date: log.logDate, status: log.status }));
  }

  async historyOf(manager: EntityManager, habit: Habit, today: string): Promise<HabitHistory> {
    const [logs, pauses] = await Promise.all([this.habits.logsOf(manager, habit.id), this.habits.pausesOf(manager, habit.id)]);
    return { habit, definition: this.definitionOf(habit, pauses), logs: this.toDomainLogs(logs), today };
  }

  /** Recomputes from the stored logs and pauses (read in the caller's transaction) and sets them on the row. */
  async refresh(manager: EntityManager, habit: Habit, today: string): Promise<StatisticsChange> {
    const [logs, pauses] = habit.id
      ? await Promise.all([this.habits.logsOf(manager, habit.id), this.habits.pausesOf(manager, habit.id)])
      : [[], []];
    return this.recompute(habit, this.definitionOf(habit, pauses), this.toDomainLogs(logs), today);
  }

  /** Sets the figures the logs (or their days) give as of `today` on `habit` (a row, or its figures alone). */
  recompute(habit: HabitFigures, definition: HabitDefinition, logs: readonly DomainLog[] | LoggedDays, today: string): StatisticsChange {
    const statistics = computeHabitStatistics(definition, logs, today);
    const before = ANNOUNCED.map((field) => habit[field]);
    Object.assign(habit, {
      currentStreak: statistics.currentStreak,
      longestStreak: statistics.longestStreak,
      totalCompletions: statistics.totalCompletions,
      totalSkips: statistics.totalSkips,
      consistencyScore: statistics.consistencyScore,
      failureRate: statistics.failureRate,
      consecutiveMisses: statistics.consecutiveMisses,
      lastCompletedDate: statistics.lastCompletedDate,
      strength: statistics.strength,
      statisticsDate: today,
      streakDate: today,
    });
    return { changed: ANNOUNCED.some((field, index) => habit[field] !== before[index]) };
  }
}
