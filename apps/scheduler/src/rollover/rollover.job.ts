import { Inject, Injectable } from '@nestjs/common';
import type { JobCounts } from '@homehelper/contracts';
import { EventOutbox } from '@homehelper/database';
import { DayTurnFigures, dayTurnFigures } from '@homehelper/habit-domain';
import { DayTurn, HabitFigures } from '../day-turn/day-turn.service';
import { ScheduledJob } from '../jobs/scheduled-job';
import { FigureChange, RolloverRepository } from './rollover.repository';

/**
 * The habits whose stored figures differ from the new ones, and those read whole whose streak is not as of today:
 * writing its new date lets the next roll-overs carry it from their window.
 */
function changesOf(results: readonly HabitFigures<DayTurnFigures>[]): FigureChange[] {
  return results.flatMap(({ habit, figures }) => {
    const announce = habit.currentStreak !== figures.currentStreak || habit.consistencyScore !== figures.consistencyScore;
    const staleStreakDate = habit.historyFrom === null && habit.streakDate !== habit.today;
    const changed = announce || staleStreakDate || habit.failureRate !== figures.failureRate || habit.consecutiveMisses !== figures.consecutiveMisses;
    return changed ? [{ habit, figures, announce }] : [];
  });
}

/**
 * Each user's midnight: for the users whose local date moved on since their last roll-over, recomputes their
 * habits' streak, consistency, failure rate and misses, writes the rows that changed (with a `streak_update`
 * for each whose streak or consistency moved) and records the new date — per batch of users, in one
 * transaction, so a rerun picks up where a crash left off.
 */
@Injectable()
export class RolloverJob implements ScheduledJob {
  readonly name = 'rollover';

  constructor(
    @Inject(RolloverRepository) private readonly repository: RolloverRepository,
    @Inject(DayTurn) private readonly dayTurn: DayTurn,
    @Inject(EventOutbox) private readonly outbox: EventOutbox,
  ) {}

  async run(at: Date): Promise<JobCounts> {
    const counts = { users: 0, habits: 0, changed: 0, readWhole: 0 };
    for await (const { users, results, readWhole } of this.dayTurn.inBatches(await this.repository.dueUsers(at), dayTurnFigures)) {
      const changed = await this.repository.rollOver(users, changesOf(results));
      // Publishing a batch's events takes longer than writing them: they go out while the next batches are
      // computed and written, and the run ends once all are out.
      this.outbox.flushSoon();
      counts.users += users.length;
      counts.habits += results.length;
      counts.changed += changed;
      counts.readWhole += readWhole;
    }
    await this.outbox.flush();
    return counts;
  }
}
