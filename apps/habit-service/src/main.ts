import { EventOutboxModule } from '@homehelper/database';
import { runService } from '@homehelper/service';
import { AnalyticsModule } from './analytics/analytics.module';
import { DataTransferModule } from './data-transfer/data-transfer.module';
import { Goal } from './goals/goal.entity';
import { GoalHabit } from './goals/goal-habit.entity';
import { GoalsModule } from './goals/goals.module';
import { HabitLog } from './habit-logs/habit-log.entity';
import { HabitLogsModule } from './habit-logs/habit-logs.module';
import { Habit } from './habits/habit.entity';
import { HabitPause } from './habits/habit-pause.entity';
import { HabitsModule } from './habits/habits.module';
import { SuggestionsModule } from './suggestions/suggestions.module';

void runService({
  name: 'habit-service',
  imports: [EventOutboxModule, HabitsModule, HabitLogsModule, GoalsModule, AnalyticsModule, SuggestionsModule, DataTransferModule],
  entities: [Habit, HabitPause, HabitLog, Goal, GoalHabit],
});
