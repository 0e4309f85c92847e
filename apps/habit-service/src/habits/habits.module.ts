import { Module } from '@nestjs/common';
import { HabitStatistics } from './habit-statistics';
import { HabitsController } from './habits.controller';
import { HabitsRepository } from './habits.repository';
import { HabitsService } from './habits.service';

@Module({
  controllers: [HabitsController],
  providers: [HabitStatistics, HabitsRepository, HabitsService],
  exports: [HabitStatistics, HabitsRepository, HabitsService],
})
export class HabitsModule {}
