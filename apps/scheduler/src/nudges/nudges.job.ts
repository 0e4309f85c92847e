import { Inject, Injectable } from '@nestjs/common';
import type { JobCounts } from '@homehelper/contracts';
import { EventOutbox } from '@homehelper/database';
import { missFigures } from '@homehelper/habit-domain';
import { DayTurnRepository } from '../day-turn/day-turn.repository';
import { DayTurn } from '../day-turn/day-turn.service';
import { ScheduledJob } from '../jobs/scheduled-job';
import { NotificationDeliveries } from '../notifications/notification-deliveries';
import { nudgeMessage } from './nudge-message';
import { NudgesRepository } from './nudges.repository';

/** Seed 002: a habit is nudged once 2 expected periods (days; weeks for weekly habits) went by without a done. */
const MISSES_BEFORE_NUDGE = 2;

/**
 * Seed 002's hourly nudges: every active (or at-risk) habit left undone for 2+ expected periods, and not on a
 * pause today, gets a `nudge` with a friendly message, at most one per habit per local day of its owner.
 */
@Injectable()
export class NudgesJob implements ScheduledJob {
  readonly name = 'nudges';

  constructor(
    @Inject(DayTurnRepository) private readonly users: DayTurnRepository,
    @Inject(DayTurn) private readonly dayTurn: DayTurn,
    @Inject(NudgesRepository) private readonly repository: NudgesRepository,
    @Inject(EventOutbox) private readonly outbox: EventOutbox,
    @Inject(NotificationDeliveries) private readonly deliveries: NotificationDeliveries,
  ) {}

  async run(at: Date): Promise<JobCounts> {
    const counts = { habits: 0, inactive: 0, nudged: 0 };
    const query = { statuses: ['active', 'at_risk'], withoutRecentDone: true };
    for await (const { results } of this.dayTurn.inBatches(await this.users.usersAt(at), missFigures, query)) {
      const inactive = results
        .filter(({ figures }) => figures.consecutiveMisses >= MISSES_BEFORE_NUDGE && !figures.pausedToday)
        .map(({ habit, figures }) => ({
          habitId: habit.id,
          userId: habit.userId,
          today: habit.today,
          daysInactive: figures.daysInactive,
          message: nudgeMessage(habit.name, figures.daysInactive),
        }));
      counts.habits += results.length;
      counts.inactive += inactive.length;
      counts.nudged += await this.outbox.transaction((manager) => this.repository.record(manager, inactive));
    }
    await this.deliveries.dispatch();
    return counts;
  }
}
