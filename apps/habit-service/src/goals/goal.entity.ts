import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { numeric } from '../common/numeric.transformer';

@Entity({ name: 'goals' })
export class Goal {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ name: 'target_value', type: 'numeric', precision: 14, scale: 2, transformer: numeric })
  targetValue!: number;

  @Column({ name: 'manual_value', type: 'numeric', precision: 14, scale: 2, default: 0, transformer: numeric })
  manualValue!: number;

  @Column({ name: 'current_value', type: 'numeric', precision: 14, scale: 2, default: 0, transformer: numeric })
  currentValue!: number;

  @Column({ type: 'varchar', length: 32 })
  unit!: string;

  @Column({ type: 'date', nullable: true })
  deadline!: string | null;

  @Column({ type: 'varchar', length: 10, default: 'active' })
  status!: 'active' | 'completed' | 'archived';

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
