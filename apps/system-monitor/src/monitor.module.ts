import { Module } from '@nestjs/common';
import { AppConfig } from '@homehelper/config';
import { AlertsRepository } from './alerts/alerts.repository';
import { HistoryRepository } from './history/history.repository';
import { MonitorController } from './monitor.controller';
import { MonitorService } from './monitor.service';
import { ManagedApps } from './registry/managed-apps';
import { ManagedAppsRepository } from './registry/managed-apps.repository';
import { UiAppProcesses } from './registry/ui-app-processes';
import { HostSampler } from './sampling/host-sampler';

@Module({
  controllers: [MonitorController],
  providers: [
    MonitorService,
    HostSampler,
    ManagedApps,
    ManagedAppsRepository,
    { provide: UiAppProcesses, inject: [AppConfig], useFactory: (config: AppConfig) => new UiAppProcesses(config.redisUrl, config.instance) },
    AlertsRepository,
    HistoryRepository,
  ],
})
export class MonitorModule {}
