import { Module } from '@nestjs/common';
import { HabitPausesController } from './habit-pauses.controller';
import { HabitPausesService } from './habit-pauses.service';
import { HabitStatistics } from './habit-statistics';
import { HabitsController } from './habits.controller';
import { HabitsRepository } from './habits.repository';
import { HabitsService } from './habits.service';

@Module({
  controllers: [HabitsController, HabitPausesController],
  providers: [HabitPausesService, HabitStatistics, HabitsRepository, HabitsService],
  exports: [HabitStatistics, HabitsRepository, HabitsService],
})
export class HabitsModule {}
