import { Inject, Injectable } from '@nestjs/common';
import { HabitDefinition, historyWindowStart, LocalDate, LoggedDays, StoredStreak, WindowedResult } from '@homehelper/habit-domain';
import { inBatches } from './batches';
import { DayTurnRepository, HistoryQuery, HistoryReader, UserToday } from './day-turn.repository';
import { definitionOf, HabitHistoryRow, loggedDaysOfRow } from './habit-history';

/** The habit-domain function a job needs: dayTurnFigures (the roll-over), missFigures (risk detection, nudges). */
export type WindowedFigures<Figures> = (
  habit: HabitDefinition,
  logs: LoggedDays,
  today: LocalDate,
  historyFrom: LocalDate | null,
  stored: StoredStreak,
) => WindowedResult<Figures>;

export interface HabitFigures<Figures> {
  habit: HabitHistoryRow;
  figures: Figures;
}

/** One batch of users and their habits' figures. */
export interface FiguresBatch<Figures> {
  users: UserToday[];
  results: HabitFigures<Figures>[];
  /** Habits whose figures reached past the window (a long streak or run of misses), read again whole. */
  readWhole: number;
}

/** Users per batch: one read of their habits, and one write transaction in the jobs. */
const USERS_PER_BATCH = 200;

/**
 * The figures a new day changes, for every habit of many users, with the habit-domain's own functions (so they
 * equal the habit-service's). Per batch of users, one query reads each habit's last weeks of logs; the few
 * habits whose streak or run of misses goes back further are read whole in a second one. No per-habit round
 * trips. The batches overlap: while the caller writes one, the next one's figures are computed and the ones
 * after it are read, one after another on a connection of the job's own, so Node and Postgres work side by side.
 */
@Injectable()
export class DayTurn {
  constructor(@Inject(DayTurnRepository) private readonly repository: DayTurnRepository) {}

  async *inBatches<Figures>(users: readonly UserToday[], windowedFigures: WindowedFigures<Figures>, query: HistoryQuery = {}): AsyncGenerator<FiguresBatch<Figures>> {
    if (users.length === 0) return;
    const batches = [...inBatches(users, USERS_PER_BATCH)];
    const reader = await this.repository.reader();
    const windowsOf = (index: number) => (index < batches.length ? ahead(readWindows(reader, batches[index], query)) : null);
    let figures: Promise<Omit<FiguresBatch<Figures>, 'users'>> | null = ahead(figuresOf(reader, windowsOf(0)!, windowedFigures, query));
    let windows = windowsOf(1);
    try {
      for (let index = 0; index < batches.length; index++) {
        const current = await figures!;
        figures = windows ? ahead(figuresOf(reader, windows, windowedFigures, query)) : null;
        windows = windowsOf(index + 2);
        yield { users: batches[index], ...current };
      }
    } finally {
      // When the caller stopped early, the reads already started end before the connection goes back.
      await Promise.allSettled([figures, windows]);
      reader.release();
    }
  }
}

function readWindows(reader: HistoryReader, users: readonly UserToday[], query: HistoryQuery): Promise<HabitHistoryRow[]> {
  return reader.histories(users.map((user) => ({ ...user, historyFrom: historyWindowStart(user.today) })), query);
}

async function figuresOf<Figures>(
  reader: HistoryReader,
  windows: Promise<HabitHistoryRow[]>,
  windowedFigures: WindowedFigures<Figures>,
  query: HistoryQuery,
): Promise<Omit<FiguresBatch<Figures>, 'users'>> {
  const windowed = await windows;
  const results: HabitFigures<Figures>[] = [];
  const needWhole: HabitHistoryRow[] = [];
  for (const habit of windowed) {
    const result = windowedFigures(definitionOf(habit), loggedDaysOfRow(habit), habit.today, habit.historyFrom, habit);
    if (result.complete) results.push({ habit, figures: result.figures });
    else needWhole.push(habit);
  }
  if (needWhole.length > 0) {
    const owners = new Map(needWhole.map((habit) => [habit.userId, { userId: habit.userId, today: habit.today, historyFrom: null }]));
    const whole = await reader.histories([...owners.values()], { ...query, habitIds: needWhole.map((habit) => habit.id) });
    for (const habit of whole) {
      const result = windowedFigures(definitionOf(habit), loggedDaysOfRow(habit), habit.today, null, habit);
      if (result.complete) results.push({ habit, figures: result.figures });
    }
  }
  return { results, readWhole: needWhole.length };
}

/** Work started ahead of need: if the caller stops before awaiting it (a failed write), its failure is not an unhandled one. */
function ahead<T>(work: Promise<T>): Promise<T> {
  work.catch(() => undefined);
  return work;
}
