import { Module } from '@nestjs/common';
import { DayTurnModule } from '../day-turn/day-turn.module';
import { EventHistory } from '../maintenance/event-history';
import { MaintenanceJob } from '../maintenance/maintenance.job';
import { MaintenanceRepository } from '../maintenance/maintenance.repository';
import { NotificationsModule } from '../notifications/notifications.module';
import { NudgesJob } from '../nudges/nudges.job';
import { NudgesRepository } from '../nudges/nudges.repository';
import { RiskDetectionJob } from '../risk/risk-detection.job';
import { RiskRepository } from '../risk/risk.repository';
import { RolloverJob } from '../rollover/rollover.job';
import { RolloverRepository } from '../rollover/rollover.repository';

export const SCHEDULED_JOBS = [RolloverJob, RiskDetectionJob, NudgesJob, MaintenanceJob];

/** What each job does, without the queue that runs them (the medium tests run them directly). */
@Module({
  imports: [DayTurnModule, NotificationsModule],
  providers: [...SCHEDULED_JOBS, RolloverRepository, RiskRepository, NudgesRepository, MaintenanceRepository, EventHistory],
  exports: SCHEDULED_JOBS,
})
export class ScheduledJobsModule {}
