import { Column, Entity, PrimaryColumn } from 'typeorm';
import { numeric } from '../common/numeric.transformer';

/** A habit contributing to a goal: each done log since the goal was created adds `weight`. */
@Entity({ name: 'goal_habits' })
export class GoalHabit {
  @PrimaryColumn({ name: 'goal_id', type: 'uuid' })
  goalId!: string;

  @PrimaryColumn({ name: 'habit_id', type: 'uuid' })
  habitId!: string;

  @Column({ type: 'numeric', precision: 10, scale: 3, default: 1, transformer: numeric })
  weight!: number;
}
