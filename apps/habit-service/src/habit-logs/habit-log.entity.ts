import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { LogStatus } from '@homehelper/contracts';

@Entity({ name: 'habit_logs' })
export class HabitLog {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'habit_id', type: 'uuid' })
  habitId!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ name: 'log_date', type: 'date' })
  logDate!: string;

  @Column({ type: 'varchar', length: 8 })
  status!: LogStatus;

  @Column({ type: 'text', nullable: true })
  notes!: string | null;

  /** Whether the user entered this log or the system recorded it (a `missed` day). */
  @Column({ name: 'entered_by', type: 'varchar', length: 8, default: 'user' })
  enteredBy!: 'user' | 'system';

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
