import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { HabitFrequency, HabitStatus } from '@homehelper/contracts';
import { numeric } from '../common/numeric.transformer';

@Entity({ name: 'habits' })
export class Habit {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ type: 'varchar', length: 8 })
  frequency!: HabitFrequency;

  @Column({ name: 'times_per_week', type: 'smallint', nullable: true })
  timesPerWeek!: number | null;

  @Column({ type: 'smallint', array: true, nullable: true })
  weekdays!: number[] | null;

  @Column({ type: 'varchar', length: 8 })
  difficulty!: 'easy' | 'medium' | 'hard';

  @Column({ type: 'varchar', length: 8 })
  priority!: 'low' | 'medium' | 'high';

  @Column({ type: 'varchar', length: 8, default: 'active' })
  status!: HabitStatus;

  /**
   * The day it was created, in the user's zone. The habit starts then, or at its first log when history was
   * back-filled (the statistics take the earlier), so deleting a back-filled log gives the later start back.
   */
  @Column({ name: 'created_on', type: 'date' })
  createdOn!: string;

  @Column({ name: 'current_streak', type: 'integer', default: 0 })
  currentStreak!: number;

  @Column({ name: 'longest_streak', type: 'integer', default: 0 })
  longestStreak!: number;

  @Column({ name: 'total_completions', type: 'integer', default: 0 })
  totalCompletions!: number;

  @Column({ name: 'total_skips', type: 'integer', default: 0 })
  totalSkips!: number;

  @Column({ name: 'consistency_score', type: 'numeric', precision: 5, scale: 1, default: 0, transformer: numeric })
  consistencyScore!: number;

  @Column({ name: 'failure_rate', type: 'numeric', precision: 5, scale: 4, default: 0, transformer: numeric })
  failureRate!: number;

  @Column({ name: 'consecutive_misses', type: 'integer', default: 0 })
  consecutiveMisses!: number;

  @Column({ name: 'last_completed_date', type: 'date', nullable: true })
  lastCompletedDate!: string | null;

  @Column({ type: 'numeric', precision: 6, scale: 4, default: 0, transformer: numeric })
  strength!: number;

  /** The local date the cached statistics were computed for. */
  @Column({ name: 'statistics_date', type: 'date', nullable: true })
  statisticsDate!: string | null;

  /** The local date `currentStreak` is as of: statisticsDate, or a later roll-over's (the scheduler's). */
  @Column({ name: 'streak_date', type: 'date', nullable: true })
  streakDate!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
