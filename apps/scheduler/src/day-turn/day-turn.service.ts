import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DayTurnFigures, dayTurnFigures, historyWindowStart } from '@homehelper/habit-domain';
import { DayTurnRepository, HistoryQuery } from './day-turn.repository';
import { definitionOf, HabitHistoryRow, logsOf } from './habit-history';

export interface HabitFigures {
  habit: HabitHistoryRow;
  figures: DayTurnFigures;
}

export interface FiguresReport {
  results: HabitFigures[];
  /** Habits whose streak or run of misses reached past the window, read again whole. */
  readWhole: number;
}

/**
 * The figures a new day changes, for every habit of many users, with the habit-domain's own functions (so they
 * equal the habit-service's). One query reads each habit's last weeks of logs; the few habits whose streak or
 * run of misses goes back further are read whole in a second one. No per-habit round trips.
 */
@Injectable()
export class DayTurn {
  constructor(@Inject(DayTurnRepository) private readonly repository: DayTurnRepository) {}

  async figuresOf(users: ReadonlyArray<{ userId: string; today: string }>, query: HistoryQuery = {}, manager?: EntityManager): Promise<FiguresReport> {
    const windowed = await this.repository.histories(
      users.map((user) => ({ ...user, historyFrom: historyWindowStart(user.today) })),
      query,
      manager,
    );
    const results: HabitFigures[] = [];
    const needWhole: HabitHistoryRow[] = [];
    for (const habit of windowed) {
      const result = dayTurnFigures(definitionOf(habit), logsOf(habit), habit.today, habit.historyFrom);
      if (result.complete) results.push({ habit, figures: result.figures });
      else needWhole.push(habit);
    }
    if (needWhole.length > 0) {
      const owners = new Map(needWhole.map((habit) => [habit.userId, { userId: habit.userId, today: habit.today, historyFrom: null }]));
      const whole = await this.repository.histories([...owners.values()], { ...query, habitIds: needWhole.map((habit) => habit.id) }, manager);
      for (const habit of whole) {
        const result = dayTurnFigures(definitionOf(habit), logsOf(habit), habit.today, null);
        if (result.complete) results.push({ habit, figures: result.figures });
      }
    }
    return { results, readWhole: needWhole.length };
  }
}
