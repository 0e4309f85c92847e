import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PortLeases } from '@homehelper/runtime';
import { AppsController } from './apps.controller';
import { AppFleet } from './fleet/app-fleet';
import { AppRegistry } from './registry/app-registry';

@Module({
  controllers: [AppsController],
  providers: [AppRegistry, AppFleet, { provide: PortLeases, inject: [DataSource], useFactory: (dataSource: DataSource) => new PortLeases(dataSource) }],
})
export class AppsModule {}
