import { Inject, Injectable } from '@nestjs/common';
import { DayTurnFigures, dayTurnFigures, historyWindowStart } from '@homehelper/habit-domain';
import { inBatches } from './batches';
import { DayTurnRepository, HistoryQuery, UserToday } from './day-turn.repository';
import { definitionOf, HabitHistoryRow, logsOf } from './habit-history';

export interface HabitFigures {
  habit: HabitHistoryRow;
  figures: DayTurnFigures;
}

/** One batch of users and their habits' figures. */
export interface FiguresBatch {
  users: UserToday[];
  results: HabitFigures[];
  /** Habits whose streak or run of misses reached past the window, read again whole. */
  readWhole: number;
}

/** Users per batch: one read of their habits, and one write transaction in the jobs. */
const USERS_PER_BATCH = 200;

/**
 * The figures a new day changes, for every habit of many users, with the habit-domain's own functions (so they
 * equal the habit-service's). Per batch of users, one query reads each habit's last weeks of logs; the few
 * habits whose streak or run of misses goes back further are read whole in a second one. No per-habit round
 * trips; the next batch is read while this one is computed and written.
 */
@Injectable()
export class DayTurn {
  constructor(@Inject(DayTurnRepository) private readonly repository: DayTurnRepository) {}

  async *inBatches(users: readonly UserToday[], query: HistoryQuery = {}): AsyncGenerator<FiguresBatch> {
    const batches = [...inBatches(users, USERS_PER_BATCH)];
    let next = batches.length > 0 ? this.readWindows(batches[0], query) : null;
    for (let index = 0; index < batches.length; index++) {
      const windowed = await (next as Promise<HabitHistoryRow[]>);
      next = index + 1 < batches.length ? this.readWindows(batches[index + 1], query) : null;
      yield { users: batches[index], ...(await this.figuresOf(windowed, query)) };
    }
  }

  private readWindows(users: readonly UserToday[], query: HistoryQuery): Promise<HabitHistoryRow[]> {
    const read = this.repository.histories(users.map((user) => ({ ...user, historyFrom: historyWindowStart(user.today) })), query);
    // Read ahead: if the caller stops before awaiting it (a failed write), its failure is not an unhandled one.
    read.catch(() => undefined);
    return read;
  }

  private async figuresOf(windowed: readonly HabitHistoryRow[], query: HistoryQuery): Promise<Omit<FiguresBatch, 'users'>> {
    const results: HabitFigures[] = [];
    const needWhole: HabitHistoryRow[] = [];
    for (const habit of windowed) {
      const result = dayTurnFigures(definitionOf(habit), logsOf(habit), habit.today, habit.historyFrom);
      if (result.complete) results.push({ habit, figures: result.figures });
      else needWhole.push(habit);
    }
    if (needWhole.length > 0) {
      const owners = new Map(needWhole.map((habit) => [habit.userId, { userId: habit.userId, today: habit.today, historyFrom: null }]));
      const whole = await this.repository.histories([...owners.values()], { ...query, habitIds: needWhole.map((habit) => habit.id) });
      for (const habit of whole) {
        const result = dayTurnFigures(definitionOf(habit), logsOf(habit), habit.today, null);
        if (result.complete) results.push({ habit, figures: result.figures });
      }
    }
    return { results, readWhole: needWhole.length };
  }
}
