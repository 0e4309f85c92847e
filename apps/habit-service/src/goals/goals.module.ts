import { Module } from '@nestjs/common';
import { GoalProgress } from './goal-progress';
import { GoalsController } from './goals.controller';
import { GoalsRepository } from './goals.repository';
import { GoalsService } from './goals.service';

@Module({
  controllers: [GoalsController],
  providers: [GoalProgress, GoalsRepository, GoalsService],
  exports: [GoalProgress, GoalsService],
})
export class GoalsModule {}
