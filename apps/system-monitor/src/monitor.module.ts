import { Module } from '@nestjs/common';
import { AlertsRepository } from './alerts/alerts.repository';
import { HistoryRepository } from './history/history.repository';
import { MonitorController } from './monitor.controller';
import { MonitorService } from './monitor.service';
import { ManagedApps } from './registry/managed-apps';
import { ManagedAppsRepository } from './registry/managed-apps.repository';
import { HostSampler } from './sampling/host-sampler';

@Module({
  controllers: [MonitorController],
  providers: [MonitorService, HostSampler, ManagedApps, ManagedAppsRepository, AlertsRepository, HistoryRepository],
})
export class MonitorModule {}
