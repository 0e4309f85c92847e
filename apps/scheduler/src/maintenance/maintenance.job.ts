import { Inject, Injectable } from '@nestjs/common';
import { JobCounts, PruneRequest, RpcPatterns, SERVICES_THAT_PRUNE, ServiceName } from '@homehelper/contracts';
import { RpcClient } from '@homehelper/bus';
import { ScheduledJob } from '../jobs/scheduled-job';
import { EventHistory } from './event-history';
import { MaintenanceRepository } from './maintenance.repository';

/**
 * Daily: trims the event history, prunes the scheduler's old rows, and asks each service that keeps rows it
 * will stop needing (SERVICES_THAT_PRUNE) to prune them by its own rules. Their counts come back as
 * `<service>.<count>`. A service that does not answer fails the run, after everything else is done.
 */
@Injectable()
export class MaintenanceJob implements ScheduledJob {
  readonly name = 'maintenance';

  constructor(
    @Inject(EventHistory) private readonly history: EventHistory,
    @Inject(MaintenanceRepository) private readonly repository: MaintenanceRepository,
    @Inject(RpcClient) private readonly rpc: RpcClient,
  ) {}

  async run(at: Date): Promise<JobCounts> {
    const [events, pruned, asked] = await Promise.all([
      this.history.trim(),
      this.repository.prune(at),
      Promise.allSettled(SERVICES_THAT_PRUNE.map((service) => this.pruneIn(service, at))),
    ]);
    const failed = asked.flatMap((result, index) => (result.status === 'rejected' ? [`${SERVICES_THAT_PRUNE[index]}: ${(result.reason as Error).message}`] : []));
    if (failed.length > 0) throw new Error(`Not pruned: ${failed.join('; ')}`);
    return Object.assign({ events, ...pruned }, ...asked.map((result) => (result as PromiseFulfilledResult<JobCounts>).value));
  }

  /** `service`'s counts of what it pruned, each named `<service>.<count>`. */
  private async pruneIn(service: ServiceName, at: Date): Promise<JobCounts> {
    const counts = await this.rpc.send<JobCounts>(RpcPatterns.maintenancePrune(service), { payload: { at: at.toISOString() } satisfies PruneRequest });
    return Object.fromEntries(Object.entries(counts).map(([name, count]) => [`${service}.${name}`, count]));
  }
}
