import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ServiceClient } from '../http/service-client';
import { AnalyticsController, SuggestionsController } from './analytics.controller';
import { DataTransferController } from './data-transfer.controller';
import { GoalsController } from './goals.controller';
import { HabitLogsController, HabitsController } from './habits.controller';

/** The habits REST surface; every call is forwarded to the habit-service. */
@Module({ imports: [AuthModule], controllers: [HabitsController, HabitLogsController, GoalsController, AnalyticsController, SuggestionsController, DataTransferController], providers: [ServiceClient] })
export class HabitsModule {}
