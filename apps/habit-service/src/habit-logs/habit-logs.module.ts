import { Module } from '@nestjs/common';
import { GoalsModule } from '../goals/goals.module';
import { HabitsModule } from '../habits/habits.module';
import { HabitLogsController } from './habit-logs.controller';
import { HabitLogsService } from './habit-logs.service';

@Module({ imports: [HabitsModule, GoalsModule], controllers: [HabitLogsController], providers: [HabitLogsService] })
export class HabitLogsModule {}
