import { Inject, Injectable } from '@nestjs/common';
import type { JobCounts } from '@homehelper/contracts';
import { EventOutbox } from '@homehelper/database';
import { missFigures } from '@homehelper/habit-domain';
import { DayTurnRepository } from '../day-turn/day-turn.repository';
import { DayTurn } from '../day-turn/day-turn.service';
import { ScheduledJob } from '../jobs/scheduled-job';
import { NotificationDeliveries } from '../notifications/notification-deliveries';
import { RiskRepository } from './risk.repository';

/**
 * Seed 002's hourly risk detection by DESIGN §4's rule (habit-domain's isAtRisk), for every user's active
 * habits as of their local today: a habit entering risk is marked `at_risk` and announced once per episode (it
 * goes back to `active` with its next done, in the habit-service). Paused and archived habits are not looked at.
 */
@Injectable()
export class RiskDetectionJob implements ScheduledJob {
  readonly name = 'risk-detection';

  constructor(
    @Inject(DayTurnRepository) private readonly users: DayTurnRepository,
    @Inject(DayTurn) private readonly dayTurn: DayTurn,
    @Inject(RiskRepository) private readonly repository: RiskRepository,
    @Inject(EventOutbox) private readonly outbox: EventOutbox,
    @Inject(NotificationDeliveries) private readonly deliveries: NotificationDeliveries,
  ) {}

  async run(at: Date): Promise<JobCounts> {
    const counts = { habits: 0, atRisk: 0, marked: 0 };
    for await (const { results } of this.dayTurn.inBatches(await this.users.usersAt(at), missFigures, { statuses: ['active'], withoutRecentDone: true })) {
      const risky = results.filter(({ figures }) => figures.atRisk);
      const marked = await this.outbox.transaction((manager) => this.repository.markAtRisk(manager, risky));
      counts.habits += results.length;
      counts.atRisk += risky.length;
      counts.marked += marked.length;
    }
    await this.deliveries.dispatch();
    return counts;
  }
}
