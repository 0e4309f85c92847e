import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PortLeases } from '@homehelper/runtime';
import { UiCatalog } from './ui-catalog';
import { UiController } from './ui.controller';
import { UiFleet } from './ui-fleet';
import { UiState } from './ui-state';

@Module({
  controllers: [UiController],
  providers: [UiCatalog, UiState, UiFleet, { provide: PortLeases, inject: [DataSource], useFactory: (dataSource: DataSource) => new PortLeases(dataSource) }],
})
export class UiModule {}
