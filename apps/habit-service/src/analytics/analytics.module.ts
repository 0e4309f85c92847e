import { Module } from '@nestjs/common';
import { GoalsModule } from '../goals/goals.module';
import { HabitsModule } from '../habits/habits.module';
import { AnalyticsController } from './analytics.controller';
import { AnalyticsService } from './analytics.service';

@Module({ imports: [HabitsModule, GoalsModule], controllers: [AnalyticsController], providers: [AnalyticsService] })
export class AnalyticsModule {}
