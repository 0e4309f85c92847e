import { Module } from '@nestjs/common';
import { GoalsModule } from '../goals/goals.module';
import { HabitsModule } from '../habits/habits.module';
import { DataTransferController } from './data-transfer.controller';
import { DataTransferRepository } from './data-transfer.repository';
import { DataTransferService } from './data-transfer.service';

/** Export of a user's habit data as one JSON document, and its import (or Loop Habit Tracker's CSV) into an empty account. */
@Module({ imports: [HabitsModule, GoalsModule], controllers: [DataTransferController], providers: [DataTransferRepository, DataTransferService] })
export class DataTransferModule {}
