import { Module } from '@nestjs/common';
import { GoalsModule } from '../goals/goals.module';
import { HabitsModule } from '../habits/habits.module';
import { HabitLogsController } from './habit-logs.controller';
import { HabitLogsRepository } from './habit-logs.repository';
import { HabitLogsService } from './habit-logs.service';

@Module({ imports: [HabitsModule, GoalsModule], controllers: [HabitLogsController], providers: [HabitLogsRepository, HabitLogsService] })
export class HabitLogsModule {}
