import { Inject, Injectable } from '@nestjs/common';
import type { JobCounts } from '@homehelper/contracts';
import { ScheduledJob } from '../jobs/scheduled-job';
import { EventHistory } from './event-history';
import { MaintenanceRepository } from './maintenance.repository';

/** Daily: trims the event history and prunes the scheduler's old rows. */
@Injectable()
export class MaintenanceJob implements ScheduledJob {
  readonly name = 'maintenance';

  constructor(
    @Inject(EventHistory) private readonly history: EventHistory,
    @Inject(MaintenanceRepository) private readonly repository: MaintenanceRepository,
  ) {}

  async run(at: Date): Promise<JobCounts> {
    const [events, pruned] = await Promise.all([this.history.trim(), this.repository.prune(at)]);
    return { events, ...pruned };
  }
}
